"""Bring back within reach the events stored with a moment no page could read.

Before typed dates were bounded, an event ending 9999-12-31 23:59 in Lima was
stored by PostgreSQL as year 10000 in UTC, which Python cannot read: every list
that loaded it failed. Such moments are moved to the edge of what can be read,
so that the event shows again and its organisers can correct it. SQLite never
stored them (the conversion to UTC failed before the row was written).
"""

from datetime import UTC, datetime, timedelta

from django.db import migrations
from django.db.models import Q, Value
from django.db.models.functions import Greatest, Least

READABLE_FROM = datetime(1900, 1, 1, tzinfo=UTC)
READABLE_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)
# Kept apart so that an event still ends after it starts.
LAST_START = READABLE_UNTIL - timedelta(days=2)
LAST_END = READABLE_UNTIL - timedelta(days=1)


def repair(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Event = apps.get_model("events", "Event")
    fields = ("starts_at", "ends_at", "registration_closes_at")
    outside = Q()
    for name in fields:
        outside |= Q(**{f"{name}__gte": READABLE_UNTIL}) | Q(**{f"{name}__lt": READABLE_FROM})
    Event._base_manager.filter(outside).update(
        starts_at=Greatest(Least("starts_at", Value(LAST_START)), Value(READABLE_FROM)),
        ends_at=Greatest(
            Least("ends_at", Value(LAST_END)), Value(READABLE_FROM + timedelta(days=1))
        ),
        registration_closes_at=Greatest(
            Least("registration_closes_at", Value(LAST_START)), Value(READABLE_FROM)
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0003_event_moments_within_bounds")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
