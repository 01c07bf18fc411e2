from django.contrib import admin

from events.models import AgendaItem, Decision, Event, EventOrganiser, Minutes, Registration
from networks.admin import NetworkScopedAdmin, NetworkScopedInline, sees_every_network


class OrganiserInline(NetworkScopedInline):
    model = EventOrganiser
    fields = ["entity"]
    autocomplete_fields = ["entity"]


class AgendaItemInline(NetworkScopedInline):
    model = AgendaItem
    fields = ["position", "title", "proposer", "proposal"]
    autocomplete_fields = ["proposer"]


@admin.register(Event)
class EventAdmin(NetworkScopedAdmin):
    list_display = ["title", "network", "kind", "status", "starts_at", "visibility", "capacity"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "kind", "status", "visibility"]
    list_select_related = ["network"]
    search_fields = ["title", "description", "network__name"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "announced_at", "attendance_recorded_at", "created_by"]
    inlines = [OrganiserInline, AgendaItemInline]

    def has_delete_permission(self, request, obj=None):
        # Events are cancelled and kept; only a site admin removes a mistaken one.
        return sees_every_network(request) and super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        for row in formset.save(commit=False):
            row.network = form.instance.network
            row.save()
        for row in formset.deleted_objects:
            row.delete()
        formset.save_m2m()


@admin.register(Registration)
class RegistrationAdmin(NetworkScopedAdmin):
    list_display = ["__str__", "network", "status", "people", "attended_people", "created_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["network", "event", "entity"]
    search_fields = ["event__title", "entity__name", "name", "email"]
    readonly_fields = ["status", "confirmed_at", "cancelled_at"]
    autocomplete_fields = ["entity", "user"]
    raw_id_fields = ["event"]

    def has_delete_permission(self, request, obj=None):
        return sees_every_network(request) and super().has_delete_permission(request, obj)


class DecisionInline(NetworkScopedInline):
    model = Decision
    fields = ["position", "text", "follow_up", "commission", "action"]
    readonly_fields = ["action"]


@admin.register(Minutes)
class MinutesAdmin(NetworkScopedAdmin):
    list_display = ["event", "network", "published_at", "updated_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["network", "event"]
    search_fields = ["event__title", "summary"]
    raw_id_fields = ["event"]
    inlines = [DecisionInline]

    def save_formset(self, request, form, formset, change):
        for row in formset.save(commit=False):
            row.network = form.instance.network
            row.save()
        for row in formset.deleted_objects:
            row.delete()
