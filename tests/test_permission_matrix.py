"""Who may open which page: every view of the project against every kind of person.

The routes are found automatically (the isolation harness's walker); each must
have a row in EXPECTED saying which personas may open it, so a new view cannot
be added without deciding who sees it. A cell is "allowed" when the page
answers 200, "refused" when it answers 403 or 404, or sends the person to log in.
"""

import pytest
from django.urls import reverse

from core.actors import SYSTEM
from members.models import MembershipStatus
from members.services import assign_interlocutor
from networks.models import NetworkKind
from networks.scoping import all_networks
from tests import factories
from tests.isolation.test_routes import ROUTES, build_side, url_for

PERSONAS = (
    "anonymous",
    "verified",
    "member_of_other_network",
    "member",
    "representative",
    "alternate",
    "interlocutor",
    "facilitator",
    "site_admin",
)
EVERYONE = frozenset(PERSONAS)
LOGGED_IN = EVERYONE - {"anonymous"}
MEMBERS = frozenset({"member", "representative", "alternate", "interlocutor"})
ENTITY = frozenset({"representative", "alternate"})
RUNS_NETWORK = frozenset({"facilitator", "site_admin"})

# Routes whose argument is a person's secret (covered by their own tests).
NOT_IN_MATRIX = {"calendar:feed", "workspace:invitation"}
# Routes that only take a POST: the matrix posts an empty form to them.
POST_ONLY = {
    "calendar:renew",
    "account_area:mark_read",
    "account_area:resend_verification",
    "account_area:revoke_api_token",
    "api:applications",
}

EXPECTED = {
    # Public pages: everyone, signed in or not.
    "home": EVERYONE,
    "networks:detail": EVERYONE,
    "members:directory": EVERYONE,
    "members:entity": EVERYONE,
    "commissions:list": EVERYONE,
    "commissions:detail": EVERYONE,
    "events:list": EVERYONE,
    "events:detail": EVERYONE,
    "events:network_feed": EVERYONE,
    "events:commission_feed": EVERYONE,
    "events:ics": EVERYONE,
    "events:register_person": EVERYONE,  # individuals register for public events
    "events:cancel_by_link": EVERYONE,  # the secret link mailed to whoever registered
    "events:confirm_by_link": EVERYONE,  # the same secret, to confirm a registration
    # A person's own account and workspace: anybody signed in.
    "account_area:inbox": LOGGED_IN,
    "account_area:settings": LOGGED_IN,
    "account_area:mark_read": LOGGED_IN,
    "account_area:resend_verification": LOGGED_IN,
    "account_area:api_tokens": LOGGED_IN,
    "account_area:revoke_api_token": LOGGED_IN,
    "workspace:home": LOGGED_IN,
    "workspace:register_entity": LOGGED_IN,
    "workspace:similar_entities": LOGGED_IN,
    "calendar:mine": LOGGED_IN,
    "calendar:renew": LOGGED_IN,
    # The page explains what to register first; a facilitator of the network is told
    # that they stay neutral and apply for no entity there (4.2 a).
    "members:apply": LOGGED_IN - {"facilitator"},
    # The entity's own people (and the site admin).
    "workspace:edit_entity": ENTITY | {"site_admin"},
    "members:accept_charter": ENTITY | {"site_admin"},
    "members:representatives": ENTITY | {"site_admin"},
    # Member entities act in commissions; the facilitator stays neutral (4.2 a).
    "commissions:propose": MEMBERS | {"site_admin"},
    "commissions:join": MEMBERS | {"site_admin"},
    "commissions:step_up": MEMBERS | {"site_admin"},
    # The entity sits in and promotes the commission of the cast.
    **dict.fromkeys(
        [
            "commissions:leave",
            "commissions:step_down",
            "commissions:post_update",
            "commissions:comment",
            "commissions:add_topic",
            "commissions:move_topic",
            "commissions:add_action",
            "commissions:action_status",
            "commissions:close",
            "commissions:sheet",
        ],
        ENTITY | {"site_admin"},
    ),
    # Reopening a commission closed by mistake is the facilitator's (the page says when
    # there is nothing to reopen, as for the cast's open commission).
    "commissions:reopen": RUNS_NETWORK,
    # Events: members and the facilitator call them; organisers manage theirs.
    "events:create": MEMBERS | RUNS_NETWORK,
    "events:register_entity": MEMBERS | {"site_admin"},
    "events:minutes": MEMBERS | RUNS_NETWORK,
    "events:decision_action": MEMBERS | RUNS_NETWORK,  # read by all, acted on by promoters
    **dict.fromkeys(
        [
            "events:edit",
            "events:agenda_add",
            "events:announce",
            "events:cancel",
            "events:registrations",
            "events:registration_cancel",
            "events:attendance",
            "events:minutes_publish",
        ],
        ENTITY | RUNS_NETWORK,  # the entity organises the cast's event
    ),
    # The API's public resources and its description.
    "api:schema": EVERYONE,
    "api:docs": EVERYONE,
    "api:networks": EVERYONE,
    "api:network": EVERYONE,
    "api:platforms": EVERYONE,
    # Events in the API: what the event pages show; the organising entity and
    # whoever runs the network see registrations in full, attendance and cancelling.
    "api:events": EVERYONE,
    "api:event": EVERYONE,
    "api:event_registrations": EVERYONE,  # confirmed entities only, for the public
    "api:event_registration_cancel": ENTITY | RUNS_NETWORK,
    "api:event_attendance": ENTITY | RUNS_NETWORK,
    "api:entities": EVERYONE,
    "api:entity": EVERYONE,
    "api:memberships": RUNS_NETWORK,
    "api:membership": RUNS_NETWORK,
    # Verified people, not the network's facilitator; an empty body is a 400.
    "api:applications": LOGGED_IN - {"facilitator"},
    # Commissions in the API: read by everyone; acting endpoints answer GET with the
    # entities this person may act for, under the same permissions as the pages.
    **dict.fromkeys(
        [
            "api:commissions",
            "api:commission",
            "api:commission_members",
            "api:commission_promoter_terms",
            "api:commission_work_plan",
            "api:commission_updates",
            "api:commission_update_comments",
            "api:commission_state_changes",
        ],
        EVERYONE,
    ),
    "api:commission_join": MEMBERS | {"site_admin"},
    "api:commission_step_up": MEMBERS | {"site_admin"},
    "api:commission_step_down": ENTITY | {"site_admin"},
    "api:commission_close": ENTITY | {"site_admin"},  # the cast's entity promotes it
    "api:commission_reopen": RUNS_NETWORK,
    # The facilitator's workspace.
    **dict.fromkeys(
        [
            "facilitation:overview",
            "facilitation:applications",
            "facilitation:members",
            "facilitation:membership",
            "facilitation:interlocutor",
            "facilitation:feed",
            "facilitation:commissions",
        ],
        RUNS_NETWORK,
    ),
}


