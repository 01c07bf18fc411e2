"""The answers for 400, 403, 404 and 500: the site's own pages, or the API's error shape.

Pages get the branded templates (`templates/400.html`, …) in the reader's
language through Django's own handlers; anything under /api/ gets
`{"detail": "…", "code": "…"}`, like every other error of the API.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions

API_PREFIX = "/api/"

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(error_class: type[exceptions.APIException], status: int) -> JsonResponse:
    error = error_class()
    return JsonResponse({"detail": str(error.detail), "code": error.default_code}, status=status)


def _page(
    handler: Callable[..., HttpResponseBase],
    request: HttpRequest,
    exception: Exception | None,
    status: int,
) -> HttpResponseBase:
    # An error page must not fail in turn: the site's layout reads the session,
    # the database and the URL configuration, any of which may be what broke.
    try:
        if exception is None:
            return handler(request)
        return handler(request, exception)
    except Exception:
        logger.exception("The %s page could not be rendered.", status)
        return HttpResponse(
            _("The site could not answer this request (error %(status)s).") % {"status": status},
            status=status,
            content_type="text/plain; charset=utf-8",
        )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    if _is_api(request):
        return _api_error(exceptions.ParseError, 400)
    return _page(defaults.bad_request, request, exception, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    if _is_api(request):
        return _api_error(exceptions.PermissionDenied, 403)
    return _page(defaults.permission_denied, request, exception, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    if _is_api(request):
        return _api_error(exceptions.NotFound, 404)
    return _page(defaults.page_not_found, request, exception, 404)


def server_error(request: HttpRequest) -> HttpResponseBase:
    if _is_api(request):
        return _api_error(exceptions.APIException, 500)
    # Django renders 500.html without the request: it stands alone.
    return _page(defaults.server_error, request, None, 500)
