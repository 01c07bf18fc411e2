"""Isolation harness: every route under a network prefix, asked for another network's objects.

The routes are not listed here: they are read from the project's URL
configuration when this module is imported, so a new page (or, later, a new
API route under `/api/v1/networks/<network_slug>/`) is covered the day it is
added. For each route that takes `network_slug`, the URL is built with network
A's slug and network B's objects for every other argument, and requested as
a visitor, as an active member of A and as A's facilitator: the answer must be
a 404 or a 403, with nothing of B in it, and a POST must change nothing of B.
A positive control asks the same route with A's own objects and expects a
page, so that the harness cannot pass because every URL is broken.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import connection, transaction
from django.db.models import F, Q
from django.forms.models import model_to_dict
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, include, path, re_path, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.html import escape

from agenda.models import Agenda, AgendaState, Attachment, Line
from announcements.models import Announcement, Correction
from commissions.models import Post
from decisions.models import DecisionRule, Position, Proposal, ProposalState, Stance
from events.models import AgendaItem, Minutes
from evidence.models import (
    ActivityReport,
    ImportKind,
    ImportState,
    SnapshotState,
    SpreadsheetImport,
)
from evidence.report import gather
from members.models import Entity, MembershipStatus, User
from networks.middleware import NETWORK_KWARG
from networks.models import NetworkKind
from networks.scoping import NetworkOwned, all_networks
from platforms.models import Sector
from tests import factories
from tests.events import factories as event_factories
from tests.isolation.bodies import BODIES, PREPARE, post

# The admin spans networks on purpose and has its own tests; the language
# switch and static files name no network object.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_ROUTE_PREFIXES = ("i18n/",)
SKIPPED_VIEW_MODULES = ("django.views.static.", "django.contrib.staticfiles.views.")

# How to fill each URL argument with the object of one side (network A or B).
# Every value must name an object that belongs to that side's network only.
ARGUMENTS = {
    "entity_slug": lambda side: side.entity.slug,  # a member of this network only
    "commission_id": lambda side: side.commission.pk,
    "platform_id": lambda side: side.platform.pk,
    "membership_id": lambda side: side.membership.pk,
    "update_id": lambda side: side.update.pk,  # a progress update of this side's commission
    "topic_id": lambda side: side.topic.pk,
    "action_id": lambda side: side.action.pk,
    "format": lambda side: "json",  # format suffixes of API routes
    "event_id": lambda side: side.event.pk,
    "registration_id": lambda side: side.registration.pk,
    "decision_id": lambda side: side.decision.pk,
    "proposal_id": lambda side: side.proposal.pk,  # on the agenda of this side's plenary
    "announcement_id": lambda side: side.announcement.pk,
    "post_id": lambda side: side.post.pk,  # a message of this side's commission's conversation
    "token": lambda side: side.registration.cancel_token,  # a registration's cancel link
    "import_id": lambda side: side.spreadsheet_import.pk,  # an upload waiting for confirmation
    "year": lambda side: side.agenda.year,  # each side's annual agenda is of another year
    "line_id": lambda side: side.line.pk,
    "report_id": lambda side: side.report.pk,  # a finished, published yearly report
}

# Routes outside a network prefix that take an argument name objects no
# network scope guards. Each one is listed here by name, with the reason it is safe.
GLOBAL_ROUTES_WITH_ARGUMENTS = {
    # A person's private calendar: the token is one person's secret, and the feed
    # lists only what that person, or an entity they act for, registered for.
    "calendar:feed": "a person's secret calendar token",
    # An invitation link: the token is the invitee's secret, and the invitation is
    # accepted only by the person whose verified email it was sent to.
    "workspace:invitation": "an invitee's secret invitation token",
    # An entity belongs to no one network; its profile form opens only for its own
    # representatives and alternates, and is a 404 for anybody else.
    "workspace:edit_entity": "the entity's own representatives and alternates only",
    # Account links mailed to one person: the key is that person's secret and
    # names an email address or a password reset, nothing of a network.
    "account_confirm_email": "a person's secret email verification key",
    "account_reset_password_from_key": "a person's secret password reset key",
    # A mail's one-click unsubscribe link: signed, it names one person and one network and
    # can only turn that person's mail from that network off.
    "account_area:unsubscribe": "a signed unsubscribe token, for one person and one network",
}

LEARN_AN_ARGUMENT = (
    "Route {route!r} takes the argument {argument!r}, which the isolation harness cannot "
    "fill. Teach it in tests/isolation/test_routes.py: add {argument!r} to ARGUMENTS with a "
    "function returning an object of that side's network only (add the object to "
    "`build_side` if it does not exist yet)."
)


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    arguments: tuple[str, ...]
    positional: bool = False

    @property
    def id(self):
        return self.name or self.route


def pattern_arguments(pattern):
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters), False
    if isinstance(pattern, RegexPattern):
        names = tuple(pattern.regex.groupindex)
        return names, pattern.regex.groups > len(names)
    return (), False


def walk(patterns, prefix="", namespace="", arguments=(), positional=False):
    """Yield every URL pattern with its joined route, full name and argument names."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names, unnamed = pattern_arguments(entry.pattern)
        names = arguments + names
        unnamed = positional or unnamed
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, inner, names, unnamed)
            continue
        if route.startswith(SKIPPED_ROUTE_PREFIXES):
            continue
        if entry.lookup_str.startswith(SKIPPED_VIEW_MODULES):
            continue
        name = f"{namespace}{entry.name}" if entry.name else None
        yield Route(name=name, route=route, arguments=names, positional=unnamed)


