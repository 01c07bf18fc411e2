"""Commissions at work: progress updates, one stalled, one vacant a few days from closing.

The updates tell what the model reports (section 6.3): Arequipa's Social
Development 1 and the MY World survey, its Environment commission and the
III Environmental Fair, Culture and Youth and the San Lazaraso project; in
Lima, the research, environment and public policy commissions. In Lima one
commission has stalled (no activity for longer than the network's stall
period) and another lost its last promoter and closes in a few days unless
an entity steps up, so the facilitator's overview has something to attend
to. In Piura one commission has been quiet past the stall period but is still
marked active: the first daily sweep stalls it.

Deadlines are not stored: they follow from `last_activity_at` and
`vacant_since` and the network's settings when read (`commissions.deadlines`),
so the demo only dates the activity.
"""

from commissions.models import (
    Commission,
    CommissionState,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
)
from networks.scoping import network_scope

ORDER = 40

# (network, commission, days ago, text)
UPDATES = [
    (
        "arequipa",
        "Desarrollo Social 1",
        40,
        "Cerramos la primera etapa de la encuesta MI Mundo: más de 10 000 personas de Arequipa "
        "dijeron qué desarrollo quieren. Compartimos los resultados en la próxima plenaria.",
    ),
    (
        "arequipa",
        "Desarrollo Social 1",
        12,
        "La entidad promotora recibió el premio MY World al voluntariado por el trabajo de la "
        "comisión. ¡Gracias a todas las entidades que encuestaron!",
    ),
    (
        "arequipa",
        "Medio Ambiente 1",
        20,
        "25 organizaciones confirmaron su stand en la III Feria Ambiental de Arequipa. Falta "
        "coordinar el permiso municipal y el sonido.",
    ),
    (
        "arequipa",
        "Cultura y Juventud",
        9,
        "El proyecto San Lazaraso recorrió el barrio tradicional con 60 voluntarios; el "
        "gobierno local ofreció apoyar la siguiente edición con fondos propios.",
    ),
    (
        "lima",
        "Voluntariado para el Desarrollo",
        25,
        "Dos universidades aceptaron coorganizar el estudio sobre el aporte del voluntariado; "
        "el cuestionario está en revisión.",
    ),
    (
        "lima",
        "Medio Ambiente",
        14,
        "La campaña de limpieza de playas reunió a 180 voluntarios de 9 entidades en Villa El "
        "Salvador.",
    ),
    (
        "lima",
        "Políticas Públicas",
        6,
        "Enviamos al ministerio nuestros comentarios a la propuesta de reglamento de la ley de "
        "voluntariado. Próximo paso: reunión con la dirección de voluntariado.",
    ),
]

STALLED = ("lima", "Desarrollo Infantil con Enfoque de Género")
VACANT = ("lima", "Día Global del Servicio Juvenil")
# Quiet past the stall period, still active: the first sweep stalls it.
DUE_TO_STALL = ("piura", "Salud Comunitaria")
# A vacant commission closes this many days after loading: inside the
# facilitator's seven-day reminder, so the first sweep reminds her.
VACANT_CLOSES_IN_DAYS = 5


def load(demo):
    _updates(demo)
    _stalled(demo, *STALLED)
    _vacant(demo, *VACANT)
    _quiet(demo, *DUE_TO_STALL)


def _promoter(commission):
    return (
        PromoterTerm.objects.filter(commission=commission, ended_at__isnull=True)
        .select_related("entity")
        .first()
    )


def _updates(demo):
    for slug, name, days_ago, text in UPDATES:
        network = demo.network(slug)
        with network_scope(network):
            commission = Commission.objects.get(name=name)
            term = _promoter(commission)
            if term is None:
                continue
            author = next(
                (m.representative for m in demo.members(network) if m.entity_id == term.entity_id),
                None,
            )
            at = demo.days_from_now(-days_ago)
            _update, created = demo.get_or_create(
                ProgressUpdate,
                network=network,
                commission=commission,
                text=text,
                defaults={"entity": term.entity, "author": author, "created_at": at},
            )
            if created and commission.last_activity_at > at:
                # Created now by the demo: its last activity is its latest update.
                latest = (
                    ProgressUpdate.objects.filter(commission=commission)
                    .order_by("-created_at")
                    .values_list("created_at", flat=True)
                    .first()
                )
                Commission.objects.filter(pk=commission.pk).update(last_activity_at=latest)


def _stalled(demo, slug, name):
    network = demo.network(slug)
    with network_scope(network):
        commission = Commission.objects.get(name=name)
        if commission.state_changes.exists():
            return
        idle = network.stall_after_days + 15
        stalled_at = demo.days_from_now(-15)
        Commission.objects.filter(pk=commission.pk).update(
            state=CommissionState.STALLED,
            state_changed_at=stalled_at,
            last_activity_at=demo.days_from_now(-idle),
        )
        StateChange.objects.create(
            network=network,
            commission=commission,
            from_state=CommissionState.ACTIVE,
            to_state=CommissionState.STALLED,
            reason=StateChange.Reason.NO_ACTIVITY,
            at=stalled_at,
        )
        demo.created += 1


def _vacant(demo, slug, name):
    network = demo.network(slug)
    with network_scope(network):
        commission = Commission.objects.get(name=name)
        if commission.state_changes.exists():
            return
        # Left in the morning, so that the day of closing is exact in any zone.
        days = network.vacancy_grace_days - VACANT_CLOSES_IN_DAYS
        since = demo.local(network, -days, 9)
        term = _promoter(commission)
        if term is not None:
            PromoterTerm.objects.filter(pk=term.pk).update(
                ended_at=since,
                end_reason=(
                    "Nuestro equipo de voluntariado juvenil termina su ciclo este año; "
                    "dejamos la promoción a otra entidad."
                ),
            )
        Commission.objects.filter(pk=commission.pk).update(
            state=CommissionState.VACANT,
            state_changed_at=since,
            vacant_since=since,
            last_activity_at=since,
        )
        StateChange.objects.create(
            network=network,
            commission=commission,
            from_state=CommissionState.ACTIVE,
            to_state=CommissionState.VACANT,
            reason=StateChange.Reason.LAST_PROMOTER_LEFT,
            at=since,
        )
        demo.created += 1


def _quiet(demo, slug, name):
    network = demo.network(slug)
    with network_scope(network):
        commission = Commission.objects.get(name=name)
        if commission.state_changes.exists() or commission.updates.exists():
            return
        Commission.objects.filter(pk=commission.pk, state=CommissionState.ACTIVE).update(
            last_activity_at=demo.days_from_now(-(network.stall_after_days + 10))
        )
