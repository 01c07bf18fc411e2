"""Admin for people, entities and memberships.

People's accounts are the site admin's alone, and even a site admin neither
sets a password nor changes an email address here: both change only through
their owner's account pages, which ask for the old password or prove the new
address. Facilitators see no accounts at all: they meet the people of their
networks as the representative and alternate of each membership, and an entity
names its own people (by invitation, which its owner accepts).
"""

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.text import multi_line
from members.history import MembershipAction
from members.models import (
    Entity,
    InvitationRole,
    Membership,
    MembershipStatus,
    Notification,
    PriorityArea,
    User,
)
from members.services import (
    assign_interlocutor,
    change_membership_status,
    name_representative_or_alternate,
)
from networks.admin import (
    KeepsHistory,
    NetworkAdminForm,
    NetworkChoicesMixin,
    NetworkScopedAdmin,
    ReadOnlyAdminMixin,
    added_values,
    narrow_choices_of,
    run_with_reason,
    sees_every_network,
    visible_network_ids,
)
from networks.history import record_change
from networks.models import Interlocutor, Network
from networks.scoping import network_scope


class SiteAdminOnlyMixin:
    """An admin that only a site admin opens, whatever permissions anybody was given."""

    def has_module_permission(self, request):
        return sees_every_network(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return sees_every_network(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return sees_every_network(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return sees_every_network(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return sees_every_network(request) and super().has_delete_permission(request, obj)


class UserChangeForm(forms.ModelForm):
    """An account's details; no password, and the address is shown, not edited."""

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "phone",
            "language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        ]


class UserCreationForm(forms.ModelForm):
    """A new account without a password.

    Its owner sets one with "Forgot your password?", which also proves that the
    address is theirs.
    """

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name", "phone", "language"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(gettext("An account with this email address exists."))
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(SiteAdminOnlyMixin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["email", "first_name", "last_name", "phone", "language", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "groups"]
    search_fields = ["email", "username", "first_name", "last_name", "phone"]
    ordering = ["email"]
    fieldsets = [
        (None, {"fields": ["username", "email"]}),
        (_("Personal data"), {"fields": ["first_name", "last_name", "phone", "language"]}),
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
                "fields": ["username", "email", "first_name", "last_name", "phone", "language"],
                "description": _(
                    "The account is made without a password: its owner sets one with "
                    "“Forgot your password?” on the login page."
                ),
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The owner changes the address in their account settings, which verify it.
        return ["email", "last_login", "date_joined"]

    def user_change_password(self, request, id, form_url=""):
        # A password changes only through its owner's account pages.
        raise PermissionDenied


def _own_password_through_the_account_pages(request, extra_context=None):
    # The admin's own form would bypass what the account pages do on a change.
    return redirect("account_change_password")


admin.site.password_change = _own_password_through_the_account_pages
# One login page for everybody, with its rate limits and verified addresses;
# the admin's own would be a second door without them.
admin.site.login = secure_admin_login(admin.site.login)


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(SiteAdminOnlyMixin, ReadOnlyAdminMixin, AllauthEmailAddressAdmin):
    """Addresses are added, verified and made primary by their owner: read here."""

    actions = []


class MembershipOfEntityInline(NetworkChoicesMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    fk_name = "entity"
    fields = ("network", "platform", "status", "joined_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name_plural = _("memberships (changed from the membership list)")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("network", "platform")
        network_ids = visible_network_ids(request)
        if network_ids is None:
            return queryset
        return queryset.filter(network_id__in=network_ids)


@admin.register(Entity)
class EntityAdmin(KeepsHistory, admin.ModelAdmin):
    """Entities are shared by networks; their profile is their own.

    A facilitator sees, read-only, the entities that joined or applied to their
    networks: an entity's representative and alternate keep its profile on the
    site, and a facilitator of one network editing an entity would change what
    every other network it belongs to shows. A site admin corrects entities here;
    the change is kept in the history of every network the entity belongs to.
    """

    form = NetworkAdminForm
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

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if self.has_change_permission(request, obj) else {}

    def has_add_permission(self, request):
        return sees_every_network(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return sees_every_network(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # An entity with a history is kept; only a site admin removes a mistaken one.
        return sees_every_network(request) and super().has_delete_permission(request, obj)

    def history_networks(self, obj):
        return list(Network.objects.filter(memberships__entity=obj).distinct().order_by("pk"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        # The profile service is for the entity's own people; a site admin's
        # correction is saved here and recorded (KeepsHistory).
        super().save_model(request, obj, form, change)


@admin.register(PriorityArea)
class PriorityAreaAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The areas are fixed by a migration: read-only here."""

    list_display = ["__str__", "code"]
    search_fields = ["code"]


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


class _UndoInvitations(Exception):
    pass


class MembershipForm(NetworkAdminForm):
    """A membership's platform; for a site admin, also an invitation to represent the entity.

    Nobody picks a representative or an alternate here: the person invited
    takes the post only by accepting the invitation mailed to them, and the
    members service decides who may send it.
    """

    invite_representative = forms.EmailField(
        label=_("Invite a new representative"),
        required=False,
        help_text=_("An invitation is mailed; the person takes the post on accepting it."),
    )
    invite_alternate = forms.EmailField(
        label=_("Invite a new alternate"),
        required=False,
        help_text=_("An invitation is mailed; the person takes the post on accepting it."),
    )

    INVITATIONS = {
        "invite_representative": InvitationRole.REPRESENTATIVE,
        "invite_alternate": InvitationRole.ALTERNATE,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.may_invite():
            for name in self.INVITATIONS:
                self.fields.pop(name, None)

    def may_invite(self):
        request = getattr(self, "request", None)
        return self.instance.pk is not None and request is not None and sees_every_network(request)

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.may_invite():
            return
        invitations = [
            (name, role, self.cleaned_data.get(name))
            for name, role in self.INVITATIONS.items()
            if self.cleaned_data.get(name)
        ]
        if not invitations:
            return
        # All or nothing: one refused invitation sends neither. The service gets
        # its own copy of the row, so the form's unsaved changes stay as typed.
        try:
            with transaction.atomic():
                for name, role, email in invitations:
                    try:
                        name_representative_or_alternate(
                            membership=Membership.objects.get(pk=self.instance.pk),
                            role=role,
                            email=email,
                            by=self.request.user,
                        )
                    except DomainError as error:
                        self.add_error(name, str(error))
                if self.errors:
                    raise _UndoInvitations
        except _UndoInvitations:
            pass


@admin.register(Membership)
class MembershipAdmin(NetworkScopedAdmin):
    """Statuses change through actions and people through invitations, both through services.

    A site admin adds a membership here (its people are then invited); a
    facilitator approves, suspends and reinstates through the actions, and
    may move a membership to another platform of its network (kept in the
    history). Representative, alternate and the charter accepted are the
    entity's own acts: read-only for everyone.
    """

    form = MembershipForm
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
    autocomplete_fields = ["entity"]
    readonly_fields = [
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

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and sees_every_network(request):
            fields += list(MembershipForm.INVITATIONS)
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None:
            readonly = [*readonly, "entity"]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def has_delete_permission(self, request, obj=None):
        # Nothing is lost: leaving and rejection are statuses, never deletions.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.save()
        with network_scope(obj.network):
            record_change(
                network=obj.network,
                subject=obj,
                action=MembershipAction.CREATED,
                by=request.user,
                changes={**added_values(form), "status": [None, obj.status]},
            )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, NetworkScopedAdmin):
    """Messages sent by the jobs: read here, never written by hand."""

    list_display = [
        "recipient",
        "network",
        "kind",
        "created_at",
        "read_at",
        "emailed_at",
        "email_failed_at",
    ]
    list_filter = [
        ("network", admin.RelatedOnlyFieldListFilter),
        "kind",
        "email_skipped",
        ("email_failed_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["recipient", "network"]
    search_fields = ["recipient__email", "kind", "key"]
    date_hierarchy = "created_at"


def entities_visible_to(network_ids, queryset):
    """Entities with a membership, of any status, in those networks.

    An entity is not owned by one network. A facilitator sees those that joined
    or applied to their networks; an entity of no network is nobody's to look
    after but its own people's (and the site admin's).
    """
    memberships = Membership.objects.with_scopes_disabled().filter(
        entity=OuterRef("pk"), network_id__in=network_ids
    )
    return queryset.filter(Exists(memberships))


narrow_choices_of(Entity, entities_visible_to)


class InterlocutorForm(NetworkAdminForm):
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Interlocutor
        fields = ["network", "entity"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.instance.pk is not None:
            # A term is never edited: the next assignment ends it.
            return
        # The service is the rule: run it here, so a refusal is a form error.
        try:
            with transaction.atomic():
                self.assigned = assign_interlocutor(
                    network=self.cleaned_data["network"],
                    entity=self.cleaned_data["entity"],
                    by=self.request.user,
                    reason=multi_line(self.cleaned_data.get("reason", "")),
                )
        except DomainError as error:
            self.add_error(None, str(error))


@admin.register(Interlocutor)
class InterlocutorAdmin(NetworkScopedAdmin):
    form = InterlocutorForm
    list_display = ["entity", "network", "started_at", "ended_at", "end_reason"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["entity", "network"]
    search_fields = ["entity__name", "network__name"]
    autocomplete_fields = ["entity"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["network", "entity", "started_at", "ended_at", "end_reason"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        interlocutor = form.assigned
        obj.pk = interlocutor.pk
        obj.started_at = interlocutor.started_at

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form
