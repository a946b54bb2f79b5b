import datetime

from django.db import migrations

SOURCES = [
    ("website", "Website"),
    ("social_media", "Social media"),
    ("information_event", "Information event"),
    ("la_signpost", "Signposted by a local authority"),
    ("other_agency", "Another adoption agency"),
    ("word_of_mouth", "Word of mouth"),
    ("advertising", "Advertising (print, radio, outdoor)"),
    ("other", "Other"),
]

TIMESCALES = [
    ("household_roi_decision", "Decide on the registration of interest", "roi_received", "roi_decision", 5,
     "working_days", "Statutory guidance (as reported by agencies): ROI decision within 5 working days"),
    ("household_stage_1", "Complete stage 1", "stage_1_started", "stage_1_completed", 2, "months",
     "Statutory guidance: stage 1 should take 2 months"),
    ("household_break", "Give notice to proceed to stage 2 (the break may last 6 months at most)",
     "stage_1_completed", "stage_2_started", 6, "months", "Statutory guidance: a break of at most 6 months"),
    ("household_stage_2", "Agency decision on approval (stage 2)", "stage_2_started", "adm_decision", 4, "months",
     "Adoption Agencies Regulations 2005 reg 30B: decision within 4 months of the notice to proceed"),
    ("household_adm_after_panel", "Agency decision after the panel", "panel_recommendation", "adm_decision", 7,
     "working_days", "Local procedures (unconfirmed: some areas use a week or 10 days)"),
]


def load(apps, schema_editor):
    EnquirySource = apps.get_model("adopters", "EnquirySource")
    for i, (code, name) in enumerate(SOURCES):
        EnquirySource.objects.get_or_create(code=code, defaults=dict(name=name, order=i))
    Timescale = apps.get_model("timescales", "Timescale")
    for key, label, start, end, amount, unit, source in TIMESCALES:
        Timescale.objects.get_or_create(
            key=key, valid_from=datetime.date(2000, 1, 1),
            defaults=dict(label=label, subject="household", start_event=start, end_events=end, amount=amount,
                          unit=unit, source=source),
        )


class Migration(migrations.Migration):
    dependencies = [("adopters", "0001_initial"), ("timescales", "0002_default_timescales")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
