"""`permanence refresh-snapshots` recalculates every registered journey's snapshot from its events."""

from io import StringIO

from django.core.management import call_command

from permanence.adopters.models import Household
from permanence.adopters.tests.conftest import TO_STAGE_2, make_household
from permanence.children.models import Child
from permanence.journeys.registry import snapshots
from permanence.testing import PLACEMENT_ORDER_JOURNEY


def test_both_journeys_are_registered():
    assert [s.name for s in snapshots()] == ["children", "households"]


def test_the_command_restores_snapshots_that_drifted(region):
    child = region.child(events=PLACEMENT_ORDER_JOURNEY)
    household = make_household(region.raa, "Refresh", events=TO_STAGE_2)
    before = (child.stage, child.case_holder_id, household.stage, household.next_due_label)
    assert before[0] != "new" and before[2] != "roi" and before[3]
    Child.objects.filter(pk=child.pk).update(stage="new", case_holder=None)
    Household.objects.filter(pk=household.pk).update(stage="roi", next_due_label="")

    out = StringIO()
    call_command("refresh_snapshots", stdout=out)

    child.refresh_from_db()
    household.refresh_from_db()
    assert (child.stage, child.case_holder_id, household.stage, household.next_due_label) == before
    assert "1 children changed of 1" in out.getvalue()
    assert "1 households changed of 1" in out.getvalue()

    again = StringIO()
    call_command("refresh_snapshots", stdout=again)
    assert "0 children changed of 1; 0 households changed of 1." in again.getvalue()
