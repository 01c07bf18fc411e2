import datetime as dt
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from commissions.models import Commission, CommissionMember, PromoterTerm
from core.actors import SYSTEM
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
from demo import demo_data
from members.models import Entity, Membership, MembershipStatus, PriorityArea, User
from networks.models import Network
from networks.scoping import network_scope
from networks.selectors import current_charter, facilitated_network_ids
from networks.services import appoint_facilitator, publish_charter
from platforms.models import Platform


class Command(BaseCommand):
    help = (
        "Load the Soy Voluntari@ demo: the national network, its six regional networks with "
        "their entities and commissions, a demo facilitator and a demo site admin. Running it "
        "again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (the demo accounts have a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo creates accounts with a published password: run it with DEBUG=1, "
                "or pass --force if this really is a demonstration site."
            )
        started = time.monotonic()
        with transaction.atomic():
            loader = DemoLoader()
            loader.load()
        for line in loader.report:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {time.monotonic() - started:.1f} s ({loader.created} rows created)."
            )
        )
        self.stdout.write(
            f"Facilitator login: {demo_data.FACILITATOR.email} / {demo_data.DEMO_PASSWORD}"
        )
        self.stdout.write(
            f"Site admin login:  {demo_data.SITE_ADMIN.email} / {demo_data.DEMO_PASSWORD}"
        )


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


def aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


class DemoLoader:
    """Creates what is missing and leaves alone what exists, so a second run is a no-op."""

    def __init__(self):
        self.created = 0
        self.report = []
        self.areas = {area.code: area for area in PriorityArea.objects.all()}

    def get_or_create(self, model, defaults=None, **lookup):
        manager = model._default_manager
        if hasattr(manager, "with_scopes_disabled"):
            manager = manager.with_scopes_disabled()
        obj, created = manager.get_or_create(defaults=defaults, **lookup)
        self.created += created
        return obj, created

    def load(self):
        self.account(demo_data.SITE_ADMIN, is_superuser=True)
        national = self.network(demo_data.NATIONAL, parent=None)
        networks = [national]
        used_names = set()
        for plan in demo_data.REGIONAL:
            network = self.network(plan, parent=national)
            self.members(network, plan, used_names)
            networks.append(network)
        facilitator = self.account(demo_data.FACILITATOR)
        already = facilitated_network_ids(facilitator)
        for network in networks:
            if network.pk not in already:
                appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
                self.created += 1

    def account(self, plan, *, is_superuser=False):
        user, created = self.get_or_create(
            User,
            email=plan.email,
            defaults={
                "username": plan.email,
                "first_name": plan.first_name,
                "last_name": plan.last_name,
                "phone": plan.phone,
                "is_staff": is_superuser,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(demo_data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # Demo accounts log in at once: their address counts as verified.
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        return user

    def network(self, plan, *, parent):
        network, _created = self.get_or_create(
            Network,
            slug=plan.slug,
            defaults={
                "name": plan.name,
                "kind": plan.kind,
                "parent": parent,
                "region": plan.region,
                "founded_on": plan.founded_on,
                "commission_on_joining": plan.commission_on_joining,
            },
        )
        if current_charter(network) is None:
            publish_charter(
                network=network,
                mission=demo_data.MISSION,
                vision=demo_data.VISION,
                principles=demo_data.PRINCIPLES,
                code_of_ethics=demo_data.CODE_OF_ETHICS,
                commitment=demo_data.COMMITMENT,
                by=SYSTEM,
            )
            self.created += 1
        return network

    def person(self, plan):
        user, created = self.get_or_create(
            User,
            email=plan.email,
            defaults={
                "username": plan.email,
                "first_name": plan.first_name,
                "last_name": plan.last_name,
                "phone": plan.phone,
            },
        )
        if created:
            # Representatives of the demo do not log in; only the two demo accounts do.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def members(self, network, plan, used_names):
        entities = demo_data.plan_entities(plan, used_names)
        charter = current_charter(network)
        with network_scope(network):
            platforms = {platform.sector: platform for platform in Platform.objects.all()}
            commissions = {}
            for commission_plan in plan.commissions:
                commission, _created = self.get_or_create(
                    Commission,
                    network=network,
                    name=commission_plan.name,
                    defaults={
                        "kind": commission_plan.kind,
                        "purpose": commission_plan.purpose,
                        "started_on": max(plan.founded_on, dt.date(2014, 4, 5)),
                    },
                )
                commissions[commission.name] = commission
            for entity_plan in entities:
                entity = self.entity(entity_plan)
                self.get_or_create(
                    Membership,
                    network=network,
                    entity=entity,
                    defaults={
                        "platform": platforms[entity_plan.sector],
                        "status": MembershipStatus.ACTIVE,
                        "applied_at": aware(entity_plan.joined_on),
                        "joined_at": aware(entity_plan.joined_on),
                        "status_changed_at": aware(entity_plan.joined_on),
                        "representative": self.person(entity_plan.representative),
                        "alternate": self.person(entity_plan.alternate),
                        "charter_version": charter,
                        "charter_accepted_at": aware(entity_plan.joined_on),
                    },
                )
                for name in entity_plan.commissions:
                    self.get_or_create(
                        CommissionMember,
                        commission=commissions[name],
                        entity=entity,
                        defaults={
                            "network": network,
                            "joined_on": max(entity_plan.joined_on, commissions[name].started_on),
                        },
                    )
            self.promoters(network, commissions.values())
            self.decisions(network)
        self.report.append(
            f"{network.name}: {len(entities)} entities, {len(commissions)} commissions"
        )

    def promoters(self, network, commissions):
        """Each commission starts with one promoter: its first member (section 4.2 b)."""
        for commission in commissions:
            if PromoterTerm.objects.filter(commission=commission).exists():
                continue
            first = (
                CommissionMember.objects.filter(commission=commission)
                .order_by("joined_on", "id")
                .first()
            )
            if first is not None:
                PromoterTerm.objects.create(
                    network=network,
                    commission=commission,
                    entity_id=first.entity_id,
                    started_at=aware(first.joined_on),
                )
                self.created += 1

    def decisions(self, network):
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
        now = timezone.now()
        for plan in DEMO_DECISIONS[network.slug]:
            proposal, created = self.get_or_create(
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
            self.created += len(stances) + len(choices)
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

    def entity(self, plan):
        entity, created = self.get_or_create(
            Entity,
            slug=plan.slug,
            defaults={
                "name": plan.name,
                "kind": plan.kind,
                "legally_registered": plan.legally_registered,
                "region": plan.region,
                "city": plan.city,
                "website": plan.website,
                "description": plan.description,
            },
        )
        if created:
            entity.priority_areas.set([self.areas[code] for code in plan.areas])
        return entity
