"""Arequipa's first year, 2014, and its yearly activity report (recommendation 1).

The network was founded on 5 April 2014 (section 6.2). That year its Culture
and Youth Commission ran the San Lazaraso project from August to December, its
Environment Commission, 25 organisations, organised the III Environmental
Fair, and 17 of its members organised the Volunteer Week around COP20: a
press conference on 9 December, a forum and a candle-lit wake on the 12th and
a festival on the 13th, where 25 members marched (sections 6.3 and 6.4). The
commissions filled their yearly sheets; the events have their minutes and
decisions; the facilitation wrote to the members; entities declared what they
did together. The report of 2014 is generated from all of that and published
on the network's page, so the facilitator finds it there, with its PDF.

Written as rows, not through the services (no mail), and the report by the
job's own work, once.
"""

import datetime as dt

from django.utils import timezone

from announcements.models import Announcement
from commissions.models import ClosingSheet, Commission, CommissionMember
from core.actors import SYSTEM
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
from evidence.models import ActivityReport, Collaboration, CollaborationKind, SnapshotState
from evidence.services import generate_report, publish_report
from members.models import Membership, MembershipStatus
from networks.scoping import network_scope

ORDER = 80
YEAR = 2014

SHEETS = [
    # (commission, filled on, participants, objectives, methodology, activities, results,
    # evaluation)
    (
        "Cultura y Juventud",
        dt.date(2014, 12, 19),
        "Consejo de la Juventud del distrito de Jacobo Hunter, Colectivo Convergencia de "
        "Arequipa, Colectivo Caleidoscopio y ONG Mandala, con el apoyo de la Municipalidad "
        "de Arequipa y de los Voluntarios ONU.",
        "Revalorar el espacio público de Campo Redondo, en San Lazaraso, proteger el "
        "patrimonio del barrio y fortalecer la identidad cultural de sus vecinos.",
        "Proyecto común elegido entre las iniciativas de los miembros: una actividad "
        "artística y cultural cada mes, de agosto a diciembre, preparada en reuniones "
        "quincenales de la comisión.",
        "Agosto: tradiciones y costumbres. Septiembre: juegos tradicionales. Octubre: "
        "arequipeños ilustres. Noviembre: interculturalidad e integración. Diciembre: "
        "potencialidades interdistritales.",
        "Cinco jornadas con los vecinos de San Lazaraso «Cuna del Patrimonio». La "
        "Municipalidad de Arequipa financiará la siguiente etapa del proyecto en 2015.",
        "La comisión mostró que sus miembros crean iniciativas conjuntas fuera de sus "
        "propios programas. Para 2015: replicar el proyecto en otros barrios de la ciudad.",
    ),
    (
        "Medio Ambiente 1",
        dt.date(2014, 11, 21),
        "25 organizaciones miembro de la red, de la sociedad civil, la academia y el "
        "sector público.",
        "Organizar la III Feria Ambiental de Arequipa y sumar voluntariado a las campañas "
        "de cuidado ambiental de la ciudad.",
        "Equipos por tarea (convocatoria, logística, difusión), coordinados por la entidad "
        "promotora, con reuniones mensuales de toda la comisión.",
        "Preparación de la feria, convocatoria a expositores, campaña en colegios y "
        "medios locales.",
        "La III Feria Ambiental de Arequipa, con un fuerte impacto social en la ciudad.",
        "Funcionó el reparto de tareas entre muchas entidades; faltó registrar cuántos "
        "voluntarios participaron. Para 2015: medir la participación desde la inscripción.",
    ),
    (
        "Derechos Humanos, Mujer y Género",
        dt.date(2014, 12, 5),
        "Entidades de la comisión que trabajan con mujeres y jóvenes, con la participación "
        "de la Defensoría del Pueblo en dos talleres.",
        "Prevenir la violencia de género con campañas y talleres en los distritos.",
        "Talleres participativos preparados por las entidades miembro, con materiales "
        "compartidos entre todas.",
        "Tres talleres en Cayma, Paucarpata y Cerro Colorado; campaña del 25 de noviembre.",
        "Ciento veinte personas en los talleres; materiales que cada entidad usa en sus "
        "propios programas.",
        "Los talleres llegaron a quienes las entidades ya conocían; para 2015, trabajar con "
        "las municipalidades distritales para llegar a más barrios.",
    ),
]

