"""The demo's and the national set's support cases: every drawn case replays, at the step it was drawn for."""

import random
from datetime import date

from permanence.demo import support as demo
from permanence.support import rules
from permanence.support.models import SupportCase

TODAY = date(2026, 3, 2)
EXPECTED = {"referred": {"referred"}, "advice": {"closed"}, "signposted": {"closed"},
            "for_assessment": {"for_assessment"}, "requested": {"requested"}, "requested_long": {"requested"},
            "allocated": {"allocated"}, "started": {"started"}, "completed": {"completed"},
            "receiving": {"receiving_support", "closed"}, "closed": {"closed"}}


def test_every_drawn_case_replays_at_its_step():
    rng = random.Random(3)
    for n in range(400):
        target = demo.TARGETS[n % len(demo.TARGETS)]
        planned = demo.plan(rng, TODAY, target, [11, 12])
        state = rules.replay([rules.EventFact(kind=k, date=d, seq=i, details=det)
                              for i, (k, d, det) in enumerate(planned.steps)])
        assert state.stage.value in EXPECTED[target], (target, planned.steps)
        assert all(d <= TODAY for _, d, _ in planned.steps)
        if target == "requested_long":
            assert rules.long_wait(state.requested, TODAY)


def test_the_demo_loads_cases_at_every_step_and_resets(region):
    written = demo.load_demo(seed=1, today=TODAY, per_raa=len(demo.TARGETS))
    cases = SupportCase.objects.filter(raa=region.raa)
    assert written == 2 * cases.count() == 2 * len(demo.TARGETS)  # both RAAs here have a support worker
    assert {s for s in cases.values_list("stage", flat=True)} >= {"referred", "closed", "requested", "allocated",
                                                                    "started", "completed", "for_assessment"}
    assert cases.filter(safeguarding=True).count() == 1
    assert demo.delete_demo_cases() == written and not SupportCase.objects.exists()