def matrix_routes():
    return [
        route
        for route in ROUTES
        if route.name
        and route.name not in NOT_IN_MATRIX
        # allauth's own pages (log in, sign up…) are the library's, tested there.
        and not (route.name.startswith("account_") and ":" not in route.name)
    ]


@pytest.fixture
def cast(db):
    with all_networks():
        side = build_side(
            slug="red-misti",
            network_name="Red Misti",
            entity_name="Asociacion Chachani Verde",
            commission_name="Mesa del Voluntariado Escolar",
            email_stem="chachani",
            phone="+51 911 111 111",
        )
        other = build_side(
            slug="red-manglares",
            network_name="Red Manglares",
            entity_name="Colectivo Manglares Vivos",
            commission_name="Mesa del Dia del Voluntariado",
            email_stem="manglares",
            phone="+51 922 222 222",
        )
        side.network.kind = NetworkKind.REGIONAL
        side.network.save()
        member = factories.MembershipFactory(network=side.network, status=MembershipStatus.ACTIVE)
        interlocutor = factories.MembershipFactory(
            network=side.network, status=MembershipStatus.ACTIVE
        )
        assign_interlocutor(network=side.network, entity=interlocutor.entity, by=SYSTEM)
        facilitator = factories.FacilitatorFactory(network=side.network).user
    people = {
        "anonymous": None,
        "verified": factories.UserFactory(),
        "member_of_other_network": other.representative,
        "member": member.representative,
        "representative": side.representative,
        "alternate": side.alternate,
        "interlocutor": interlocutor.representative,
        "facilitator": facilitator,
        "site_admin": factories.UserFactory(is_superuser=True, is_staff=True),
    }
    return side, people


def outcome(response, *, posted):
    login = response.status_code == 302 and reverse("account_login") in response["Location"]
    if response.status_code in (401, 403, 404) or login:
        return "refused"
    # A page opens; a POST-only route does its work (or explains why not) and moves on.
    if response.status_code == 200 or (posted and response.status_code in (302, 400)):
        return "allowed"
    return f"answered {response.status_code} {response.get('Location', '')}"


def url_of(route, side):
    if "network_slug" in route.arguments:
        return url_for(route, side.network, side)
    kwargs = {name: ARGUMENT_OUTSIDE_NETWORKS[name](side) for name in route.arguments}
    return reverse(route.name, kwargs=kwargs)


ARGUMENT_OUTSIDE_NETWORKS = {"entity_slug": lambda side: side.entity.slug}


@pytest.mark.parametrize("route", matrix_routes(), ids=lambda route: route.id)
def test_every_view_lets_in_exactly_the_people_it_should(client, cast, route):
    side, people = cast
    if route.name not in EXPECTED:
        pytest.fail(
            f"{route.name} is not in EXPECTED of tests/test_permission_matrix.py: "
            "decide who may open it and add its row."
        )
    url = url_of(route, side)
    cells = {}
    for persona in PERSONAS:
        client.logout()
        if people[persona] is not None:
            client.force_login(people[persona])
        posted = route.name in POST_ONLY
        response = client.post(url) if posted else client.get(url)
        cells[persona] = outcome(response, posted=posted)
    expected = {
        persona: "allowed" if persona in EXPECTED[route.name] else "refused" for persona in PERSONAS
    }
    assert cells == expected, url
