"""A valid body for every route that changes something, naming the objects of one side.

`BODIES[route name](side, entity)` is what a person acting for `entity` would
send to that route when its URL names `side`'s objects: the form a page
submits, or the JSON an API client posts. The permission matrix posts them as
each persona and expects exactly the allowed personas to change the network;
the isolation harness posts them in network A's URL naming network B's objects
and expects nothing to change. A route that accepts a POST without a body here
fails `test_every_route_that_takes_a_post_has_a_valid_body`.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agenda.models import Agenda, AgendaState
from commissions.services import close_as_completed
from decisions.models import Proposal, ProposalState
from events.models import Event, EventStatus, Minutes, Registration, RegistrationStatus
from evidence.models import CollaborationKind
from members.models import Entity, Membership, MembershipStatus
from networks.models import CharterVersion
from networks.scoping import all_networks, network_scope
from networks.selectors import current_charter


def _when(days, hours=0):
    moment = timezone.localtime(timezone.now() + timedelta(days=days, hours=hours))
    return moment.strftime("%Y-%m-%dT%H:%M")


def _acting(side, entity):
    return {"entity": entity.pk}


def _charter_version(side):
    with network_scope(side.network):
        charter = current_charter(side.network)
    return charter.pk if charter is not None else ""


def _event(side, entity):
    return {
        "kind": "commission_meeting",
        "title": "Reunion de la comision",
        "format": "in_person",
        "place": "Local comunal",
        "starts_at": _when(20),
        "ends_at": _when(20, hours=2),
        "visibility": "public",
        "commission": side.commission.pk,
        "organisers": [entity.pk],
        "reminders_enabled": "on",
        "reminder_days": "1",
    }


def _minutes(side, entity):
    return {
        "summary": "Se acordo el plan del semestre.",
        "decisions-TOTAL_FORMS": "1",
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "50",
        "decisions-0-text": "Organizar la feria del voluntariado",
        "decisions-0-follow_up": "",
        "decisions-0-commission": "",
    }


def _collaboration(side, entity):
    """A collaboration with another active member entity of the side's network."""
    with all_networks():
        partner = (
            Membership.objects.filter(network=side.network, status=MembershipStatus.ACTIVE)
            .exclude(entity=entity)
            .order_by("pk")
            .values_list("entity_id", flat=True)
            .first()
        )
    return {
        "from_entity": entity.pk,
        "to_entity": partner or "",
        "kind": CollaborationKind.HELP,
        "what": "Nos prestaron su local para la feria.",
        "happened_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
    }


