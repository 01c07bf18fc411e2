"""An entity that sits in a commission follows it no more.

Following is for the member entities that do not sit (a sitting entity hears
of the commission's progress already, and cannot start following). Joining
now ends a follow; the follows of entities that joined before are ended here,
at the time of the migration.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone


def end_follows_of_sitting_entities(apps, schema_editor):
    CommissionMember = apps.get_model("commissions", "CommissionMember")
    Follower = apps.get_model("commissions", "Follower")
    sitting = CommissionMember._base_manager.filter(
        commission_id=OuterRef("commission_id"),
        entity_id=OuterRef("entity_id"),
        left_on__isnull=True,
    )
    Follower._base_manager.filter(ended_at__isnull=True).filter(Exists(sitting)).update(
        ended_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("commissions", "0008_conversation")]

    operations = [migrations.RunPython(end_follows_of_sitting_entities, migrations.RunPython.noop)]
