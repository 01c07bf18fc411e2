from django.contrib import admin

from evidence.models import ActivityReport, AnalysisSnapshot, Collaboration
from networks.admin import NetworkScopedAdmin, ReadOnlyAdminMixin


@admin.register(Collaboration)
class CollaborationAdmin(ReadOnlyAdminMixin, NetworkScopedAdmin):
    """Declared and confirmed by the entities themselves, on the site; read here."""

    list_display = ["from_entity", "to_entity", "kind", "happened_on", "confirmed_at", "network"]
    list_filter = ["kind"]


@admin.register(AnalysisSnapshot)
class AnalysisSnapshotAdmin(ReadOnlyAdminMixin, NetworkScopedAdmin):
    """Written once by the analysis job; read here."""

    list_display = ["network", "period_start", "period_end", "state", "finished_at", "entities"]
    list_filter = ["state"]
    exclude = ["sociogram"]


@admin.register(ActivityReport)
class ActivityReportAdmin(ReadOnlyAdminMixin, NetworkScopedAdmin):
    """Written once by the report's job, published from the facilitator's page; read here."""

    list_display = ["network", "year", "state", "finished_at", "published_at"]
    list_filter = ["state", "year"]
    exclude = ["data", "pdf", "workbook"]