# Pages: the fields of the form each one submits.
PAGE_BODIES = {
    "members:apply": lambda side, entity: {
        "entity": entity.pk,
        "platform": side.platform.pk,
        "charter_version": _charter_version(side),
        "accept_charter": "on",
        "alternate_email": "",
        "commission": "",
    },
    "members:accept_charter": lambda side, entity: {
        "charter_version": _charter_version(side),
        "accept_charter": "on",
    },
    "members:representatives": lambda side, entity: {
        "role": "alternate",
        "alternate-role": "alternate",
        "alternate-email": "nueva.suplente@example.net",
    },
    "commissions:propose": lambda side, entity: {
        "entity": entity.pk,
        "name": "Comision de Voluntariado Ambiental",
        "kind": "thematic",
        "purpose": "Cuidar las lomas con escolares.",
        "topics": "Lomas\nEscolares",
    },
    "commissions:join": _acting,
    "commissions:follow": _acting,
    "commissions:unfollow": _acting,
    "commissions:leave": _acting,
    "commissions:step_up": _acting,
    "commissions:step_down": lambda side, entity: {
        "entity": entity.pk,
        "reason": "Cambiamos de directiva.",
    },
    "commissions:post_update": lambda side, entity: {
        "entity": entity.pk,
        "text": "Visitamos tres colegios.",
        "actions": [side.action.pk],
    },
    "commissions:comment": lambda side, entity: {"entity": entity.pk, "text": "Bien hecho."},
    "commissions:converse": lambda side, entity: {
        "entity": entity.pk,
        "text": "¿Nos vemos el martes?",
    },
    "commissions:edit_post": lambda side, entity: {"text": "¿Nos vemos el miércoles?"},
    "commissions:withdraw_post": lambda side, entity: {},
    "commissions:hide_post": lambda side, entity: {"reason": "Datos personales de un tercero."},
    "commissions:add_topic": lambda side, entity: {"entity": entity.pk, "title": "Reciclaje"},
    "commissions:move_topic": lambda side, entity: {"entity": entity.pk, "direction": "down"},
    "commissions:add_action": lambda side, entity: {
        "entity": entity.pk,
        "title": "Convocar a los colegios",
        "topic": side.topic.pk,
        "responsible": entity.pk,
        "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    },
    "commissions:action_status": lambda side, entity: {"entity": entity.pk, "status": "done"},
    "commissions:close": lambda side, entity: {
        "entity": entity.pk,
        "note": "Cumplimos el plan.",
        "confirm": "on",
    },
    "commissions:reopen": lambda side, entity: {"reason": "Se cerro por error."},
    "commissions:sheet": lambda side, entity: {
        "entity": entity.pk,
        "participants": "Cinco entidades",
        "objectives": "Llevar voluntariado a los colegios.",
        "methodology": "Visitas.",
        "activities": "Tres visitas.",
        "results": "Cien escolares.",
        "evaluation": "Buena.",
    },
    "events:create": _event,
    "events:edit": lambda side, entity: {**_event(side, entity), "kind": side.event.kind},
    "events:agenda_add": lambda side, entity: {
        "title": "Plan de la feria",
        "proposer": entity.pk,
        "proposal": "Hacerla en mayo.",
    },
    "events:announce": lambda side, entity: {},
    "events:cancel": lambda side, entity: {"reason": "Lluvias."},
    "events:register_entity": lambda side, entity: {"entity": entity.pk, "people": 3},
    "events:register_person": lambda side, entity: {
        "name": "Rosa Quispe",
        "email": "rosa.quispe@example.net",
    },
    "events:registration_cancel": lambda side, entity: {},
    "events:attendance": lambda side, entity: {f"attended_{side.registration.pk}": 2},
    "events:minutes": _minutes,
    "events:minutes_publish": lambda side, entity: {},
    "events:decision_action": lambda side, entity: {
        "entity": entity.pk,
        "responsible": entity.pk,
        "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    },
    "events:cancel_by_link": lambda side, entity: {},
    "events:confirm_by_link": lambda side, entity: {},
    # Without `audience`: each person writes to the one audience they may reach.
    "announcements:create": lambda side, entity: {
        "title": "Plenaria de diciembre",
        "body": "La plenaria será el 12 de diciembre.",
    },
    "announcements:correct": lambda side, entity: {"text": "Es a las 10:00, no a las 9:00."},
    "decisions:create": lambda side, entity: {
        "entity": entity.pk,
        "title": "Adoptar el reglamento",
        "text": "La red adopta su reglamento interno.",
        "closes_at": _when(5),
        "event": "",
    },
    "decisions:governance": lambda side, entity: {
        "rule": "consent_then_vote",
        "threshold_numerator": 4,
        "threshold_denominator": 5,
        "quorum_percent": 50,
        "min_membership_days": "",
    },
    "decisions:position": lambda side, entity: {
        "entity": entity.pk,
        "stance": "stand_aside",
        "note": "No es nuestro tema.",
    },
    "decisions:plenary": lambda side, entity: {
        "entity": entity.pk,
        "stance": "agree",
        "note": "",
    },
    "decisions:vote": lambda side, entity: {"entity": entity.pk, "choice": "yes"},
    "decisions:amend": lambda side, entity: {
        "text": "La red adopta su reglamento con un plazo de consulta.",
        "note": "Plazo de consulta.",
    },
    "decisions:open_vote": lambda side, entity: {"closes_at": _when(3)},
    "decisions:review": lambda side, entity: {
        "review_on": (timezone.localdate() + timedelta(days=180)).isoformat()
    },
    "decisions:withdraw": lambda side, entity: {},
    "decisions:carry": lambda side, entity: {
        "commission": side.commission.pk,
        "follow_up": "Difundir el reglamento",
    },
    "facilitation:membership": lambda side, entity: {
        "status": "suspended",
        "current": "active",
        "reason": "No participa desde hace un año.",
    },
    "facilitation:interlocutor": lambda side, entity: {
        "membership": side.membership.pk,
        "reason": "Lo eligio la plenaria.",
    },
    "evidence:collaborations": _collaboration,
    "evidence:analysis": lambda side, entity: {},
    "evidence:sociogram_sharing": lambda side, entity: {"public": "1"},
    "evidence:reports": lambda side, entity: {"year": str(side.report.year)},
    "evidence:report": lambda side, entity: {"publish": "0"},
    "evidence:imports": lambda side, entity: {
        "kind": "members",
        "file": SimpleUploadedFile(
            "entidades.csv",
            b"Nombre,Tipo,Plataforma\nGrupo Nuevo del Harness,ONG,Sociedad civil\n",
        ),
    },
    # Cancelling deletes the side's upload, waiting for confirmation.
    "evidence:import": lambda side, entity: {"action": "cancel"},
    "agenda:draft": lambda side, entity: {"year": 2040, "introduction": "Un año de trabajo."},
    "agenda:add_line": lambda side, entity: {
        "title": "Desarrollo social",
        "purpose": "Acompañar a las comunidades en su desarrollo.",
        "topics": "pobreza, salud",
    },
    "agenda:advance": lambda side, entity: {"proposal": ""},
    "agenda:attach": lambda side, entity: {"commission": side.commission.pk},
}

# The API: JSON, entities named by slug.
API_BODIES = {
    "api:applications": lambda side, entity: {
        "entity": entity.slug,
        "platform": side.platform.pk,
        "charter_version": _charter_version(side) or None,
    },
    "api:commission_join": lambda side, entity: {"entity": entity.slug},
    "api:commission_leave": lambda side, entity: {"entity": entity.slug},
    "api:commission_step_up": lambda side, entity: {"entity": entity.slug},
    "api:commission_step_down": lambda side, entity: {
        "entity": entity.slug,
        "reason": "Cambiamos de directiva.",
    },
    "api:commission_close": lambda side, entity: {
        "entity": entity.slug,
        "note": "Cumplimos el plan.",
        "confirm": True,
    },
    "api:commission_reopen": lambda side, entity: {"reason": "Se cerro por error."},
    "api:commission_updates": lambda side, entity: {
        "entity": entity.slug,
        "text": "Visitamos tres colegios.",
        "actions": [side.action.pk],
    },
    "api:commission_update_comments": lambda side, entity: {
        "entity": entity.slug,
        "text": "Bien hecho.",
    },
    "api:event_registrations": lambda side, entity: {"entity": entity.slug, "people": 3},
    "api:event_registration_cancel": lambda side, entity: {},
    "api:proposal_positions": lambda side, entity: {
        "entity": entity.slug,
        "stance": "agree",
        "note": "",
    },
    "api:proposal_open_vote": lambda side, entity: {
        "closes_at": (timezone.now() + timedelta(days=3)).isoformat()
    },
}

BODIES = {**PAGE_BODIES, **API_BODIES}


def _closed(side):
    close_as_completed(
        commission=side.commission,
        entity=side.entity,
        by=side.representative,
        note="Cumplimos el plan.",
    )


def _new_charter(side):
    CharterVersion.objects.create(
        network=side.network,
        version=2,
        mission="Unir a quienes hacen voluntariado.",
        vision="Un pais solidario.",
        principles="Horizontalidad.",
        code_of_ethics="Respeto.",
    )


def _event_started(side):
    Event.objects.filter(pk=side.event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )


def _event_draft(side):
    Event.objects.filter(pk=side.event.pk).update(status=EventStatus.DRAFT)


def _minutes_unpublished(side):
    Minutes.objects.filter(event=side.event).update(published_at=None)


def _registration_pending(side):
    Registration.objects.filter(pk=side.registration.pk).update(
        status=RegistrationStatus.PENDING, expires_at=timezone.now() + timedelta(days=1)
    )


def _another_member(side):
    entity = Entity.objects.create(name="Voluntarios del Valle", slug=f"valle-{side.network.pk}")
    Membership.objects.create(
        network=side.network,
        entity=entity,
        platform=side.platform,
        status=MembershipStatus.ACTIVE,
        joined_at=timezone.now(),
    )


def _proposal_voting(side):
    Proposal.objects.filter(pk=side.proposal.pk).update(
        state=ProposalState.VOTING,
        vote_opened_at=timezone.now(),
        vote_closes_at=timezone.now() + timedelta(days=2),
    )


def _proposal_adopted(side):
    Proposal.objects.filter(pk=side.proposal.pk).update(
        state=ProposalState.ADOPTED, decided_by="consent", decided_at=timezone.now()
    )


# What a route needs before its body can change anything: the state in which a
# person would find its form. Run inside the same rolled-back transaction.
def _agenda_in(state):
    def prepare(side):
        Agenda.objects.filter(pk=side.agenda.pk).update(state=state)

    return prepare


PREPARE = {
    "agenda:add_line": _agenda_in(AgendaState.DRAFTED),
    "agenda:advance": _agenda_in(AgendaState.OPEN),
    "decisions:plenary": _event_started,
    "decisions:vote": _proposal_voting,
    "decisions:review": _proposal_adopted,
    "decisions:carry": _proposal_adopted,
    "members:accept_charter": _new_charter,
    "commissions:reopen": _closed,
    "api:commission_reopen": _closed,
    "commissions:sheet": _closed,
    "events:announce": _event_draft,
    "events:attendance": _event_started,
    "events:minutes": _event_started,
    "events:minutes_publish": _minutes_unpublished,
    "events:confirm_by_link": _registration_pending,
    "evidence:collaborations": _another_member,
}


def post(client, route_name, url, body):
    """POST `body` the way its route expects it: a form, or JSON for the API."""
    if route_name in API_BODIES:
        return client.post(url, body, content_type="application/json", secure=True)
    return client.post(url, body, secure=True)
