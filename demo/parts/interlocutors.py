"""The regional interlocutors: the member entity that animates each regional network (6.4.2).

The model asks for a credible, reliable local entity in each region, with allies
in the public sector; in Arequipa the UN Volunteers of a project played the
part before the network existed (section 6.3). The demo names, in each regional
network but Lima (which the facilitator animates herself), its earliest public
member, or its earliest member when it has no public one.

Arequipa, the network the model studied most, gives its interlocutor more of
the facilitator's work (4.2 c): it reviews applications, sees the activity and
the commissions needing attention, and hears of commissions left without
promoter; the others keep the defaults (plenaries and announcements only).
"""

from networks.models import Interlocutor, Network, NetworkKind
from networks.scoping import network_scope
from platforms.models import Sector

ORDER = 20

AREQUIPA_POWERS = {
    "interlocutor_reviews_applications": True,
    "interlocutor_sees_activity": True,
    "interlocutor_receives_vacancy_alerts": True,
}


def load(demo):
    for network in demo.networks.values():
        if network.kind != NetworkKind.REGIONAL or network.slug == "lima":
            continue
        members = demo.members(network)
        if not members:
            continue
        public = [m for m in members if m.platform.sector == Sector.PUBLIC]
        chosen = (public or members)[0]
        with network_scope(network):
            term, created = demo.get_or_create(
                Interlocutor,
                network=network,
                ended_at=None,
                defaults={"entity": chosen.entity, "started_at": chosen.joined_at},
            )
        if created and network.slug == "arequipa":
            # Set once, with the first term: a later run leaves the network's choice alone.
            Network.objects.filter(pk=network.pk).update(**AREQUIPA_POWERS)
            for name, value in AREQUIPA_POWERS.items():
                setattr(network, name, value)
            demo.say(f"{network.name}: {term.entity.name}, its interlocutor, reviews applications")
