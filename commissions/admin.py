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
from networks.admin import NetworkScopedAdmin, NetworkScopedInline, sees_every_network


class CommissionMemberInline(NetworkScopedInline):
    model = CommissionMember
    fields = ["entity", "joined_on", "left_on"]
    autocomplete_fields = ["entity"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity")

    def has_delete_permission(self, request, obj=None):
        # A member that leaves gets a date, so the commission's history stays whole.
        return sees_every_network(request) and super().has_delete_permission(request, obj)


@admin.register(Commission)
class CommissionAdmin(NetworkScopedAdmin):
    list_display = ["name", "network", "kind", "state", "started_on", "member_count"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "kind", "state"]
    list_select_related = ["network"]
    search_fields = ["name", "purpose", "network__name"]
    readonly_fields = ["state", "closed_on"]
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

    def has_delete_permission(self, request, obj=None):
        # Commissions close and are kept; only a site admin removes a mistaken one.
        return sees_every_network(request) and super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        for member in formset.save(commit=False):
            member.network = form.instance.network
            member.save()
        for member in formset.deleted_objects:
            member.delete()
        formset.save_m2m()


@admin.register(CommissionMember)
class CommissionMemberAdmin(NetworkScopedAdmin):
    list_display = ["entity", "commission", "network", "joined_on", "left_on"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "left_on"]
    list_select_related = ["entity", "commission", "network"]
    search_fields = ["entity__name", "commission__name"]
    autocomplete_fields = ["entity", "commission"]

    def has_delete_permission(self, request, obj=None):
        return sees_every_network(request) and super().has_delete_permission(request, obj)


class RecordAdmin(NetworkScopedAdmin):
    """Rows written by the commission services (lifecycle, work plan, updates): read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
