from django.db import migrations

AREAS = [
    "education",
    "volunteering",
    "vulnerable_populations",
    "youth",
    "environment",
    "health",
    "culture",
    "human_rights",
    "gender",
    "other",
]


def create_priority_areas(apps, schema_editor):
    PriorityArea = apps.get_model("members", "PriorityArea")
    for code in AREAS:
        PriorityArea.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("members", "0002_initial")]

    operations = [migrations.RunPython(create_priority_areas, migrations.RunPython.noop)]
