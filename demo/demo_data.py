"""The demo: the Soy Voluntari@ networks of Peru as the model describes them.

Numbers come from the model document (sections 4, 5.1 and 6.3): which
networks exist and when they were founded, how many entities and which
commissions each has, and the proportions of entity kinds and priority areas.
Entity names and people are generated (seeded, so every run gives the same
data); the charter texts are written for the demo in Spanish.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from commissions.models import CommissionKind
from members.models import EntityKind, PriorityAreaCode
from networks.models import NetworkKind
from platforms.models import Sector

SEED = "tejido-demo"


@dataclass(frozen=True)
class CommissionPlan:
    name: str
    purpose: str
    kind: str = CommissionKind.THEMATIC


@dataclass
class NetworkPlan:
    slug: str
    name: str
    kind: str
    region: str
    founded_on: dt.date
    cities: list
    entity_count: int = 0
    commissions: list = field(default_factory=list)
    commission_on_joining: bool = False
    # Share of member entities that sit in at least one commission.
    commission_participation: float = 0.55


def thematic(name, purpose):
    return CommissionPlan(name=name, purpose=purpose)


# Founding dates: the model gives the year (2011 for Lima, 2014 for four
# regions, 2015 for Cusco) and for some the month (Arequipa in April 2014;
# Piura, Tumbes and La Libertad at the end of October 2014). Days are ours.
NATIONAL = NetworkPlan(
    slug="nacional",
    name="Red Nacional Soy Voluntari@",
    kind=NetworkKind.NATIONAL,
    region="",
    founded_on=dt.date(2014, 4, 1),
    cities=[],
)

REGIONAL = [
    NetworkPlan(
        slug="lima",
        name="Red de Voluntariado del Perú",
        kind=NetworkKind.REGIONAL,
        region="Lima Metropolitana",
        founded_on=dt.date(2011, 11, 1),
        cities=[
            "Lima",
            "Miraflores",
            "San Juan de Lurigancho",
            "Villa El Salvador",
            "Comas",
            "Barranco",
            "Santiago de Surco",
            "San Martín de Porres",
        ],
        # Its latest figure: 105 entities (section 7; "over 80" in section 4).
        entity_count=105,
        commissions=[
            CommissionPlan(
                "Día Internacional del Voluntariado",
                "Organizar la celebración del 5 de diciembre con todas las plataformas.",
                CommissionKind.EVENT,
            ),
            CommissionPlan(
                "Día Global del Servicio Juvenil",
                "Movilizar a organizaciones juveniles en la jornada global de servicio.",
                CommissionKind.EVENT,
            ),
            thematic(
                "Voluntariado para el Desarrollo",
                "Promover la investigación académica sobre el aporte del voluntariado.",
            ),
            thematic(
                "Desarrollo Infantil con Enfoque de Género",
                "Articular iniciativas de voluntariado por la niñez con enfoque de género.",
            ),
            thematic(
                "Medio Ambiente",
                "Sumar voluntariado a campañas de cuidado ambiental en la ciudad.",
            ),
            thematic(
                "Políticas Públicas",
                "Revisar y proponer mejoras a la normativa nacional de voluntariado.",
            ),
        ],
    ),
    NetworkPlan(
        slug="arequipa",
        name="Red de Voluntariado de Arequipa",
        kind=NetworkKind.REGIONAL,
        region="Arequipa",
        founded_on=dt.date(2014, 4, 5),
        cities=["Arequipa", "Cayma", "Yanahuara", "Cerro Colorado", "Paucarpata", "Mollendo"],
        entity_count=50,
        # Members pick or propose a commission when they join (footnote 16).
        commission_on_joining=True,
        commission_participation=1.0,
        commissions=[
            thematic("Cultura y Juventud", "Poner en valor el patrimonio cultural de los barrios."),
            thematic("Medio Ambiente 1", "Organizar la feria ambiental de la ciudad."),
            thematic("Medio Ambiente 2", "Educación ambiental en colegios y comunidades."),
            thematic("Desarrollo Social 1", "Encuestas y diálogo ciudadano sobre prioridades."),
            thematic("Desarrollo Social 2", "Voluntariado con adultos mayores."),
            thematic("Desarrollo Social 3", "Apoyo escolar en zonas periurbanas."),
            thematic(
                "Derechos Humanos, Mujer y Género",
                "Prevenir la violencia de género con campañas y talleres.",
            ),
        ],
    ),
    NetworkPlan(
        slug="piura",
        name="Red Soy Voluntari@ Piura",
        kind=NetworkKind.REGIONAL,
        region="Piura",
        founded_on=dt.date(2014, 10, 25),
        cities=["Piura", "Castilla", "Sullana", "Paita", "Catacaos"],
        entity_count=32,
        commissions=[
            thematic("Desarrollo Social", "Acciones conjuntas con poblaciones vulnerables."),
            thematic("Políticas Públicas", "Diálogo con el gobierno regional sobre voluntariado."),
            thematic(
                "Fortalecimiento de Capacidades y Formación de Voluntarios",
                "Cursos comunes de formación para voluntarios y coordinadores.",
            ),
            thematic("Juventud y Cultura", "Festivales y espacios culturales juveniles."),
            thematic(
                "Brigadas Universitarias y Medio Ambiente",
                "Brigadas de estudiantes en campañas ambientales.",
            ),
            thematic("Salud Comunitaria", "Campañas de salud preventiva en los barrios."),
        ],
    ),
    NetworkPlan(
        slug="tumbes",
        name="Red Soy Voluntari@ Tumbes",
        kind=NetworkKind.REGIONAL,
        region="Tumbes",
        founded_on=dt.date(2014, 10, 28),
        cities=["Tumbes", "Zarumilla", "Corrales", "La Cruz"],
        entity_count=19,
        commissions=[
            thematic("Juventud", "Voluntariado juvenil en la región."),
            thematic("Desarrollo Social", "Acciones con familias en situación de pobreza."),
            thematic("Políticas Públicas", "Propuestas de voluntariado al gobierno regional."),
            thematic("Medio Ambiente", "Cuidado de manglares y playas."),
        ],
    ),
    NetworkPlan(
        slug="la-libertad",
        name="Red Soy Voluntari@ La Libertad",
        kind=NetworkKind.REGIONAL,
        region="La Libertad",
        founded_on=dt.date(2014, 10, 30),
        cities=["Trujillo", "Víctor Larco Herrera", "La Esperanza", "El Porvenir", "Huanchaco"],
        entity_count=21,
        commissions=[
            thematic("Juventud y Trabajo Social", "Voluntariado juvenil en trabajo social."),
            thematic("Cultura de Paz", "Convivencia y resolución de conflictos en colegios."),
            thematic("Inclusión Social", "Inclusión de personas con discapacidad y migrantes."),
            thematic("Derechos Humanos", "Difusión y defensa de derechos en la comunidad."),
        ],
    ),
    NetworkPlan(
        slug="cusco",
        name="Red de Voluntariado de Cusco",
        kind=NetworkKind.REGIONAL,
        region="Cusco",
        founded_on=dt.date(2015, 5, 15),
        cities=["Cusco", "Wanchaq", "San Sebastián", "Santiago", "Urubamba", "Pisac"],
        entity_count=37,
        commissions=[
            thematic("Juventud", "Participación juvenil en el voluntariado regional."),
            thematic("Infancia", "Acompañamiento a niñas y niños en riesgo."),
            thematic("Discapacidad", "Accesibilidad y voluntariado inclusivo."),
            thematic("Medio Ambiente", "Reforestación y manejo de residuos."),
        ],
    ),
]

# Section 5.1: associations 30 %, NGOs 16 %, academic 10 %, public 10 %,
# private 5 %, groups without legal status 10 %, other 19 %. The "other"
# share is spread over the kinds the survey did not name.
KIND_SHARES = [
    (EntityKind.ASSOCIATION, 30),
    (EntityKind.NGO, 16),
    (EntityKind.UNIVERSITY, 10),
    (EntityKind.PUBLIC_AGENCY, 10),
    (EntityKind.COMPANY, 5),
    (EntityKind.INFORMAL_GROUP, 10),
    (EntityKind.FOUNDATION, 5),
    (EntityKind.INTERNATIONAL, 5),
    (EntityKind.YOUTH_GROUP, 5),
    (EntityKind.OTHER, 4),
]

# Section 5.1: education 50 %, volunteering 43 %, vulnerable populations 35 %,
# youth 27 %, environment 20 %; the other areas are not measured there.
AREA_SHARES = [
    (PriorityAreaCode.EDUCATION, 50),
    (PriorityAreaCode.VOLUNTEERING, 43),
    (PriorityAreaCode.VULNERABLE_POPULATIONS, 35),
    (PriorityAreaCode.YOUTH, 27),
    (PriorityAreaCode.ENVIRONMENT, 20),
    (PriorityAreaCode.HEALTH, 10),
    (PriorityAreaCode.CULTURE, 10),
    (PriorityAreaCode.HUMAN_RIGHTS, 8),
    (PriorityAreaCode.GENDER, 6),
]

AREA_NAMES = {
    PriorityAreaCode.EDUCATION: "educación",
    PriorityAreaCode.VOLUNTEERING: "promoción del voluntariado",
    PriorityAreaCode.VULNERABLE_POPULATIONS: "poblaciones vulnerables",
    PriorityAreaCode.YOUTH: "juventud",
    PriorityAreaCode.ENVIRONMENT: "medio ambiente",
    PriorityAreaCode.HEALTH: "salud",
    PriorityAreaCode.CULTURE: "cultura",
    PriorityAreaCode.HUMAN_RIGHTS: "derechos humanos",
    PriorityAreaCode.GENDER: "igualdad de género",
    PriorityAreaCode.OTHER: "otras causas",
}

KIND_PLATFORM = {
    EntityKind.ASSOCIATION: Sector.CIVIL_SOCIETY,
    EntityKind.NGO: Sector.CIVIL_SOCIETY,
    EntityKind.FOUNDATION: Sector.CIVIL_SOCIETY,
    EntityKind.INFORMAL_GROUP: Sector.CIVIL_SOCIETY,
    EntityKind.OTHER: Sector.CIVIL_SOCIETY,
    EntityKind.UNIVERSITY: Sector.UNIVERSITY,
    EntityKind.PUBLIC_AGENCY: Sector.PUBLIC,
    EntityKind.COMPANY: Sector.PRIVATE,
    EntityKind.INTERNATIONAL: Sector.INTERNATIONAL,
    EntityKind.YOUTH_GROUP: Sector.YOUTH,
}

KIND_DESCRIPTION = {
    EntityKind.ASSOCIATION: "Asociación que moviliza voluntariado",
    EntityKind.NGO: "Organización no gubernamental con programas de voluntariado",
    EntityKind.FOUNDATION: "Fundación que financia y acompaña voluntariado",
    EntityKind.INFORMAL_GROUP: "Grupo de voluntarios aún sin personería jurídica",
    EntityKind.OTHER: "Organización comunitaria con voluntariado",
    EntityKind.UNIVERSITY: "Oficina universitaria de voluntariado y proyección social",
    EntityKind.PUBLIC_AGENCY: "Entidad pública con programa de voluntariado",
    EntityKind.COMPANY: "Empresa con programa de voluntariado corporativo",
    EntityKind.INTERNATIONAL: "Organización internacional de voluntariado",
    EntityKind.YOUTH_GROUP: "Organización juvenil de voluntariado",
}

WORDS = [
    "Manos Solidarias",
    "Corazones Unidos",
    "Semillas de Esperanza",
    "Nuevo Amanecer",
    "Tierra Viva",
    "Sembrando Futuro",
    "Puentes de Vida",
    "Caminos de Luz",
    "Raíces",
    "Horizontes",
    "Voces del Barrio",
    "Pan y Letras",
    "Agua Clara",
    "Mundo Joven",
    "Chakana",
    "Ayni",
    "Minka",
    "Kallpa",
    "Sonqo",
    "Arcoíris",
    "Despertar",
    "Huellas",
    "Alas",
    "Abrazo",
]
SURNAMES = [
    "Quispe",
    "Mamani",
    "Flores",
    "Huamán",
    "García",
    "Rojas",
    "Chávez",
    "Torres",
    "Vargas",
    "Castillo",
    "Ramos",
    "Mendoza",
    "Paredes",
    "Salazar",
    "Gutiérrez",
    "Condori",
    "Espinoza",
    "Vásquez",
    "Díaz",
    "Ccori",
    "Palomino",
    "Zegarra",
    "Benavides",
    "Ticona",
]
FIRST_NAMES = [
    "Ana",
    "Luis",
    "Carmen",
    "Jorge",
    "Rosa",
    "Miguel",
    "Lucía",
    "Carlos",
    "María",
    "José",
    "Patricia",
    "Juan",
    "Milagros",
    "César",
    "Flor",
    "Diego",
    "Katherine",
    "Renzo",
    "Yesenia",
    "Óscar",
    "Gabriela",
    "Alonso",
    "Fiorella",
    "Wilfredo",
]
UNIVERSITY_NAMES = [
    "Universidad Nacional",
    "Universidad Católica",
    "Universidad Privada del Sur",
    "Universidad Tecnológica",
    "Universidad Autónoma",
    "Universidad Andina",
    "Instituto Superior Pedagógico",
    "Universidad Científica",
]
PUBLIC_NAMES = [
    "Municipalidad Distrital de {city}",
    "Municipalidad Provincial de {city}",
    "Gerencia Regional de Desarrollo Social de {region}",
    "Dirección Regional de Educación de {region}",
    "Dirección Regional de Salud de {region}",
    "Oficina de Defensa Civil de {city}",
    "Unidad de Gestión Educativa Local de {city}",
    "Programa Juvenil Regional de {region}",
    "Centro de Emergencia Mujer de {city}",
    "Centro de Salud de {city}",
]
COUNTRIES = [
    "Canadá",
    "Francia",
    "España",
    "Alemania",
    "Japón",
    "Corea",
    "Bélgica",
    "Italia",
    "Suiza",
    "Chile",
]
OTHER_NAMES = [
    "Parroquia San {word} de {city}",
    "Comedor Popular {word}",
    "Club de Madres {word}",
    "Cooperativa {word}",
    "Comunidad Cristiana {word}",
    "Bomberos Voluntarios de {city}",
    "Club Deportivo {word}",
    "Vaso de Leche {word}",
]


def allocate(total, shares):
    """Split `total` by integer shares with the largest-remainder rule: exact and stable."""
    weight = sum(share for _key, share in shares)
    exact = [(key, total * share / weight) for key, share in shares]
    counts = {key: int(value) for key, value in exact}
    missing = total - sum(counts.values())
    by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
    for key, _value in by_remainder[:missing]:
        counts[key] += 1
    return counts


def entity_name(kind, rng, *, city, region):
    word = rng.choice(WORDS)
    surname_a, surname_b = rng.sample(SURNAMES, 2)
    match kind:
        case EntityKind.ASSOCIATION:
            return f"Asociación {word} de {city}"
        case EntityKind.NGO:
            return f"ONG {word} {city}"
        case EntityKind.FOUNDATION:
            return f"Fundación {surname_a} {surname_b}"
        case EntityKind.INFORMAL_GROUP:
            return rng.choice(["Colectivo", "Grupo Voluntario", "Brigada"]) + f" {word} {city}"
        case EntityKind.UNIVERSITY:
            return f"Voluntariado {rng.choice(UNIVERSITY_NAMES)} de {city}"
        case EntityKind.PUBLIC_AGENCY:
            return rng.choice(PUBLIC_NAMES).format(city=city, region=region)
        case EntityKind.COMPANY:
            suffix = rng.choice(["S.A.C.", "S.A.", "E.I.R.L."])
            return f"{surname_a} & {surname_b} {suffix}"
        case EntityKind.INTERNATIONAL:
            return f"Voluntariado Internacional {rng.choice(COUNTRIES)} — {region}"
        case EntityKind.YOUTH_GROUP:
            return rng.choice(["Red Juvenil", "Movimiento Juvenil", "Jóvenes"]) + f" {word} {city}"
        case _:
            return rng.choice(OTHER_NAMES).format(word=word, city=city)


@dataclass
class PersonPlan:
    email: str
    first_name: str
    last_name: str
    phone: str


@dataclass
class EntityPlan:
    name: str
    slug: str
    kind: str
    sector: str
    legally_registered: bool
    areas: list
    city: str
    region: str
    website: str
    description: str
    representative: PersonPlan
    alternate: PersonPlan
    joined_on: dt.date
    commissions: list


def person(rng, *, network_slug, number):
    first_name = rng.choice(FIRST_NAMES)
    last_name = f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
    local = f"{slugify(first_name)}.{slugify(last_name.split()[0])}.{number:03d}"
    phone = f"+51 9{rng.randrange(10, 99)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}"
    return PersonPlan(
        email=f"{local}@{network_slug}.example.org",
        first_name=first_name,
        last_name=last_name,
        phone=phone,
    )


def plan_entities(network, used_names):
    """The entities of one network, the same at every run."""
    rng = random.Random(f"{SEED}:{network.slug}")  # noqa: S311 - demo data, not secrets
    count = network.entity_count
    kinds = [kind for kind, number in allocate(count, KIND_SHARES).items() for _ in range(number)]
    rng.shuffle(kinds)

    areas = [[] for _ in range(count)]
    for code, share in AREA_SHARES:
        for index in rng.sample(range(count), round(count * share / 100)):
            areas[index].append(code)
    for entity_areas in areas:
        if not entity_areas:
            entity_areas.append(PriorityAreaCode.OTHER)

    # Some associations are run by and for young people (youth platform, 4.3 a.3).
    sectors = [
        Sector.YOUTH
        if kind == EntityKind.ASSOCIATION and rng.random() < 0.2
        else KIND_PLATFORM[kind]
        for kind in kinds
    ]

    # Seat participants where they add a sector the commission lacks, then where
    # there are fewest members: commissions are cross-sector by design (4.3 b).
    # Entities of the smaller platforms come first so that each commission gets one.
    shuffled = rng.sample(range(count), count)
    participants = sorted(shuffled, key=lambda index: sectors[index] == Sector.CIVIL_SOCIETY)
    participants = participants[: round(count * network.commission_participation)]
    seats = {index: [] for index in range(count)}
    seated = {commission.name: [] for commission in network.commissions}
    for index in participants:
        name = min(
            seated,
            key=lambda name: (
                sectors[index] in {sectors[other] for other in seated[name]},
                len(seated[name]),
            ),
        )
        seated[name].append(index)
        seats[index].append(name)
    # Some entities sit in a second commission: the "bridge actors" of section 5.3.
    for index in rng.sample(participants, len(participants) // 6):
        other = rng.choice(network.commissions).name
        if other not in seats[index]:
            seats[index].append(other)

    days_since_founding = max((dt.date(2015, 6, 30) - network.founded_on).days, 30)
    entities = []
    for index, kind in enumerate(kinds):
        city = rng.choice(network.cities)
        name = entity_name(kind, rng, city=city, region=network.region)
        while name in used_names:
            name = entity_name(kind, rng, city=rng.choice(network.cities), region=network.region)
            if name in used_names:
                name = f"{name} {rng.choice(WORDS)}"
        used_names.add(name)
        sector = sectors[index]
        registered = kind != EntityKind.INFORMAL_GROUP
        slug = slugify(name)[:200]
        area_text = ", ".join(AREA_NAMES[code] for code in areas[index])
        entities.append(
            EntityPlan(
                name=name,
                slug=slug,
                kind=kind,
                sector=sector,
                legally_registered=registered,
                areas=areas[index],
                city=city,
                region=network.region,
                website=f"https://example.org/{slug}" if registered and rng.random() < 0.6 else "",
                description=f"{KIND_DESCRIPTION[kind]} en {city}: {area_text}.",
                representative=person(rng, network_slug=network.slug, number=2 * index),
                alternate=person(rng, network_slug=network.slug, number=2 * index + 1),
                joined_on=network.founded_on
                + dt.timedelta(days=rng.randrange(0, days_since_founding)),
                commissions=seats[index],
            )
        )
    return entities


MISSION = (
    "Dar visibilidad y reconocimiento al voluntariado como una fuerza estratégica para el "
    "desarrollo del país en todas sus dimensiones, y como un camino de crecimiento para cada "
    "persona que lo ejerce."
)
VISION = (
    "Ser el espacio plural donde el sector público, la sociedad civil, la cooperación "
    "internacional y las empresas conversan y actúan juntos, bajo una marca común que "
    "distingue al voluntariado peruano por su calidad y su credibilidad."
)
PRINCIPLES = """\
1. Funcional. Cada entidad participa con una persona representante y una alterna que pueden \
decidir. La plenaria se convoca cuando hay propuestas concretas que tratar, y las entidades \
interesadas en un tema pueden reunirse por su cuenta para formar una comisión.
2. Horizontal. No hay cargos permanentes, presidencias ni jefaturas. Solo existen los roles de \
facilitación, promoción de comisiones e interlocución regional, y ninguno da más peso que otro.
3. Inclusiva. Acogemos a entidades grandes y pequeñas, formalizadas o aún sin registro, siempre \
que actúen según el código de ética. Cada entidad tiene voz y un voto.
4. Participativa. Toda entidad puede proponer o impulsar una comisión. Las comisiones nacen de \
intereses compartidos y se orientan a iniciativas concretas.
5. Diversa. Los sectores público, privado, internacional y la sociedad civil se encuentran en \
plataformas y comisiones; el diálogo entre ellos es nuestra herramienta de trabajo.
6. Flexible. Cualquier entidad puede asumir de inmediato un rol que queda libre y nadie lo \
monopoliza. La red no administra fondos: cada entidad gestiona lo que aporta a una iniciativa.
"""
CODE_OF_ETHICS = """\
- Actuamos con transparencia y honestidad ante las demás entidades y ante las comunidades.
- Respetamos la dignidad, la autonomía y la seguridad de las personas voluntarias y de quienes \
participan en nuestras actividades.
- No usamos la red con fines partidarios, religiosos proselitistas ni comerciales.
- Cuidamos los datos personales que otras entidades nos confían.
- Cumplimos los compromisos que asumimos en las comisiones o avisamos a tiempo si no podemos.
"""
COMMITMENT = (
    "Nuestra entidad se compromete a participar en la red con una persona representante y una "
    "alterna, a respetar sus principios y su código de ética, y a compartir con las demás "
    "entidades la información de sus iniciativas de voluntariado."
)

FACILITATOR = PersonPlan(
    email="facilitadora@example.org",
    first_name="Rosa",
    last_name="Huamán Ccori",
    phone="+51 987 654 321",
)
# The facilitator of the second country's networks (demo.parts.levels).
SECOND_COUNTRY_FACILITATOR = PersonPlan(
    email="facilitador.bolivia@example.org",
    first_name="Marcelo",
    last_name="Quispe Mamani",
    phone="+591 2 240 0000",
)
SITE_ADMIN = PersonPlan(email="admin@example.org", first_name="Admin", last_name="Tejido", phone="")
DEMO_PASSWORD = "tejido-demo"  # noqa: S105 - a demo login, printed by the command
