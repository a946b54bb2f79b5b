"""Complaints and service user feedback for the demo: a handful of synthetic complaints in Adoption West (one
overdue, one at stage 2, closed ones with outcomes and lessons learned) and feedback responses to each survey.

Written through the services (audited, actor = the demo complaints officer). Dates are relative to `today`, so
the overdue one is overdue whatever day the demo is loaded. Invented text only.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from permanence.complaints import services
from permanence.complaints.models import Complaint, FeedbackResponse, FeedbackSurvey
from permanence.organisations.models import Role, Staff

OFFICER = "complaints.aw"

COMPLAINTS = [
    # (days ago received, complainant, summary, themes, then)
    (40, "adopter", "Calls to the assessing worker were not returned for three weeks.", ["Communication", "Delay"],
     "overdue"),
    (5, "prospective_adopter", "The second stage of assessment has not started after the training.", ["Delay"], "open"),
    (30, "birth_relative", "A letterbox letter was not passed on.", ["Contact arrangements", "Information sharing"],
     "stage2"),
    (120, "adopter", "The support plan review was cancelled twice.", ["Support offered", "Communication"], "upheld"),
    (90, "adopted_adult", "Records took longer than promised to arrive.", ["Delay"], "withdrawn"),
]


def delete_demo() -> int:
    deleted, _ = Complaint.objects.filter(recorded_by__username=OFFICER).delete()
    FeedbackResponse.objects.filter(recorded_by__username=OFFICER).delete()
    return deleted


def load_demo(*, seed: int, today: date) -> dict[str, int]:
    officer = Staff.objects.filter(username=OFFICER, role=Role.COMPLAINTS_OFFICER, is_active=True).first()
    if officer is None:
        return {"complaints": 0, "responses": 0}
    raa = officer.organisation
    written = 0
    for ago, who, summary, themes, then in COMPLAINTS:
        received = today - timedelta(days=ago)
        complaint = services.record_complaint(actor=officer, raa=raa, received_on=received, complainant_type=who,
                                              summary=summary, themes=services.ensure_themes(themes), today=today)
        if then == "stage2":
            services.escalate(actor=officer, complaint=complaint, on=received + timedelta(days=14))
        elif then == "upheld":
            services.close_complaint(actor=officer, complaint=complaint, outcome="upheld",
                                     on=received + timedelta(days=12),
                                     lessons_learned="Reviews are rebooked within a week, with the family's agreement.")
        elif then == "withdrawn":
            services.close_complaint(actor=officer, complaint=complaint, outcome="withdrawn",
                                     on=received + timedelta(days=6))
        written += 1
    rng = random.Random(seed)
    responses = 0
    for survey in FeedbackSurvey.objects.all():
        for i in range(6):
            answers = {}
            for q in survey.questions:
                if q["kind"] == "scale":
                    answers[q["key"]] = str(rng.choice([3, 4, 4, 5, 5, 2]))
                elif q["kind"] == "yes_no":
                    answers[q["key"]] = rng.choice(["yes", "yes", "yes", "no"])
                elif i % 3 == 0:
                    answers[q["key"]] = rng.choice(["Clear and kind.", "More evening sessions, please.",
                                                    "We waited a long time for a reply."])
            services.record_feedback(actor=officer, raa=raa, survey=survey, answers=answers,
                                     received_on=today - timedelta(days=10 + 15 * i))
            responses += 1
    return {"complaints": written, "responses": responses}
