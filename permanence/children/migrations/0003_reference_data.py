from django.db import migrations

NEEDS = [
    ("physical_health", "Physical health, disability or medical condition", "Conditions needing treatment, therapy or equipment."),
    ("learning", "Learning difficulties or developmental delay", "Including global delay and special educational needs."),
    ("emotional_behavioural", "Emotional and behavioural needs", "Dysregulation, aggression, anxiety."),
    ("attachment_trauma", "Attachment difficulties and trauma", "Effects of early adversity on relationships."),
    ("prenatal_exposure", "Exposure to alcohol or drugs before birth", "Including risk of foetal alcohol spectrum disorder."),
    ("family_history", "Family history of mental illness or inherited conditions", "Uncertain future health."),
    ("abuse_neglect", "History of abuse or neglect", "Physical, emotional abuse or neglect."),
    ("sexual_abuse", "Known or suspected sexual abuse", ""),
    ("birth_family_contact", "Contact with the birth family", "Letterbox, direct or sibling contact to be supported."),
    ("uncertain_development", "Uncertainty about future development", "Diagnosis not yet possible, e.g. for a baby."),
]

PRIORITY = [
    dict(key="raa-priority", name="RAA priority children (seed 002)", min_age_years=4, bme=True, sibling_group_min=2,
         disability=True, waiting_months=None, active=True,
         source="Draft Regional Adoption Service specification: aged four or over, BME heritage, sibling group of "
                "two or more, or a disability or medical condition"),
    dict(key="dfe-iaf-2015", name="DfE inter-agency fee grant (2015)", min_age_years=5, bme=True, sibling_group_min=2,
         disability=True, waiting_months=18, active=False,
         source="DfE inter-agency fee grant 2015: aged five or over, disabled, sibling placement, BME, or waiting "
                "over 18 months"),
]


def load(apps, schema_editor):
    NeedCategory = apps.get_model("children", "NeedCategory")
    for i, (code, name, description) in enumerate(NEEDS):
        NeedCategory.objects.get_or_create(code=code, defaults=dict(name=name, description=description, order=i))
    PriorityDefinition = apps.get_model("children", "PriorityDefinition")
    for row in PRIORITY:
        PriorityDefinition.objects.get_or_create(key=row["key"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("children", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