EVENTS = [
    # (title, kind, day, hour, hours, place, organisers, registered, minutes, decisions)
    (
        "Encuentro de Entidades de Voluntariado de Arequipa",
        EventKind.FOUNDING_MEETING,
        dt.date(2014, 4, 5),
        9,
        4,
        "Auditorio de la Municipalidad de Arequipa",
        3,
        12,
        "Las entidades reunidas constituyen la Red de Voluntariado de Arequipa, adoptan la "
        "carta de la red y forman sus primeras comisiones por afinidad temática.",
        [
            ("Constituir la Red de Voluntariado de Arequipa.", ""),
            (
                "Formar las comisiones de Cultura y Juventud, Medio Ambiente, Desarrollo Social "
                "y Derechos Humanos, Mujer y Género.",
                "Cada comisión elige su entidad promotora en su primera reunión.",
            ),
        ],
    ),
    (
        "Conferencia de prensa: Semana del Voluntariado 2014",
        EventKind.VOLUNTEER_DAY,
        dt.date(2014, 12, 9),
        10,
        2,
        "Plaza de Armas de Arequipa",
        17,
        17,
        "Veinte medios de prensa, radio y televisión asistieron; la campaña previa sumó "
        "17 entrevistas y llegó a unas 120 000 personas.",
        [],
    ),
    (
        "Foro: el voluntariado en Arequipa frente al cambio climático, en el marco de la COP20",
        EventKind.VOLUNTEER_DAY,
        dt.date(2014, 12, 12),
        9,
        4,
        "Universidad Nacional de San Agustín",
        17,
        20,
        "Expertos en cambio climático y ambiente debatieron con las entidades especializadas "
        "el papel de los voluntarios frente al cambio climático.",
        [
            (
                "Incluir la educación ambiental en el plan de trabajo 2015 de la red.",
                "La comisión de Medio Ambiente 2 presenta una propuesta en la plenaria de marzo.",
            ),
        ],
    ),
    (
        "Festival «Voluntariado por una Arequipa Sostenible»",
        EventKind.VOLUNTEER_DAY,
        dt.date(2014, 12, 13),
        10,
        6,
        "Plaza de Armas de Arequipa",
        17,
        25,
        "Pasacalle con voluntarios de 25 entidades miembro y ferias de las entidades sobre "
        "el cambio climático y cómo mitigarlo en la ciudad.",
        [
            (
                "Celebrar cada año la Semana del Voluntariado con todas las entidades de la red.",
                "La facilitación convoca al equipo de coordinación en septiembre.",
            ),
        ],
    ),
]

ANNOUNCEMENTS = [
    (
        dt.date(2014, 4, 10),
        "Bienvenidas a la Red de Voluntariado de Arequipa",
        "Gracias a las entidades que constituyeron la red el 5 de abril. Cada comisión se "
        "reúne este mes para elegir su entidad promotora y su primer proyecto.",
        True,
    ),
    (
        dt.date(2014, 11, 14),
        "Semana del Voluntariado: el rol del voluntariado en la COP20",
        "Del 9 al 13 de diciembre celebramos el Día Internacional del Voluntariado. 17 "
        "entidades forman el equipo de coordinación; inscriba a su entidad en las actividades.",
        True,
    ),
]


def _moment(network, day, hour=10):
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=network.zone)


def load(demo):
    network = demo.network("arequipa")
    with network_scope(network):
        # The members of 2014: those who had joined by the end of that year.
        members = list(
            Membership.objects.filter(
                status=MembershipStatus.ACTIVE, joined_at__lt=_moment(network, dt.date(2015, 1, 1))
            )
            .select_related("entity")
            .order_by("joined_at", "id")
        )
        if not members:
            return
        _sheets(demo, network, members)
        _events(demo, network, members)
        _announcements(demo, network)
        _collaborations(demo, network, members)
        _report(demo, network)


