"""Spreadsheet imports: read, checked row by row, previewed, imported only as confirmed."""

import csv
import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.errors import DomainError
from core.models import OutgoingMail
from evidence import imports
from evidence.models import ImportKind, ImportState, SpreadsheetImport
from evidence.tasks import check_spreadsheet, import_spreadsheet
from members.models import Entity, Invitation, InvitationRole, Membership, MembershipStatus
from members.services import add_member_entity, invite_prospect
from networks.models import Facilitator, HistoryEntry
from networks.scoping import network_scope
from platforms.models import Platform, Sector
from tests import factories

# Messages in English whatever the catalogue says; the network writes its rows' in English too.
pytestmark = pytest.mark.usefixtures("english")

HEADER = ["Nombre", "Tipo", "Plataforma", "Correo", "Ciudad", "Miembro desde"]


@pytest.fixture
def network(db):
    return factories.NetworkFactory(
        name="Red de Voluntariado de Arequipa", slug="arequipa", default_language="en"
    )


@pytest.fixture
def facilitator(network):
    return factories.FacilitatorFactory(network=network).user


def csv_file(rows, *, header=HEADER, name="entidades.csv", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, name="entidades.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(network, by, file, kind=ImportKind.MEMBERS, queue=None):
    with network_scope(network):
        return imports.upload_spreadsheet(
            network=network, kind=kind, upload=file, by=by, queue=queue
        )


def row(name, kind="ONG", platform="Sociedad civil", email="", city="Arequipa", joined=""):
    return [name, kind, platform, email, city, joined]


def by_line(record):
    return {result["line"]: result for result in record.results}


def test_a_csv_is_read_its_columns_guessed_and_nothing_is_imported_before_confirmation(
    network, facilitator
):
    record = upload(
        network,
        facilitator,
        csv_file([row("Asociación Raíces", email="ana@example.org"), row("Club Misti")]),
    )

    assert record.state == ImportState.READY
    assert record.mapping == {
        "name": 0,
        "kind": 1,
        "platform": 2,
        "email": 3,
        "city": 4,
        "joined": 5,
    }
    assert [imports.row_status(result) for result in record.results] == ["ok", "ok"]
    assert by_line(record)[2]["values"]["kind"] == "ngo"
    assert not Entity.objects.exists()
    with network_scope(network):
        assert not Membership.objects.exists()


def test_an_excel_workbook_and_a_semicolon_csv_are_read_too(network, facilitator):
    from_excel = upload(network, facilitator, xlsx_file([row("Colectivo Chachani")]))
    from_csv = upload(network, facilitator, csv_file([row("Colectivo Pichu Pichu")], delimiter=";"))

    assert from_excel.results[0]["values"]["name"] == "Colectivo Chachani"
    assert from_csv.results[0]["values"]["name"] == "Colectivo Pichu Pichu"


@pytest.mark.parametrize(
    "bad_row, message",
    [
        (row(""), "Give the organisation's name."),
        (row("Grupo Uno", kind="Cooperativa lunar"), "is not a kind of organisation"),
        (row("Grupo Dos", platform="Marte"), "is not a platform of this network"),
        (row("Grupo Tres", email="no es correo"), "is not a valid email address"),
        (row("Grupo \x00 Cuatro"), "cannot be read"),
        (row("x" * 10_000), "may have at most 200 characters"),
        (row("Grupo Cinco", joined="9999-12-31"), "choose a date between"),
        (row("Grupo Seis", joined="mañana"), "is not a date"),
    ],
)
def test_each_bad_row_gets_its_error_and_never_a_crash(network, facilitator, bad_row, message):
    record = upload(network, facilitator, csv_file([row("Grupo Bueno"), bad_row]))

    good, bad = record.results
    assert imports.row_status(good) == "ok"
    assert imports.row_status(bad) == "error"
    assert any(message in error for error in bad["errors"]), bad["errors"]


def test_a_year_9999_in_an_excel_cell_is_a_row_error(network, facilitator):
    record = upload(
        network, facilitator, xlsx_file([row("Grupo Siete", joined=datetime(9999, 12, 31))])
    )

    assert "choose a date between" in record.results[0]["errors"][0]


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(network, facilitator):
    with pytest.raises(DomainError, match="could not be read"):
        upload(network, facilitator, SimpleUploadedFile("roto.xlsx", b"not a zip"))
    with pytest.raises(DomainError, match="CSV file or an Excel"):
        upload(network, facilitator, SimpleUploadedFile("notas.txt", b"a,b"))
    assert not SpreadsheetImport.objects.with_scopes_disabled().exists()


def test_a_likely_duplicate_is_found_accent_blind_and_says_whether_it_is_a_member(
    network, facilitator
):
    existing = factories.EntityFactory(name="Asociación Voluntarios del Misti")
    factories.MembershipFactory(network=network, entity=existing)

    record = upload(network, facilitator, csv_file([row("ASOCIACION VOLUNTARIOS DEL MISTI")]))

    (result,) = record.results
    assert imports.row_status(result) == "duplicate"
    assert result["duplicates"] == [{"id": existing.pk, "name": existing.name, "member": True}]


def test_an_organisation_written_twice_in_the_spreadsheet_is_imported_once(network, facilitator):
    record = upload(
        network,
        facilitator,
        csv_file([row("Colectivo Río Chili"), row("COLECTIVO RIO CHILI"), row("Grupo Otro")]),
    )

    assert [imports.row_status(result) for result in record.results] == ["ok", "error", "ok"]
    assert record.results[1]["errors"] == [
        "Line 2 of this spreadsheet already has this organisation."
    ]


def test_the_columns_can_be_mapped_again_and_every_row_is_checked_again(network, facilitator):
    record = upload(
        network,
        facilitator,
        csv_file([["ONG", "Grupo Ocho", "Sociedad civil"]], header=["A", "B", "C"]),
    )
    assert record.mapping == {}
    assert imports.row_status(record.results[0]) == "error"

    with network_scope(network):
        record = imports.map_columns(
            spreadsheet_import=record,
            mapping={"name": 1, "kind": 0, "platform": 2},
            by=facilitator,
        )

    assert record.state == ImportState.READY
    assert record.results[0]["values"]["name"] == "Grupo Ocho"
    with network_scope(network), pytest.raises(DomainError, match="chosen for two fields"):
        imports.map_columns(
            spreadsheet_import=record, mapping={"name": 1, "kind": 1}, by=facilitator
        )


def test_confirming_imports_members_as_active_and_invites_their_contact(network, facilitator):
    record = upload(
        network,
        facilitator,
        csv_file([row("Grupo Nueve", email="Rosa@Example.org", joined="2019-04-01")]),
    )

    with network_scope(network):
        record = imports.confirm_import(spreadsheet_import=record, choices={}, by=facilitator)
        membership = Membership.objects.select_related("entity", "platform").get()
        invitation = Invitation.objects.get()
        history = list(
            HistoryEntry.objects.filter(object_id=membership.pk)
            .order_by("at", "pk")
            .values_list("action", "actor_id")
        )

    assert record.state == ImportState.DONE
    assert record.results[0]["outcome"] == "created"
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.entity.name == "Grupo Nueve"
    assert membership.platform.sector == Sector.CIVIL_SOCIETY
    assert membership.joined_at.date().isoformat() == "2019-04-01"
    assert membership.representative is None
    assert (invitation.role, invitation.email) == (
        InvitationRole.REPRESENTATIVE,
        "rosa@example.org",
    )
    assert history == [
        ("membership.created", facilitator.pk),
        ("membership.status", facilitator.pk),
    ]
    assert OutgoingMail.objects.filter(recipients="rosa@example.org").count() == 1


def test_only_confirmed_rows_are_imported_skip_link_or_new(network, facilitator):
    linked = factories.EntityFactory(name="Colectivo Manos Unidas")
    skipped = factories.EntityFactory(name="Fundación Sonrisas Andinas")
    record = upload(
        network,
        facilitator,
        csv_file(
            [
                row("Colectivo Manos Unidas"),
                row("Fundacion Sonrisas Andinas"),
                row("Grupo Diez", kind="Planeta"),
                row("Grupo Once"),
            ]
        ),
    )
    lines = by_line(record)
    assert [imports.row_status(lines[line]) for line in (2, 3, 4, 5)] == [
        "duplicate",
        "duplicate",
        "error",
        "ok",
    ]

    with network_scope(network):
        imports.confirm_import(
            spreadsheet_import=record, choices={2: f"link:{linked.pk}"}, by=facilitator
        )
        members = set(Membership.objects.values_list("entity__name", flat=True))

    assert members == {"Colectivo Manos Unidas", "Grupo Once"}
    assert Entity.objects.filter(name__startswith="Fundaci").get() == skipped
    assert not Entity.objects.filter(name="Grupo Diez").exists()


def test_a_link_to_an_entity_that_is_not_among_the_rows_duplicates_is_refused(network, facilitator):
    factories.EntityFactory(name="Colectivo Manos Unidas")
    elsewhere = factories.EntityFactory(name="Otra cosa")
    record = upload(network, facilitator, csv_file([row("Colectivo Manos Unidas")]))

    with network_scope(network), pytest.raises(DomainError, match="Line 2"):
        imports.confirm_import(
            spreadsheet_import=record, choices={2: f"link:{elsewhere.pk}"}, by=facilitator
        )
    with network_scope(network):
        assert not Membership.objects.exists()
        assert SpreadsheetImport.objects.get().state == ImportState.READY


def test_linking_an_entity_already_member_here_changes_nothing_for_it(network, facilitator):
    membership = factories.MembershipFactory(
        network=network, entity=factories.EntityFactory(name="Colectivo Manos Unidas")
    )
    record = upload(network, facilitator, csv_file([row("Colectivo Manos Unidas")]))

    with network_scope(network):
        record = imports.confirm_import(
            spreadsheet_import=record,
            choices={2: f"link:{membership.entity_id}"},
            by=facilitator,
        )
        assert Membership.objects.count() == 1

    assert record.results[0]["outcome"] == "refused"


def test_prospects_are_not_members_they_are_invited_to_register_and_apply(network, facilitator):
    record = upload(
        network,
        facilitator,
        csv_file(
            [["Colectivo Sin Cuenta", "Grupo informal", "", "lucia@example.org", "", ""]],
        ),
        kind=ImportKind.PROSPECTS,
    )

    with network_scope(network):
        record = imports.confirm_import(spreadsheet_import=record, choices={}, by=facilitator)
        assert not Membership.objects.exists()
        assert not Invitation.objects.exists()

    assert not Entity.objects.exists()
    assert record.results[0]["outcome"] == "invited"
    mail = OutgoingMail.objects.get()
    assert mail.recipients == "lucia@example.org"
    assert "/redes/arequipa/unirse/" in str(mail.message)


def test_a_prospect_without_an_email_is_a_row_error(network, facilitator):
    record = upload(
        network,
        facilitator,
        csv_file([["Colectivo Mudo", "Grupo informal", "", "", "", ""]]),
        kind=ImportKind.PROSPECTS,
    )

    assert "Give the email address" in record.results[0]["errors"][0]


def test_cancelling_deletes_the_upload_and_changes_nothing(network, facilitator):
    factories.EntityFactory(name="Colectivo Manos Unidas")
    entities = Entity.objects.count()
    record = upload(
        network, facilitator, csv_file([row("Colectivo Manos Unidas"), row("Grupo Doce")])
    )

    with network_scope(network):
        imports.cancel_import(spreadsheet_import=record, by=facilitator)
        assert not SpreadsheetImport.objects.exists()
        assert not Membership.objects.exists()
    assert Entity.objects.count() == entities
    assert not OutgoingMail.objects.exists()


def test_a_confirmed_import_cannot_be_cancelled_nor_confirmed_again(network, facilitator):
    record = upload(network, facilitator, csv_file([row("Grupo Trece")]))
    with network_scope(network):
        imports.confirm_import(spreadsheet_import=record, choices={}, by=facilitator)
        with pytest.raises(DomainError, match="cannot be cancelled"):
            imports.cancel_import(spreadsheet_import=record, by=facilitator)
        with pytest.raises(DomainError, match="not waiting for confirmation"):
            imports.confirm_import(spreadsheet_import=record, choices={}, by=facilitator)
        assert Membership.objects.count() == 1


@pytest.mark.parametrize("persona", ["member", "other_facilitator", "verified"])
def test_only_a_facilitator_of_the_network_uploads_confirms_or_cancels(
    network, other_network, facilitator, persona
):
    record = upload(network, facilitator, csv_file([row("Grupo Catorce")]))
    person = {
        "member": lambda: factories.MembershipFactory(network=network).representative,
        "other_facilitator": lambda: factories.FacilitatorFactory(network=other_network).user,
        "verified": factories.UserFactory,
    }[persona]()

    with network_scope(network):
        with pytest.raises(DomainError, match="Only a facilitator"):
            imports.upload_spreadsheet(
                network=network,
                kind=ImportKind.MEMBERS,
                upload=csv_file([row("Grupo Quince")]),
                by=person,
            )
        with pytest.raises(DomainError, match="Only a facilitator"):
            imports.map_columns(spreadsheet_import=record, mapping={"name": 0}, by=person)
        with pytest.raises(DomainError, match="Only a facilitator"):
            imports.confirm_import(spreadsheet_import=record, choices={}, by=person)
        with pytest.raises(DomainError, match="Only a facilitator"):
            imports.cancel_import(spreadsheet_import=record, by=person)
        assert SpreadsheetImport.objects.get().state == ImportState.READY
        assert Membership.objects.filter(entity__name="Grupo Catorce").count() == 0


def test_a_site_admin_may_import_too(network):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    record = upload(network, admin, csv_file([row("Grupo Dieciséis")]))
    with network_scope(network):
        imports.confirm_import(spreadsheet_import=record, choices={}, by=admin)
        assert Membership.objects.get().status == MembershipStatus.ACTIVE


def two_thousand_rows(existing_names):
    """2,000 rows: 50 with an error, 30 like an entity already registered, the rest new."""
    rows = []
    for number in range(2000):
        if number % 40 == 7:  # 50 bad rows, of five kinds
            bad = number // 40 % 5
            rows.append(
                [
                    row(""),
                    row(f"Grupo Erroneo {number}", kind="Nave"),
                    row(f"Grupo Erroneo {number}", platform="Luna"),
                    row(f"Grupo Erroneo {number}", email="sin arroba"),
                    row(f"Grupo Erroneo {number}", joined="9999-01-01"),
                ][bad]
            )
        elif number % 40 == 20 and len(existing_names) > 0:
            rows.append(row(existing_names.pop().upper()))
        else:
            rows.append(row(f"Colectivo Numerado Zeta{number:04d}"))
    return rows


def test_a_2000_row_spreadsheet_with_50_bad_rows_and_30_near_duplicates(
    network, facilitator, django_capture_on_commit_callbacks
):
    names = [f"Asociación Huaycán {word}" for word in WORDS[:30]]
    for name in names:
        factories.EntityFactory(name=name)
    queued = []

    with django_capture_on_commit_callbacks(execute=True):
        record = upload(
            network,
            facilitator,
            csv_file(two_thousand_rows(list(names))),
            queue=lambda network_id, import_id: queued.append(("check", network_id, import_id)),
        )
    # Large files are checked by the job, which says how far it got.
    assert record.state == ImportState.CHECKING
    assert queued == [("check", network.pk, record.pk)]
    check_spreadsheet(network.pk, record.pk)
    record.refresh_from_db()
    statuses = [imports.row_status(result) for result in record.results]
    assert record.state == ImportState.READY
    assert (record.progress, record.total) == (2000, 2000)
    assert statuses.count("error") == 50
    assert statuses.count("duplicate") == 30
    assert statuses.count("ok") == 1920
    duplicates = [result for result in record.results if result["duplicates"]]
    assert all(result["duplicates"][0]["name"].upper() == result["name"] for result in duplicates)

    # Link ten, import five as new, skip the other fifteen (the default).
    choices = {
        result["line"]: f"link:{result['duplicates'][0]['id']}" for result in duplicates[:10]
    }
    choices |= {result["line"]: "import" for result in duplicates[10:15]}
    with django_capture_on_commit_callbacks(execute=True), network_scope(network):
        record = imports.confirm_import(
            spreadsheet_import=record,
            choices=choices,
            by=facilitator,
            queue=lambda network_id, import_id: queued.append(("import", network_id, import_id)),
        )
    assert record.state == ImportState.IMPORTING
    assert queued[-1] == ("import", network.pk, record.pk)
    with network_scope(network):
        assert not Membership.objects.exists()

    import_spreadsheet(network.pk, record.pk)
    record.refresh_from_db()
    assert record.state == ImportState.DONE
    assert (record.progress, record.total) == (1935, 1935)
    with network_scope(network):
        assert Membership.objects.filter(status=MembershipStatus.ACTIVE).count() == 1935
    assert Entity.objects.count() == 30 + 1920 + 5

    # Run again (a retried job), it does nothing twice.
    import_spreadsheet(network.pk, record.pk)
    with network_scope(network):
        assert Membership.objects.count() == 1935


def test_the_job_of_one_network_never_reaches_another_sharing_an_entity(
    network, other_network, facilitator, unscoped
):
    shared = factories.EntityFactory(name="Colectivo Compartido del Sur")
    factories.MembershipFactory(network=network, entity=shared)
    factories.MembershipFactory(network=other_network, entity=shared)
    other_facilitator = factories.FacilitatorFactory(network=other_network).user
    record = upload(
        other_network, other_facilitator, csv_file([row("Colectivo Compartido del Sur")])
    )
    assert record.results[0]["duplicates"][0]["member"] is True
    # Another network's id with this upload's id finds nothing, and does nothing.
    assert check_spreadsheet(network.pk, record.pk) is None
    with network_scope(other_network):
        imports.confirm_import(
            spreadsheet_import=record, choices={2: f"link:{shared.pk}"}, by=other_facilitator
        )
    assert import_spreadsheet(network.pk, record.pk) is None
    # Linking in the other network leaves this network's membership as it was.
    assert Membership.objects.filter(entity=shared).count() == 2
    record.refresh_from_db()
    assert record.results[0]["outcome"] == "refused"
    assert not HistoryEntry.objects.filter(network=network, actor=other_facilitator).exists()


WORDS = [
    "Amanecer",
    "Brisa",
    "Cóndor",
    "Dunas",
    "Esperanza",
    "Faro",
    "Girasol",
    "Horizonte",
    "Illari",
    "Jilguero",
    "Kantu",
    "Lucero",
    "Manantial",
    "Nevado",
    "Ollanta",
    "Puquio",
    "Quinua",
    "Retama",
    "Sauce",
    "Totora",
    "Ucumari",
    "Vicuña",
    "Wayra",
    "Yaku",
    "Zorzal",
    "Alpaca",
    "Bosque",
    "Cantuta",
    "Estrella",
    "Molle",
]


def test_the_members_services_refuse_whoever_does_not_run_the_network(
    network, other_network, facilitator
):
    member = factories.MembershipFactory(network=network).representative
    with network_scope(network):
        platform = Platform.objects.first()
    with network_scope(other_network):
        elsewhere = Platform.objects.first()

    with pytest.raises(DomainError, match="Only a facilitator"):
        add_member_entity(
            network=network, platform=platform, by=member, profile={"name": "X", "kind": "ngo"}
        )
    with pytest.raises(DomainError, match="Only a facilitator"):
        invite_prospect(network=network, email="p@example.org", name="X", by=member)
    with pytest.raises(DomainError, match="this network's platforms"):
        add_member_entity(
            network=network,
            platform=elsewhere,
            by=facilitator,
            profile={"name": "Grupo Foráneo", "kind": "ngo"},
        )
    assert not Entity.objects.filter(name__in=["X", "Grupo Foráneo"]).exists()
    assert not OutgoingMail.objects.exists()


def test_rows_of_a_facilitator_who_stepped_down_meanwhile_are_refused_one_by_one(
    network, facilitator, django_capture_on_commit_callbacks
):
    rows = [row(f"Colectivo Tardío {number}") for number in range(imports.INLINE_ROWS + 1)]
    record = upload(network, facilitator, csv_file(rows))
    with network_scope(network):
        record = imports.confirm_import(
            spreadsheet_import=record, choices={}, by=facilitator, queue=lambda *ids: None
        )
        Facilitator.objects.filter(user=facilitator).delete()

    import_spreadsheet(network.pk, record.pk)

    record.refresh_from_db()
    assert record.state == ImportState.DONE
    assert {result["outcome"] for result in record.results} == {"refused"}
    with network_scope(network):
        assert not Membership.objects.exists()


def test_a_prospect_linked_to_a_registered_organisation_is_told_to_apply_for_it(
    network, facilitator
):
    registered = factories.EntityFactory(name="Fundación Agua Clara")
    record = upload(
        network,
        facilitator,
        csv_file([["FUNDACION AGUA CLARA", "Fundación", "", "dora@example.org", "", ""]]),
        kind=ImportKind.PROSPECTS,
    )

    with network_scope(network):
        imports.confirm_import(
            spreadsheet_import=record, choices={2: f"link:{registered.pk}"}, by=facilitator
        )
        assert not Membership.objects.exists()

    message = str(OutgoingMail.objects.get().message)
    assert "Fundación Agua Clara is already registered in Tejido" in message


def test_linking_an_entity_that_left_the_network_reinstates_it(network, facilitator):
    left = factories.MembershipFactory(
        network=network,
        entity=factories.EntityFactory(name="Colectivo Regreso"),
        status=MembershipStatus.LEFT,
    )
    record = upload(network, facilitator, csv_file([row("Colectivo Regreso")]))

    with network_scope(network):
        record = imports.confirm_import(
            spreadsheet_import=record, choices={2: f"link:{left.entity_id}"}, by=facilitator
        )
        left.refresh_from_db()

    assert record.results[0]["outcome"] == "linked"
    assert left.status == MembershipStatus.ACTIVE