ROUTES = list(walk(get_resolver().url_patterns))
NETWORK_ROUTES = [route for route in ROUTES if NETWORK_KWARG in route.arguments]
OTHER_ROUTES = [route for route in ROUTES if NETWORK_KWARG not in route.arguments]
OBJECT_ROUTES = [route for route in NETWORK_ROUTES if len(set(route.arguments)) > 1]


@dataclass
class Side:
    network: object
    platform: object
    entity: object
    membership: object
    commission: object
    representative: object
    alternate: object
    secrets: list = field(default_factory=list)
    event: object = None
    registration: object = None
    decision: object = None
    update: object = None
    topic: object = None
    action: object = None
    proposal: object = None
    announcement: object = None
    post: object = None
    spreadsheet_import: object = None
    agenda: object = None
    line: object = None
    report: object = None


@dataclass
class World:
    a: Side
    b: Side
    facilitator: object


def build_side(
    *, slug, network_name, entity_name, commission_name, email_stem, phone, agenda_year=2015
):
    network = factories.NetworkFactory(name=network_name, slug=slug)
    platform = factories.platform_of(network, Sector.CIVIL_SOCIETY)
    representative = factories.UserFactory(
        email=f"{email_stem}.representative@example.net", phone=phone
    )
    alternate = factories.UserFactory(email=f"{email_stem}.alternate@example.net")
    entity = factories.EntityFactory(name=entity_name, description=f"{entity_name} works here.")
    membership = factories.MembershipFactory(
        network=network,
        entity=entity,
        platform=platform,
        status=MembershipStatus.ACTIVE,
        representative=representative,
        alternate=alternate,
    )
    commission = factories.CommissionFactory(network=network, name=commission_name)
    factories.CommissionMemberFactory(commission=commission, entity=entity)
    # Every text a page or an answer could show carries the network's own words, so
    # that a leak of any of them is seen, not only of names and addresses.
    words = network_name.split()[-1]
    event, registration, decision = event_factories.event_with_minutes(
        network=network, entity=entity, commission=commission, title=f"Gran Plenaria {words}"
    )
    AgendaItem.objects.filter(event=event).update(
        title=f"Agenda de {words}", proposal=f"Propuesta concreta de {words}"
    )
    Minutes.objects.filter(event=event).update(summary=f"Resumen del acta de {words}")
    type(decision).objects.filter(pk=decision.pk).update(
        text=f"Acuerdo de {words}", follow_up=f"Seguimiento de {words}"
    )
    # An event still ahead, as the network page and the facilitator's overview list them.
    upcoming = event_factories.EventFactory(
        network=network, title=f"Feria venidera de {words}", commission=commission
    )
    # The entity promotes its commission, so its representative may open every commission form.
    factories.PromoterTermFactory(commission=commission, entity=entity)
    topic = factories.TopicFactory(commission=commission, title=f"Tema propio de {words}")
    action = factories.ActionFactory(
        commission=commission, topic=topic, responsible=entity, title=f"Accion propia de {words}"
    )
    update = factories.ProgressUpdateFactory(
        commission=commission, entity=entity, text=f"Avance propio de {words}"
    )
    # A proposal open for positions, on the plenary's agenda, where another member objects.
    proposal = Proposal.objects.create(
        network=network,
        title=f"Propuesta decidible de {words}",
        text=f"Texto de la propuesta de {words}",
        proposer=entity,
        agenda_item=AgendaItem.objects.filter(event=event).first(),
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=5),
        state=ProposalState.OPEN,
        rule=DecisionRule.CONSENT_THEN_VOTE,
    )
    objector = factories.MembershipFactory(network=network, platform=platform)
    Position.objects.create(
        network=network,
        proposal=proposal,
        entity=objector.entity,
        stance=Stance.OBJECT,
        note=f"Objecion razonada de {words}",
    )
    # An announcement to the members, with a correction, not published as news.
    announcement = Announcement.objects.create(
        network=network, title=f"Anuncio propio de {words}", body=f"Texto del anuncio de {words}"
    )
    Correction.objects.create(
        network=network, announcement=announcement, text=f"Correccion propia de {words}"
    )
    post = Post.objects.create(
        network=network,
        commission=commission,
        entity=entity,
        author=representative,
        text=f"Mensaje propio de {words}",
    )
    # A spreadsheet uploaded and checked, waiting for the facilitator to confirm it.
    spreadsheet_import = SpreadsheetImport.objects.create(
        network=network,
        kind=ImportKind.MEMBERS,
        file_name=f"entidades-de-{words}.csv",
        header=["Nombre"],
        cells=[[f"Grupo importado de {words}"]],
        mapping={"name": 0},
        state=ImportState.READY,
        total=1,
        progress=1,
        results=[
            {
                "line": 2,
                "name": f"Grupo importado de {words}",
                "values": {"name": f"Grupo importado de {words}"},
                "errors": [f"Error de la fila de {words}"],
                "duplicates": [],
                "choice": "",
                "outcome": "",
                "note": "",
            }
        ],
    )
    # The network's published annual agenda, with one line of work.
    agenda = Agenda.objects.create(
        network=network,
        year=agenda_year,
        introduction=f"Agenda anual de {words}",
        state=AgendaState.PUBLISHED,
        published_at=timezone.now(),
    )
    line = Line.objects.create(
        network=network,
        agenda=agenda,
        title=f"Linea de trabajo de {words}",
        purpose=f"Proposito de la linea de {words}",
    )
    # The year's activity report, finished and published: what it says is the side's own.
    year = timezone.localdate().year
    report = ActivityReport.objects.create(
        network=network,
        year=year,
        state=SnapshotState.DONE,
        progress=100,
        finished_at=timezone.now(),
        published_at=timezone.now(),
        data={**gather(network=network, year=year), "analyses": []},
        pdf=f"%PDF-1.7 {words}".encode(),
        workbook=f"PK {words}".encode(),
    )
    texts = [
        agenda.introduction,
        line.title,
        line.purpose,
        post.text,
        f"Grupo importado de {words}",
        f"Error de la fila de {words}",
        announcement.title,
        announcement.body,
        f"Correccion propia de {words}",
        proposal.title,
        proposal.text,
        f"Objecion razonada de {words}",
        event.title,
        upcoming.title,
        f"Agenda de {words}",
        f"Propuesta concreta de {words}",
        f"Resumen del acta de {words}",
        f"Acuerdo de {words}",
        f"Seguimiento de {words}",
        topic.title,
        action.title,
        update.text,
    ]
    return Side(
        network=network,
        platform=platform,
        entity=entity,
        membership=membership,
        commission=commission,
        representative=representative,
        alternate=alternate,
        secrets=[
            entity_name,
            commission_name,
            representative.email,
            alternate.email,
            phone,
            *texts,
        ],
        event=event,
        registration=registration,
        decision=decision,
        update=update,
        topic=topic,
        action=action,
        proposal=proposal,
        announcement=announcement,
        post=post,
        spreadsheet_import=spreadsheet_import,
        agenda=agenda,
        line=line,
        report=report,
    )


