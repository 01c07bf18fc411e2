"""Facilitators call and follow up events (section 4.2 a): in the admin they may view
the events of their networks with their registrations and minutes; changes go
through the event pages and their services."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Facilitators"
VIEWABLE = ["event", "eventorganiser", "agendaitem", "registration", "minutes", "decision"]


def grant_view_permissions(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="events", codename__in=[f"view_{m}" for m in VIEWABLE]
        )
    )


def revoke_view_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="events", codename__in=[f"view_{m}" for m in VIEWABLE]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("networks", "0002_facilitators_group"),
    ]

    operations = [migrations.RunPython(grant_view_permissions, revoke_view_permissions)]
