"""Levels beyond the regions: a provincial network under Arequipa, and a second country.

The model names its next steps: the provincial and municipal level, where today
the regional approach draws mostly the entities with a seat in the regional
capital, and its spread to Latin America and the Caribbean (recommendation 3).
The demo opens both the way a site would. Arequipa's facilitator opens the
network of the province of Islay, whose members are Arequipa's entities based in
Mollendo, its capital: they stay in the regional network and now act in the
province's too. The site admin opens another country's national network, with
one regional network under it, its own facilitator and time zone, and no
members yet.
"""

import datetime as dt

from core.actors import SYSTEM
from demo import demo_data
from members.models import Membership, MembershipStatus
from networks.models import Network, NetworkKind, NetworkStatus
from networks.scoping import network_scope
from networks.services import appoint_facilitator, open_network, publish_charter
from platforms.models import Platform

ORDER = 16  # after `networks` (10), which makes Arequipa and its members

PROVINCE = {
    "slug": "islay",
    "name": "Red de Voluntariado de la Provincia de Islay",
    "region": "Islay",
    "city": "Mollendo",
}
COUNTRY = {
    "slug": "bolivia",
    "name": "Red Nacional de Voluntariado de Bolivia",
    "time_zone": "America/La_Paz",
}
COUNTRY_REGION = {"slug": "la-paz", "name": "Red de Voluntariado de La Paz", "region": "La Paz"}


def load(demo):
    arequipa = demo.networks.get("arequipa")
    if arequipa is not None:
        _province(demo, arequipa)
    _country(demo)


def _province(demo, arequipa):
    if Network.objects.filter(slug=PROVINCE["slug"]).exists():
        return
    province = open_network(
        name=PROVINCE["name"],
        slug=PROVINCE["slug"],
        kind=NetworkKind.LOCAL,
        parent=arequipa,
        region=PROVINCE["region"],
        by=demo.facilitator,
    )
    charter = _charter(province)
    appoint_facilitator(network=province, user=demo.facilitator, by=SYSTEM)
    demo.created += 2
    joined_at = demo.now - dt.timedelta(days=40)
    with network_scope(province):
        platforms = {platform.sector: platform for platform in Platform.objects.all()}
        for membership in demo.members(arequipa):
            if membership.entity.city != PROVINCE["city"]:
                continue
            # The same people speak for the entity here as in the regional network.
            demo.get_or_create(
                Membership,
                network=province,
                entity=membership.entity,
                defaults={
                    "platform": platforms[membership.platform.sector],
                    "status": MembershipStatus.ACTIVE,
                    "applied_at": joined_at,
                    "joined_at": joined_at,
                    "status_changed_at": joined_at,
                    "representative": membership.representative,
                    "alternate": membership.alternate,
                    "charter_version": charter,
                    "charter_accepted_at": joined_at,
                },
            )


def _charter(network):
    return publish_charter(
        network=network,
        mission=demo_data.MISSION,
        vision=demo_data.VISION,
        principles=demo_data.PRINCIPLES,
        code_of_ethics=demo_data.CODE_OF_ETHICS,
        commitment=demo_data.COMMITMENT,
        by=SYSTEM,
    )


def _country(demo):
    if Network.objects.filter(slug=COUNTRY["slug"]).exists():
        return
    national = open_network(
        name=COUNTRY["name"],
        slug=COUNTRY["slug"],
        kind=NetworkKind.NATIONAL,
        time_zone=COUNTRY["time_zone"],
        by=demo.site_admin,
    )
    region = open_network(
        name=COUNTRY_REGION["name"],
        slug=COUNTRY_REGION["slug"],
        kind=NetworkKind.REGIONAL,
        parent=national,
        region=COUNTRY_REGION["region"],
        by=demo.site_admin,
    )
    facilitator = demo.account(demo_data.SECOND_COUNTRY_FACILITATOR)
    for network in (national, region):
        _charter(network)
        appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    # Opened, with no members yet: both are still being launched.
    Network.objects.filter(pk__in=(national.pk, region.pk)).update(status=NetworkStatus.LAUNCHING)
    demo.created += 2
