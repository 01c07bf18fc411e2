"""Admin for networks, and what every admin of the project shares.

The admin runs with scoping lifted (the network middleware does that for
`/admin/`), so it narrows by itself: a superuser sees everything, anybody else
(a facilitator) sees only the networks they facilitate today and their rows,
and, in forms, only choices of those networks, each labelled with its network.

The admin is not the last line. A change that a service governs goes through
that service with the person acting (`by=request.user`), so the service's rules
hold here as on the pages; a row whose changes need an entity's voice or a
page's context is read-only here. Every other change to a network's rows is
kept in the network's history: who, when, and each field's old and new value.
"""

import datetime
import uuid
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.text import multi_line, single_line
from networks.admin_access import FACILITATORS_GROUP
from networks.history import AdminAction, record_change
from networks.models import CharterVersion, Facilitator, HistoryEntry, Network
from networks.scoping import NetworkOwned, network_scope
from networks.selectors import facilitated_network_ids
from networks.services import appoint_facilitator, end_facilitation, publish_charter

# The actions of the history rows the admin writes for changes no service governs.
ADMIN_ADDED = AdminAction.ADDED
ADMIN_CHANGED = AdminAction.CHANGED
ADMIN_DELETED = AdminAction.DELETED

# How the apps above narrow the choices of their models that belong to no one
# network (members: an entity, through its memberships), registered from their
# admin modules: `{model: narrow(network_ids, queryset)}`.
_CHOICE_NARROWERS: dict[
    type[models.Model],
    Callable[[Collection[int], models.QuerySet[Any]], models.QuerySet[Any]],
] = {}
# Inlines the apps above add to the network's own page (platforms: its sectors).
_NETWORK_INLINES: list[type[admin.options.InlineModelAdmin[Any, Any]]] = []


def narrow_choices_of(model, narrow):
    """Let the app of `model` say which of its rows a facilitator may pick, by network."""
    _CHOICE_NARROWERS[model] = narrow


def add_network_inline(inline):
    """Show `inline` on the network's admin page, before the facilitators and charters."""
    if inline not in _NETWORK_INLINES:
        _NETWORK_INLINES.append(inline)


def sees_every_network(request):
    return request.user.is_active and request.user.is_superuser


def visible_network_ids(request):
    """The networks a staff member may see in the admin, or None for all of them."""
    if sees_every_network(request):
        return None
    if not hasattr(request, "_admin_network_ids"):
        request._admin_network_ids = facilitated_network_ids(request.user)
    return request._admin_network_ids


def narrow_choices(request, related_model, queryset):
    """Keep, among the choices of a foreign key, only rows of the visible networks."""
    network_ids = visible_network_ids(request)
    if network_ids is None:
        return queryset
    if related_model is Network:
        return queryset.filter(pk__in=network_ids)
    if issubclass(related_model, NetworkOwned):
        return queryset.filter(network_id__in=network_ids)
    if related_model in _CHOICE_NARROWERS:
        return _CHOICE_NARROWERS[related_model](network_ids, queryset)
    if related_model is get_user_model():
        # People are never picked from a list by a facilitator: an entity names its own.
        return queryset.none()
    return queryset


def label_with_network(obj):
    """A choice that says which network it belongs to ("Civil society — Arequipa")."""
    return f"{obj} — {obj.network}"


class NetworkChoicesMixin:
    """Foreign-key choices narrowed to the networks the staff member facilitates.

    Choices of network-owned rows are labelled with their network, since rows
    of several networks share names (every network has a "Civil society").
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related_model = db_field.remote_field.model
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = related_model._default_manager.get_queryset()
        if hasattr(queryset, "with_scopes_disabled"):
            queryset = queryset.with_scopes_disabled()
        network_owned = issubclass(related_model, NetworkOwned)
        if network_owned:
            queryset = queryset.select_related("network")
        kwargs["queryset"] = narrow_choices(request, related_model, queryset)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and network_owned:
            field.label_from_instance = label_with_network
        return field


def row_network_id(instance):
    """The network an existing row belongs to, or None (a new row, or not network-owned)."""
    if instance.pk is None or isinstance(instance, Network):
        return None
    return getattr(instance, "network_id", None)


class NetworkAdminForm(forms.ModelForm):
    """What every admin form does: tidy typed text, and keep a row within its network.

    - Single-line fields lose line breaks and control characters, free text
      keeps its lines (the same cleaning as the services: a line break in a
      name once broke every network's mail).
    - A row that has a network offers only that network's rows as choices.
    - A row whose related rows (platform, commission, charter…) are of another
      network is refused with a message, never saved.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        network_id = row_network_id(self.instance)
        if network_id is None:
            return
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, NetworkOwned):
                field.queryset = queryset.filter(network_id=network_id)

    def clean(self):
        cleaned_data = super().clean()
        self._tidy_text(cleaned_data)
        network = cleaned_data.get("network") or getattr(self.instance, "network", None)
        if not isinstance(network, Network):
            return cleaned_data
        # A copy: adding an error removes the field from `cleaned_data`.
        for name, value in list(cleaned_data.items()):
            if isinstance(value, NetworkOwned) and value.network_id != network.pk:
                self.add_error(name, gettext("Choose one of the same network."))
        return cleaned_data

    def _tidy_text(self, cleaned_data):
        for name, value in cleaned_data.items():
            if not isinstance(value, str):
                continue
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, models.TextField):
                cleaned_data[name] = multi_line(value)
            elif isinstance(model_field, models.CharField):
                cleaned_data[name] = single_line(value)


# The history of changes made in the admin ---------------------------------------


