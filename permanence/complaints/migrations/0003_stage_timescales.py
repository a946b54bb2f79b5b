"""The complaint stages' timescales, as data (permanence.timescales, subject "complaint").

The values the app had in code until now, from the statutory children's complaints procedure: stage 1 (local
resolution) 10 working days, extendable to 20; stage 2 (investigation) 25, extendable to 65; stage 3 (review
panel) convened within 30 working days of the request, its findings within 5 working days of the panel. Valid
from 1 September 2006, when the 2006 regulations came into force. A change is a new version of a row
(`permanence timescale set KEY --amount … --unit … --from … --source …`): no code.
"""

import datetime

from django.db import migrations

REGS = "Children Act 1989 Representations Procedure (England) Regulations 2006 (SI 2006/1738)"
GUIDE = "'Getting the best from complaints' (DfES, 2006)"
VALID_FROM = datetime.date(2006, 9, 1)
TIMESCALES = [
    ("complaint_stage_1", "Stage 1 (local resolution) response", "complaint_stage_1_started",
     "complaint_stage_1_completed", 10, f"{REGS}, reg 14; {GUIDE}"),
    ("complaint_stage_1_extended", "Stage 1 (local resolution) response, extended", "complaint_stage_1_started",
     "complaint_stage_1_completed", 20, f"{REGS}, reg 14(3); {GUIDE}"),
    ("complaint_stage_2", "Stage 2 (investigation) response", "complaint_stage_2_started",
     "complaint_stage_2_completed", 25, f"{REGS}, reg 17; {GUIDE}"),
    ("complaint_stage_2_extended", "Stage 2 (investigation) response, extended", "complaint_stage_2_started",
     "complaint_stage_2_completed", 65, f"{REGS}, reg 17(4); {GUIDE}"),
    ("complaint_stage_3_panel", "Stage 3 review panel convened", "complaint_stage_3_started",
     "complaint_stage_3_panel", 30, f"{REGS}, reg 19; {GUIDE}"),
    ("complaint_stage_3_findings", "Stage 3 review panel's findings", "complaint_stage_3_panel",
     "complaint_stage_3_completed", 5, f"{REGS}, reg 20; {GUIDE}"),
]


def load(apps, schema_editor):
    Timescale = apps.get_model("timescales", "Timescale")
    for key, label, start, end, amount, source in TIMESCALES:
        Timescale.objects.get_or_create(key=key, valid_from=VALID_FROM, defaults=dict(
            label=label, subject="complaint", start_event=start, end_events=end, amount=amount,
            unit="working_days", source=source))


def unload(apps, schema_editor):
    apps.get_model("timescales", "Timescale").objects.filter(key__in=[row[0] for row in TIMESCALES]).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_seed_themes_and_surveys"), ("timescales", "0006_complaint_subject")]
    operations = [migrations.RunPython(load, unload)]
