"""Data that can move: dumpdata and loaddata carry a whole installation to a fresh database.

The round trip is the one the README prescribes for backups and for moving
from SQLite to PostgreSQL: the demo (plus a network with events, minutes,
decisions, work plans and updates, and rows that name content types and
permissions) is dumped, the database is emptied and migrated afresh, the dump
is loaded, and a second dump must be identical to the first, byte for byte.
"""

import datetime as dt
import io
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from commissions.models import Commission
from events.models import Event
from members.api_tokens import create_api_token
from members.models import Membership, User
from networks.models import Network
from networks.scoping import ScopeError, all_networks
from tests import factories
from tests.isolation.test_routes import build_side

# Rows every fresh database makes for itself (at migrate), referred to by natural keys.
DUMP_OPTIONS = {
    "natural_foreign": True,
    "natural_primary": True,
    "exclude": ["contenttypes", "auth.permission", "sessions"],
}


def dump(**options):
    out = io.StringIO()
    call_command("dumpdata", **DUMP_OPTIONS, indent=1, stdout=out, **options)
    return out.getvalue()


def a_fresh_database():
    """Empty every table, then let migrate's signal make content types and permissions
    again, all of them under other ids than before (a fresh database owes nothing
    to the old one's numbering)."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.create(app_label="placeholder", model="shifts_every_id")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.fixture
def installation(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", force=True, stdout=io.StringIO())
    with all_networks():
        side = build_side(
            slug="red-misti",
            network_name="Red Misti",
            entity_name="Asociación Chachani Verde",
            commission_name="Mesa del Voluntariado Escolar",
            email_stem="chachani",
            phone="+51 911 111 111",
        )
    coordinators = Group.objects.create(name="Coordinación")
    coordinators.permissions.set(Permission.objects.filter(codename__startswith="view_")[:5])
    side.representative.groups.add(coordinators)
    side.representative.user_permissions.add(Permission.objects.get(codename="change_event"))
    LogEntry.objects.log_actions(
        user_id=User.objects.get(email="admin@example.org").pk,
        queryset=Network.objects.filter(slug="red-misti"),
        action_flag=CHANGE,
        change_message="Nombre revisado",
        single_object=True,
    )
    create_api_token(by=side.representative, name="Web", valid_days=90)
    return side


@pytest.mark.django_db(transaction=True)
def test_demo_dump_fresh_database_load_dump_gives_identical_data(installation, tmp_path):
    first = dump()
    with all_networks():
        counts = {
            "networks": Network.objects.count(),
            "memberships": Membership.objects.count(),
            "commissions": Commission.objects.count(),
            "events": Event.objects.count(),
        }
    assert counts["networks"] == 11 and counts["memberships"] > 150 and counts["events"] > 0
    fixture = tmp_path / "tejido.json"
    fixture.write_text(first, encoding="utf-8")

    a_fresh_database()
    assert not User.objects.exists()
    call_command("loaddata", str(fixture), verbosity=0)
    second = dump()

    assert second == first
    with all_networks():
        assert Network.objects.count() == counts["networks"]
        assert Membership.objects.count() == counts["memberships"]
    representative = User.objects.get(email="chachani.representative@example.net")
    assert representative.has_perm("events.change_event")
    assert representative.groups.get().permissions.count() == 5
    entry = LogEntry.objects.get(change_message="Nombre revisado")
    assert entry.content_type.model_class() is Network


@pytest.mark.django_db
def test_a_dump_keeps_times_to_the_microsecond(network):
    moment = dt.datetime(2026, 5, 4, 10, 30, 15, 123456, tzinfo=dt.UTC)
    with all_networks():
        factories.CommissionFactory(network=network, state_changed_at=moment)

    record = next(r for r in json.loads(dump()) if r["model"] == "commissions.commission")

    # Django's own JSON would write .123Z, and a reload would lose 456 microseconds.
    assert record["fields"]["state_changed_at"] == "2026-05-04T10:30:15.123456Z"


@pytest.mark.django_db
def test_dumpdata_lifts_the_network_scope_for_itself_only(network):
    with all_networks():
        factories.MembershipFactory(network=network)

    records = json.loads(dump())

    assert any(record["model"] == "members.membership" for record in records)
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
