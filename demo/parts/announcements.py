"""What the network says: announcements of the facilitator and of an interlocutor (section 5.2).

Half of the members value the network for the information it shares, and their
recommendations come from scarce access to it. In Lima the facilitator calls
the members to the year's closing plenary and publishes it as news on the
network's public page; in Arequipa the interlocutor asks for volunteers for
the Semana del Voluntariado, and corrects the meeting point the next day.
Written as rows, not through the services: loading the demo mails nobody.
"""

from announcements.models import Announcement, Correction
from networks.models import Interlocutor
from networks.scoping import network_scope

ORDER = 60

CLOSING_PLENARY = "Convocatoria: plenaria ordinaria de cierre del año"
VOLUNTEER_WEEK = "Semana del Voluntariado: se buscan voluntarios para la feria"


def load(demo):
    _facilitator_in_lima(demo)
    _interlocutor_in_arequipa(demo)


def _facilitator_in_lima(demo):
    network = demo.network("lima")
    with network_scope(network):
        demo.get_or_create(
            Announcement,
            network=network,
            title=CLOSING_PLENARY,
            defaults={
                "author": demo.facilitator,
                "public": True,
                "created_at": demo.days_from_now(-3),
                "body": (
                    "Estimadas entidades: les convocamos a la plenaria ordinaria de cierre del "
                    "año, en la Casa de las Naciones Unidas, Miraflores. Revisaremos el balance "
                    "de cada comisión y el calendario del próximo año. Cada entidad tiene un "
                    "voto; por favor, inscriban a su representante o a su alterno en la página "
                    "del evento."
                ),
            },
        )


def _interlocutor_in_arequipa(demo):
    network = demo.network("arequipa")
    with network_scope(network):
        interlocutor = Interlocutor.objects.filter(ended_at__isnull=True).first()
        if interlocutor is None:
            return
        speaker = next(
            (m for m in demo.members(network) if m.entity_id == interlocutor.entity_id), None
        )
        if speaker is None:
            return
        announcement, _created = demo.get_or_create(
            Announcement,
            network=network,
            title=VOLUNTEER_WEEK,
            defaults={
                "entity": speaker.entity,
                "author": speaker.representative,
                "created_at": demo.days_from_now(-2),
                "body": (
                    "Para la feria de la Semana del Voluntariado necesitamos voluntarios de "
                    "cada entidad: armado de stands desde las 8:00 y atención al público "
                    "hasta las 18:00. Nos encontramos en la puerta de la Municipalidad "
                    "Provincial."
                ),
            },
        )
        demo.get_or_create(
            Correction,
            network=network,
            announcement=announcement,
            defaults={
                "author": speaker.representative,
                "created_at": demo.days_from_now(-1),
                "text": (
                    "El punto de encuentro cambió: nos vemos en la Plaza de Armas, frente a la "
                    "Catedral, a la misma hora."
                ),
            },
        )
