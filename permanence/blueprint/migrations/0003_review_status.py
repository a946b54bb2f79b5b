"""A blueprint review is a draft (changed as the review goes on, not counted in the results) or final
(read-only, counted). The reviews recorded before drafts existed were recorded whole: final."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('blueprint', '0002_blueprint_version_1'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='blueprintreview',
            name='finalised_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='blueprintreview',
            name='finalised_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='blueprintreview',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('final', 'Final')], default='final', max_length=10),
        ),
    ]
