import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def children_of_earlier_matches(apps, schema_editor):
    """Match items booked before a match had its children: their one child is the match's child."""
    PanelItem = apps.get_model("adopters", "PanelItem")
    for item in PanelItem.objects.filter(kind="match", child__isnull=False):
        item.children.add(item.child_id)


class Migration(migrations.Migration):

    dependencies = [
        ('adopters', '0004_capacity_for_matching'),
        ('children', '0003_reference_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='panelitem',
            name='children',
            field=models.ManyToManyField(blank=True, help_text="A match's children: one child, or a sibling group placed together.", related_name='match_items', to='children.child'),
        ),
        migrations.AddField(
            model_name='panelitem',
            name='decided_by',
            field=models.ForeignKey(blank=True, help_text='Who recorded the agency decision.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='panelitem',
            name='recommendation_reasons',
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name='panelitem',
            name='decision',
            field=models.CharField(blank=True, choices=[('approved', 'Approved'), ('not_approved', 'Not approved'), ('agreed', 'Match agreed'), ('not_agreed', 'Match not agreed')], max_length=20),
        ),
        migrations.AlterField(
            model_name='panelitem',
            name='papers_received_on',
            field=models.DateField(blank=True, help_text='When the papers were in (a match: when the last of them came).', null=True),
        ),
        migrations.AlterField(
            model_name='panelitem',
            name='recommendation',
            field=models.CharField(blank=True, choices=[('approve', 'Recommended approval'), ('not_approve', 'Did not recommend approval'), ('deferred', 'Deferred'), ('match', 'Recommended the match'), ('not_match', 'Did not recommend the match')], max_length=20),
        ),
        migrations.CreateModel(
            name='PanelMemberView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('member_name', models.CharField(max_length=200)),
                ('member_role', models.CharField(choices=[('chair', 'Chair'), ('vice_chair', 'Vice chair'), ('social_worker', 'Social work member'), ('independent', 'Independent member'), ('adoption_experience', 'Member with personal experience of adoption'), ('medical_adviser', 'Medical adviser'), ('other', 'Other member')], max_length=30)),
                ('view', models.CharField(choices=[('recommend', 'Recommends'), ('not_recommend', 'Does not recommend'), ('abstain', 'Abstains')], max_length=20)),
                ('reasons', models.TextField(blank=True)),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='member_views', to='adopters.panelitem')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['item', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PanelPaper',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('paper', models.CharField(choices=[('apr', 'Adoption placement report (APR)'), ('cpr', "Child's permanence report (CPR)"), ('par', "Prospective adopter's report (PAR)")], max_length=10)),
                ('received_on', models.DateField()),
                ('recorded_at', models.DateTimeField(auto_now=True)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='papers', to='adopters.panelitem')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['item', 'paper'],
                'constraints': [models.UniqueConstraint(fields=('item', 'paper'), name='one_date_per_paper_per_item')],
            },
        ),
        migrations.RunPython(children_of_earlier_matches, migrations.RunPython.noop),
    ]
