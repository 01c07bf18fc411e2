"""Middleware that knows nothing of networks: the reader's language, security headers, NUL bytes."""

from collections.abc import Callable, Iterable, Mapping, Sequence

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class LanguageMiddleware:
    """Spanish unless the reader chose otherwise with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    the network's language is Spanish first, and the switch is one click away.
    Programs calling the API have no switch: there, Accept-Language decides.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported and request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie, Accept-Language")
        return response


def policy_header(directives: Mapping[str, Sequence[str]]) -> str:
    """`{"img-src": ["'self'", "data:"]}` as `img-src 'self' data:` (one directive each)."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def permissions_header(features: Mapping[str, Sequence[str]]) -> str:
    """`{"camera": []}` as `camera=()`: each feature allowed to the origins listed, or none."""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer.

    The policies live in the settings (`CONTENT_SECURITY_POLICY`,
    `PERMISSIONS_POLICY`). Placed before whitenoise, so static files carry
    them too; an answer that sets its own policy keeps it.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.content_security_policy = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.permissions_policy = permissions_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.content_security_policy)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _any_nul(pairs: Iterable[tuple[str, str]]) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, the query, a cookie or a form field is a 400.

    No page or token of the site contains one, so a request carrying one is
    malformed; let through, it would reach PostgreSQL, which refuses NUL in any
    text and would turn the request into a server error. Forms would refuse
    the character with a message, but some views read an argument, a query
    parameter or a cookie (the session's key) directly.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self._carries_nul(request):
            raise BadRequest("A NUL byte in the request.")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path_info or "\x00" in request.path:
            return True
        if _any_nul((key, value) for key, values in request.GET.lists() for value in values):
            return True
        if _any_nul(request.COOKIES.items()):
            return True
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            return _any_nul(
                (key, value) for key, values in request.POST.lists() for value in values
            )
        return False
