import datetime as dt
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from commissions.models import Commission, CommissionMember, PromoterTerm
from core.actors import SYSTEM
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
