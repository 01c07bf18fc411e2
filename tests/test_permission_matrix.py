"""Who may open which page: every view of the project against every kind of person.

The routes are found automatically (the isolation harness's walker); each must
have a row in EXPECTED saying which personas may open it, so a new view cannot
be added without deciding who sees it. A cell is "allowed" when the page
answers 200, "refused" when it answers 403 or 404, or sends the person to log in.
"""

import uuid

import pytest
from django.db import transaction
from django.urls import reverse

from core.actors import SYSTEM
from events import confirmations
from members.models import MembershipStatus
from members.services import assign_interlocutor
from networks.models import NetworkKind
from networks.scoping import all_networks, network_scope
from tests import factories
from tests.isolation.bodies import BODIES, PREPARE, post
from tests.isolation.test_routes import ROUTES, build_side, snapshot, url_for

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
NOT_IN_MATRIX = {"calendar:feed", "workspace:invitation", "account_area:unsubscribe"}
# Routes that only take a POST: the matrix posts an empty form to them.
POST_ONLY = {
    "calendar:renew",
    "account_area:mark_read",
    "account_area:resend_verification",
    "account_area:revoke_api_token",
    "api:applications",
    "evidence:sociogram_sharing",
    "agenda:comment",
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
    "commissions:follow": MEMBERS | {"site_admin"},
    # The page says when none of the person's entities follows the commission.
    "commissions:unfollow": MEMBERS | {"site_admin"},
    # The conversation: entities sitting in the commission post; the author alone edits
    # and withdraws (the cast's representative wrote its message); the facilitator hides.
    "commissions:converse": ENTITY | {"site_admin"},
    "commissions:edit_post": {"representative"},
    "commissions:withdraw_post": {"representative"},
    "commissions:hide_post": RUNS_NETWORK,
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
    # Announcements: news for everyone, the rest for members and whoever runs the network;
    # written by the facilitator, the interlocutor and promoters (the cast's entity
    # promotes its commission); corrected by their author or the facilitator.
    "announcements:list": EVERYONE,
    "announcements:detail": MEMBERS | RUNS_NETWORK,
    "announcements:create": ENTITY | RUNS_NETWORK | {"interlocutor"},
    "announcements:correct": RUNS_NETWORK,
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
    # Decisions: read by the members and whoever runs the network; member entities
    # table and take positions, never the facilitator, who has no vote (4.2 a).
    "decisions:list": MEMBERS | RUNS_NETWORK,
    "decisions:commission_list": MEMBERS | RUNS_NETWORK,
    "decisions:detail": MEMBERS | RUNS_NETWORK,
    # The site admin opens every form, and the services refuse them what is an entity's.
    "decisions:create": MEMBERS | {"site_admin"},
    "decisions:governance": RUNS_NETWORK,
    "decisions:position": MEMBERS | {"site_admin"},
    "decisions:vote": MEMBERS | {"site_admin"},
    # The cast's entity tabled the proposal and organises the plenary on whose agenda it is.
    "decisions:amend": ENTITY | {"site_admin"},
    "decisions:withdraw": ENTITY | {"site_admin"},
    "decisions:plenary": ENTITY | {"site_admin"},
    "decisions:open_vote": ENTITY | RUNS_NETWORK,
    "decisions:review": ENTITY | RUNS_NETWORK,
    "decisions:carry": ENTITY | RUNS_NETWORK,
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
    # Proposals in the API: as on the pages.
    "api:proposals": MEMBERS | RUNS_NETWORK,
    "api:proposal": MEMBERS | RUNS_NETWORK,
    "api:proposal_positions": MEMBERS | RUNS_NETWORK,
    "api:proposal_open_vote": ENTITY | RUNS_NETWORK,
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
    "api:commission_leave": ENTITY | {"site_admin"},
    "api:commission_close": ENTITY | {"site_admin"},  # the cast's entity promotes it
    "api:commission_reopen": RUNS_NETWORK,
    # The facilitator's pages.
    **dict.fromkeys(
        [
            "facilitation:overview",
            "facilitation:applications",
            "facilitation:members",
            "facilitation:membership",
            "facilitation:interlocutor",
            "facilitation:activity",
            "facilitation:commissions",
            # The cast's network has a network under it: its facilitator compares them.
            "facilitation:regions",
            "evidence:analysis",
            "evidence:sociogram",
            "evidence:sociogram_sharing",
            # The yearly activity reports: generated, read and published by whoever runs it.
            "evidence:reports",
            "evidence:report",
            "evidence:report_pdf",
            "evidence:report_workbook",
            # Spreadsheets with people's contacts.
            "evidence:exports",
            "evidence:export",
            # Spreadsheets brought in write memberships and send invitations.
            "evidence:imports",
            "evidence:import",
        ],
        RUNS_NETWORK,
    ),
    # The public directory as data: public facts only, for everyone.
    "evidence:directory_download": EVERYONE,
    # The anonymised sociogram exists only once the network shares it (tests/evidence).
    "evidence:public_sociogram": frozenset(),
    # A yearly report the facilitator published (the cast's is): for everyone.
    "evidence:public_report": EVERYONE,
    # A member entity records whom it worked with; the facilitator reads the analysis.
    "evidence:collaborations": MEMBERS | {"site_admin"},
    # The annual agenda: published, it is everyone's; whoever runs the network drafts,
    # adds lines, opens and publishes it; the cast's entity promotes a commission it may
    # attach to a line. Only networks under this one comment, through their facilitator
    # or interlocutor: nobody of the cast speaks for its province but the site admin.
    "agenda:list": EVERYONE,
    "agenda:year": EVERYONE,
    "agenda:line": EVERYONE,
    "agenda:draft": RUNS_NETWORK,
    "agenda:add_line": RUNS_NETWORK,
    "agenda:advance": RUNS_NETWORK,
    "agenda:attach": ENTITY | RUNS_NETWORK,
    "agenda:comment": {"site_admin"},
    # The annual agenda in the API: read only, the cast's agenda is published.
    "api:agendas": EVERYONE,
    "api:agenda": EVERYONE,
    "api:agenda_line": EVERYONE,
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
        # A provincial network under the cast's, so the pages of a network with networks
        # under it (the national dashboard) are in the matrix too.
        factories.NetworkFactory(name="Red Provincial Caylloma", parent=side.network)
        member = factories.MembershipFactory(network=side.network, status=MembershipStatus.ACTIVE)
        interlocutor = factories.MembershipFactory(
            network=side.network, status=MembershipStatus.ACTIVE
        )
        assign_interlocutor(network=side.network, entity=interlocutor.entity, by=SYSTEM)
        facilitator = factories.FacilitatorFactory(network=side.network).user
    # The entity each persona would act for: their own, or the cast's when they have none.
    entities = dict.fromkeys(PERSONAS, side.entity)
    entities |= {
        "member": member.entity,
        "interlocutor": interlocutor.entity,
        "member_of_other_network": other.entity,
    }
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
    return side, people, entities


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
    side, people, _ = cast
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


ACTION_ROUTES = [route for route in matrix_routes() if route.name in BODIES]


def test_every_route_that_takes_a_post_has_a_valid_body(client, cast):
    """A new form or endpoint cannot join the project without its POST cells below."""
    side, people, _ = cast
    client.force_login(people["site_admin"])
    missing = []
    for route in matrix_routes():
        if route.name in BODIES or route.name in POST_ONLY:
            continue
        if "network_slug" not in route.arguments:
            continue  # a person's own account pages: tested with the account
        with transaction.atomic():
            response = client.post(url_of(route, side), {}, secure=True)
            transaction.set_rollback(True)
        if response.status_code != 405:
            missing.append(route.name)
    assert missing == [], (
        "These routes accept a POST but have no valid body in tests/isolation/bodies.py "
        f"nor a row in CHANGES of tests/test_permission_matrix.py: {missing}"
    )


@pytest.mark.parametrize("route", ACTION_ROUTES, ids=lambda route: route.id)
def test_every_action_changes_the_network_for_exactly_the_people_it_should(
    client, cast, route, monkeypatch
):
    """The POST cells: each persona sends a valid body for the entity they would act for;
    exactly the personas in CHANGES change a row of the network (each try rolled back)."""
    side, people, entities = cast
    if route.name not in CHANGES:
        pytest.fail(
            f"{route.name} is not in CHANGES of tests/test_permission_matrix.py: decide who "
            "may do it and add its row."
        )
    url = url_of(route, side)
    cells = {}
    for persona in PERSONAS:
        client.logout()
        if people[persona] is not None:
            client.force_login(people[persona])
        # Each persona finds the network as it was, and mail limits afresh: the
        # counters live in Redis, which outlives the run, so each try keys its own.
        monkeypatch.setattr(confirmations, "KEY_PREFIX", f"post-cells-{uuid.uuid4().hex}")
        with transaction.atomic(), network_scope(side.network):
            if route.name in PREPARE:
                PREPARE[route.name](side)
            body = BODIES[route.name](side, entities[persona])
            before = snapshot(side)
            response = post(client, route.name, url, body)
            changed = snapshot(side) != before
            transaction.set_rollback(True)
        assert response.status_code < 500, (persona, url)
        cells[persona] = "changes" if changed else "changes nothing"
    expected = {
        persona: "changes" if persona in CHANGES[route.name] else "changes nothing"
        for persona in PERSONAS
    }
    assert cells == expected, url


# Who changes the network by sending each action's valid body. Beside who may
# open the form (EXPECTED), the cast's state decides: the cast's entity already
# sits in its commission and is registered for its event, so joining, stepping
# up and registering are for the other member entities.
NOT_YET_IN = frozenset({"member", "interlocutor"})
CHANGES = {
    # The facilitator and the interlocutor write to the network, promoters to their commission.
    "announcements:create": ENTITY | RUNS_NETWORK | {"interlocutor"},
    "announcements:correct": RUNS_NETWORK,
    # Applying needs an entity outside the network: the other network's member has one.
    "members:apply": {"member_of_other_network"},
    "api:applications": {"member_of_other_network"},
    "members:accept_charter": ENTITY | {"site_admin"},
    "members:representatives": ENTITY | {"site_admin"},
    # The facilitator stays neutral: no commission action is theirs but reopening.
    "commissions:propose": MEMBERS,
    "commissions:join": NOT_YET_IN,
    "commissions:follow": NOT_YET_IN,
    # Nobody of the cast follows its commission: there is nothing to stop.
    "commissions:unfollow": frozenset(),
    "commissions:converse": ENTITY,
    "commissions:edit_post": {"representative"},
    "commissions:withdraw_post": {"representative"},
    "commissions:hide_post": RUNS_NETWORK,
    "api:commission_join": NOT_YET_IN,
    "commissions:step_up": NOT_YET_IN,
    "api:commission_step_up": NOT_YET_IN,
    **dict.fromkeys(
        [
            "commissions:leave",
            "api:commission_leave",
            "commissions:step_down",
            "api:commission_step_down",
            "commissions:post_update",
            "api:commission_updates",
            "commissions:comment",
            "api:commission_update_comments",
            "commissions:add_topic",
            "commissions:move_topic",
            "commissions:add_action",
            "commissions:action_status",
            "commissions:close",
            "api:commission_close",
            "commissions:sheet",
            "events:decision_action",
        ],
        ENTITY,
    ),
    "commissions:reopen": RUNS_NETWORK,
    "api:commission_reopen": RUNS_NETWORK,
    # A commission meeting is called by an entity that sits in the commission.
    "events:create": ENTITY,
    **dict.fromkeys(
        [
            "events:edit",
            "events:agenda_add",
            "events:announce",
            "events:cancel",
            "events:registration_cancel",
            "api:event_registration_cancel",
            "events:attendance",
            "events:minutes",
            "events:minutes_publish",
        ],
        ENTITY | RUNS_NETWORK,
    ),
    "events:register_entity": NOT_YET_IN,
    "api:event_registrations": NOT_YET_IN,
    # Anybody registers in person for a public event; a secret link works for whoever holds it.
    "events:register_person": EVERYONE,
    "events:confirm_by_link": EVERYONE,
    "events:cancel_by_link": EVERYONE,
    "facilitation:membership": RUNS_NETWORK,
    "facilitation:interlocutor": RUNS_NETWORK,
    "evidence:collaborations": MEMBERS,
    "evidence:analysis": RUNS_NETWORK,
    "evidence:sociogram_sharing": RUNS_NETWORK,
    "evidence:reports": RUNS_NETWORK,
    "evidence:report": RUNS_NETWORK,
    "evidence:imports": RUNS_NETWORK,
    "evidence:import": RUNS_NETWORK,
    "decisions:create": MEMBERS,
    "decisions:governance": RUNS_NETWORK,
    "decisions:position": MEMBERS,
    "decisions:vote": MEMBERS,
    "decisions:plenary": ENTITY,
    "decisions:amend": ENTITY,
    "decisions:withdraw": ENTITY,
    "decisions:open_vote": ENTITY | RUNS_NETWORK,
    "decisions:review": ENTITY | RUNS_NETWORK,
    "decisions:carry": ENTITY | RUNS_NETWORK,
    "api:proposal_positions": MEMBERS,
    "api:proposal_open_vote": ENTITY | RUNS_NETWORK,
    "agenda:draft": RUNS_NETWORK,
    "agenda:add_line": RUNS_NETWORK,
    "agenda:advance": RUNS_NETWORK,
    # The cast's entity promotes its commission; the facilitator runs its network.
    "agenda:attach": ENTITY | RUNS_NETWORK,
}
