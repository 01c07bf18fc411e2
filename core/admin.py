from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import outbox
from core.models import OutgoingMail


class DeliveryState(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, Any]]:
        return [
            ("pending", _("Waiting")),
            ("sent", _("Sent")),
            ("given_up", _("Given up")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "pending":
            pending: QuerySet[Any] = queryset.pending()  # type: ignore[attr-defined]
            return pending
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "given_up":
            return queryset.filter(given_up_at__isnull=False)
        return queryset


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin[OutgoingMail]):
    """The mail outbox, for the site admin: what waits, what was sent, what was given up."""

    list_display = ["created_at", "recipients", "subject", "attempts", "sent_at", "given_up_at"]
    list_filter = [DeliveryState]
    search_fields = ["recipients", "subject"]
    date_hierarchy = "created_at"
    fields = (
        "recipients",
        "subject",
        "created_at",
        "available_at",
        "attempts",
        "last_error",
        "claimed_by",
        "claimed_until",
        "sent_at",
        "given_up_at",
    )
    readonly_fields = fields
    actions = ["retry"]

    # Addresses and texts of people: only the site admin sees the outbox.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: OutgoingMail | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutgoingMail | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutgoingMail | None = None) -> bool:
        return False

    @admin.action(description=_("Try sending the selected mail again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = outbox.retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s mail will be sent again.", "%(count)s mails will be sent again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
