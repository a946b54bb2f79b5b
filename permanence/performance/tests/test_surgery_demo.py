"""The demo region comes with a few performance-surgery actions for the family-finding team manager's team."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from permanence.core.models import AuditEvent
from permanence.organisations.models import Staff
from permanence.performance import selectors
from permanence.performance.models import SurgeryAction

TODAY = date(2026, 3, 2)


def actions():
    return sorted(SurgeryAction.objects.values_list("text", "status", "owner__username", "agreed_on", "due_by",
                                                    "child__la_child_id", "household__name"))


@pytest.mark.django_db
def test_demo_has_surgery_actions_for_the_team_managers_team():
    call_command("demo", children=120, households=20, today=TODAY.isoformat(), stdout=io.StringIO())
    tm = Staff.objects.select_related("organisation", "team").get(username="tm.aw")
    statuses = sorted(SurgeryAction.objects.filter(team=tm.team).values_list("status", flat=True))
    assert statuses == ["done", "escalated", "open", "open", "open"]
    assert SurgeryAction.objects.filter(team__name="Assessment", household__isnull=False, status="open").count() == 1
    overdue = [a for a in SurgeryAction.objects.filter(team=tm.team) if a.is_overdue(TODAY)]
    assert any(a.status == "open" for a in overdue)
    escalated = SurgeryAction.objects.get(status="escalated")
    assert escalated.escalated_to == tm and escalated.escalated_by == escalated.owner
    assert AuditEvent.objects.filter(action="performance.surgery_action.agreed").count() == 6
    # The team manager's surgery list is not empty, and shows the actions.
    rows = selectors.attach_actions(selectors.surgery_rows(
        tm, selectors.SurgeryScope(tm.organisation, team=tm.team), today=TODAY), tm)
    assert rows and sum(r.latest is not None for r in rows) >= 4
    # --reset gives the same actions again.
    before = actions()
    call_command("demo", children=120, households=20, today=TODAY.isoformat(), reset=True, stdout=io.StringIO())
    assert actions() == before
