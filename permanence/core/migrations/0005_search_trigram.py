"""The site search's indexes on PostgreSQL (permanence.core.search): pg_trgm, and one trigram GIN index per searched
name field, on UPPER(field) – the expression Django's icontains compares, so the same index serves "any part of a
word" (UPPER(field) LIKE '%KEB%') and "a close spelling" (UPPER(field) %> 'KEEBLE'). pg_trgm is a trusted extension
(PostgreSQL 13 and later): the database's owner may create it without being a superuser (docs/deploy.md). SQLite has
no trigram index, and searches there without one: this migration does nothing on it."""

from django.db import migrations

SEARCHED = [
    ("children", "Child", ("first_name", "last_name")),
    ("adopters", "Household", ("name",)),
    ("adopters", "Applicant", ("first_name", "last_name")),
    ("support", "SupportCase", ("family_name", "child_name")),
]


def _indexes(apps):
    for app, model, fields in SEARCHED:
        table = apps.get_model(app, model)._meta.db_table
        for field in fields:
            yield f"{table}_{field}_trgm"[:63], table, field


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, field in _indexes(apps):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} USING gin (UPPER({quote(field)}) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _field in _indexes(apps):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_record_view_lists"),
        ("children", "0004_placement_kinds"),
        ("adopters", "0005_match_items"),
        ("support", "0002_timescales"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
