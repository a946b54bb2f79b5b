import datetime

from django.db import migrations

DEFAULTS = [
    ("permanence_plan", "Agree the plan for adoption at the second looked-after review", "child", "entered_care",
     "permanence_plan", 4, "months",
     "Statutory guidance: permanence plan by the second looked-after review, about 4 months after entering care"),
    ("po_to_match", "Match the child with adopters", "child", "placement_order", "match_decision", 121, "days",
     "Adoption Scorecard 2013–16 target: 4 months (121 days) from placement order to match decision"),
    ("adm_after_matching_panel", "ADM decision on the match after panel", "child", "matching_panel",
     "match_decision", 7, "working_days",
     "Local procedures (unconfirmed: some areas use a week or 10 days)"),
    ("life_story_book", "Hand the life story book to the adopters", "child", "adoption_order", "life_story_book",
     10, "working_days", "Coram case-file audit checklist (seed 000, Appendix A): within 10 working days of the AO"),
    ("later_life_letter", "Hand the later life letter to the adopters", "child", "adoption_order",
     "later_life_letter", 10, "working_days",
     "Coram case-file audit checklist (seed 000) and LA procedures: within 10 working days of the AO"),
]


def load(apps, schema_editor):
    Timescale = apps.get_model("timescales", "Timescale")
    for key, label, subject, start, end, amount, unit, source in DEFAULTS:
        Timescale.objects.get_or_create(
            key=key, valid_from=datetime.date(2000, 1, 1),
            defaults=dict(label=label, subject=subject, start_event=start, end_events=end, amount=amount, unit=unit,
                          source=source),
        )


class Migration(migrations.Migration):
    dependencies = [("timescales", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