def history_value(value):
    """A value as the history keeps it: related rows by id, dates as ISO text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted(history_value(item) for item in value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID | Promise):
        return str(value)
    return value


def _model_field_names(form):
    return {field.name for field in form._meta.model._meta.get_fields()}


def changed_values(form):
    """`{field: [old, new]}` for the model fields a form changed."""
    names = _model_field_names(form)
    changes = {}
    for name in form.changed_data:
        if name not in names or name not in form.cleaned_data:
            continue
        old = history_value(form.initial.get(name))
        new = history_value(form.cleaned_data[name])
        if old != new:
            changes[name] = [old, new]
    return changes


def added_values(form):
    """`{field: [None, value]}` for the model fields a new row was given."""
    names = _model_field_names(form)
    return {
        name: [None, history_value(value)]
        for name, value in form.cleaned_data.items()
        if name in names and value not in (None, "", [], ())
    }


def networks_of(obj):
    """The networks whose history a change of this row belongs to."""
    if isinstance(obj, Network):
        return [obj]
    if isinstance(obj, NetworkOwned):
        return [obj.network]
    return []


def record_admin_change(request, obj, *, action, changes, networks):
    for network in networks:
        with network_scope(network):
            record_change(
                network=network, subject=obj, action=action, by=request.user, changes=changes
            )


class KeepsHistory:
    """Changes that no service governs, made in the admin, kept in the network's history.

    Admins whose saves go through a service override `save_model`: the
    service writes the history row itself.
    """

    def history_networks(self, obj):
        return networks_of(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            record_admin_change(
                request,
                obj,
                action=ADMIN_ADDED,
                changes=added_values(form),
                networks=self.history_networks(obj),
            )
            return
        changes = changed_values(form)
        # Only what the form changed is written, so a status a service changed
        # meanwhile is not put back to what the form was shown with.
        concrete = {field.name for field in obj._meta.concrete_fields}
        fields = [name for name in changes if name in concrete]
        if fields:
            obj.save(update_fields=fields)
        if changes:
            record_admin_change(
                request,
                obj,
                action=ADMIN_CHANGED,
                changes=changes,
                networks=self.history_networks(obj),
            )

    def save_formset(self, request, form, formset, change):
        deleted = set(getattr(formset, "deleted_forms", []))
        pending = []
        for inline_form in formset.forms:
            if inline_form in deleted or not inline_form.has_changed():
                continue
            if inline_form.instance.pk is None:
                pending.append((inline_form, ADMIN_ADDED, added_values(inline_form)))
            else:
                pending.append((inline_form, ADMIN_CHANGED, changed_values(inline_form)))
        for inline_form in deleted:
            if inline_form.instance.pk is not None:
                self._record_deletion(request, inline_form.instance)
        super().save_formset(request, form, formset, change)
        for inline_form, action, changes in pending:
            if changes or action == ADMIN_ADDED:
                record_admin_change(
                    request,
                    inline_form.instance,
                    action=action,
                    changes=changes,
                    networks=networks_of(inline_form.instance),
                )

    def delete_model(self, request, obj):
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def _record_deletion(self, request, obj):
        # Recorded before the row goes, in the same transaction: a refused
        # deletion leaves no history row behind.
        networks = [network for network in self.history_networks(obj) if network != obj]
        record_admin_change(
            request, obj, action=ADMIN_DELETED, changes={"deleted": str(obj)}, networks=networks
        )


class NetworkScopedAdmin(KeepsHistory, NetworkChoicesMixin, admin.ModelAdmin):
    """Admin of a network-owned model: a facilitator sees and picks only their networks' rows.

    `network_lookup` is the path from the model to its network's id.
    """

    network_lookup = "network"
    form = NetworkAdminForm

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
    form = NetworkAdminForm
    extra = 0


class ReadOnlyAdminMixin:
    """Rows written by services on the site (records, events, messages): read here.

    `obj=None` fits both the model admin's and the inline's signatures.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, NetworkScopedInline):
    pass


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
                    change(obj, multi_line(form.cleaned_data["reason"]))
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


class FacilitatorInline(ReadOnlyInline):
    model = Facilitator
    fields = ("user", "started_on", "ended_on")
    readonly_fields = fields
    verbose_name_plural = _("facilitators (appointed from the facilitator list)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class CharterVersionInline(ReadOnlyInline):
    model = CharterVersion
    fields = ("version", "adopted_on", "mission")
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("charter versions (publish a new one from the charter list)")


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
    inlines = [FacilitatorInline, CharterVersionInline]
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

    def get_inlines(self, request, obj):
        return [*_NETWORK_INLINES, *super().get_inlines(request, obj)]

    def save_model(self, request, obj, form, change):
        if not change:
            # A network made under another takes its time zone and language unless set here.
            obj.inherit_from_parent(given=set(form.changed_data))
        super().save_model(request, obj, form, change)


class CharterVersionForm(NetworkAdminForm):
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


class FacilitatorForm(NetworkAdminForm):
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
        if change:
            # Nothing of a term is edited; it is ended with the action, through its service.
            return
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
class HistoryEntryAdmin(ReadOnlyAdminMixin, NetworkScopedAdmin):
    list_display = ["at", "network", "actor", "action", "content_type", "object_id", "reason"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "action", "content_type"]
    list_select_related = ["network", "actor", "content_type"]
    search_fields = ["action", "reason", "actor__email"]
    date_hierarchy = "at"


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Groups are the site admin's; the Facilitators group is set in code, not here."""

    def _is_facilitators(self, obj):
        return obj is not None and obj.name == FACILITATORS_GROUP

    def has_change_permission(self, request, obj=None):
        # Its permissions are reset to `networks.admin_access` after every migrate.
        return not self._is_facilitators(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_facilitators(obj) and super().has_delete_permission(request, obj)
