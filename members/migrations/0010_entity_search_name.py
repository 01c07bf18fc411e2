"""Entities carry their name as searches compare it: no accents, no case.

`search_name` is filled here for the entities already stored; from now on
`Entity.save()` and the entity manager's bulk writes keep it. On PostgreSQL a
trigram index (`pg_trgm`) on it lets a "name contains" search use an index
instead of reading every entity; SQLite reads the column as it is.
"""

from django.db import migrations, models

from core.text import folded

BATCH = 1000
TRIGRAM_INDEX = "entity_search_name_trgm"


def fill_search_names(apps, schema_editor):
    Entity = apps.get_model("members", "Entity")
    entities = Entity._base_manager.using(schema_editor.connection.alias).order_by("pk")
    batch = []
    for entity in entities.only("pk", "name").iterator(chunk_size=BATCH):
        entity.search_name = folded(entity.name)
        batch.append(entity)
        if len(batch) == BATCH:
            Entity._base_manager.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Entity._base_manager.bulk_update(batch, ["search_name"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
        "ON members_entity USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may have come to use it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_api_token_expiry_and_revocation"),
    ]

    operations = [
        migrations.AddField(
            model_name="entity",
            name="search_name",
            field=models.TextField(blank=True, editable=False, verbose_name="name for searching"),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
