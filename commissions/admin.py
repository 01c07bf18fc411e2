from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from commissions.models import (
    Action,
    ClosingSheet,
    Comment,
    Commission,
    CommissionMember,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from networks.admin import (
    NetworkScopedAdmin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    sees_every_network,
)


class CommissionMemberInline(ReadOnlyInline):
    model = CommissionMember
    fields = ("entity", "joined_on", "left_on")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity")


@admin.register(Commission)
class CommissionAdmin(NetworkScopedAdmin):
    """Commissions are proposed, joined, promoted and closed by member entities, on the site.

    Those acts go through the commission services, which hold their rules (and
    keep the facilitator neutral); none of them is offered here. A site admin
    may correct how a commission is described; the change is kept in the
    network's history.
    """

    list_display = ["name", "network", "kind", "state", "started_on", "member_count"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "kind", "state"]
    list_select_related = ["network"]
    search_fields = ["name", "purpose", "network__name"]
    fields = [
        "network",
        "name",
        "kind",
        "purpose",
        "topics",
        "state",
        "state_changed_at",
        "started_on",
        "closed_on",
        "closed_reason",
        "last_activity_at",
        "stalls_on",
        "vacant_since",
        "closes_on",
    ]
    readonly_fields = [
        "kind",
        "state",
        "state_changed_at",
        "started_on",
        "closed_on",
        "closed_reason",
        "last_activity_at",
        "stalls_on",
        "vacant_since",
        "closes_on",
    ]
    inlines = [CommissionMemberInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
            )
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("stalls on"))
    def stalls_on(self, obj):
        return obj.stalls_on

    @admin.display(description=_("closes automatically on"))
    def closes_on(self, obj):
        return obj.closes_on

    def has_add_permission(self, request):
        # A commission is proposed by a member entity, which becomes its first promoter.
        return False

    def has_change_permission(self, request, obj=None):
        return sees_every_network(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Commissions close and are kept; only a site admin removes a mistaken one.
        return sees_every_network(request) and super().has_delete_permission(request, obj)


class RecordAdmin(ReadOnlyAdminMixin, NetworkScopedAdmin):
    """Rows written by the commission services (membership, lifecycle, work plan, updates)."""


@admin.register(CommissionMember)
class CommissionMemberAdmin(RecordAdmin):
    list_display = ["entity", "commission", "network", "joined_on", "left_on"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "left_on"]
    list_select_related = ["entity", "commission", "network"]
    search_fields = ["entity__name", "commission__name"]


@admin.register(StateChange)
class StateChangeAdmin(RecordAdmin):
    list_display = ["commission", "network", "from_state", "to_state", "reason", "at", "actor"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "to_state", "reason"]
    list_select_related = ["commission", "network", "actor"]
    search_fields = ["commission__name", "note"]
    date_hierarchy = "at"


@admin.register(PromoterTerm)
class PromoterTermAdmin(RecordAdmin):
    list_display = ["entity", "commission", "network", "started_at", "ended_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "ended_at"]
    list_select_related = ["entity", "commission", "network"]
    search_fields = ["entity__name", "commission__name"]


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ["title", "commission", "network", "priority"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commission", "network"]
    search_fields = ["title", "commission__name"]


@admin.register(Action)
class ActionAdmin(RecordAdmin):
    list_display = ["title", "commission", "network", "responsible", "status", "due_on"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["commission", "network", "responsible"]
    search_fields = ["title", "commission__name"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(RecordAdmin):
    list_display = ["commission", "network", "entity", "author", "created_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commission", "network", "entity", "author"]
    search_fields = ["text", "commission__name", "entity__name"]
    date_hierarchy = "created_at"


@admin.register(Comment)
class CommentAdmin(RecordAdmin):
    list_display = ["__str__", "update", "network", "author", "created_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["entity", "update__commission", "network", "author"]
    search_fields = ["text", "entity__name"]


@admin.register(ClosingSheet)
class ClosingSheetAdmin(RecordAdmin):
    list_display = ["commission", "network", "occasion", "year", "entity", "filled_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "occasion", "year"]
    list_select_related = ["commission", "network", "entity"]
    search_fields = ["commission__name", "results"]
