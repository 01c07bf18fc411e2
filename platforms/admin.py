from django.contrib import admin
from django.http import HttpRequest

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

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
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

    def get_readonly_fields(
        self, request: HttpRequest, obj: Platform | None = None
    ) -> list[str] | tuple[str, ...]:
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None:
            readonly = [*readonly, "sector"]
        return readonly

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Every network is given its six platforms; only a site admin adds one by hand.
        return sees_every_network(request) and super().has_add_permission(request)