@pytest.fixture
def world(db):
    with all_networks():
        a = build_side(
            slug="red-misti",
            network_name="Red Misti",
            entity_name="Asociacion Chachani Verde",
            commission_name="Mesa Arequipena del Voluntariado Escolar",
            email_stem="chachani",
            phone="+51 911 111 111",
        )
        b = build_side(
            slug="red-manglares",
            network_name="Red Manglares",
            entity_name="Colectivo Manglares Vivos",
            commission_name="Mesa Tumbesina del Dia del Voluntariado",
            email_stem="manglares",
            phone="+51 922 222 222",
            agenda_year=2016,
        )
        facilitator = factories.FacilitatorFactory(network=a.network).user
        # Two regional networks under one national network: siblings, as in the country.
        national = factories.NetworkFactory(
            name="Red Nacional del Harness", slug="red-nacional", kind=NetworkKind.NATIONAL
        )
        for side in (a, b):
            side.network.parent = national
            side.network.save(update_fields=["parent"])
    return World(a=a, b=b, facilitator=facilitator)


PERSONAS = ["visitor", "member_of_a", "facilitator_of_a"]


def client_as(client, persona, world):
    if persona == "member_of_a":
        client.force_login(world.a.representative)
    elif persona == "facilitator_of_a":
        client.force_login(world.facilitator)
    return client


