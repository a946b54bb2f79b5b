"""The starting list of themes and version 1 of each feedback survey (data: change them in the admin, or add a
new survey version with services.add_survey_version; responses keep the version they answered)."""

from datetime import date

from django.db import migrations

THEMES = ["Communication", "Delay", "Assessment decision", "Support offered", "Staff conduct", "Information sharing",
          "Contact arrangements"]

SCALE, YES_NO, TEXT = "scale", "yes_no", "text"
SURVEYS = {
    "preparation": ("Preparation training feedback", [
        {"key": "useful", "text": "How useful was the preparation training?", "kind": SCALE},
        {"key": "ready", "text": "Do you feel better prepared to adopt?", "kind": YES_NO},
        {"key": "comments", "text": "What could we do better?", "kind": TEXT}]),
    "approval": ("Assessment and approval feedback", [
        {"key": "informed", "text": "How well were you kept informed during your assessment?", "kind": SCALE},
        {"key": "fair", "text": "Did you feel the assessment was fair?", "kind": YES_NO},
        {"key": "comments", "text": "Anything else you want to tell us?", "kind": TEXT}]),
    "placement": ("Placement feedback", [
        {"key": "introductions", "text": "How well were introductions planned?", "kind": SCALE},
        {"key": "supported", "text": "Did you feel supported after the child moved in?", "kind": YES_NO},
        {"key": "comments", "text": "What could we do better?", "kind": TEXT}]),
    "support_close": ("Adoption support feedback", [
        {"key": "helpful", "text": "How helpful was the support you received?", "kind": SCALE},
        {"key": "recommend", "text": "Would you recommend our support to another family?", "kind": YES_NO},
        {"key": "comments", "text": "Anything else you want to tell us?", "kind": TEXT}]),
}


def seed(apps, schema_editor):
    Theme = apps.get_model("complaints", "ComplaintTheme")
    Survey = apps.get_model("complaints", "FeedbackSurvey")
    for name in THEMES:
        Theme.objects.get_or_create(name=name)
    for point, (title, questions) in SURVEYS.items():
        Survey.objects.get_or_create(point=point, version=1, defaults={
            "title": title, "questions": questions, "valid_from": date(2026, 1, 1)})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
