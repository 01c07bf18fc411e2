"""Admin for networks, and the narrowing every network-owned admin shares.

The admin runs with scoping lifted (the network middleware does that for
`/admin/`), so it narrows by itself: a superuser sees everything, anybody else
(a facilitator) sees only the networks they facilitate today, their rows and,
in forms, only choices that belong to those networks.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from networks.errors import DomainError
from networks.models import CharterVersion, Facilitator, HistoryEntry, Interlocutor, Network
from networks.scoping import NetworkOwned
from networks.services import (
    appoint_facilitator,
    assign_interlocutor,
    end_facilitation,
    facilitated_network_ids,
    publish_charter,
)
from platforms.models import Platform


def sees_every_network(request):
    return request.user.is_active and request.user.is_superuser


def visible_network_ids(request):
    """The networks a staff member may see in the admin, or None for all of them."""
    if sees_every_network(request):
        return None
    if not hasattr(request, "_admin_network_ids"):
        request._admin_network_ids = facilitated_network_ids(request.user)
    return request._admin_network_ids


def entities_visible_to(network_ids, queryset):
    """Entities with a membership in those networks, or with none anywhere yet.

    An entity is not owned by one network; a facilitator works with those of
    their networks and with new entities that have not joined any network yet.
    """
    from members.models import Membership

    memberships = Membership.objects.with_scopes_disabled().filter(entity=OuterRef("pk"))
    return queryset.filter(
        Exists(memberships.filter(network_id__in=network_ids)) | ~Exists(memberships)
    )


def users_visible_to(network_ids, queryset, *, myself=None):
    """People of those networks (representatives, alternates) and people not in any network yet.

    Staff accounts (other facilitators, site admins) are left out: a facilitator
    manages the people of their member entities, not other staff.
    """
    from members.models import Membership

    memberships = Membership.objects.with_scopes_disabled()
    represents = memberships.filter(representative=OuterRef("pk"))
    alternates = memberships.filter(alternate=OuterRef("pk"))
    in_networks = Exists(represents.filter(network_id__in=network_ids)) | Exists(
        alternates.filter(network_id__in=network_ids)
    )
    unattached = ~Exists(represents) & ~Exists(alternates)
    visible = Q(is_staff=False, is_superuser=False) & (in_networks | unattached)
    if myself is not None:
        visible |= Q(pk=myself.pk)
    return queryset.filter(visible)


def narrow_choices(request, related_model, queryset):
    """Keep, among the choices of a foreign key, only rows of the visible networks."""
    from members.models import Entity

    network_ids = visible_network_ids(request)
    if network_ids is None:
        return queryset
    if related_model is Network:
        return queryset.filter(pk__in=network_ids)
    if issubclass(related_model, NetworkOwned):
        return queryset.filter(network_id__in=network_ids)
    if related_model is Entity:
        return entities_visible_to(network_ids, queryset)
    if related_model is get_user_model():
        return users_visible_to(network_ids, queryset, myself=request.user)
    return queryset


class NetworkChoicesMixin:
    """Foreign-key choices narrowed to the networks the staff member facilitates."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related_model = db_field.remote_field.model
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = related_model._default_manager.get_queryset()
        if hasattr(queryset, "with_scopes_disabled"):
            queryset = queryset.with_scopes_disabled()
        kwargs["queryset"] = narrow_choices(request, related_model, queryset)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SameNetworkForm(forms.ModelForm):
    """Refuse a row whose related rows (platform, commission, charter…) are of another network."""

    def clean(self):
        cleaned_data = super().clean()
        network = cleaned_data.get("network") or getattr(self.instance, "network", None)
        if network is None:
            return cleaned_data
        for name, value in cleaned_data.items():
            if isinstance(value, NetworkOwned) and value.network_id != network.pk:
                self.add_error(name, gettext("Choose one of the same network."))
        return cleaned_data


class NetworkScopedAdmin(NetworkChoicesMixin, admin.ModelAdmin):
    """Admin of a network-owned model: a facilitator sees and picks only their networks' rows.

    `network_lookup` is the path from the model to its network's id.
    """

    network_lookup = "network"
    form = SameNetworkForm

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        network_ids = visible_network_ids(request)
        if network_ids is None:
            return queryset
        return queryset.filter(**{f"{self.network_lookup}__in": network_ids})

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and "network" not in readonly and self.network_lookup == "network":
            # A row never moves to another network.
            readonly.append("network")
        return readonly


class NetworkScopedInline(NetworkChoicesMixin, admin.TabularInline):
    extra = 0


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Kept in the history with the change."),
    )


def run_with_reason(modeladmin, request, queryset, *, title, change, reason_required=False):
    """Ask for a reason on an intermediate page, then apply `change(obj, reason)` to each row.

    Each row goes through its service; a row the service refuses is reported
    and does not stop the others.
    """
    if "apply" in request.POST:
        form = ReasonForm(request.POST)
        if reason_required:
            form.fields["reason"].required = True
        if form.is_valid():
            done = 0
            for obj in queryset:
                try:
                    change(obj, form.cleaned_data["reason"])
                except DomainError as error:
                    modeladmin.message_user(request, f"{obj}: {error}", messages.ERROR)
                else:
                    done += 1
            if done:
                modeladmin.message_user(
                    request,
                    gettext("%(count)d changed.") % {"count": done},
                    messages.SUCCESS,
                )
            return None
    else:
        form = ReasonForm()
        if reason_required:
            form.fields["reason"].required = True
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": request.POST.get("action"),
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/reason_action.html", context)


