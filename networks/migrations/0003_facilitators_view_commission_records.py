"""Once granted facilitators the viewing of commission records.

Kept empty: the Facilitators group's permissions are set after every `migrate`
(`networks.admin_access`).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_facilitators_group"),
        ("commissions", "0003_action_closingsheet_comment_progressupdate_and_more"),
        ("members", "0005_notification_delivery_token"),
    ]

    operations = []
