from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import outbox
from core.models import OutgoingMail


class DeliveryState(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("Waiting")),
            ("sent", _("Sent")),
            ("given_up", _("Given up")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "given_up":
            return queryset.filter(given_up_at__isnull=False)
        return queryset


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The mail outbox, for the site admin: what waits, what was sent, what was given up."""

    list_display = ["created_at", "recipients", "subject", "attempts", "sent_at", "given_up_at"]
    list_filter = [DeliveryState]
    search_fields = ["recipients", "subject"]
    date_hierarchy = "created_at"
    fields = [
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
    ]
    readonly_fields = fields
    actions = ["retry"]

    # Addresses and texts of people: only the site admin sees the outbox.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Try sending the selected mail again"))
    def retry(self, request, queryset):
        count = outbox.retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s mail will be sent again.", "%(count)s mails will be sent again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
