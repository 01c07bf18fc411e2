"""What every endpoint of /api/v1/ shares: permissions from the rules registry,
pagination, the JSON parser and the rate limits (errors: `core.api_errors`).

Endpoints live in each app's `api.py` and call the same services and
selectors as the pages; this module holds no business rule.
"""

import ipaddress
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, parsers, permissions, throttling
from rest_framework.exceptions import ParseError
from rest_framework.request import Request

from core.client_address import client_address

if TYPE_CHECKING:
    # REST framework imports this module while it loads its views: no import of them here.
    from rest_framework.views import APIView

# No body this API reads nests deeper than a few levels; past this one it is refused
# before anything walks it.
MAX_JSON_DEPTH = 32


def json_depth(value: object) -> int:
    """How deeply lists and objects nest in `value`, counted without recursion."""
    deepest = 0
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """REST framework's parser, with a bound on nesting.

    Python's JSON reader recurses once per level: a body nested some thousands
    of levels deep exhausts the stack, which is no ValueError, and would end in a
    server error instead of a 400.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("The JSON body nests too deeply.")) from error
        if json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(_("The JSON body nests too deeply."))
        return data


class ClientRateThrottle:
    """Rates read from the settings when a request comes (so a deployment, or a
    test, can change them), and visitors counted by `client_address`."""

    setting: str | None = None

    def get_rate(self) -> str | None:
        if self.setting is None:
            return None
        rate: str | None = getattr(settings, self.setting, None)
        return rate or None

    def get_ident(self, request: Request) -> str:
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

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class _Act(Protocol):
    """What `RulesPermission` asks of an act (`networks.acts.Act`)."""

    def refusal(self, user: Any, target: Any) -> str | None: ...


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class RulesPermission(permissions.BasePermission):
    """The API's one permission check: it asks the rules registry, like the pages do.

    A view names what a person needs for writes and for reads:

    - `act` / `read_act`: an act (`networks.acts.Act`) whose `refusal(user, target)`
      says whether the person may take it, and why not;
    - `permission_required` / `read_permission`: a permission of the registry.

    Both are asked of the view's `get_permission_object()` when it has one (the
    commission, the event, the registration of the URL: a missing one is a
    404), else of the request's network (nothing outside networks). A view that
    names nothing for a method is open to it. Single objects may also name
    `object_permission_required` / `object_read_permission`. A refusal to
    someone not logged in is a 401.
    """

    def has_permission(self, request: Request, view: "APIView") -> bool:
        act: _Act | None = self._for_method(request, view, "act", "read_act")
        perm = self._for_method(request, view, "permission_required", "read_permission")
        if act is None and perm is None:
            return True
        target = (
            view.get_permission_object()
            if hasattr(view, "get_permission_object")
            else getattr(request, "network", None)
        )
        if perm is not None and not request.user.has_perm(perm, target):
            return False
        if act is not None:
            refusal = act.refusal(request.user, target)
            if refusal:
                self.message = refusal
            return refusal is None
        return True

    def has_object_permission(self, request: Request, view: "APIView", obj: Any) -> bool:
        perm = self._for_method(
            request, view, "object_permission_required", "object_read_permission"
        )
        if perm is None:
            return True
        return bool(request.user.has_perm(perm, obj))

    @staticmethod
    def _for_method(
        request: Request, view: "APIView", write_attribute: str, read_attribute: str
    ) -> Any:
        if request.method in permissions.SAFE_METHODS:
            return getattr(view, read_attribute, None)
        return getattr(view, write_attribute, None)


def plain_data(request: Request) -> QueryDict:
    """The body's fields (files apart) as a Django form reads them, whatever the body's format."""
    body = request.data
    if not isinstance(body, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send an object of fields.")]})
    data = QueryDict(mutable=True)
    for key in body:
        if key in request.FILES:
            continue
        values = body.getlist(key) if isinstance(body, QueryDict) else body[key]
        if not isinstance(values, list):
            values = [values]
        data.setlist(key, ["" if value is None else str(value) for value in values])
    return data


class NetworkScopedView:
    """For views over network-owned rows: `get_network_queryset` runs in the request's scope.

    The schema generator builds views without a request, hence without a
    network scope: it gets an empty queryset of `model` instead.
    """

    model: type[models.Model] | None = None

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self._model()._default_manager.none()
        return self.get_network_queryset()

    def get_network_queryset(self) -> models.QuerySet[Any]:
        return self._model()._default_manager.all()

    def _model(self) -> type[models.Model]:
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no model.")
        return self.model
