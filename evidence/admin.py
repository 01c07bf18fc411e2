from django.contrib import admin

from evidence.models import AnalysisSnapshot, Collaboration
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