def url_for(route, network, side):
    if route.name is None:
        pytest.fail(
            f"Route {route.route!r} has no name: name it so that the isolation harness "
            "(and everyone else) can build its URL."
        )
    if route.positional:
        pytest.fail(f"Route {route.route!r} takes unnamed arguments: name every argument.")
    kwargs = {NETWORK_KWARG: network.slug}
    for argument in route.arguments:
        if argument == NETWORK_KWARG:
            continue
        if argument not in ARGUMENTS:
            pytest.fail(LEARN_AN_ARGUMENT.format(route=route.id, argument=argument))
        kwargs[argument] = ARGUMENTS[argument](side)
    return reverse(route.name, kwargs=kwargs)


def text_of(response):
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8", errors="replace")
    return body + "\n" + "\n".join(f"{key}: {value}" for key, value in response.headers.items())


def leaked_secrets(response, side):
    text = text_of(response)
    return [secret for secret in side.secrets if secret in text or escape(secret) in text]


def is_login_redirect(response):
    # The API asks for credentials with a 401 where a page sends the visitor to log in.
    if response.status_code == 401 and response.request["PATH_INFO"].startswith("/api/"):
        return True
    return response.status_code in (301, 302) and response.url.startswith(
        resolve_url(settings.LOGIN_URL)
    )


def snapshot(side):
    """Every row of a side's network, its entity and its people, to prove a request changed none."""
    rows = {}
    with all_networks():
        for model in apps.get_models():
            if issubclass(model, NetworkOwned):
                rows[model._meta.label] = list(
                    model.objects.filter(network=side.network).order_by("pk").values()
                )
    rows["entity"] = model_to_dict(Entity.objects.get(pk=side.entity.pk))
    rows["people"] = list(
        User.objects.filter(pk__in=[side.representative.pk, side.alternate.pk])
        .order_by("pk")
        .values()
    )
    return rows


def test_the_walker_finds_the_network_routes_of_every_app():
    names = {route.name for route in NETWORK_ROUTES}
    assert {"networks:detail", "members:directory", "members:entity", "commissions:detail"} <= names
    assert "home" in {route.name for route in OTHER_ROUTES}
    assert not any(route.id.startswith("admin:") for route in ROUTES)


