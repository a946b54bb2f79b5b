"""The comparisons' figures are worked out in the request from the LAs' totals (performance.AdoptionDays, issue 17):
no job makes them and none is kept, so the jobs of kind "figures" (and the figures they kept) go, with the key
they were kept under."""

from django.db import migrations


def forget_figures(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(kind="figures").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0003_job_output'),
    ]

    operations = [
        migrations.RunPython(forget_figures, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='joboutput',
            name='key',
        ),
    ]
