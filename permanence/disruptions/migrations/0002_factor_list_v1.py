"""Version 1 of the contributing factors list (rules.DEFAULT_FACTORS, from seed 002 section 9). Later versions are
data: `permanence disruption_factors FILE.yaml`."""

import datetime

from django.db import migrations

FACTORS = (
    ("needs_underestimated", "The child's needs were underestimated or not known"),
    ("matching", "Matching: the match did not fit the child's needs or the adopters' capacity"),
    ("preparation", "Preparation of the adopters or the child (including introductions)"),
    ("support_not_provided", "Adoption support was not provided, or came too late"),
    ("adopter_circumstances", "The adopters' circumstances changed (health, relationship, family)"),
    ("information_sharing", "Information about the child was not shared or was incomplete"),
    ("delay", "Delay in the child's journey"),
    ("other", "Another factor (say which in the findings)"),
)


def forward(apps, schema_editor):
    FactorList = apps.get_model("disruptions", "FactorList")
    Factor = apps.get_model("disruptions", "Factor")
    factor_list = FactorList.objects.create(version=1, valid_from=datetime.date(2000, 1, 1),
                                            source="Seed 002 section 9 (learning from disruptions and breakdowns)")
    Factor.objects.bulk_create([Factor(factor_list=factor_list, code=c, label=label, order=i)
                                for i, (c, label) in enumerate(FACTORS)])


def backward(apps, schema_editor):
    apps.get_model("disruptions", "Factor").objects.filter(factor_list__version=1).delete()
    apps.get_model("disruptions", "FactorList").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("disruptions", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
