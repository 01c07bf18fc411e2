"""A commission's daily life: its work plan, a conversation, comments and a follower.

Arequipa's Environment commission prepares the III Environmental Fair (section
6.3 of the model): its work plan has two topics and four actions, each with
its responsible promoter entity and a due date, one of them overdue; the
update on the confirmed stands names the actions it advanced, and a member
entity comments on it; two entities talk about the municipal permit in the
commission's conversation; and an entity that sits elsewhere follows the
commission without joining it.
"""

import datetime as dt

from django.utils import timezone

from commissions.models import (
    Action,
    ActionStatus,
    Comment,
    Commission,
    CommissionMember,
    Follower,
    Post,
    ProgressUpdate,
    PromoterTerm,
    Topic,
)
from networks.scoping import network_scope

ORDER = 45

NETWORK = "arequipa"
COMMISSION = "Medio Ambiente 1"
# The update of `demo.parts.commissions` that the actions below advanced.
UPDATE_STARTS = "25 organizaciones confirmaron su stand"

# (topic, priority, [(action, days from today it is due, status, named by the update)])
WORK_PLAN = [
    (
        "Organización de la III Feria Ambiental",
        1,
        [
            ("Tramitar el permiso municipal para la plaza", -5, ActionStatus.IN_PROGRESS, True),
            ("Contratar el sonido y el escenario", 10, ActionStatus.PLANNED, False),
        ],
    ),
    (
        "Difusión y convocatoria",
        2,
        [
            ("Confirmar los stands de las organizaciones", -25, ActionStatus.DONE, True),
            ("Difundir la feria en las radios locales", 15, ActionStatus.PLANNED, False),
        ],
    ),
]

COMMENT = "Podemos prestar diez mesas para los stands; avísennos el día del montaje."
MESSAGE = (
    "¿Alguien tiene un contacto en la Gerencia de Servicios a la Ciudad? El permiso de la "
    "plaza sigue sin respuesta."
)
REPLY = "Sí: nos reunimos con ellos el lunes y les contamos aquí lo que digan."


def load(demo):
    network = demo.network(NETWORK)
    with network_scope(network):
        commission = Commission.objects.get(name=COMMISSION)
        term = (
            PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True)
            .select_related("entity")
            .first()
        )
        if term is None:
            return
        promoter = term.entity
        sitting = set(
            CommissionMember.objects.filter(
                commission=commission, left_on__isnull=True
            ).values_list("entity_id", flat=True)
        )
        members = demo.members(network)
        speaks = {membership.entity_id: membership.representative for membership in members}
        others = [m.entity for m in members if m.entity_id in sitting and m.entity != promoter]
        outside = next((m.entity for m in members if m.entity_id not in sitting), None)
        update = ProgressUpdate.objects.filter(
            commission=commission, text__startswith=UPDATE_STARTS
        ).first()

        today = timezone.localdate(demo.now, network.zone)
        for title, priority, actions in WORK_PLAN:
            topic, _created = demo.get_or_create(
                Topic,
                network=network,
                commission=commission,
                title=title,
                defaults={"priority": priority},
            )
            for action_title, due_in, status, named in actions:
                action, _created = demo.get_or_create(
                    Action,
                    network=network,
                    commission=commission,
                    title=action_title,
                    defaults={
                        "topic": topic,
                        "responsible": promoter,
                        "due_on": today + dt.timedelta(days=due_in),
                        "status": status,
                    },
                )
                if named and update is not None:
                    update.actions.add(action)

        if update is not None and others:
            demo.get_or_create(
                Comment,
                network=network,
                update=update,
                text=COMMENT,
                defaults={
                    "entity": others[0],
                    "author": speaks.get(others[0].pk),
                    "created_at": update.created_at + dt.timedelta(hours=5),
                },
            )
        if others:
            message, _created = demo.get_or_create(
                Post,
                network=network,
                commission=commission,
                text=MESSAGE,
                defaults={
                    "entity": others[-1],
                    "author": speaks.get(others[-1].pk),
                    "created_at": demo.days_from_now(-8),
                },
            )
            demo.get_or_create(
                Post,
                network=network,
                commission=commission,
                parent=message,
                text=REPLY,
                defaults={
                    "entity": promoter,
                    "author": speaks.get(promoter.pk),
                    "created_at": demo.days_from_now(-7),
                },
            )
        if outside is not None:
            demo.get_or_create(
                Follower,
                network=network,
                commission=commission,
                entity=outside,
                ended_at=None,
                defaults={"started_at": demo.days_from_now(-30)},
            )
