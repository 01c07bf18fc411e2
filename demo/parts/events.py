"""Events: the International Volunteer Day of Arequipa, Piura and Tumbes, and plenaries.

The Volunteer Day follows the 2014 programme of section 6.3, at the same
distance from the day the demo is loaded as it was from 5 December: Arequipa's
"Semana del Voluntariado" (a press conference four days on, a forum and a
candle-lit wake a week on, a festival the day after, organised by 17 of its
members, 25 of which march in the festival), Piura's exhibition, parade and
drills a week and a day on, and Tumbes' regional forum, walk and concert a
week on. They are coming, so the reminders have work the first time the worker
runs.

Plenaries already held have their attendance and published minutes, so that
the participation figure is not 0 %; Lima also has a plenary coming and a
commission meeting held four days ago whose minutes are missing, which the
minutes reminder asks for.
"""

import datetime as dt
from dataclasses import dataclass, field

from commissions.models import Commission, CommissionMember
from events.models import (
    Decision,
    Event,
    EventKind,
    EventOrganiser,
    EventStatus,
    Minutes,
    Registration,
    RegistrationStatus,
    Visibility,
)
from networks.scoping import network_scope

ORDER = 40


@dataclass(frozen=True)
class EventPlan:
    network: str
    title: str
    kind: str
    days: int  # from the day of loading; negative: already held
    hour: int
    hours: int
    place: str
    description: str
    # Members taking part, by their order of joining: a slice of them.
    registered: tuple = (0, 0)
    organisers: tuple = (0, 0)
    commission: str = ""
    minutes: str = ""
    decisions: list = field(default_factory=list)


IVD = "Día Internacional del Voluntariado"

