"""Closing a household now ends its pause (a registration of interest declined while paused left it paused).

The snapshot of households closed that way is brought in line with what refreshing it now gives: a closed
household cannot be paused (no event pauses or resumes a closed household), so `paused` is False for them all.
"""

from django.db import migrations


def closed_households_are_not_paused(apps, schema_editor):
    Household = apps.get_model("adopters", "Household")
    Household.objects.filter(stage="closed", paused=True).update(paused=False)


class Migration(migrations.Migration):
    dependencies = [("adopters", "0002_reference_data")]

    operations = [migrations.RunPython(closed_households_are_not_paused, migrations.RunPython.noop)]
