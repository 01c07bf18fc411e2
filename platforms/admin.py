from django.contrib import admin

from networks.admin import (
    NetworkScopedAdmin,
    NetworkScopedInline,
    add_network_inline,
    sees_every_network,
)
from platforms.models import Platform


class PlatformInline(NetworkScopedInline):
    model = Platform
    fields = ["sector", "name", "description", "position"]
    readonly_fields = ["sector"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Platforms are seeded with the network, one per sector.
        return False


add_network_inline(PlatformInline)


@admin.register(Platform)
class PlatformAdmin(NetworkScopedAdmin):
    list_display = ["__str__", "network", "sector", "position"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "sector"]
    list_select_related = ["network"]
    search_fields = ["name", "network__name"]
    fields = ["network", "sector", "name", "description", "position"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None:
            readonly = [*readonly, "sector"]
        return readonly

    def has_add_permission(self, request):
        # Every network is given its six platforms; only a site admin adds one by hand.
        return sees_every_network(request) and super().has_add_permission(request)
