"""Spreadsheets of entities a facilitator brings in: read, checked, previewed, then imported.

A facilitator uploads the network's own sheet (CSV or Excel) of member entities or of
prospects. tablib reads it; every row is checked with registration's rules (the
profile through the same cleaning, the kind among `EntityKind`, the platform among
the network's, the email's form, a date within `core.dates`' bounds) and compared
with the entities already registered by registration's own `similar_entities`.
Nothing of the network changes until the facilitator confirms; a file of more than
`INLINE_ROWS` rows is checked and imported by a job (`evidence.tasks`) that says how
far it got; cancelling deletes the upload and nothing else.

The writes are the members' services, with the facilitator as the actor: member
entities through `add_member_entity` (approved by `change_membership_status`, the
contact invited to be the representative, since nobody is given a post without
accepting it); prospects, who are not members, through `invite_prospect`: nothing
is created for them, and each is sent an invitation to register and apply.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import tablib
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actors import person_or_none
from core.dates import check_day
from core.errors import DomainError
from core.text import checked_line, folded
from evidence.models import ImportKind, ImportState, SpreadsheetImport
from members.models import Entity, EntityKind, Membership
from members.selectors import LIVE_STATUSES, normalise_name, similar_entities
from members.services import add_member_entity, checked_email, checked_profile, invite_prospect
from networks.authority import require_perm
from platforms.models import Platform

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# Larger files are checked and imported by a job that shows its progress.
INLINE_ROWS = 200
CHUNK = 100
# What a cell holding a NUL byte or bytes of no known encoding is read as.
UNREADABLE = "\ufffd"

Queue = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    # Folded header names that mean this column, in Spanish and English.
    names: tuple[str, ...]


COLUMNS = (
    Column(
        "name",
        gettext_lazy("Name of the organisation"),
        (
            "nombre",
            "entidad",
            "organizacion",
            "institucion",
            "nombre de la entidad",
            "nombre de la organizacion",
            "razon social",
            "name",
            "entity",
            "organisation",
            "organization",
        ),
    ),
    Column(
        "kind",
        gettext_lazy("Kind of organisation"),
        ("tipo", "tipo de entidad", "tipo de organizacion", "kind", "type"),
    ),
    Column("platform", gettext_lazy("Platform"), ("plataforma", "sector", "platform")),
    Column(
        "email",
        gettext_lazy("Contact email"),
        (
            "correo",
            "correo electronico",
            "email",
            "e mail",
            "mail",
            "correo de contacto",
            "correo del representante",
            "correo electronico del representante",
            "representative s email",
        ),
    ),
    Column("region", gettext_lazy("Region"), ("region", "departamento")),
    Column("city", gettext_lazy("City"), ("ciudad", "provincia", "city")),
    Column("website", gettext_lazy("Website"), ("web", "sitio web", "pagina web", "website")),
    Column("description", gettext_lazy("Description"), ("descripcion", "description")),
    Column(
        "joined",
        gettext_lazy("Member since"),
        ("miembro desde", "fecha de ingreso", "ingreso", "member since", "joined"),
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
PROFILE_KEYS = ("name", "kind", "region", "city", "website", "description")


def _require_facilitator(by, network) -> None:
    require_perm(
        by,
        "networks.run_network",
        network,
        _("Only a facilitator of this network or a site admin imports spreadsheets into it."),
    )


# Reading -------------------------------------------------------------------------------


def _header_key(value: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", folded(value)).split())


def _text(value: object) -> str:
    """A cell as text, whatever the spreadsheet made of it; a NUL byte is marked unreadable."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return text.replace("\x00", UNREADABLE).strip()


