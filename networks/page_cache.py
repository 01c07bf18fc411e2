"""Public pages for visitors, answered from the cache under the version of what they show.

A visitor's GET of a public page (the home page, a network's pages, an entity's
profile, the network's calendar feed, the public API) is kept in the cache
under a key made of the address, the language, what the client accepts, and
the version of the networks the page shows (`networks.changes`): the network,
those under it and those above it, or every network for the home page and
for an entity's profile, which names all the entity's networks. A write in any
of those networks changes the version in the same transaction, so the very next
request draws the page again: nothing is served that a committed change has
made old. Pages that depend on the clock (what is upcoming) are drawn again
at least every `PAGE_CACHE_SECONDS`.

Nothing personal is kept: a request that carries any cookie besides the
language and the CSRF token (a session, messages) is not served from the
cache, and a response that sets a cookie (a form's CSRF token), is not a 200,
or says `Cache-Control: private` or `no-store` is not kept. Each answer
carries an `ETag` and a `Last-Modified`, and a client that already holds it
gets a 304.

A hit costs one query, which is also the kept database connection's health
check (`changes.version_of_page`), and one cache read, or none for the pages
this process answered last (`RECENT_ENTRIES`, in its memory under the same
keys). The body is kept
gzipped, compressed once when drawn: a client that takes gzip (every browser)
gets it as it is, any other client gets it decompressed.

A signed-in person's GET of a page of the site (not the admin, the API, their
account or the calendar feeds) is kept too, for that session alone: the key
holds the session's key, a digest of what the session holds (the account it
signed in, the entity chosen to act for) and the CSRF cookie its forms carry,
and the version of signed-in pages, which every committed write anywhere
changes (`changes.version_of_signed_in_pages`): a password changed, a
notification received or a member approved anywhere make it be drawn again.
A request carrying messages to show is never served from the cache. Such a
page is said `private`, and is kept as it is: it holds the session's CSRF
token, so it is not compressed.

When Redis is away the cache misses (`core.cache`) and pages are drawn as
usual, but for those the process holds itself; on SQLite there are no
versions and nothing is cached.
"""

import gzip
import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from networks import changes

EVERYTHING = ""
# (address, whose version it follows): a network's slug group, or EVERYTHING.
_ROUTES = (
    (re.compile(r"^/$"), EVERYTHING),
    (re.compile(r"^/redes/(?P<slug>[-\w]+)/entidades/[-\w]+/$"), EVERYTHING),
    (re.compile(r"^/redes/(?P<slug>[-\w]+)/(?!facilitacion/)"), "slug"),
    (re.compile(r"^/api/v1/networks/(?P<slug>[-\w]+)/"), "slug"),
)
# Where signed-in pages are never kept: what they show is the person's own account,
# a place of its own (the admin, the API), or files for calendars.
_NEVER_KEPT_SIGNED_IN = re.compile(r"^/(admin|api|cuenta|calendario|i18n)/")
# The shape of what is kept (`_entry`), in every key: when it changes, a page
# kept by the code before is never read as one of the new shape.
ENTRY_SHAPE = "2"
# Messages waiting to be shown, in their cookie or in the session.
_MESSAGES = "messages"
_KEPT_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})
_NOT_KEPT_HEADERS = frozenset(
    {"set-cookie", "etag", "last-modified", "cache-control", "expires", "content-length"}
)


def _scope(path: str) -> str | None:
    """The slug whose version a page follows, EVERYTHING, or None for a page never cached."""
    for pattern, follows in _ROUTES:
        match = pattern.match(path)
        if match:
            return match.group("slug") if follows == "slug" else EVERYTHING
    return None