class PlatformInline(NetworkScopedInline):
    model = Platform
    fields = ["sector", "name", "description", "position"]
    readonly_fields = ["sector"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Platforms are seeded with the network, one per sector.
        return False


class FacilitatorInline(NetworkScopedInline):
    model = Facilitator
    fields = ["user", "started_on", "ended_on"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("facilitators (appointed from the facilitator list)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class CharterVersionInline(NetworkScopedInline):
    model = CharterVersion
    fields = ["version", "adopted_on", "mission"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("charter versions (publish a new one from the charter list)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Network)
class NetworkAdmin(NetworkScopedAdmin):
    network_lookup = "pk"
    list_display = [
        "name",
        "kind",
        "parent",
        "region",
        "status",
        "founded_on",
        "membership_approval",
    ]
    list_filter = ["kind", "status", "membership_approval", "commission_on_joining"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlatformInline, FacilitatorInline, CharterVersionInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent", "region", "status"]}),
        (_("Place and language"), {"fields": ["time_zone", "default_language", "founded_on"]}),
        (
            _("Governance"),
            {
                "fields": [
                    "membership_approval",
                    "commission_on_joining",
                    "stall_after_days",
                    "vacancy_grace_days",
                    "max_promoter_terms",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        if sees_every_network(request):
            return []
        # Where a network sits in the national structure is the site admin's decision.
        return ["slug", "kind", "parent"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if sees_every_network(request) else {}


class CharterVersionForm(forms.ModelForm):
    class Meta:
        model = CharterVersion
        fields = ["network", "mission", "vision", "principles", "code_of_ethics", "commitment"]


@admin.register(CharterVersion)
class CharterVersionAdmin(NetworkScopedAdmin):
    form = CharterVersionForm
    list_display = ["network", "version", "adopted_on"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "adopted_on"]
    list_select_related = ["network"]
    search_fields = ["network__name", "mission", "vision"]
    readonly_fields = ["version", "adopted_on"]

    def has_change_permission(self, request, obj=None):
        # An adopted version is a record; a change is a new version.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        charter = publish_charter(
            network=obj.network,
            mission=obj.mission,
            vision=obj.vision,
            principles=obj.principles,
            code_of_ethics=obj.code_of_ethics,
            commitment=obj.commitment,
            by=request.user,
        )
        obj.pk = charter.pk
        obj.version = charter.version
        obj.adopted_on = charter.adopted_on


class FacilitatorForm(forms.ModelForm):
    class Meta:
        model = Facilitator
        fields = ["network", "user"]

    def clean_network(self):
        network = self.cleaned_data["network"]
        if not self.request.user.has_perm("networks.appoint_facilitator", network):
            raise forms.ValidationError(
                gettext(
                    "Only a site admin or a facilitator of the parent network names facilitators."
                )
            )
        return network


@admin.register(Facilitator)
class FacilitatorAdmin(NetworkScopedAdmin):
    form = FacilitatorForm
    list_display = ["user", "network", "started_on", "ended_on"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "ended_on"]
    list_select_related = ["user", "network"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "network__name"]
    autocomplete_fields = ["user"]
    actions = ["end_facilitations"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["network", "user", "started_on", "ended_on"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form already refused a second open term (the model's unique constraint).
        facilitator = appoint_facilitator(network=obj.network, user=obj.user, by=request.user)
        obj.pk = facilitator.pk
        obj.started_on = facilitator.started_on

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            actions.pop("end_facilitations", None)
        return actions

    @admin.action(description=_("End the facilitation of the selected people"))
    def end_facilitations(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset.filter(ended_on__isnull=True),
            title=gettext("End facilitation"),
            change=lambda obj, reason: end_facilitation(
                facilitator=obj, by=request.user, reason=reason
            ),
        )


@admin.register(HistoryEntry)
class HistoryEntryAdmin(NetworkScopedAdmin):
    list_display = ["at", "network", "actor", "action", "content_type", "object_id", "reason"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "action", "content_type"]
    list_select_related = ["network", "actor", "content_type"]
    search_fields = ["action", "reason", "actor__email"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InterlocutorForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Interlocutor
        fields = ["network", "entity"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        # The service is the rule: run it here, so a refusal is a form error.
        try:
            with transaction.atomic():
                self.assigned = assign_interlocutor(
                    network=self.cleaned_data["network"],
                    entity=self.cleaned_data["entity"],
                    by=self.request.user,
                    reason=self.cleaned_data.get("reason", ""),
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
        interlocutor = form.assigned
        obj.pk = interlocutor.pk
        obj.started_at = interlocutor.started_at

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form
