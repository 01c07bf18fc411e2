"""The national network's common annual agenda for 2015, with the commissions of its regions.

Section 6.3 finds that the regions' commissions recur on the same topics
(environment, youth, social development) and that this "may facilitate …
interregional or national work lines"; section 6.5 names a common annual
agenda as a key to consolidating the national network, and every region dealt
with the institutionalisation of volunteering (public policy commissions in
Piura and Tumbes). The agenda's lines are those topics; the regional
commissions that work on each are attached to it, so each line shows
commissions of several regions. While the agenda was open, Tumbes and Piura
commented through their facilitator.
"""

import datetime as dt

from agenda.models import Agenda, AgendaComment, AgendaState, Attachment, Line
from commissions.models import Commission
from networks.scoping import network_scope

ORDER = 50  # after the commissions and their progress (40)

YEAR = 2015

INTRODUCTION = (
    "Las redes regionales coinciden en sus temas: medio ambiente, juventud y desarrollo social. "
    "Esta agenda común los convierte en líneas de trabajo interregionales, para intercambiar "
    "experiencias y sumar esfuerzos en todo el país."
)

# (title, purpose, topics, [(network slug, commission name)])
LINES = [
    (
        "Medio ambiente",
        "Sumar el voluntariado de todas las regiones al cuidado del ambiente y a la respuesta "
        "frente al cambio climático, con lo aprendido en el Día del Voluntariado 2014 en el "
        "marco de la COP20.",
        "medio ambiente, cambio climático, educación ambiental",
        [
            ("arequipa", "Medio Ambiente 1"),
            ("arequipa", "Medio Ambiente 2"),
            ("piura", "Brigadas Universitarias y Medio Ambiente"),
            ("tumbes", "Medio Ambiente"),
            ("cusco", "Medio Ambiente"),
            ("lima", "Medio Ambiente"),
        ],
    ),
    (
        "Juventud",
        "Abrir espacios para que las y los jóvenes participen como voluntarios en la cultura, "
        "el trabajo social y la vida de su región.",
        "juventud, cultura, participación juvenil",
        [
            ("arequipa", "Cultura y Juventud"),
            ("piura", "Juventud y Cultura"),
            ("tumbes", "Juventud"),
            ("la-libertad", "Juventud y Trabajo Social"),
            ("cusco", "Juventud"),
        ],
    ),
    (
        "Desarrollo social",
        "Acciones conjuntas con las poblaciones vulnerables de cada región y diálogo "
        "ciudadano sobre las prioridades del desarrollo.",
        "desarrollo social, inclusión, pobreza",
        [
            ("arequipa", "Desarrollo Social 1"),
            ("piura", "Desarrollo Social"),
            ("tumbes", "Desarrollo Social"),
            ("la-libertad", "Inclusión Social"),
        ],
    ),
    (
        "Institucionalización del voluntariado",
        "Acordar con los gobiernos regionales y el nacional las normas y los procesos que "
        "reconocen y promueven el voluntariado.",
        "políticas públicas, normativa, gobiernos regionales",
        [
            ("piura", "Políticas Públicas"),
            ("tumbes", "Políticas Públicas"),
            ("lima", "Políticas Públicas"),
        ],
    ),
]

# (network slug, text): what the regions said while the agenda was open.
COMMENTS = [
    (
        "tumbes",
        "Proponemos que la línea de medio ambiente incluya el cuidado de los manglares y las "
        "playas, que nuestra comisión ya trabaja.",
    ),
    (
        "piura",
        "Las comisiones de políticas públicas de Piura y Tumbes pueden compartir su propuesta "
        "al gobierno regional: sugerimos una línea sobre la institucionalización.",
    ),
]


# The agenda of the year, as the networks lived it: drafted in January, published in February.
PUBLISHED_ON = dt.datetime(YEAR, 2, 20, 10)


def load(demo):
    national = demo.networks.get("nacional")
    if national is None or demo.facilitator is None:
        return
    agenda, created = demo.get_or_create(
        Agenda,
        network=national,
        year=YEAR,
        defaults={
            "introduction": INTRODUCTION,
            "state": AgendaState.PUBLISHED,
            "drafted_at": dt.datetime(YEAR, 1, 12, 10, tzinfo=national.zone),
            "opened_at": dt.datetime(YEAR, 1, 26, 10, tzinfo=national.zone),
            "published_at": PUBLISHED_ON.replace(tzinfo=national.zone),
        },
    )
    if not created:
        return
    # Each region's commissions, read in the region's own scope.
    wanted: dict[str, set[str]] = {}
    for _title, _purpose, _topics, pairs in LINES:
        for slug, name in pairs:
            wanted.setdefault(slug, set()).add(name)
    commissions = {}
    for slug, names in wanted.items():
        if slug not in demo.networks:
            continue
        with network_scope(demo.networks[slug]):
            for commission in Commission.objects.filter(name__in=names):
                commissions[slug, commission.name] = commission
    regions = set()
    with network_scope(national):
        for slug, text in COMMENTS:
            if slug in demo.networks:
                AgendaComment.objects.create(
                    network=national,
                    agenda=agenda,
                    commenting_network=demo.networks[slug],
                    author=demo.facilitator,
                    text=text,
                    created_at=dt.datetime(YEAR, 2, 2, 16, tzinfo=national.zone),
                )
                demo.created += 1
        for position, (title, purpose, topics, pairs) in enumerate(LINES, start=1):
            line = Line.objects.create(
                network=national,
                agenda=agenda,
                title=title,
                purpose=purpose,
                topics=topics,
                position=position,
            )
            demo.created += 1
            for number, pair in enumerate(pairs):
                commission = commissions.get(pair)
                if commission is None:
                    continue
                Attachment.objects.create(
                    network=national,
                    line=line,
                    commission=commission,
                    attached_by=demo.facilitator,
                    attached_at=PUBLISHED_ON.replace(tzinfo=national.zone)
                    + dt.timedelta(days=number),
                )
                demo.created += 1
                regions.add(pair[0])
    demo.say(
        f"{national.name}: the {YEAR} agenda, {len(LINES)} lines with commissions of "
        f"{len(regions)} regions"
    )
