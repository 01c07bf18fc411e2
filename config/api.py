"""What every endpoint of /api/v1/ shares: permissions from the rules registry,
pagination and the rate limits (errors: `config.api_errors`).

Endpoints live in each app's `api.py` and call the same services and
selectors as the pages; this module holds no business rule.
"""

import ipaddress

from django.conf import settings
from rest_framework import pagination, permissions, throttling

from networks.client_address import client_address


class ClientRateThrottle:
    """Rates read from the settings when a request comes (so a deployment, or a
    test, can change them), and visitors counted by `client_address`."""

    setting = None

    def get_rate(self):
        return getattr(settings, self.setting, None) or None

    def get_ident(self, request):
        address = client_address(request)
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return address
        if parsed.version == 6:
            # One subscriber holds a whole /64: counting single addresses would
            # give each of them billions of buckets.
            return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
        return address


class AnonymousRateThrottle(ClientRateThrottle, throttling.AnonRateThrottle):
    """Requests of visitors, per client address (`API_THROTTLE_ANONYMOUS`)."""

    setting = "API_THROTTLE_ANONYMOUS"


class AuthenticatedRateThrottle(ClientRateThrottle, throttling.UserRateThrottle):
    """Requests of a logged-in person or a token's owner, per person
    (`API_THROTTLE_AUTHENTICATED`); visitors are counted by the anonymous rate."""

    setting = "API_THROTTLE_AUTHENTICATED"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class RulesPermission(permissions.BasePermission):
    """Ask the rules registry, like the pages do.

    A view names `permission_required` (checked against the request's network,
    or nothing outside networks) and may name `object_permission_required` for
    single objects; reading is open unless the view names `read_permission`.
    """

    def has_permission(self, request, view):
        perm = self._permission_for(request, view, "permission_required", "read_permission")
        if perm is None:
            return True
        return request.user.has_perm(perm, getattr(request, "network", None))

    def has_object_permission(self, request, view, obj):
        perm = self._permission_for(
            request, view, "object_permission_required", "object_read_permission"
        )
        if perm is None:
            return True
        return request.user.has_perm(perm, obj)

    @staticmethod
    def _permission_for(request, view, write_attribute, read_attribute):
        if request.method in permissions.SAFE_METHODS:
            return getattr(view, read_attribute, None)
        return getattr(view, write_attribute, None)


class NetworkScopedView:
    """For views over network-owned rows: `get_network_queryset` runs in the request's scope.

    The schema generator builds views without a request, hence without a
    network scope: it gets an empty queryset of `model` instead.
    """

    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.get_network_queryset()

    def get_network_queryset(self):
        return self.model.objects.all()
