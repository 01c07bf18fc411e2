"""Applications waiting for the facilitator: entities that asked to join a few days ago.

In Arequipa, where new members pick a commission when they join (footnote 16),
the applicant chose one.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from commissions.models import Commission
from demo.demo_data import PersonPlan
from members.models import Entity, EntityKind, Membership, MembershipStatus
from networks.scoping import network_scope
from networks.selectors import current_charter
from platforms.models import Platform, Sector


@dataclass(frozen=True)
class Applicant:
    network: str
    name: str
    kind: str
    sector: str
    city: str
    description: str
    representative: PersonPlan
    days_ago: int
    commission: str = ""


ORDER = 20

APPLICANTS = [
    Applicant(
        network="lima",
        name="Asociación Juvenil Brazos Abiertos",
        kind=EntityKind.YOUTH_GROUP,
        sector=Sector.YOUTH,
        city="Comas",
        description=(
            "Jóvenes de Comas que acompañan tareas escolares y organizan campañas de "
            "reciclaje en su barrio."
        ),
        representative=PersonPlan(
            "milagros.ccori@solicitudes.example.org", "Milagros", "Ccori Ramos", "+51 987 110 220"
        ),
        days_ago=2,
    ),
    Applicant(
        network="lima",
        name="Colectivo Ciclistas por la Vida",
        kind=EntityKind.INFORMAL_GROUP,
        sector=Sector.CIVIL_SOCIETY,
        city="Barranco",
        description="Voluntarios que reparan bicicletas y las donan a estudiantes de Lima Sur.",
        representative=PersonPlan(
            "renzo.palomino@solicitudes.example.org", "Renzo", "Palomino Díaz", "+51 988 330 440"
        ),
        days_ago=5,
    ),
    Applicant(
        network="lima",
        name="Fundación Aprendo Contigo",
        kind=EntityKind.FOUNDATION,
        sector=Sector.CIVIL_SOCIETY,
        city="Santiago de Surco",
        description="Programa de lectura con voluntariado universitario en bibliotecas públicas.",
        representative=PersonPlan(
            "gabriela.benavides@solicitudes.example.org",
            "Gabriela",
            "Benavides Torres",
            "+51 989 550 660",
        ),
        days_ago=9,
    ),
    Applicant(
        network="arequipa",
        name="Brigada Universitaria Misti Verde",
        kind=EntityKind.UNIVERSITY,
        sector=Sector.UNIVERSITY,
        city="Cayma",
        description="Brigada de estudiantes que limpia y reforesta las riberas del río Chili.",
        representative=PersonPlan(
            "alonso.zegarra@solicitudes.example.org", "Alonso", "Zegarra Vargas", "+51 959 770 880"
        ),
        days_ago=3,
        commission="Medio Ambiente 1",
    ),
]


def load(demo):
    for applicant in APPLICANTS:
        network = demo.network(applicant.network)
        entity, _created = demo.get_or_create(
            Entity,
            name=applicant.name,
            defaults={
                "slug": slugify(applicant.name),
                "kind": applicant.kind,
                "legally_registered": applicant.kind != EntityKind.INFORMAL_GROUP,
                "region": network.region,
                "city": applicant.city,
                "description": applicant.description,
            },
        )
        applied_at = demo.days_from_now(-applicant.days_ago)
        with network_scope(network):
            commission = (
                Commission.objects.get(name=applicant.commission) if applicant.commission else None
            )
            demo.get_or_create(
                Membership,
                network=network,
                entity=entity,
                defaults={
                    "platform": Platform.objects.get(sector=applicant.sector),
                    "status": MembershipStatus.APPLIED,
                    "applied_at": applied_at,
                    "status_changed_at": applied_at,
                    "representative": demo.person(applicant.representative),
                    "charter_version": current_charter(network),
                    "charter_accepted_at": applied_at,
                    "pending_commission": commission,
                },
            )
