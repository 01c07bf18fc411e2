"""The network's data as rows for a spreadsheet: streamed, so that 20,000 rows cost flat memory.

Each dataset is a header and a generator of rows read from the database in
chunks (`iterator`), never a list. CSV goes out line by line in a streaming
response; Excel is written by openpyxl's write-only workbook to a temporary
file, which is then streamed. A cell that a spreadsheet would read as a
formula is written as text.
"""

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from commissions.models import CommissionMember
from events.models import Registration, RegistrationStatus
from members.models import EntityKind, Membership, MembershipStatus
from platforms.models import Platform

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Dataset:
    name: str
    header: list[str]
    rows: Iterator[list]


def _moment(value, zone) -> str:
    return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value) -> str:
    return value.isoformat() if value else ""


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def _person(first, last) -> str:
    return " ".join(part for part in (first, last) if part)


def _platform_labels() -> dict[int, str]:
    return {platform.pk: platform.label for platform in Platform.objects.all()}


def members(network) -> Dataset:
    """Every membership of the network, with its representative's and alternate's contacts."""
    header = [
        _("Entity"),
        _("Kind"),
        _("Platform"),
        _("Status"),
        _("Joined"),
        _("Left"),
        _("Region"),
        _("City"),
        _("Website"),
        _("Representative"),
        _("Representative's email"),
        _("Representative's phone"),
        _("Alternate"),
        _("Alternate's email"),
        _("Alternate's phone"),
    ]
    fields = (
        "entity__name",
        "entity__kind",
        "platform_id",
        "status",
        "joined_at",
        "left_at",
        "entity__region",
        "entity__city",
        "entity__website",
        "representative__first_name",
        "representative__last_name",
        "representative__email",
        "representative__phone",
        "alternate__first_name",
        "alternate__last_name",
        "alternate__email",
        "alternate__phone",
    )

    # Read in the network's scope now; the rows are read from the database as they are sent.
    zone = network.zone
    platforms = _platform_labels()
    queryset = Membership.objects.order_by("entity__name", "pk").values_list(*fields)

    def rows():
        for row in queryset.iterator(chunk_size=CHUNK):
            yield [
                row[0],
                _label(EntityKind, row[1]),
                platforms.get(row[2], ""),
                _label(MembershipStatus, row[3]),
                _moment(row[4], zone),
                _moment(row[5], zone),
                row[6],
                row[7],
                row[8],
                _person(row[9], row[10]),
                row[11] or "",
                row[12] or "",
                _person(row[13], row[14]),
                row[15] or "",
                row[16] or "",
            ]

    return Dataset("miembros", header, rows())


def commission_members(network) -> Dataset:
    """Who sits, and sat, in each commission, with the dates."""
    header = [_("Commission"), _("Entity"), _("Joined"), _("Left")]

    queryset = CommissionMember.objects.order_by(
        "commission__name", "entity__name", "pk"
    ).values_list("commission__name", "entity__name", "joined_on", "left_on")

    def rows():
        for commission, entity, joined, left in queryset.iterator(chunk_size=CHUNK):
            yield [commission, entity, _day(joined), _day(left)]

    return Dataset("comisiones", header, rows())


def registrations(network) -> Dataset:
    """Each event's registrations and attendance: entities, and people who registered alone."""
    header = [
        _("Event"),
        _("Starts"),
        _("Entity"),
        _("Person"),
        _("Email"),
        _("Status"),
        _("People registered"),
        _("People who attended"),
    ]

    zone = network.zone
    queryset = Registration.objects.order_by("event__starts_at", "event_id", "pk").values_list(
        "event__title",
        "event__starts_at",
        "entity__name",
        "name",
        "email",
        "status",
        "people",
        "attended_people",
    )

    def rows():
        for row in queryset.iterator(chunk_size=CHUNK):
            yield [
                row[0],
                _moment(row[1], zone),
                row[2] or "",
                row[3],
                row[4],
                _label(RegistrationStatus, row[5]),
                row[6],
                "" if row[7] is None else row[7],
            ]

    return Dataset("inscripciones", header, rows())


FACILITATOR_DATASETS = {
    "members": members,
    "commissions": commission_members,
    "registrations": registrations,
}


def directory(network) -> Dataset:
    """The public directory: active member entities and their public facts only."""
    header = [
        _("Entity"),
        _("Kind"),
        _("Platform"),
        _("Legally registered"),
        _("Region"),
        _("City"),
        _("Website"),
        _("Description"),
        _("Member since"),
    ]

    zone = network.zone
    platforms = _platform_labels()
    queryset = (
        Membership.objects.filter(status=MembershipStatus.ACTIVE)
        .order_by("entity__name", "pk")
        .values_list(
            "entity__name",
            "entity__kind",
            "platform_id",
            "entity__legally_registered",
            "entity__region",
            "entity__city",
            "entity__website",
            "entity__description",
            "joined_at",
        )
    )

    def rows():
        for row in queryset.iterator(chunk_size=CHUNK):
            yield [
                row[0],
                _label(EntityKind, row[1]),
                platforms.get(row[2], ""),
                _("yes") if row[3] else _("no"),
                row[4],
                row[5],
                row[6],
                row[7],
                timezone.localtime(row[8], zone).date().isoformat() if row[8] else "",
            ]

    return Dataset("directorio", header, rows())


def safe_cell(value):
    """A text a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """A file-like object that hands back what csv writes, one line at a time."""

    def write(self, value):
        return value


def csv_lines(dataset: Dataset) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff"  # so that Excel reads the accents of a CSV file right
    yield writer.writerow(dataset.header)
    for row in dataset.rows:
        yield writer.writerow([safe_cell(value) for value in row])


def xlsx_file(dataset: Dataset):
    """The dataset as an Excel workbook in a temporary file, rewound and ready to stream."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=dataset.name[:31])
    sheet.append(dataset.header)
    for row in dataset.rows:
        sheet.append([safe_cell(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response that streams it
    workbook.save(handle)
    handle.seek(0)
    return handle


def json_records(dataset: Dataset) -> Iterable[str]:
    """The dataset as a JSON list of objects keyed by the header, streamed."""
    yield "["
    for position, row in enumerate(dataset.rows):
        record = dict(zip(dataset.header, row, strict=True))
        yield ("," if position else "") + json.dumps(record, ensure_ascii=False)
    yield "]"