def _decoded(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Spanish saves CSV files in Windows' encoding.
        return raw.decode("cp1252", errors="replace")


def read_spreadsheet(upload) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of an uploaded CSV or Excel file, every cell as text."""
    name = (upload.name or "").lower()
    if upload.size is not None and upload.size > MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(megabytes)s MB: split it and upload each part.")
            % {"megabytes": MAX_BYTES // (1024 * 1024)}
        )
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(megabytes)s MB: split it and upload each part.")
            % {"megabytes": MAX_BYTES // (1024 * 1024)}
        )
    dataset = tablib.Dataset()
    try:
        if name.endswith(".csv"):
            text = _decoded(raw)
            first_line = text.split("\n", 1)[0]
            delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
            dataset.load(text, format="csv", delimiter=delimiter)
        elif name.endswith(".xlsx"):
            dataset.load(raw, format="xlsx")
        else:
            raise DomainError(_("Upload a CSV file or an Excel workbook (.xlsx)."))
    except DomainError:
        raise
    except Exception as error:  # a damaged file raises whatever its reader met
        raise DomainError(
            _(
                "This file could not be read as a spreadsheet. Save it again as CSV or "
                "Excel (.xlsx) and upload it."
            )
        ) from error
    header = [
        checked_line(_text(cell), label="", max_length=None) for cell in dataset.headers or []
    ]
    if not any(header):
        raise DomainError(_("The first row of the spreadsheet must name its columns."))
    if dataset.height > MAX_ROWS:
        raise DomainError(
            _("The spreadsheet has %(rows)s rows; upload at most %(limit)s at a time.")
            % {"rows": dataset.height, "limit": MAX_ROWS}
        )
    rows = [[_text(cell) for cell in row] for row in dataset]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise DomainError(_("The spreadsheet has no rows under its header."))
    return header, rows


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Which column holds what, read from the header's names; unknown columns are left out."""
    keys = [_header_key(name) for name in header]
    mapping: dict[str, int] = {}
    for column in COLUMNS:
        for index, key in enumerate(keys):
            if key in column.names and index not in mapping.values():
                mapping[column.key] = index
                break
    return mapping


# Checking ------------------------------------------------------------------------------


@dataclass
class _Vocabulary:
    """The kinds of entity and the network's platforms, as people write them."""

    kinds: dict[str, str] = field(default_factory=dict)
    platforms: dict[str, int] = field(default_factory=dict)
    kind_names: list[str] = field(default_factory=list)
    platform_names: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, network) -> "_Vocabulary":
        vocabulary = cls()
        platforms = list(Platform.objects.all())
        for language in ("es", "en"):
            with translation.override(language):
                for value, label in EntityKind.choices:
                    vocabulary.kinds[_header_key(str(label))] = value
                for platform in platforms:
                    vocabulary.platforms[_header_key(str(platform))] = platform.pk
                    vocabulary.platforms[_header_key(platform.get_sector_display())] = platform.pk
        for value, _label in EntityKind.choices:
            vocabulary.kinds[_header_key(value)] = value
        for platform in platforms:
            vocabulary.platforms[_header_key(platform.sector)] = platform.pk
        vocabulary.kind_names = [str(label) for _value, label in EntityKind.choices]
        vocabulary.platform_names = [str(platform) for platform in platforms]
        return vocabulary


def _day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DomainError(
        _("“%(value)s” is not a date: write it as 2024-03-31 or 31/03/2024.") % {"value": text}
    )


def check_row(line: int, cells: list[str], *, mapping, kind, network, vocabulary) -> dict:
    """One row's values, cleaned as registration cleans them, and everything wrong with it."""

    def cell(key):
        index = mapping.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    raw = {key: cell(key) for key in COLUMN_KEYS}
    errors: list[str] = []
    values: dict[str, Any] = {}
    if any(UNREADABLE in value for value in raw.values()):
        errors.append(
            _("This row holds characters that cannot be read (a NUL byte or a broken encoding).")
        )
    entity_kind = vocabulary.kinds.get(_header_key(raw["kind"]))
    if not raw["kind"]:
        errors.append(_("Give the kind of organisation."))
    elif entity_kind is None:
        errors.append(
            _("“%(value)s” is not a kind of organisation: write one of %(kinds)s.")
            % {"value": raw["kind"][:100], "kinds": ", ".join(vocabulary.kind_names)}
        )
    try:
        profile = checked_profile(
            name=raw["name"],
            kind=entity_kind or EntityKind.OTHER,
            fields={key: raw[key] for key in ("region", "city", "website", "description")},
        )
    except DomainError as refused:
        errors.append(str(refused))
    else:
        values.update(profile, kind=entity_kind or "")
    if raw["email"]:
        try:
            values["email"] = checked_email(raw["email"][:300])
        except DomainError as refused:
            errors.append(str(refused))
    elif kind == ImportKind.PROSPECTS:
        errors.append(_("Give the email address to send the invitation to."))
    if kind == ImportKind.MEMBERS:
        platform_id = vocabulary.platforms.get(_header_key(raw["platform"]))
        if not raw["platform"]:
            errors.append(_("Give the platform of the network the entity takes part in."))
        elif platform_id is None:
            errors.append(
                _("“%(value)s” is not a platform of this network: write one of %(platforms)s.")
                % {
                    "value": raw["platform"][:100],
                    "platforms": ", ".join(vocabulary.platform_names),
                }
            )
        else:
            values["platform"] = platform_id
        if raw["joined"]:
            try:
                day = _day(raw["joined"][:40])
                check_day(day, zone=network.zone, what=str(_("Member since")))
            except DomainError as refused:
                errors.append(str(refused))
            else:
                values["joined"] = day.isoformat()
    duplicates = []
    if "name" in values:
        duplicates = [
            {"id": entity.pk, "name": entity.name, "member": False}
            for entity in similar_entities(values["name"])
        ]
    return {
        "line": line,
        "name": values.get("name") or raw["name"][:200],
        "values": values,
        "errors": errors,
        "duplicates": duplicates,
        "choice": "",
        "outcome": "",
        "note": "",
    }


