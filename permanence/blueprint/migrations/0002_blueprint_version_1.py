"""Version 1 of the blueprint template (the 17 domains of seed 001), so it exists on a fresh database."""

from django.db import migrations


def load_v1(apps, schema_editor):
    from permanence.blueprint import template_v1

    template_v1.load(apps.get_model("blueprint", "BlueprintVersion"), apps.get_model("blueprint", "BlueprintDomain"))


class Migration(migrations.Migration):
    dependencies = [("blueprint", "0001_initial")]
    operations = [migrations.RunPython(load_v1, migrations.RunPython.noop)]
