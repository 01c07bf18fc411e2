"""The tenancy middleware: a request under a network's address runs inside that network's scope."""

from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from core.middleware import GetResponse
from networks.models import Network
from networks.scoping import all_networks, network_scope
from networks.tree import with_ids_under

NETWORK_KWARG = "network_slug"


class NetworkRequest(HttpRequest):
    """A request that went through `NetworkMiddleware`."""

    # The network of the request's address; None outside a network's routes.
    network: Network | None


def network_of_request(request: object) -> Network:
    """The network of a request under a network's address (a page's or the API's); else a 404."""
    network: Network | None = getattr(request, "network", None)
    if network is None:
        raise Http404
    return network


def api_not_found() -> JsonResponse:
    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)


class NetworkMiddleware:
    """Resolve the network of a request from its URL and run the request inside its scope.

    Routes under a network prefix carry the `network_slug` argument: the
    network is loaded once, put on `request.network`, and every scoped query
    made while the view and its template run sees that network alone. Other
    routes run without a scope, so a network-owned query there raises, except
    for the admin, which spans networks and filters by facilitation itself.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.admin_prefix = "/admin/"
        self.api_prefix = "/api/"

    def __call__(self, request: NetworkRequest) -> HttpResponseBase:
        request.network = None
        if request.path_info.startswith(self.admin_prefix):
            # The admin spans networks on purpose; NetworkAdmin narrows it per facilitator.
            with all_networks():
                return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            # An API client gets the API's error shape, even for a path no route matches.
            if request.path_info.startswith(self.api_prefix):
                return api_not_found()
            return self.get_response(request)
        slug = match.kwargs.get(NETWORK_KWARG)
        if slug is None:
            return self.get_response(request)
        # Its parent and the networks under it come with it, in the same query, so that
        # its reach (`members.reach`) and its place in the tree cost nothing more.
        network = with_ids_under(Network.objects.filter(slug=slug).select_related("parent")).first()
        if network is None:
            if request.path_info.startswith(self.api_prefix):
                return api_not_found()
            raise Http404
        request.network = network
        with network_scope(network):
            return self.get_response(request)