EVENTS = [
    # Arequipa: "Semana del Voluntariado: el rol del voluntariado en la COP20".
    EventPlan(
        "arequipa",
        "Conferencia de prensa: Semana del Voluntariado",
        EventKind.VOLUNTEER_DAY,
        4,
        10,
        2,
        "Auditorio de la Municipalidad Provincial de Arequipa",
        "Presentamos a la prensa local y regional las actividades de la Semana del "
        "Voluntariado: el rol del voluntariado en la lucha contra el cambio climático.",
        registered=(0, 17),
        organisers=(0, 17),
    ),
    EventPlan(
        "arequipa",
        "Foro: el voluntariado de Arequipa frente al cambio climático",
        EventKind.VOLUNTEER_DAY,
        7,
        9,
        4,
        "Universidad Nacional de San Agustín, Arequipa",
        "Expertos en cambio climático y entidades de voluntariado ambiental debaten el aporte "
        "del voluntariado.",
        registered=(0, 22),
        organisers=(0, 17),
    ),
    EventPlan(
        "arequipa",
        "Vigilia simbólica por la paz y el desarrollo",
        EventKind.VOLUNTEER_DAY,
        7,
        19,
        2,
        "Plaza de Armas de Arequipa",
        "Voluntarios de las entidades de la red y el público recorren la plaza con una vela "
        "encendida.",
        registered=(0, 17),
        organisers=(0, 17),
    ),
    EventPlan(
        "arequipa",
        "Festival «Voluntariado por una Arequipa sostenible»",
        EventKind.VOLUNTEER_DAY,
        8,
        10,
        6,
        "Calle Mercaderes y Plaza de Armas de Arequipa",
        "Pasacalle y festival para mostrar a la ciudad los problemas del cambio climático y "
        "lo que se hace para mitigarlo.",
        registered=(0, 25),
        organisers=(0, 17),
    ),
    # Piura: "¡Voluntarios de Piura aportando al desarrollo sostenible!"
    EventPlan(
        "piura",
        "¡Voluntarios de Piura aportando al desarrollo sostenible!",
        EventKind.VOLUNTEER_DAY,
        8,
        9,
        6,
        "Plaza de Armas de Piura",
        "Exposición fotográfica de las entidades de la red, pasacalle por las calles "
        "principales y simulacros con el público. Lema: ¡Cambia el mundo, hazte voluntario!",
        registered=(0, 20),
        organisers=(0, 8),
    ),
    # Tumbes: "Voluntariado por un Tumbes sostenible".
    EventPlan(
        "tumbes",
        "Foro regional: Tumbes frente al cambio climático",
        EventKind.VOLUNTEER_DAY,
        7,
        9,
        3,
        "Auditorio del Gobierno Regional de Tumbes",
        "El aporte del voluntariado frente al cambio climático en la región.",
        registered=(0, 12),
        organisers=(0, 6),
    ),
    EventPlan(
        "tumbes",
        "Caminata «Cambia el mundo, hazte voluntario»",
        EventKind.VOLUNTEER_DAY,
        7,
        15,
        2,
        "Calles principales de Tumbes",
        "Las organizaciones y sus voluntarios recorren el centro de la ciudad.",
        registered=(0, 14),
        organisers=(0, 6),
    ),
    EventPlan(
        "tumbes",
        "Concierto del voluntariado",
        EventKind.VOLUNTEER_DAY,
        7,
        19,
        3,
        "Plaza de Armas de Tumbes",
        "Grupos musicales invitados y voluntarios de la región con poesía, danza y teatro.",
        registered=(0, 10),
        organisers=(0, 6),
    ),
    # Plenaries held, with their minutes.
    EventPlan(
        "lima",
        "Plenaria ordinaria: plan anual de la red",
        EventKind.PLENARY,
        -100,
        9,
        4,
        "Casa de las Naciones Unidas, Miraflores",
        "Balance del año, plan anual de trabajo y presentación de las comisiones.",
        registered=(0, 40),
        minutes=(
            "Asistieron 40 entidades. Cada comisión presentó su plan de trabajo y la red aprobó "
            "el plan anual. Se propuso una comisión de investigación sobre el aporte del "
            "voluntariado al desarrollo."
        ),
        decisions=[
            ("Aprobar el plan anual de la red.", "Publicar el plan en el sitio de la red.", ""),
            (
                "Impulsar un estudio sobre el aporte del voluntariado.",
                "Convocar a las universidades de la red.",
                "Voluntariado para el Desarrollo",
            ),
        ],
    ),
    EventPlan(
        "lima",
        "Plenaria ordinaria: código de ética y Día del Voluntariado",
        EventKind.PLENARY,
        -40,
        9,
        4,
        "Casa de las Naciones Unidas, Miraflores",
        "Presentación del código de ética y primeras ideas para el Día Internacional del "
        "Voluntariado.",
        registered=(20, 55),
        minutes=(
            "Asistieron 35 entidades. Se presentó el código de ética adoptado por consenso y la "
            "comisión del Día Internacional del Voluntariado pidió stands a las plataformas."
        ),
        decisions=[
            (
                "Cada plataforma propone un stand para la feria del voluntariado.",
                "Enviar las propuestas a la comisión antes de fin de mes.",
                "Día Internacional del Voluntariado",
            ),
        ],
    ),
    EventPlan(
        "arequipa",
        "Plenaria de la red: preparación de la Semana del Voluntariado",
        EventKind.PLENARY,
        -30,
        16,
        3,
        "Centro Cultural de la Universidad Católica, Arequipa",
        "Formación del equipo coordinador y de las comisiones de cada actividad.",
        registered=(0, 30),
        minutes=(
            "Asistieron 30 entidades. 17 forman el equipo coordinador de la Semana del "
            "Voluntariado, con una comisión por actividad."
        ),
    ),
    EventPlan(
        "piura",
        "Plenaria de la red: Día Internacional del Voluntariado",
        EventKind.PLENARY,
        -21,
        16,
        3,
        "Auditorio de la Universidad de Piura",
        "Acuerdos para celebrar el Día Internacional del Voluntariado.",
        registered=(0, 18),
        minutes="Asistieron 18 entidades. Se acordó el programa del Día del Voluntariado.",
    ),
    EventPlan(
        "tumbes",
        "Plenaria de la red: Día Internacional del Voluntariado",
        EventKind.PLENARY,
        -21,
        16,
        3,
        "Biblioteca Municipal de Tumbes",
        "Acuerdos para celebrar el Día Internacional del Voluntariado.",
        registered=(0, 11),
        minutes="Asistieron 11 entidades. Se acordó el foro, la caminata y el concierto.",
    ),
    # Lima: a plenary coming, and a meeting held whose minutes are missing.
    EventPlan(
        "lima",
        "Plenaria ordinaria: cierre del año",
        EventKind.PLENARY,
        6,
        9,
        4,
        "Casa de las Naciones Unidas, Miraflores",
        "Balance de las comisiones y calendario del próximo año.",
        registered=(0, 30),
    ),
    EventPlan(
        "lima",
        "Reunión de la comisión de Políticas Públicas",
        EventKind.COMMISSION_MEETING,
        -4,
        17,
        2,
        "Sala de reuniones de la Defensoría del Pueblo, Lima",
        "Revisión de los comentarios al reglamento de la ley de voluntariado.",
        commission="Políticas Públicas",
    ),
]


