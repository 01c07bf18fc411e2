"""Facilitators assign and replace the regional interlocutor of their networks (4.2 c)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Facilitators"
CODENAMES = ["view_interlocutor", "add_interlocutor"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="networks", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="networks", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("networks", "0004_interlocutor")]

    operations = [migrations.RunPython(grant, revoke)]