def _mark_members(rows: list[dict]) -> None:
    """Say which likely duplicates are already members of this network (one query)."""
    ids = {duplicate["id"] for row in rows for duplicate in row["duplicates"]}
    if not ids:
        return
    members = set(
        Membership.objects.filter(entity_id__in=ids, status__in=LIVE_STATUSES).values_list(
            "entity_id", flat=True
        )
    )
    for row in rows:
        for duplicate in row["duplicates"]:
            duplicate["member"] = duplicate["id"] in members


def _mark_repeated(rows: list[dict], seen: dict[str, int]) -> None:
    """A name written twice in the spreadsheet (accents and case aside) is imported once."""
    for row in rows:
        key = normalise_name(row["name"])
        if not key:
            continue
        if key in seen:
            row["errors"].append(
                _("Line %(line)s of this spreadsheet already has this organisation.")
                % {"line": seen[key]}
            )
        elif not row["errors"]:
            seen[key] = row["line"]


def check_rows(*, network, spreadsheet_import_id: int) -> SpreadsheetImport | None:
    """Check every row of an upload, a chunk at a time, saying how far it got.

    Run by the job for large files and at once for small ones. An upload cancelled
    or mapped again meanwhile is left alone.
    """
    upload = SpreadsheetImport.objects.filter(
        pk=spreadsheet_import_id, state=ImportState.CHECKING
    ).first()
    if upload is None:
        return None
    vocabulary = _Vocabulary.of(network)
    mapping = upload.mapping
    mapping_indexes = {key: int(index) for key, index in mapping.items()}
    results: list[dict] = []
    seen: dict[str, int] = {}
    unchanged = SpreadsheetImport.objects.filter(
        pk=upload.pk, state=ImportState.CHECKING, mapping=mapping
    )
    with translation.override(network.default_language):
        for start in range(0, len(upload.cells), CHUNK):
            chunk = [
                check_row(
                    start + offset + 2,  # the header is the spreadsheet's first line
                    cells,
                    mapping=mapping_indexes,
                    kind=upload.kind,
                    network=network,
                    vocabulary=vocabulary,
                )
                for offset, cells in enumerate(upload.cells[start : start + CHUNK])
            ]
            _mark_members(chunk)
            _mark_repeated(chunk, seen)
            results.extend(chunk)
            if not unchanged.update(progress=len(results)):
                return None
    unchanged.update(results=results, state=ImportState.READY, progress=len(results))
    upload.refresh_from_db()
    return upload


def _start_checking(upload: SpreadsheetImport, network, queue: Queue | None) -> None:
    if len(upload.cells) > INLINE_ROWS and queue is not None:
        transaction.on_commit(lambda: queue(network.pk, upload.pk))
    else:
        check_rows(network=network, spreadsheet_import_id=upload.pk)


@transaction.atomic
def upload_spreadsheet(*, network, kind, upload, by, queue: Queue | None = None):
    """Read a spreadsheet the facilitator uploaded and check its rows; nothing is imported yet.

    Only whoever runs the network (section 4.2 a: the facilitator's secretariat).
    `queue(network_id, import_id)` checks large files in a job after the commit.
    """
    _require_facilitator(by, network)
    if kind not in ImportKind.values:
        raise DomainError(_("Choose what the spreadsheet holds: member entities or prospects."))
    if upload is None:
        raise DomainError(_("Choose the file to upload."))
    header, rows = read_spreadsheet(upload)
    record = SpreadsheetImport.objects.create(
        network=network,
        created_by=person_or_none(by),
        kind=kind,
        file_name=checked_line(upload.name, label="", max_length=None)[:255],
        header=header,
        cells=rows,
        mapping=guess_mapping(header),
        total=len(rows),
    )
    _start_checking(record, network, queue)
    record.refresh_from_db()
    return record