@pytest.mark.parametrize("route", OTHER_ROUTES, ids=[route.id for route in OTHER_ROUTES])
def test_routes_outside_a_network_take_no_object_argument(route):
    if route.arguments and route.name not in GLOBAL_ROUTES_WITH_ARGUMENTS:
        pytest.fail(
            f"Route {route.id!r} takes {route.arguments} outside a network prefix, where no "
            "network scope guards it. Put it under /redes/<network_slug>/ (or "
            "/api/v1/networks/<network_slug>/), or list it in GLOBAL_ROUTES_WITH_ARGUMENTS "
            "with the reason it names nothing of a network."
        )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", NETWORK_ROUTES, ids=[route.id for route in NETWORK_ROUTES])
def test_a_networks_url_never_shows_another_networks_objects(client, world, route, persona):
    url = url_for(route, world.a.network, world.b)
    client = client_as(client, persona, world)
    takes_objects = route in OBJECT_ROUTES

    response = client.get(url, secure=True)

    if takes_objects:
        refused = response.status_code in (403, 404) or (
            persona == "visitor" and is_login_redirect(response)
        )
        assert refused, (
            f"{persona} asked {url} (network A's prefix, network B's objects) and got "
            f"{response.status_code}, expected 404 or 403"
        )
    assert leaked_secrets(response, world.b) == [], f"{url} shows network B's data to {persona}"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pages are kept only under PostgreSQL's versions"
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_page_kept_in_one_network_never_answers_in_another(client, world, persona, settings):
    """With the page cache on, every route read (and kept) in B first, then in A."""
    settings.PAGE_CACHE = True
    client = client_as(client, persona, world)
    leaks, kept = [], 0
    for route in NETWORK_ROUTES:
        for _ in range(2):
            client.get(url_for(route, world.b.network, world.b), secure=True)
        for _ in range(2):
            url = url_for(route, world.a.network, world.a)
            response = client.get(url, secure=True)
            kept += response.has_header("ETag")
            leaks += [f"{url}: {secret}" for secret in leaked_secrets(response, world.b)]

    assert leaks == []
    # The positive control: pages were answered from the cache.
    assert kept > len(NETWORK_ROUTES) // 2


def cross_network_links():
    """Rows of one network that point at a row of another: none may ever exist.

    But for a foreign key its model names in `REACHES_DOWN` (a line of the national
    agenda and a region's commission), which may point at a row of a network under
    the row's own network (a region, or a province under it), never at a sibling's
    nor above.
    """
    found = []
    with all_networks():
        for model in apps.get_models():
            if not issubclass(model, NetworkOwned):
                continue
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if not (field.many_to_one and field.concrete and target) or field.name == "network":
                    continue
                if not issubclass(target, NetworkOwned):
                    continue
                allowed = Q(**{f"{field.name}__network": F("network")})
                if field.name in getattr(model, "REACHES_DOWN", ()):
                    allowed |= Q(**{f"{field.name}__network__parent": F("network")}) | Q(
                        **{f"{field.name}__network__parent__parent": F("network")}
                    )
                crossing = model.objects.filter(**{f"{field.name}__isnull": False}).exclude(allowed)
                found += [
                    f"{model._meta.label}.{field.name} #{pk}"
                    for pk in crossing.values_list("pk", flat=True)
                ]
    return found


