"""Content-Security-Policy and Permissions-Policy on every answer, and pages the policy lets work.

The policy allows no inline script and no inline style, so every page must
do without: this walks every page of the URL configuration (with network
A's own objects, as a visitor, a member and the facilitator), the admin and
the API documentation, and looks for what a strict policy would block. The
browser test (tests/e2e/test_content_security_policy.py) checks the same in
Chromium, scripts running.
"""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.isolation.test_routes import (
    NETWORK_ROUTES,
    OTHER_ROUTES,
    PERSONAS,
    client_as,
    url_for,
)
from tests.isolation.test_routes import world as world

pytestmark = pytest.mark.django_db

# Script types a browser does not run (data blocks, such as REST framework's CSRF settings).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


def policy(response):
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' blocks: inline scripts, style
    elements, style attributes, event handler attributes and javascript: links."""

    def __init__(self, allowed_styles=()):
        super().__init__()
        self.allowed_styles = set(allowed_styles)
        self.found = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            executable = (attributes.get("type") or "text/javascript") not in DATA_SCRIPT_TYPES
            self._in_script = executable and "src" not in attributes
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> handler")
            if name == "style" and value not in self.allowed_styles:
                self.found.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def inline_code(response, allowed_styles=()):
    if "text/html" not in response.get("Content-Type", ""):
        return []
    parser = InlineCode(allowed_styles)
    parser.feed(response.content.decode())
    return parser.found


# The headers.


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cuenta/login/",
        "/api/v1/networks/",
        "/api/v1/docs/",
        "/redes/no-existe/",
        "/admin/login/",
        "/static/css/tejido.css",
        "/?red=%00",
    ],
)
def test_every_answer_carries_both_policies(client, path):
    response = client.get(path, secure=True)

    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_the_policy_loads_from_this_site_only_and_allows_no_inline_script(client):
    directives = policy(client.get("/", secure=True))

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'none'"]
    every_source = [source for sources in directives.values() for source in sources]
    assert "'unsafe-inline'" not in every_source
    assert "'unsafe-eval'" not in every_source
    assert not [source for source in every_source if "//" in source or "*" in source]


def test_inline_styles_are_allowed_only_by_hash_and_only_the_browsable_apis(client):
    style_sources = policy(client.get("/", secure=True))["style-src"]
    hashes = [source for source in style_sources if source.startswith("'sha256-")]

    assert style_sources[:2] == ["'self'", "'unsafe-hashes'"]
    assert len(hashes) == len(settings.BROWSABLE_API_STYLES)


def test_the_api_documentation_loads_its_start_up_script_from_this_site(client):
    page = client.get("/api/v1/docs/", secure=True)
    assert inline_code(page) == []
    script = client.get("/api/v1/docs/?script=", secure=True)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
    assert b"validator.swagger.io" not in script.content


# The pages carry nothing the policy blocks.


def test_the_inline_code_finder_finds_what_a_strict_policy_blocks():
    parser = InlineCode()
    parser.feed(
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        '<style>p{}</style><p style="color: red" onclick="x()"><a href="javascript:x()">'
    )
    assert len(parser.found) == 5


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_carries_inline_script_or_style(client, world, persona):
    client = client_as(client, persona, world)
    paths = [url_for(route, world.a.network, world.a) for route in NETWORK_ROUTES]
    paths += [reverse(route.name) for route in OTHER_ROUTES if not route.arguments]
    found = {}
    for path in paths:
        response = client.get(path, secure=True)
        if problems := inline_code(response):
            found[path] = problems
    assert found == {}


def test_no_admin_page_carries_inline_script_or_style(client, world):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    event = world.a.event
    paths = [
        "/admin/",
        "/admin/members/user/",
        "/admin/members/user/add/",
        "/admin/events/event/",
        f"/admin/events/event/{event.pk}/change/",
        f"/admin/networks/network/{event.network_id}/change/",
        "/admin/networks/charterversion/add/",
        f"/admin/members/user/{world.a.representative.pk}/change/",
    ]
    found = {}
    for path in paths:
        response = client.get(path, secure=True)
        assert response.status_code == 200, path
        if problems := inline_code(response):
            found[path] = problems
    assert found == {}


def test_the_browsable_api_uses_only_the_styles_the_policy_allows_by_hash(client, world):
    client.force_login(world.a.representative)
    network = world.a.network.slug
    found = {}
    for path in (
        "/api/v1/networks/",
        f"/api/v1/networks/{network}/commissions/",
        f"/api/v1/networks/{network}/events/",
        f"/api/v1/networks/{network}/commissions/{world.a.commission.pk}/updates/",
    ):
        response = client.get(path, HTTP_ACCEPT="text/html", secure=True)
        assert response["Content-Type"].startswith("text/html")
        if problems := inline_code(response, settings.BROWSABLE_API_STYLES):
            found[path] = problems
    assert found == {}
