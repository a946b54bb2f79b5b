"""Demo performance-surgery actions, so the surgery page is not empty on a fresh demo.

Adoption West's family-finding team manager (tm.aw) has held fortnightly surgeries: some actions are open, one is
overdue, one was escalated to them by a family finder, one is done; the assessment team manager (tm.assessment.aw)
has one open action on a household. Everything is written through performance.services (validated, audited) with
the demo's `today`, choosing children and households in a fixed order, so the same seed and date give the same
actions. Invented text only.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from permanence.adopters.models import Household
from permanence.children.models import Child
from permanence.organisations.models import Staff
from permanence.performance import services
from permanence.performance.models import SurgeryAction

D = dt.timedelta
MANAGER = "tm.aw"
ASSESSMENT_MANAGER = "tm.assessment.aw"

# (text, agreed days ago, due in days from the surgery, what happened since: None, "escalated" or "done")
CHILD_ACTIONS = [
    ("Chase the LA for the child's updated medical report", 14, 11, None),               # overdue by 3 days
    ("Send the child's profile to Link Maker and two partner VAAs", 14, 19, None),
    ("Agree with the LA who writes the Child Permanence Report", 28, 14, "escalated"),
    ("Book the early family-finding visit with the foster carers", 28, 7, "done"),
    ("Shortlist families for the linking meeting", 0, 10, None),
]
HOUSEHOLD_ACTION = ("Send the second reference requests and book the home study visits", 14, 21)


def demo_surgery_actions():
    """Actions about demo children or demo households (those with demo events)."""
    from permanence.demo.households_load import demo_households
    from permanence.demo.load import demo_children

    return SurgeryAction.objects.filter(Q(child__in=demo_children()) | Q(household__in=demo_households()))


@transaction.atomic
def delete_demo_surgery_actions() -> int:
    """Before the demo children and households are deleted (--reset): the actions about them go too. The audit
    trail is append-only and is left alone."""
    ids = list(demo_surgery_actions().values_list("pk", flat=True))
    SurgeryAction.objects.filter(pk__in=ids).delete()
    return len(ids)


def load_surgery_actions(*, today: dt.date) -> int:
    """Agree the demo actions; returns how many. Quietly does nothing if the demo managers are missing."""
    managers = {s.username: s for s in Staff.objects.filter(username__in=[MANAGER, ASSESSMENT_MANAGER],
                                                            is_active=True).select_related("organisation", "team")}
    written = 0
    tm = managers.get(MANAGER)
    if tm is not None and tm.team_id:
        children = list(Child.objects.filter(la__raa=tm.organisation, family_finder__team=tm.team,
                                             next_due_date__isnull=False)
                        .select_related("family_finder").order_by("next_due_date", "la__code", "la_child_id")
                        [:len(CHILD_ACTIONS)])
        for child, (text, ago, due_in, then) in zip(children, CHILD_ACTIONS, strict=False):
            agreed_on = today - D(days=ago)
            owner = child.family_finder
            action = services.agree_action(actor=tm, child=child, text=text, owner=owner, team=tm.team,
                                           agreed_on=agreed_on, due_by=agreed_on + D(days=due_in), today=today)
            if then == "escalated":
                services.escalate_action(
                    actor=owner, action=action, to=tm, on=today - D(days=4), today=today,
                    reason="The LA has not said who will write the CPR and the ADM date is close: needs a "
                           "manager-to-manager conversation.")
            elif then == "done":
                services.complete_action(actor=owner, action=action, on=agreed_on + D(days=5), today=today,
                                         outcome="Visit held; the carers' views are on the child's file.")
            written += 1
    tm_assessment = managers.get(ASSESSMENT_MANAGER)
    if tm_assessment is not None and tm_assessment.team_id:
        household = (Household.objects.filter(raa=tm_assessment.organisation, next_due_date__isnull=False,
                                              assessing_social_worker__team=tm_assessment.team)
                     .select_related("assessing_social_worker").order_by("next_due_date", "name", "pk").first())
        if household is not None:
            text, ago, due_in = HOUSEHOLD_ACTION
            agreed_on = today - D(days=ago)
            services.agree_action(actor=tm_assessment, household=household, text=text,
                                  owner=household.assessing_social_worker, team=tm_assessment.team,
                                  agreed_on=agreed_on, due_by=agreed_on + D(days=due_in), today=today)
            written += 1
    return written
