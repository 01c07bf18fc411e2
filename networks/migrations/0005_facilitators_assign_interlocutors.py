"""Once granted facilitators the assigning of interlocutors.

Kept empty: the Facilitators group's permissions are set after every `migrate`
(`networks.admin_access`).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("networks", "0004_interlocutor")]

    operations = []