POST_ROUTES = [route for route in NETWORK_ROUTES if route.name in BODIES]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", NETWORK_ROUTES, ids=[route.id for route in NETWORK_ROUTES])
def test_a_post_to_a_networks_url_changes_nothing_of_another_network(client, world, route, persona):
    """Network A's prefix, network B's objects in the URL, and a valid body naming B's objects."""
    url = url_for(route, world.a.network, world.b)
    client = client_as(client, persona, world)
    if route.name in PREPARE:
        with all_networks():
            PREPARE[route.name](world.b)
    body = BODIES[route.name](world.b, world.b.entity) if route.name in BODIES else {}
    before = snapshot(world.b)

    response = post(client, route.name, url, body)

    if route in OBJECT_ROUTES:
        refused = response.status_code in (403, 404, 405) or (
            persona == "visitor" and is_login_redirect(response)
        )
        assert refused, f"POST {url} as {persona} answered {response.status_code}"
    assert leaked_secrets(response, world.b) == [], f"POST {url} shows network B's data"
    assert snapshot(world.b) == before, f"POST {url} as {persona} changed network B's rows"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", POST_ROUTES, ids=[route.id for route in POST_ROUTES])
def test_a_valid_body_naming_another_networks_objects_changes_nothing_there(
    client, world, route, persona
):
    """Network A's own URL, acting for A's entity, every other object in the body B's:
    B's rows stay as they were and no row of A comes to point at a row of B."""
    url = url_for(route, world.a.network, world.a)
    client = client_as(client, persona, world)
    with all_networks():
        if route.name in PREPARE:
            PREPARE[route.name](world.a)
            PREPARE[route.name](world.b)
        body = BODIES[route.name](world.b, world.a.entity)
    before = snapshot(world.b)

    response = post(client, route.name, url, body)

    assert response.status_code < 500, f"POST {url} as {persona}: {response.status_code}"
    assert leaked_secrets(response, world.b) == [], f"POST {url} shows network B's data"
    assert snapshot(world.b) == before, f"POST {url} as {persona} changed network B's rows"
    assert cross_network_links() == [], f"POST {url} as {persona} linked A's rows to B's"


def test_the_cross_network_check_sees_a_row_pointing_at_another_network(world):
    with all_networks():
        Action = type(world.a.action)
        Action.objects.filter(pk=world.a.action.pk).update(topic=world.b.topic)

    assert cross_network_links() == [f"commissions.Action.topic #{world.a.action.pk}"]


def test_the_cross_network_check_lets_a_row_point_down_only_where_its_model_says(world):
    """A national agenda's line takes a region's commission; a region's line, no sibling's."""
    with all_networks():
        national = world.a.network.parent
        agenda = Agenda.objects.create(network=national, year=2015, state=AgendaState.PUBLISHED)
        line = Line.objects.create(network=national, agenda=agenda, title="Juventud", purpose="-")
        Attachment.objects.create(network=national, line=line, commission=world.a.commission)
        assert cross_network_links() == []

        sideways = Attachment.objects.create(
            network=world.a.network, line=world.a.line, commission=world.b.commission
        )

    assert cross_network_links() == [f"agenda.Attachment.commission #{sideways.pk}"]


@pytest.mark.parametrize("route", POST_ROUTES, ids=[route.id for route in POST_ROUTES])
def test_positive_control_a_valid_body_with_own_objects_changes_the_network(client, world, route):
    """The bodies are valid: with network A's own objects somebody of A changes A."""
    if route.name in ("members:apply", "api:applications"):
        pytest.skip("A's people have no entity outside A; the permission matrix applies it")
    url = url_for(route, world.a.network, world.a)
    changed_by = []
    for persona in PERSONAS:
        client.logout()
        with transaction.atomic():
            with all_networks():
                if route.name in PREPARE:
                    PREPARE[route.name](world.a)
                body = BODIES[route.name](world.a, world.a.entity)
            before = snapshot(world.a)
            post(client_as(client, persona, world), route.name, url, body)
            if snapshot(world.a) != before:
                changed_by.append(persona)
            transaction.set_rollback(True)
    assert changed_by, f"no persona of network A changed A with the body of {route.id}"