def _locked(spreadsheet_import) -> SpreadsheetImport:
    return SpreadsheetImport.objects.select_for_update().get(pk=spreadsheet_import.pk)


@transaction.atomic
def map_columns(
    *, spreadsheet_import, mapping: Mapping[str, int | None], by, queue: Queue | None = None
):
    """Say again which column holds what, and check every row again."""
    network = spreadsheet_import.network
    _require_facilitator(by, network)
    locked = _locked(spreadsheet_import)
    if locked.state not in (ImportState.CHECKING, ImportState.READY):
        raise DomainError(
            _("This import has already been confirmed: its columns stay as they were.")
        )
    chosen: dict[str, int] = {}
    for key, index in mapping.items():
        if key not in COLUMN_KEYS:
            raise DomainError(_("Unknown field: %(field)s.") % {"field": key})
        if index is None:
            continue
        if not 0 <= index < len(locked.header):
            raise DomainError(_("The spreadsheet has no such column."))
        if index in chosen.values():
            raise DomainError(
                _("The column “%(column)s” is chosen for two fields.")
                % {"column": locked.header[index]}
            )
        chosen[key] = index
    if "name" not in chosen:
        raise DomainError(_("Choose the column that holds the organisation's name."))
    locked.mapping = chosen
    locked.state = ImportState.CHECKING
    locked.progress = 0
    locked.total = len(locked.cells)
    locked.results = []
    locked.save(update_fields=["mapping", "state", "progress", "total", "results"])
    _start_checking(locked, network, queue)
    locked.refresh_from_db()
    return locked


# Confirming and importing --------------------------------------------------------------

SKIP = "skip"
IMPORT = "import"
LINK = "link:"


def row_status(row: dict) -> str:
    if row["errors"]:
        return "error"
    if row["duplicates"]:
        return "duplicate"
    return "ok"


@transaction.atomic
def confirm_import(
    *, spreadsheet_import, choices: Mapping[int, str], by, queue: Queue | None = None
):
    """Import the rows the facilitator confirmed, and only those.

    A row with errors is never imported. A row like an entity already registered
    is skipped unless the facilitator chose to link it to that entity or to import
    it as a different organisation (registration asks the same). Large files are
    imported by a job after the commit.
    """
    network = spreadsheet_import.network
    _require_facilitator(by, network)
    locked = _locked(spreadsheet_import)
    if locked.state != ImportState.READY:
        raise DomainError(_("This import is not waiting for confirmation."))
    results = locked.results
    chosen = 0
    for row in results:
        status = row_status(row)
        if status == "error":
            row["choice"] = SKIP
            continue
        if status == "duplicate":
            choice = choices.get(row["line"], SKIP)
            allowed = {SKIP, IMPORT} | {f"{LINK}{other['id']}" for other in row["duplicates"]}
            if choice not in allowed:
                raise DomainError(
                    _(
                        "Line %(line)s: skip the row, link it to an organisation already "
                        "registered, or import it as a different one."
                    )
                    % {"line": row["line"]}
                )
        else:
            choice = IMPORT
        row["choice"] = choice
        if choice != SKIP:
            chosen += 1
    if not chosen:
        raise DomainError(_("No row would be imported: nothing has been changed."))
    locked.results = results
    locked.state = ImportState.IMPORTING
    locked.total = chosen
    locked.progress = 0
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["results", "state", "total", "progress", "confirmed_at"])
    if chosen > INLINE_ROWS and queue is not None:
        transaction.on_commit(lambda: queue(network.pk, locked.pk))
    else:
        import_rows(network=network, spreadsheet_import_id=locked.pk)
    locked.refresh_from_db()
    return locked