def load(demo):
    for plan in EVENTS:
        network = demo.network(plan.network)
        with network_scope(network):
            _event(demo, network, plan)


def _event(demo, network, plan):
    starts_at = demo.local(network, plan.days, plan.hour)
    ends_at = starts_at + dt.timedelta(hours=plan.hours)
    created_at = demo.days_from_now(min(plan.days, 0) - 20)
    held = plan.days < 0
    commission = Commission.objects.get(name=plan.commission) if plan.commission else None
    event, created = demo.get_or_create(
        Event,
        network=network,
        title=plan.title,
        defaults={
            "commission": commission,
            "kind": plan.kind,
            "description": plan.description,
            "place": plan.place,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "visibility": Visibility.PUBLIC
            if plan.kind == EventKind.VOLUNTEER_DAY
            else Visibility.MEMBERS,
            "registration_closes_at": starts_at,
            "status": EventStatus.ANNOUNCED,
            "announced_at": created_at,
            "created_by": demo.facilitator,
            "created_at": created_at,
            "attendance_recorded_at": ends_at if held else None,
        },
    )
    if not created:
        return
    members = demo.members(network)
    if commission is not None:
        seated = set(
            CommissionMember.objects.filter(
                commission=commission, left_on__isnull=True
            ).values_list("entity_id", flat=True)
        )
        organisers = [m for m in members if m.entity_id in seated]
        attending = organisers
    else:
        organisers = members[slice(*plan.organisers)]
        attending = members[slice(*plan.registered)]
    demo.counted(
        EventOrganiser.objects.bulk_create(
            EventOrganiser(network=network, event=event, entity=m.entity) for m in organisers
        )
    )
    # Halfway between the announcement and the event (or today, for one still to come).
    registered_at = created_at + (min(starts_at, demo.now) - created_at) / 2
    demo.counted(
        Registration.objects.bulk_create(
            Registration(
                network=network,
                event=event,
                entity=m.entity,
                user=m.representative,
                people=1 + index % 3,
                status=RegistrationStatus.CONFIRMED,
                created_at=registered_at,
                confirmed_at=registered_at,
                # The demo's people were never mailed a confirmation, and need none now.
                confirmation_sent_at=registered_at,
                attended_people=(1 + index % 3) if held else None,
                language="es",
            )
            for index, m in enumerate(attending)
        )
    )
    if plan.minutes:
        minutes = Minutes.objects.create(
            network=network,
            event=event,
            summary=plan.minutes,
            published_at=ends_at + (ends_at - starts_at) * 6,
            written_by=demo.facilitator,
            updated_at=ends_at,
        )
        demo.created += 1
        names = {name for _text, _follow, name in plan.decisions if name}
        commissions = {c.name: c for c in Commission.objects.filter(name__in=names)}
        demo.counted(
            Decision.objects.bulk_create(
                Decision(
                    network=network,
                    minutes=minutes,
                    position=position,
                    text=text,
                    follow_up=follow_up,
                    commission=commissions.get(name),
                )
                for position, (text, follow_up, name) in enumerate(plan.decisions, start=1)
            )
        )
