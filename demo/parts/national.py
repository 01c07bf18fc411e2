"""The national level at work: a commission of the national network with members from three regions.

The model's regional networks share recurring topics (environment, youth, social
development, section 6.3), which "may facilitate … the establishment of
interregional or national work lines"; the International Volunteer Day was
celebrated in every region in 2014. The national network holds no members of
its own in the demo: its commission gathers member entities of Arequipa, Piura
and Tumbes (`members.reach`), promoted by one of Arequipa's, and its page counts
what its regions hold.
"""

import datetime as dt

from commissions.models import Commission, CommissionKind, CommissionMember, PromoterTerm
from networks.scoping import network_scope

ORDER = 15  # after `networks` (10), which makes the networks and their members

NAME = "Día Internacional del Voluntariado nacional"
PURPOSE = (
    "Coordinar entre las redes regionales la celebración del 5 de diciembre: un lema común, "
    "las actividades de cada región y su difusión en los medios de todo el país."
)
REGIONS = ("arequipa", "piura", "tumbes")
MEMBERS_PER_REGION = 2


def load(demo):
    national = demo.networks.get("nacional")
    if national is None or not all(slug in demo.networks for slug in REGIONS):
        return
    entities = []
    for slug in REGIONS:
        entities += [m.entity for m in demo.members(demo.network(slug))[:MEMBERS_PER_REGION]]
    if not entities:
        return
    started_on = (demo.now - dt.timedelta(days=75)).date()
    with network_scope(national):
        commission, _created = demo.get_or_create(
            Commission,
            network=national,
            name=NAME,
            defaults={
                "kind": CommissionKind.EVENT,
                "purpose": PURPOSE,
                "started_on": started_on,
                "last_activity_at": demo.days_from_now(-6),
            },
        )
        for position, entity in enumerate(entities):
            demo.get_or_create(
                CommissionMember,
                commission=commission,
                entity=entity,
                defaults={
                    "network": national,
                    "joined_on": started_on + dt.timedelta(days=position),
                },
            )
        if not PromoterTerm.objects.filter(commission=commission).exists():
            demo.get_or_create(
                PromoterTerm,
                commission=commission,
                entity=entities[0],
                defaults={"network": national, "started_at": demo.days_from_now(-75)},
            )
    demo.say(f"{national.name}: «{NAME}», with member entities of {len(REGIONS)} regions")
