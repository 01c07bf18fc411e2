"""Once granted facilitators the viewing of events.

Kept empty: the Facilitators group's permissions are set after every `migrate`
(`networks.admin_access`).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("networks", "0002_facilitators_group"),
    ]

    operations = []
