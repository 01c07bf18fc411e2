from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import (
    Entity,
    Membership,
    MembershipStatus,
    Notification,
    PriorityArea,
    User,
)
from members.services import change_membership_status, name_representative_or_alternate
from networks.admin import (
    NetworkChoicesMixin,
    NetworkScopedAdmin,
    SameNetworkForm,
    entities_visible_to,
    run_with_reason,
    sees_every_network,
    users_visible_to,
    visible_network_ids,
)
from networks.errors import DomainError
from networks.services import record_change


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["email", "first_name", "last_name", "phone", "language", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "groups"]
    search_fields = ["email", "username", "first_name", "last_name", "phone"]
    ordering = ["email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal data"), {"fields": ["first_name", "last_name", "email", "phone", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "phone",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        network_ids = visible_network_ids(request)
        if network_ids is None:
            return queryset
        return users_visible_to(network_ids, queryset, myself=request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_every_network(request) or obj is None:
            return fieldsets
        # Only a site admin hands out staff status, groups and permissions.
        return [
            (name, {**options, "fields": ["is_active"]})
            if name == _("Permissions")
            else (name, options)
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        if sees_every_network(request):
            return self.list_filter
        return ["is_active", "language"]


class MembershipOfEntityInline(NetworkChoicesMixin, admin.TabularInline):
    model = Membership
    fk_name = "entity"
    fields = ["network", "platform", "status", "joined_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("memberships (changed from the membership list)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("network", "platform")
        network_ids = visible_network_ids(request)
        if network_ids is None:
            return queryset
        return queryset.filter(network_id__in=network_ids)


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Entities are shared by networks: a facilitator sees those of their networks and new ones."""

    list_display = ["name", "kind", "legally_registered", "region", "city"]
    list_filter = ["kind", "legally_registered", "priority_areas", "region"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["priority_areas"]
    readonly_fields = ["created_at", "created_by"]
    inlines = [MembershipOfEntityInline]
    fields = [
        "name",
        "slug",
        "kind",
        "legally_registered",
        "priority_areas",
        "region",
        "city",
        "website",
        "description",
        "created_at",
        "created_by",
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        network_ids = visible_network_ids(request)
        if network_ids is None:
            return queryset
        return entities_visible_to(network_ids, queryset)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # An entity with a history is kept; only a site admin removes a mistaken one.
        return sees_every_network(request) and super().has_delete_permission(request, obj)


@admin.register(PriorityArea)
class PriorityAreaAdmin(admin.ModelAdmin):
    """The areas are fixed by a migration: read-only here."""

    list_display = ["__str__", "code"]
    search_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def status_action(*, target, sources, description, reason_required):
    """An admin action that moves memberships to `target` through the membership service."""

    def action(modeladmin, request, queryset):
        def change(membership, reason):
            if membership.status not in sources:
                raise DomainError(
                    gettext("it is %(status)s.")
                    % {"status": MembershipStatus(membership.status).label}
                )
            change_membership_status(
                membership=membership, status=target, by=request.user, reason=reason
            )

        return run_with_reason(
            modeladmin,
            request,
            queryset,
            title=str(description),
            change=change,
            reason_required=reason_required,
        )

    action.__name__ = f"make_{target}_from_{'_'.join(sorted(sources))}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Membership)
class MembershipAdmin(NetworkScopedAdmin):
    """Status changes go through actions (and so through the service and its history)."""

    form = SameNetworkForm
    fields = [
        "network",
        "entity",
        "platform",
        "representative",
        "alternate",
        "charter_version",
        "status",
        "status_reason",
        "status_changed_at",
        "applied_at",
        "joined_at",
        "left_at",
        "charter_accepted_at",
    ]
    list_display = [
        "entity",
        "network",
        "platform",
        "status",
        "representative",
        "alternate",
        "joined_at",
    ]
    list_filter = [
        ("network", admin.RelatedOnlyFieldListFilter),
        "status",
        "platform__sector",
        "entity__kind",
    ]
    list_select_related = ["entity", "network", "platform", "representative", "alternate"]
    search_fields = ["entity__name", "representative__email", "representative__last_name"]
    autocomplete_fields = ["entity", "representative", "alternate"]
    readonly_fields = [
        "status",
        "status_reason",
        "status_changed_at",
        "applied_at",
        "joined_at",
        "left_at",
        "charter_accepted_at",
    ]
    actions = [
        status_action(
            target=MembershipStatus.ACTIVE,
            sources={MembershipStatus.APPLIED},
            description=_("Approve the selected applications"),
            reason_required=False,
        ),
        status_action(
            target=MembershipStatus.REJECTED,
            sources={MembershipStatus.APPLIED},
            description=_("Reject the selected applications"),
            reason_required=True,
        ),
        status_action(
            target=MembershipStatus.SUSPENDED,
            sources={MembershipStatus.ACTIVE},
            description=_("Suspend the selected memberships"),
            reason_required=True,
        ),
        status_action(
            target=MembershipStatus.ACTIVE,
            sources={MembershipStatus.SUSPENDED, MembershipStatus.LEFT},
            description=_("Reinstate the selected memberships"),
            reason_required=False,
        ),
        status_action(
            target=MembershipStatus.LEFT,
            sources={MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED},
            description=_("Record that the selected entities left"),
            reason_required=True,
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None:
            readonly = [*readonly, "entity"]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["representative"].required = True
        return form

    def has_delete_permission(self, request, obj=None):
        # Nothing is lost: leaving and rejection are statuses, never deletions.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
            record_change(
                network=obj.network,
                subject=obj,
                action="membership.created",
                by=request.user,
                changes={"status": obj.status, "entity": obj.entity_id},
            )
            return
        people = {"representative", "alternate"}
        other_fields = [name for name in form.changed_data if name not in people]
        if other_fields:
            obj.save(update_fields=other_fields)
        # Nobody is given a post without accepting it: the admin sends invitations too.
        for role in sorted(people & set(form.changed_data)):
            person = form.cleaned_data.get(role)
            name_representative_or_alternate(
                membership=obj, role=role, email=person.email if person else "", by=request.user
            )


@admin.register(Notification)
class NotificationAdmin(NetworkScopedAdmin):
    """Messages sent by the jobs: read here, never written by hand."""

    list_display = ["recipient", "network", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "kind", "email_skipped"]
    list_select_related = ["recipient", "network"]
    search_fields = ["recipient__email", "kind", "key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
