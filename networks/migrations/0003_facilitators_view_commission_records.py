"""Facilitators follow up commissions (section 4.2 a): they may view the records
the commission services write, and the notifications of their networks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Facilitators"

VIEWABLE = {
    "commissions": [
        "statechange",
        "promoterterm",
        "topic",
        "action",
        "progressupdate",
        "comment",
        "closingsheet",
    ],
    "members": ["notification"],
}


def grant_view_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, models in VIEWABLE.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"view_{model}" for model in models],
            )
        )


def revoke_view_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        for app_label, models in VIEWABLE.items():
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"view_{model}" for model in models],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_facilitators_group"),
        ("commissions", "0003_action_closingsheet_comment_progressupdate_and_more"),
        ("members", "0005_notification_delivery_token"),
    ]

    operations = [migrations.RunPython(grant_view_permissions, revoke_view_permissions)]
