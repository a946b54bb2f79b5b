"""`permanence refresh-snapshots` recalculates every registered journey's snapshot from its events."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from permanence.adopted_adults.models import AdultRequest
from permanence.adopted_adults.tests.conftest import make_request
from permanence.adopters.models import Household
from permanence.adopters.tests.conftest import TO_PANEL, TO_STAGE_2, make_household
from permanence.children.models import Child
from permanence.family_finding import services as family_finding
from permanence.family_finding.models import Link
from permanence.journeys.registry import snapshots
from permanence.testing import PLACEMENT_ORDER_JOURNEY

APPROVED = [*TO_PANEL, ("panel_recommendation", date(2025, 6, 20), {"recommendation": "approve"}),
            ("adm_decision", date(2025, 6, 25), {"decision": "approved"})]


def test_every_journey_is_registered():
    assert [s.name for s in snapshots()] == ["children", "households", "links", "support cases", "adult requests"]


def test_the_command_restores_snapshots_that_drifted(region):
    child = region.child(events=PLACEMENT_ORDER_JOURNEY)
    household = make_household(region.raa, "Refresh", events=TO_STAGE_2)
    link = family_finding.open_link(actor=None, child=child, household=make_household(region.raa, "Linked",
                                                                                      events=APPROVED),
                                    on=date(2025, 7, 1), check_role=False)
    adult = make_request(region.raa, steps=[("triaged", date(2025, 3, 5), {"priority": "standard"})])
    AdultRequest.objects.filter(pk=adult.pk).update(stage="closed", priority="")
    before = (child.stage, child.case_holder_id, household.stage, household.next_due_label, link.stage,
              link.last_activity_on)
    assert before[0] != "new" and before[2] != "roi" and before[3] and before[5]
    Child.objects.filter(pk=child.pk).update(stage="new", case_holder=None)
    Household.objects.filter(pk=household.pk).update(stage="roi", next_due_label="")
    Link.objects.filter(pk=link.pk).update(stage="ended", last_activity_on=None)

    out = StringIO()
    call_command("refresh_snapshots", stdout=out)

    for row in (child, household, link):
        row.refresh_from_db()
    assert (child.stage, child.case_holder_id, household.stage, household.next_due_label, link.stage,
            link.last_activity_on) == before
    assert "1 children changed of 1" in out.getvalue()
    assert "households changed of 2" in out.getvalue()
    assert "1 links changed of 1" in out.getvalue()
    adult.refresh_from_db()
    assert (adult.stage, adult.priority) == ("waiting", "standard")
    assert "1 adult requests changed of 1" in out.getvalue()

    again = StringIO()
    call_command("refresh_snapshots", stdout=again)
    assert ("0 children changed of 1; 0 households changed of 2; 0 links changed of 1; 0 support cases changed of 0; "
            "0 adult requests changed of 1.") in again.getvalue()
