"""Once made the Facilitators group and granted its permissions.

The group is now given its exact permission list after every `migrate`
(`networks.admin_access`); this migration is kept empty so that the migration
graph, and the databases that applied it, stay whole.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0003_priority_areas"),
        ("platforms", "0001_initial"),
        ("commissions", "0002_initial"),
    ]

    operations = []
