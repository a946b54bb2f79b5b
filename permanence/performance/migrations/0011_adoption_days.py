"""The comparisons' per-child days (AdoptionDays), filled from the events already held: one milestone query per
2,000 adopted children (seconds for the national set). `permanence refresh-snapshots` rebuilds them too."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    # The writer's own function (today's models): the table is derived, and only this migration creates it.
    from permanence.performance.services import rebuild_adoption_days

    rebuild_adoption_days()
    if schema_editor.connection.vendor == "postgresql":  # the planner's statistics for the rows just written
        schema_editor.execute("ANALYZE performance_adoptiondays")


class Migration(migrations.Migration):

    dependencies = [
        ('children', '0004_placement_kinds'),
        ('organisations', '0003_staff_must_change_password'),
        ('performance', '0010_threshold_units_support'),
    ]

    operations = [
        migrations.CreateModel(
            name='AdoptionDays',
            fields=[
                ('child', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='children.child')),
                ('adopted_on', models.DateField(help_text="The adoption order's date.")),
                ('a1', models.PositiveIntegerField(help_text='Days from entering care to moving in (A1).', null=True)),
                ('a10', models.PositiveIntegerField(help_text='A1 counted to the move-in with the carers who adopted (A10).', null=True)),
                ('a2', models.PositiveIntegerField(help_text='Days from the placement order to the match (A2).', null=True)),
                ('la', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation')),
            ],
            options={
                'verbose_name_plural': 'adoption days',
                'indexes': [models.Index(fields=['la', 'adopted_on', 'a1', 'a10', 'a2'], name='adoption_days_by_la'), models.Index(fields=['adopted_on', 'la', 'a1', 'a10', 'a2'], name='adoption_days_by_date')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
