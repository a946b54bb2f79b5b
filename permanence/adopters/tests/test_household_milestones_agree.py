"""The adopter measures' milestones (the per-household dates their SQL aggregates, rules/households.py) agree with
replaying the household's journey, on every date where it matters.

The measures never replay a journey: they aggregate each household's events (adopter_measures.
household_milestone_rows) and HouseholdMilestones re-derives the dates HouseholdState has. Here generated
households – random walks over the transition table (walks.py) and the demo simulator's – are aggregated in Python
(`aggregate_household_milestones`, the SQL's aggregation; test_household_milestones_sql checks it against the real
query) on each event's date and the day before, and each value the measures read is compared with
`adopters.rules.replay(events, until=day)`.

Pure Python: no database.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from permanence.adopters import rules
from permanence.adopters.tests.walks import dates_that_matter, walk
from permanence.demo import households as simulator
from permanence.performance.rules.households import HouseholdMilestones, aggregate_household_milestones
from permanence.testing import examples

D = date

# Each value adopter_measures reads, and how to read it off a HouseholdState.
COMPARED: dict[str, object] = {
    "roi": lambda s: s.roi,
    "stage_1_started": lambda s: s.stage_1_started,
    "stage_1_completed": lambda s: s.stage_1_completed,
    "stage_2_started": lambda s: s.stage_2_started,
    "decision": lambda s: s.decision,
    "approved": lambda s: s.approved,
    "matched": lambda s: s.matched,
    "closed": lambda s: s.closed,
    "closed_at_stage": lambda s: s.closed_at_stage.value if s.closed_at_stage else None,
    "close_reason": lambda s: s.close_reason,
}


def disagreements(events, fast_track: bool, *, last: date | None = None) -> list[tuple]:
    out = []
    for day in dates_that_matter(events, last=last):
        state = rules.replay(events, fast_track=fast_track, until=day)
        mine = aggregate_household_milestones(1, events, day)
        for name, read in COMPARED.items():
            if getattr(mine, name) != read(state):
                out.append((day, name, getattr(mine, name), read(state)))
    return out


def describe(events, found) -> str:
    lines = "\n".join(f"    {e.date} {e.kind.value} {e.details or ''}" for e in rules.sort_events(events))
    return f"household:\n{lines}\n  " + "\n  ".join(map(str, found[:5]))


@settings(max_examples=examples(200), deadline=None, database=None)
@given(seed=st.integers(0, 2**31 - 1), steps=st.integers(1, 40), same_day=st.sampled_from([0.0, 0.2, 0.6]))
def test_milestones_agree_with_the_replayed_journey_on_random_walks(seed, steps, same_day):
    events, fast = walk(seed, steps=steps, same_day=same_day)
    found = disagreements(events, fast)
    assert not found, describe(events, found)


@settings(max_examples=examples(20), deadline=None, database=None)
@given(seed=st.integers(0, 2**31 - 1), today=st.dates(D(2018, 4, 1), D(2026, 3, 31)))
def test_milestones_agree_with_the_replayed_journey_on_simulated_households(seed, today):
    raa = simulator.generate(seed, today, [("AW", ["801", "802"], 40, 0)])[0]
    problems = [describe(h.events, found) for h in raa.households
                if (found := disagreements(h.events, h.fast_track, last=today))]
    assert not problems, "\n".join(problems[:3])


def test_every_compared_value_is_exercised():
    """The comparison is not of Nones: over a fixed set of walks each compared value is set on some checked date,
    the match is undone on another, and households close at several stages for several reasons – so a property
    that always answered None, or never reset, would fail the tests above."""
    set_somewhere: set[str] = set()
    matched_reset = False
    stages: set[str] = set()
    reasons: set[str] = set()
    for seed in range(300):
        events, _fast = walk(seed, steps=35)
        was_matched = False
        for day in dates_that_matter(events):
            m = aggregate_household_milestones(1, events, day)
            set_somewhere |= {name for name in COMPARED if getattr(m, name)}
            matched_reset |= was_matched and m.matched is None
            was_matched = m.matched is not None
        final = aggregate_household_milestones(1, events, None)
        if final.closed:
            stages.add(final.closed_at_stage)
            reasons.add(final.close_reason)
    assert set_somewhere == set(COMPARED)
    assert matched_reset
    assert {"roi", "awaiting_decision", "approved", "matched", "stage_2"} <= stages
    assert {"roi_declined", "not_approved", "withdrew"} <= reasons


def test_a_deferred_panel_puts_a_closing_household_back_to_awaiting_panel():
    """The hand-written cases the walks find rarely: closed after a deferral, after a second panel, and after a
    second panel on the deferral's own day (replayed after it, by id)."""
    base = [(rules.Kind.ROI_RECEIVED, D(2025, 1, 6), {}), (rules.Kind.ROI_DECISION, D(2025, 1, 10), {"outcome": "accepted"}),
            (rules.Kind.STAGE_2_STARTED, D(2025, 1, 20), {}), (rules.Kind.PAR_COMPLETED, D(2025, 5, 1), {}),
            (rules.Kind.PANEL_RECOMMENDATION, D(2025, 5, 20), {"recommendation": "deferred"})]
    closing = (rules.Kind.CLOSED, D(2025, 6, 2), {"reason": "withdrew"})
    again = (rules.Kind.PANEL_RECOMMENDATION, D(2025, 6, 1), {"recommendation": "approve"})
    same_day = (rules.Kind.PANEL_RECOMMENDATION, D(2025, 5, 20), {"recommendation": "approve"})  # after, by id
    for steps, stage in (([*base, closing], "awaiting_panel"), ([*base, again, closing], "awaiting_decision"),
                         ([*base, same_day, closing], "awaiting_decision")):
        events = [rules.EventFact(k, d, n, details) for n, (k, d, details) in enumerate(steps, 1)]
        state = rules.replay(events, fast_track=True)
        m = aggregate_household_milestones(1, events, None)
        assert (m.closed_at_stage, m.close_reason, m.closed) == (stage, "withdrew", D(2025, 6, 2))
        assert state.closed_at_stage.value == stage
    assert HouseholdMilestones(household_id=1).closed_at_stage is None
