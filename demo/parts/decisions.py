"""Decisions: what Lima and Arequipa decided, and what Lima is deciding now."""

import datetime as dt

from decisions.models import (
    Choice,
    DecidedBy,
    DecisionRule,
    Position,
    Proposal,
    ProposalState,
    Stance,
    Vote,
)
from members.models import Membership, MembershipStatus
from networks.scoping import network_scope

ORDER = 40

AGREE = (Stance.AGREE, "")
ASIDE = (Stance.STAND_ASIDE, "No es nuestra área, pero podemos vivir con ello.")
DAYS = dt.timedelta(days=1)

# What the demo networks decided, and what Lima is deciding now.
DEMO_DECISIONS = {
    "lima": [
        {
            "title": "Adoptar el código de ética de la red",
            "text": (
                "La Red de Voluntariado de Lima adopta el código de ética trabajado en las "
                "mesas de diálogo: respeto a la dignidad de las personas voluntarias, "
                "transparencia, no discriminación y trabajo sin fines de lucro político."
            ),
            "opens": -120 * DAYS,
            "closes": -106 * DAYS,
            "state": ProposalState.ADOPTED,
            "positions": [AGREE] * 9 + [ASIDE] * 2,
        },
        {
            "title": "Feria del voluntariado en el Día Internacional del Voluntariado",
            "text": (
                "Organizar una feria en la Plaza San Martín el 5 de diciembre, con un stand "
                "por plataforma y una comisión de evento que la coordine."
            ),
            "opens": -2 * DAYS,
            "closes": 5 * DAYS,
            "state": ProposalState.OPEN,
            "positions": [
                AGREE,
                AGREE,
                ASIDE,
                (
                    Stance.OBJECT,
                    "Aceptaríamos si la feria incluye actividades en Lima Sur y no solo "
                    "en el centro.",
                ),
            ],
        },
    ],
    "arequipa": [
        {
            "title": "Calendario regional común de voluntariado",
            "text": (
                "Las entidades de la red publican sus actividades abiertas en un calendario "
                "regional común, revisado cada trimestre en plenaria."
            ),
            "opens": -90 * DAYS,
            "closes": -76 * DAYS,
            "state": ProposalState.ADOPTED,
            "positions": [AGREE] * 7
            + [
                (Stance.OBJECT, "Aceptaríamos con una revisión semestral y no trimestral."),
                (Stance.OBJECT, "Aceptaríamos si las entidades informales pueden publicar."),
            ],
            # 8 yes and 2 no: 80 % of yes + no, over the three quarters needed.
            "votes": [Choice.YES] * 8 + [Choice.NO] * 2 + [Choice.ABSTAIN],
        },
    ],
}


def load(demo):
    for slug in DEMO_DECISIONS:
        network = demo.network(slug)
        with network_scope(network):
            _decisions(demo, network)


def _decisions(demo, network):
    """Decided proposals and an open one, so that a newcomer sees the flow at once.

    Lima adopted its code of ethics by consent (section 3 of the model: its
    by-laws and code of ethics came from consensus); Arequipa settled a regional
    calendar by a vote that passed with 80 % after two objections stood; Lima
    has a proposal open now, with positions taken.
    """
    if network.slug not in DEMO_DECISIONS:
        return
    memberships = list(
        Membership.objects.filter(status=MembershipStatus.ACTIVE)
        .select_related("entity")
        .order_by("joined_at", "id")
    )
    if len(memberships) < 12:
        return
    entities = [membership.entity for membership in memberships]
    now = demo.now
    for plan in DEMO_DECISIONS[network.slug]:
        proposal, created = demo.get_or_create(
            Proposal,
            network=network,
            title=plan["title"],
            defaults={
                "text": plan["text"],
                "proposer": entities[0],
                "created_at": now + plan["opens"],
                "opens_at": now + plan["opens"],
                "closes_at": now + plan["closes"],
                "rule": DecisionRule.CONSENT_THEN_VOTE,
                "state": plan["state"],
            },
        )
        if not created:
            continue
        stances = plan["positions"]
        Position.objects.bulk_create(
            Position(
                network=network,
                proposal=proposal,
                entity=entity,
                stance=stance,
                note=note,
                taken_at=proposal.opens_at + dt.timedelta(hours=index + 1),
            )
            for index, (entity, (stance, note)) in enumerate(
                zip(entities[1 : 1 + len(stances)], stances, strict=True)
            )
        )
        choices = plan.get("votes", [])
        Vote.objects.bulk_create(
            Vote(
                network=network,
                proposal=proposal,
                entity=entity,
                choice=choice,
                taken_at=proposal.closes_at + dt.timedelta(days=1, hours=index),
            )
            for index, (entity, choice) in enumerate(
                zip(entities[1 : 1 + len(choices)], choices, strict=True)
            )
        )
        demo.created += len(stances) + len(choices)
        if proposal.state == ProposalState.ADOPTED:
            proposal.decided_by = DecidedBy.VOTE if choices else DecidedBy.CONSENT
            proposal.eligible_count = len(entities)
            proposal.agree_count = sum(1 for s, _n in stances if s == Stance.AGREE)
            proposal.stand_aside_count = sum(1 for s, _n in stances if s == Stance.STAND_ASIDE)
            proposal.object_count = sum(1 for s, _n in stances if s == Stance.OBJECT)
            proposal.yes_count = choices.count(Choice.YES)
            proposal.no_count = choices.count(Choice.NO)
            proposal.abstain_count = choices.count(Choice.ABSTAIN)
            if choices:
                proposal.quorum_met = True
                proposal.vote_opened_at = proposal.closes_at
                proposal.vote_closes_at = proposal.closes_at + dt.timedelta(days=7)
            proposal.decided_at = proposal.vote_closes_at or proposal.closes_at
            proposal.save()