def _sheets(demo, network, members):
    commissions = {c.name: c for c in Commission.objects.filter(name__in=[s[0] for s in SHEETS])}
    for name, day, participants, objectives, methodology, activities, results, evaluation in SHEETS:
        commission = commissions.get(name)
        if commission is None:
            continue
        seat = (
            CommissionMember.objects.filter(commission=commission, joined_on__lte=day)
            .order_by("joined_on", "id")
            .first()
        )
        entity = seat.entity if seat is not None else members[0].entity
        demo.get_or_create(
            ClosingSheet,
            commission=commission,
            occasion=ClosingSheet.Occasion.YEARLY,
            year=YEAR,
            defaults={
                "network": network,
                "participants": participants,
                "objectives": objectives,
                "methodology": methodology,
                "activities": activities,
                "results": results,
                "evaluation": evaluation,
                "entity": entity,
                "filled_at": _moment(network, day, 18),
            },
        )


def _events(demo, network, members):
    for title, kind, day, hour, hours, place, organisers, registered, summary, decisions in EVENTS:
        starts = _moment(network, day, hour)
        event, created = demo.get_or_create(
            Event,
            network=network,
            title=title,
            starts_at=starts,
            defaults={
                "kind": kind,
                "description": summary,
                "place": place,
                "ends_at": starts + dt.timedelta(hours=hours),
                "visibility": Visibility.PUBLIC,
                "status": EventStatus.ANNOUNCED,
                "announced_at": starts - dt.timedelta(days=20),
                "registration_closes_at": starts,
                "reminders_enabled": False,
                "attendance_recorded_at": starts + dt.timedelta(hours=hours),
            },
        )
        if not created:
            continue
        for membership in members[:organisers]:
            EventOrganiser.objects.create(network=network, event=event, entity=membership.entity)
        for membership in members[:registered]:
            Registration.objects.create(
                network=network,
                event=event,
                entity=membership.entity,
                user=membership.representative,
                people=3,
                status=RegistrationStatus.CONFIRMED,
                created_at=starts - dt.timedelta(days=7),
                confirmed_at=starts - dt.timedelta(days=7),
                attended_people=2,
            )
        minutes = Minutes.objects.create(
            network=network,
            event=event,
            summary=summary,
            published_at=starts + dt.timedelta(days=2),
            updated_at=starts + dt.timedelta(days=2),
        )
        for position, (text, follow_up) in enumerate(decisions, start=1):
            Decision.objects.create(
                network=network, minutes=minutes, position=position, text=text, follow_up=follow_up
            )
        demo.created += 1


def _announcements(demo, network):
    for day, title, body, public in ANNOUNCEMENTS:
        demo.get_or_create(
            Announcement,
            network=network,
            title=title,
            defaults={"body": body, "public": public, "created_at": _moment(network, day, 9)},
        )


def _collaborations(demo, network, members):
    if Collaboration.objects.filter(happened_on__year=YEAR).exists() or len(members) < 8:
        return
    rows = [
        (members[0], members[5], CollaborationKind.CONTACT, "Taller conjunto de reciclaje", 6, 14),
        (members[2], members[7], CollaborationKind.HELP, "Nos prestaron su local", 9, 3),
        (members[4], members[1], CollaborationKind.CONTACT, "Campaña de salud en Cayma", 10, 20),
        (members[6], members[3], CollaborationKind.HELP, "Voluntarios para la feria", 11, 8),
    ]
    demo.counted(
        Collaboration.objects.bulk_create(
            Collaboration(
                network=network,
                from_entity=first.entity,
                to_entity=second.entity,
                kind=kind,
                what=what,
                happened_on=dt.date(YEAR, month, day),
                declared_at=_moment(network, dt.date(YEAR, month, day), 18),
                confirmed_at=_moment(network, dt.date(YEAR, month, day) + dt.timedelta(days=2)),
            )
            for first, second, kind, what, month, day in rows
        )
    )


def _report(demo, network):
    """The report of 2014, generated by the job's own work and published on the network's page."""
    if ActivityReport.objects.filter(year=YEAR).exists():
        return
    report = ActivityReport.objects.create(
        network=network, year=YEAR, requested_by=demo.facilitator, requested_at=timezone.now()
    )
    report = generate_report(network=network, report_id=report.pk)
    if report is not None and report.state == SnapshotState.DONE:
        publish_report(report=report, publish=True, by=SYSTEM)
    demo.created += 1
    demo.say(f"{network.name}: activity report {YEAR}")
