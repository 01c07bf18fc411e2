"""The "Facilitators" group: the model permissions a facilitator needs in the admin.

Which rows a facilitator sees is decided by the admin (only the networks they
facilitate); this group only says which kinds of rows they may view, add or
change. Nothing here grants delete: closing, leaving and rejecting are state
changes, never deletions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Facilitators"

PERMISSIONS = {
    "networks": {
        "network": ["view", "change"],
        "charterversion": ["view", "add"],
        "facilitator": ["view"],
        "historyentry": ["view"],
    },
    "platforms": {"platform": ["view", "change"]},
    "members": {
        "user": ["view", "add", "change"],
        "entity": ["view", "add", "change"],
        "priorityarea": ["view"],
        "membership": ["view", "add", "change"],
    },
    "commissions": {
        "commission": ["view", "add", "change"],
        "commissionmember": ["view", "add", "change"],
    },
}


def create_facilitators_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now
    # so that a fresh database gets a complete group in one `migrate`.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            codenames.extend((app_label, f"{action}_{model}") for action in actions)
    for app_label, codename in codenames:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


def remove_facilitators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0003_priority_areas"),
        ("platforms", "0001_initial"),
        ("commissions", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_facilitators_group, remove_facilitators_group)]
