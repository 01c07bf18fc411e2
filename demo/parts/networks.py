"""The national network and its regional networks: charters, members, commissions, promoters.

The numbers are the model's (`demo.demo_data`): which networks, when founded,
how many entities and which commissions each has. The facilitator facilitates
every network; the site admin administers the site.
"""

import datetime as dt

from django.utils import timezone

from commissions.models import Commission, CommissionMember, PromoterTerm
from core.actors import SYSTEM
from demo import demo_data
from members.models import Entity, Membership, MembershipStatus, PriorityArea
from networks.models import Network
from networks.scoping import network_scope
from networks.selectors import current_charter, facilitated_network_ids
from networks.services import appoint_facilitator, publish_charter
from platforms.models import Platform

ORDER = 10


def aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def load(demo):
    demo.site_admin = demo.account(demo_data.SITE_ADMIN, is_superuser=True)
    national = _network(demo, demo_data.NATIONAL, parent=None)
    demo.networks[national.slug] = national
    used_names = set()
    areas = {area.code: area for area in PriorityArea.objects.all()}
    for plan in demo_data.REGIONAL:
        network = _network(demo, plan, parent=national)
        _members(demo, network, plan, used_names, areas)
        demo.networks[network.slug] = network
    demo.facilitator = demo.account(demo_data.FACILITATOR)
    already = facilitated_network_ids(demo.facilitator)
    for network in demo.networks.values():
        if network.pk not in already:
            appoint_facilitator(network=network, user=demo.facilitator, by=SYSTEM)
            demo.created += 1


def _network(demo, plan, *, parent):
    network, _created = demo.get_or_create(
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
        demo.created += 1
    return network


def _members(demo, network, plan, used_names, areas):
    entities = demo_data.plan_entities(plan, used_names)
    charter = current_charter(network)
    with network_scope(network):
        platforms = {platform.sector: platform for platform in Platform.objects.all()}
        commissions = {}
        for commission_plan in plan.commissions:
            commission, _created = demo.get_or_create(
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
            entity = _entity(demo, entity_plan, areas)
            demo.get_or_create(
                Membership,
                network=network,
                entity=entity,
                defaults={
                    "platform": platforms[entity_plan.sector],
                    "status": MembershipStatus.ACTIVE,
                    "applied_at": aware(entity_plan.joined_on),
                    "joined_at": aware(entity_plan.joined_on),
                    "status_changed_at": aware(entity_plan.joined_on),
                    "representative": demo.person(entity_plan.representative),
                    "alternate": demo.person(entity_plan.alternate),
                    "charter_version": charter,
                    "charter_accepted_at": aware(entity_plan.joined_on),
                },
            )
            for name in entity_plan.commissions:
                demo.get_or_create(
                    CommissionMember,
                    commission=commissions[name],
                    entity=entity,
                    defaults={
                        "network": network,
                        "joined_on": max(entity_plan.joined_on, commissions[name].started_on),
                    },
                )
        _promoters(demo, network, commissions.values())
    demo.say(f"{network.name}: {len(entities)} entities, {len(commissions)} commissions")


def _promoters(demo, network, commissions):
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
            demo.created += 1


def _entity(demo, plan, areas):
    entity, created = demo.get_or_create(
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
        entity.priority_areas.set([areas[code] for code in plan.areas])
    return entity