def _renews_csrf_cookie_only(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the only cookie set is the CSRF cookie the request brought, its age renewed.

    Django sends the cookie again on every page with a form, to push its expiry
    back; the answer from the cache does the same (`_renew_csrf_cookie`).
    """
    name = settings.CSRF_COOKIE_NAME
    held = request.COOKIES.get(name)
    return (
        set(response.cookies) == {name}
        and held is not None
        and response.cookies[name].value == held
    )


def _renew_csrf_cookie(request: HttpRequest, response: HttpResponseBase) -> None:
    """Send the request's CSRF cookie again, as Django's CSRF middleware would."""
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        request.COOKIES[settings.CSRF_COOKIE_NAME],
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )


def _kept(request: HttpRequest, response: HttpResponseBase, *, private: bool = False) -> bool:
    """Whether a response may be kept: a visitor's page says nothing against a shared cache."""
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies and not (private and _renews_csrf_cookie_only(request, response)):
        return False
    control = response.get("Cache-Control", "").lower()
    refusals = ("no-store", "no-cache") if private else ("private", "no-store", "no-cache")
    return not any(word in control for word in refusals)


def _accepts_gzip(request: HttpRequest) -> bool:
    """Whether the client takes a gzip body (`Accept-Encoding: gzip`, not `gzip;q=0`)."""
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, parameters = coding.partition(";")
        if name.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        quality = parameters.strip().lower().removeprefix("q=").strip()
        try:
            return not parameters.strip() or float(quality) > 0
        except ValueError:
            return True
    return False


def _entry(response: HttpResponseBase, key: str, *, compress: bool = True) -> dict:
    """What is kept of a response: its body compressed once, so that a hit only sends it."""
    content: bytes = response.content  # type: ignore[attr-defined]
    compressed = b""
    if compress and not response.has_header("Content-Encoding"):
        compressed = gzip.compress(content, compresslevel=6, mtime=0)
    gzipped = 0 < len(compressed) < len(content)
    return {
        "body": compressed if gzipped else content,
        "gzipped": gzipped,
        "headers": [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _NOT_KEPT_HEADERS
        ],
        "etag": key.rsplit(":", 1)[-1][:32],
        "modified": time.time(),
    }


class _RecentEntries:
    """The entries this process answered last, by key: a hit without asking Redis.

    A key holds the versions of what its page shows, so an entry kept here is
    exactly as current as the one in Redis: a write changes the version read
    on the next request, hence the key, and the old entry is never asked for
    again (it leaves when newer ones push it out).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


# The pages a process keeps in its own memory, besides Redis: a few hundred KB
# to a few MB, the most read pages of the moment.
RECENT_ENTRIES = _RecentEntries(size=128)


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self._cacheable(request):
            return self.get_response(request)
        person = self._person_of(request)
        if person is not None:
            key = self._key(request, *person, str(changes.version_of_signed_in_pages()))
            return self._from_cache(request, key, private=True)
        scope = self._scope_of(request)
        if scope is None:
            return self.get_response(request)
        version = changes.version_of_page(None if scope == EVERYTHING else scope)
        return self._from_cache(request, self._key(request, scope, str(version)))

    def _from_cache(
        self, request: HttpRequest, key: str, *, private: bool = False
    ) -> HttpResponseBase:
        entry = RECENT_ENTRIES.get(key)
        if entry is None:
            entry = cache.get(key)
        if entry is None:
            response = self.get_response(request)
            if request.method != "GET" or not _kept(request, response, private=private):
                return response
            entry = _entry(response, key, compress=not private)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        RECENT_ENTRIES.put(key, entry)
        return self._answer(request, entry, private=private)

    @staticmethod
    def _cacheable(request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE
            and changes.enabled()
            and request.method in ("GET", "HEAD")
            and not request.headers.get("Authorization")
        )

    @staticmethod
    def _scope_of(request: HttpRequest) -> str | None:
        """What a visitor's page follows, or None for a page not kept for visitors."""
        if any(name not in _KEPT_COOKIES for name in request.COOKIES):
            return None
        return _scope(request.path_info)

    @staticmethod
    def _person_of(request: HttpRequest) -> tuple[str, ...] | None:
        """What sets a signed-in page apart, or None when the request is not one to keep.

        The session's key and a digest of what it holds, and the CSRF cookie its
        forms carry. Only a session with a person signed in, and no message
        waiting to be shown, is kept.
        """
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or _MESSAGES in request.COOKIES:
            return None
        if _NEVER_KEPT_SIGNED_IN.match(request.path_info):
            return None
        session = request.session
        if session.get(SESSION_KEY) is None or "_messages" in session:
            return None
        held = json.dumps(dict(session.items()), sort_keys=True, default=str)
        return (
            "signed-in",
            session.session_key or "",
            hashlib.sha256(held.encode("utf-8", "surrogateescape")).hexdigest(),
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        )

    @staticmethod
    def _key(request: HttpRequest, *scope: str) -> str:
        moment = int(time.time()) // settings.PAGE_CACHE_SECONDS
        parts = (
            settings.PAGE_CACHE_KEY_PREFIX,
            ENTRY_SHAPE,
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.headers.get("Accept", ""),
            *scope,
            str(moment),
        )
        digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
        return f"page:{digest}"

    @staticmethod
    def _answer(request: HttpRequest, entry: dict, *, private: bool = False) -> HttpResponseBase:
        """The kept page, gzipped for a client that takes it; a 304 when the client holds it.

        The page is the same for every visitor and holds no secret, so compressing it
        tells an eavesdropper nothing (BREACH needs a secret beside the attacker's text).
        """
        body = entry["body"]
        etag = f'"{entry["etag"]}"'
        compressed = entry["gzipped"] and _accepts_gzip(request)
        if entry["gzipped"] and not compressed:
            body = gzip.decompress(body)
        response = HttpResponse(body)
        for name, value in entry["headers"]:
            response[name] = value
        if compressed:
            response["Content-Encoding"] = "gzip"
            # The other representation has an ETag of its own.
            etag = f'"{entry["etag"]}-gzip"'
        response["Content-Length"] = str(len(body))
        if entry["gzipped"]:
            patch_vary_headers(response, ("Accept-Encoding",))
        response["ETag"] = etag
        response["Last-Modified"] = http_date(entry["modified"])
        if private and settings.CSRF_COOKIE_NAME in request.COOKIES:
            _renew_csrf_cookie(request, response)
        # Stored by browsers (and, for visitors' pages, proxies), asked again each
        # time: a 304 when unchanged.
        if private:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, no_cache=True)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=int(entry["modified"]), response=response
        )
        return conditional if conditional is not None else response