def grow(side):
    """More of everything in one network: members that took part in a past event, an
    event ahead, a commission, an application. Counts, shares and lists all move."""
    with all_networks():
        past = event_factories.EventFactory(
            network=side.network,
            title="Encuentro pasado",
            starts_at=timezone.now() - timedelta(days=30),
        )
        for _ in range(3):
            member = factories.MembershipFactory(
                network=side.network, platform=side.platform, status=MembershipStatus.ACTIVE
            )
            event_factories.RegistrationFactory(event=past, entity=member.entity)
            factories.CommissionMemberFactory(commission=side.commission, entity=member.entity)
        factories.MembershipFactory(network=side.network, platform=side.platform)
        factories.CommissionFactory(network=side.network, name="Otra comision creciente")
        event_factories.EventFactory(
            network=side.network,
            title="Otra feria venidera",
            starts_at=timezone.now() + timedelta(hours=5),
        )


# What differs between two answers of the same page for reasons other than data.
VOLATILE = [
    re.compile(r'nonce="[^"]*"'),
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r"^(DTSTAMP|LAST-MODIFIED):.*$", re.MULTILINE),
]


def page_text(response):
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8", errors="replace")
    for pattern in VOLATILE:
        body = pattern.sub("", body)
    return response.status_code, body


@pytest.mark.parametrize("route", NETWORK_ROUTES, ids=[route.id for route in NETWORK_ROUTES])
def test_a_networks_pages_do_not_move_when_another_network_grows(client, world, route):
    """Counts, shares and lists leak without a name: whatever network B gains, every
    answer of network A stays exactly the same, for each persona."""
    url = url_for(route, world.a.network, world.a)
    answers = {}
    for persona in PERSONAS:
        client.logout()
        answers[persona] = page_text(client_as(client, persona, world).get(url, secure=True))

    grow(world.b)

    for persona in PERSONAS:
        client.logout()
        again = page_text(client_as(client, persona, world).get(url, secure=True))
        assert again == answers[persona], f"{url} as {persona} moved when network B grew"


def test_growing_a_network_moves_its_own_pages(client, world):
    """Without this the test above would pass if `grow` changed nothing anyone sees."""
    client.force_login(world.facilitator)
    url = reverse("facilitation:overview", kwargs={NETWORK_KWARG: world.a.network.slug})
    before = page_text(client.get(url, secure=True))

    grow(world.a)

    assert page_text(client.get(url, secure=True)) != before


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=[route.id for route in OBJECT_ROUTES])
def test_positive_control_the_same_route_with_own_objects_answers(client, world, route):
    """Without this the harness would pass if every URL it builds were simply wrong."""
    url = url_for(route, world.a.network, world.a)
    answers = {}
    for persona in PERSONAS:
        client.logout()
        response = client_as(client, persona, world).get(url, secure=True)
        answers[persona] = response.status_code
        assert response.status_code in (200, 403) or is_login_redirect(response), (
            f"{url} (network A's own objects) answered {response.status_code} to {persona}"
        )
    assert 200 in answers.values(), f"nobody of network A can open {url}: {answers}"


# The harness checks itself: a synthetic URL configuration shows how it walks.


def _view(request, **kwargs):
    raise AssertionError("never called")


def test_the_walker_joins_prefixes_and_namespaces_and_skips_admin_and_language_routes():
    inner = ([path("cosas/<int:widget_id>/", _view, name="widget")], "widgets")
    patterns = [
        path("admin/", admin.site.urls),
        path("i18n/", include("django.conf.urls.i18n")),
        path("redes/<slug:network_slug>/", include(inner)),
        re_path(r"^viejo/(\d+)/$", _view),
    ]

    routes = list(walk(patterns))

    assert routes == [
        Route(
            name="widgets:widget",
            route="redes/<slug:network_slug>/cosas/<int:widget_id>/",
            arguments=("network_slug", "widget_id"),
        ),
        Route(name=None, route=r"^viejo/(\d+)/$", arguments=(), positional=True),
    ]


def test_a_route_with_an_argument_the_harness_does_not_know_fails_with_a_lesson():
    route = Route(
        name="widgets:widget",
        route="redes/<slug:network_slug>/cosas/<int:widget_id>/",
        arguments=("network_slug", "widget_id"),
    )

    with pytest.raises(pytest.fail.Exception, match="add 'widget_id' to ARGUMENTS"):
        url_for(route, network=SimpleNamespace(slug="red-misti"), side=None)