def import_rows(*, network, spreadsheet_import_id: int) -> SpreadsheetImport | None:
    """Import the confirmed rows, one transaction per chunk, saying how far it got.

    Each row goes through the members' services with the facilitator who
    uploaded the file as the actor, so their rules hold; a row they refuse is
    recorded with the reason and the others go on. A row done is marked in the
    chunk's own transaction, so a job run again does nothing twice.
    """
    upload = (
        SpreadsheetImport.objects.filter(pk=spreadsheet_import_id, state=ImportState.IMPORTING)
        .select_related("created_by")
        .only("pk", "kind", "file_name", "created_by", "results")
        .first()
    )
    if upload is None:
        return None
    by = upload.created_by
    waiting = [
        index
        for index, row in enumerate(upload.results)
        if row.get("choice") not in ("", SKIP) and not row.get("outcome")
    ]
    with translation.override(network.default_language):
        for start in range(0, len(waiting), CHUNK):
            with transaction.atomic():
                locked = SpreadsheetImport.objects.select_for_update().get(pk=upload.pk)
                if locked.state != ImportState.IMPORTING:
                    return None
                results = locked.results
                for index in waiting[start : start + CHUNK]:
                    row = results[index]
                    if row.get("outcome"):
                        continue
                    try:
                        with transaction.atomic():
                            row["outcome"], row["note"] = _import_row(network, locked, row, by=by)
                    except DomainError as refused:
                        row["outcome"], row["note"] = "refused", str(refused)
                locked.results = results
                locked.progress = sum(
                    1 for row in results if row.get("choice") not in ("", SKIP) and row["outcome"]
                )
                locked.save(update_fields=["results", "progress"])
    SpreadsheetImport.objects.filter(pk=upload.pk, state=ImportState.IMPORTING).update(
        state=ImportState.DONE, finished_at=timezone.now()
    )
    return SpreadsheetImport.objects.filter(pk=upload.pk).first()


def _import_row(network, upload, row, *, by) -> tuple[str, str]:
    if upload.kind == ImportKind.PROSPECTS:
        return _invite_prospect(network, upload, row, by=by)
    return _import_member(network, upload, row, by=by)


def _linked_entity(row) -> Entity | None:
    choice = row["choice"]
    if not choice.startswith(LINK):
        return None
    return Entity.objects.get(pk=int(choice.removeprefix(LINK)))


def _import_member(network, upload, row, *, by) -> tuple[str, str]:
    """The entity (new, or the one linked) becomes an active member on the chosen platform."""
    values = row["values"]
    entity = _linked_entity(row)
    joined = date.fromisoformat(values["joined"]) if values.get("joined") else None
    add_member_entity(
        network=network,
        platform=Platform.objects.filter(pk=values["platform"]).first(),
        by=by,
        entity=entity,
        profile={key: values.get(key, "") for key in PROFILE_KEYS},
        joined_at=timezone.make_aware(datetime.combine(joined, datetime.min.time()), network.zone)
        if joined
        else None,
        contact_email=values.get("email", ""),
        source=upload.file_name,
    )
    return ("linked" if entity is not None else "created"), ""


def _invite_prospect(network, upload, row, *, by) -> tuple[str, str]:
    """A prospect is sent an invitation to register the organisation and apply; nothing else."""
    entity = _linked_entity(row)
    invite_prospect(
        network=network,
        email=row["values"]["email"],
        name=entity.name if entity is not None else row["values"]["name"],
        registered=entity is not None,
        by=by,
        key=f"prospect-invitation:{upload.pk}:{row['line']}",
    )
    return "invited", ""


@transaction.atomic
def cancel_import(*, spreadsheet_import, by) -> None:
    """Cancel an upload before it is confirmed: it is deleted and nothing else changes."""
    _require_facilitator(by, spreadsheet_import.network)
    locked = SpreadsheetImport.objects.select_for_update().filter(pk=spreadsheet_import.pk).first()
    if locked is None:
        return
    if locked.state not in (ImportState.CHECKING, ImportState.READY):
        raise DomainError(_("This import has already been confirmed: it cannot be cancelled."))
    locked.delete()


# Reading for the pages ------------------------------------------------------------------

PREVIEW_OK_ROWS = 100


@dataclass
class Preview:
    errors: list[dict]
    duplicates: list[dict]
    ok: list[dict]
    ok_count: int
    done: dict[str, int]
    refused: list[dict]


def preview_of(upload: SpreadsheetImport) -> Preview:
    """The rows of a checked upload, grouped as the page shows them (no query)."""
    errors: list[dict] = []
    duplicates: list[dict] = []
    ok: list[dict] = []
    for row in upload.results:
        {"error": errors, "duplicate": duplicates, "ok": ok}[row_status(row)].append(row)
    done: dict[str, int] = {}
    for row in upload.results:
        if row.get("outcome"):
            done[row["outcome"]] = done.get(row["outcome"], 0) + 1
    return Preview(
        errors=errors,
        duplicates=duplicates,
        ok=ok[:PREVIEW_OK_ROWS],
        ok_count=len(ok),
        done=done,
        refused=[row for row in upload.results if row.get("outcome") in ("refused", "skipped")],
    )
