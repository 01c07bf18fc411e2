"""Events, registrations and minutes: read here.

They are made on the event pages through the event services, which decide who
may convene what, bound the dates, keep the waiting list and publish minutes;
the admin offers none of those changes. A site admin may still remove a
mistaken row; the removal is kept in the network's history.
"""

from django.contrib import admin

from events.models import AgendaItem, Decision, Event, EventOrganiser, Minutes, Registration
from networks.admin import (
    NetworkScopedAdmin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    sees_every_network,
)


class RemovableBySiteAdmin(ReadOnlyAdminMixin):
    def has_delete_permission(self, request, obj=None):
        # Events are cancelled and kept; only a site admin removes a mistaken one.
        return sees_every_network(request)


class OrganiserInline(ReadOnlyInline):
    model = EventOrganiser
    fields = ("entity",)
    readonly_fields = fields


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = ("position", "title", "proposer", "proposal")
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(RemovableBySiteAdmin, NetworkScopedAdmin):
    list_display = ["title", "network", "kind", "status", "starts_at", "visibility", "capacity"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "kind", "status", "visibility"]
    list_select_related = ["network"]
    search_fields = ["title", "description", "network__name"]
    date_hierarchy = "starts_at"
    inlines = [OrganiserInline, AgendaItemInline]


@admin.register(Registration)
class RegistrationAdmin(RemovableBySiteAdmin, NetworkScopedAdmin):
    list_display = ["__str__", "network", "status", "people", "attended_people", "created_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["network", "event", "entity"]
    search_fields = ["event__title", "entity__name", "name", "email"]


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ("position", "text", "follow_up", "commission", "action")
    readonly_fields = fields


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdminMixin, NetworkScopedAdmin):
    list_display = ["event", "network", "published_at", "updated_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["network", "event"]
    search_fields = ["event__title", "summary"]
    inlines = [DecisionInline]
