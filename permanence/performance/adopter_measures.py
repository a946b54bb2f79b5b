"""Recruitment and assessment measures, computed from the recorded household events.

One SQL query aggregates the events of every household in scope into its milestones as at the period end
(rules/households.py says how each date of the journey is read off them; a test checks that against replaying
generated journeys with the pages' rules), and the figures are counted from those: no journey is replayed. Every figure carries
its n. Dates are parameters: nothing here reads the clock.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Min, Q
from django.db.models.fields.json import KT

from permanence.adopters import rules
from permanence.adopters.models import HouseholdEvent
from permanence.performance.rules import average, percent
from permanence.performance.rules import households as household_rules
from permanence.performance.rules.households import HouseholdMilestones
from permanence.timescales.rules import add_months

# Defaults for the two measure parameters; the values in force are rows of performance.Threshold (keys below,
# loaded by performance migration 0006) so that a change of definition is data with a source and a date.
APPROVAL_TARGET_MONTHS = 6  # seed 002 / ASGLB: approved within 6 months of registration
LONG_WAIT_MONTHS = 3  # ASGLB and A12: waiting 3 months or more since approval
APPROVAL_MONTHS_KEY = "ADOPTER_APPROVAL_MONTHS"
WAIT_MONTHS_KEY = "ADOPTER_WAIT_MONTHS"


def months_in_force(thresholds, key: str, default: int, day: date) -> int:
    """A measure parameter in months, as configured (performance.Threshold) for periods ending on `day`."""
    from permanence.performance.rules import threshold_on

    found = threshold_on(thresholds, key, day)
    return int(found.value) if found is not None else default


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float | int | None
    n: int
    unit: str  # "count", "days", "percent"
    household_ids: tuple[int, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class SourceRow:
    source: str
    enquiries: int
    rois: int
    approved: int

    @property
    def roi_rate(self) -> float | None:
        return percent(self.rois, self.enquiries)

    @property
    def approval_rate(self) -> float | None:
        return percent(self.approved, self.enquiries)


@dataclass
class AdopterMeasures:
    start: date
    end: date
    figures: dict[str, Figure]
    by_source: list[SourceRow]
    withdrawals: dict[tuple[str, str], int]  # (stage, reason) -> count

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]


def household_milestone_rows(households, until: date | None = None):
    """One SQL query: per household in `households` (a queryset), its milestones from its events in force dated on
    or before `until` (every event when None), as rules.households.aggregate_household_milestones makes them."""
    aggregates = {}
    for name, (how, kind, detail) in household_rules.HOUSEHOLD_AGGREGATION.items():
        when = Q(kind=kind, **({f"details__{detail[0]}__in": detail[1]} if detail else {}))
        aggregates[name] = (Min if how == "min" else Max)("date", filter=when)
    aggregates["close_reason_given"] = Max(KT("details__reason"), filter=Q(kind=household_rules.CLOSE_REASON_KIND))
    rows = HouseholdEvent.objects.filter(household__in=households.values("pk"), superseded=False,
                                         kind__in=sorted(household_rules.KINDS))
    if until is not None:
        rows = rows.filter(date__lte=until)
    return rows.order_by().values("household_id").annotate(**aggregates)


def household_milestones(households, until: date | None = None) -> dict[int, HouseholdMilestones]:
    """Every household in scope with an event by `until`, as it stood then: one query, no journey replayed."""
    return {row["household_id"]: HouseholdMilestones(**row) for row in household_milestone_rows(households, until)}


def _avg(values: list[int]) -> int | None:
    """To the nearest day, halves up: the performance app's one rounding rule."""
    return average(values)


def adopter_measures(households, enquiries, start: date, end: date) -> AdopterMeasures:
    """Measures for households and enquiries in scope (querysets already scoped by the caller), for the
    period `start`–`end` inclusive; 'waiting' figures are as at `end`."""
    # As they stood at the period end: a later event changes nothing.
    return measures_from(household_milestones(households, until=end), enquiries, start, end)


def measures_from(states: dict, enquiries, start: date, end: date) -> AdopterMeasures:
    """The measures from each household's dates as at `end` (HouseholdMilestones from the SQL, or – in the tests
    that check them – adopters.rules.HouseholdState from replaying its journey: both have the dates read here)."""
    from permanence.performance.measures import thresholds

    facts = thresholds()
    approval_months = months_in_force(facts, APPROVAL_MONTHS_KEY, APPROVAL_TARGET_MONTHS, end)
    wait_months = months_in_force(facts, WAIT_MONTHS_KEY, LONG_WAIT_MONTHS, end)
    within = [hid for hid, s in states.items() if s.approved and start <= s.approved <= end]

    roi_to_approval = [(states[h].approved - states[h].roi).days for h in within if states[h].roi]
    in_target = [h for h in within if states[h].roi and
                 states[h].approved <= add_months(states[h].roi, approval_months)]
    stage_1 = {h: (s.stage_1_completed - s.stage_1_started).days for h, s in states.items()
               if s.stage_1_completed and s.stage_1_started and start <= s.stage_1_completed <= end}
    stage_2 = {h: (s.decision - s.stage_2_started).days for h, s in states.items()
               if s.decision and s.stage_2_started and start <= s.decision <= end}

    def waiting_at(s, day: date) -> bool:
        return bool(s.approved and s.approved <= day and not (s.matched and s.matched <= day)
                    and not (s.closed and s.closed <= day))

    waiting = [h for h, s in states.items() if waiting_at(s, end)]
    matched = [h for h, s in states.items() if s.matched and s.approved and start <= s.matched <= end]
    matched_late = [h for h in matched if add_months(states[h].approved, wait_months) <= states[h].matched]
    matched_soon = [h for h in matched if states[h].matched < add_months(states[h].approved, wait_months)]
    long_wait = [h for h in waiting if add_months(states[h].approved, wait_months) <= end]
    assessing = [h for h, s in states.items() if s.roi and s.roi <= end and not s.approved
                 and not (s.closed and s.closed <= end)]
    registrations = [h for h, s in states.items() if s.roi and start <= s.roi <= end]
    stage_1_starts = [h for h, s in states.items() if s.stage_1_started and start <= s.stage_1_started <= end]
    stage_2_starts = [h for h, s in states.items() if s.stage_2_started and start <= s.stage_2_started <= end]
    closed = {h: s for h, s in states.items() if s.closed and start <= s.closed <= end}
    left_after_approval = [h for h, s in closed.items() if s.approved]

    withdrawals: dict[tuple[str, str], int] = defaultdict(int)
    for s in closed.values():
        withdrawals[(str(s.closed_at_stage or rules.Stage.NEW), s.close_reason or "other")] += 1

    by_source = []
    enquiry_rows = (enquiries.filter(received_on__gte=start, received_on__lte=end).values("source__name")
                    .annotate(n=Count("pk"), rois=Count("household"),
                              # approved by the period end (approved_on is the approval's date, never cleared):
                              # a later approval does not change this period's figures
                              approved=Count("household", filter=Q(household__approved_on__lte=end)))
                    .order_by("-n"))
    for row in enquiry_rows:
        by_source.append(SourceRow(row["source__name"], row["n"], row["rois"], row["approved"]))

    def fig(key, label, value, n, unit, ids=()):
        return Figure(key, label, value, n, unit, tuple(sorted(ids)))

    figures = [
        fig("enquiries", "Enquiries received", sum(r.enquiries for r in by_source),
            sum(r.enquiries for r in by_source), "count"),
        fig("registrations", "Registrations of interest", len(registrations), len(registrations), "count",
            registrations),
        fig("stage_1_starts", "Stage 1 started", len(stage_1_starts), len(stage_1_starts), "count", stage_1_starts),
        fig("stage_2_starts", "Stage 2 started", len(stage_2_starts), len(stage_2_starts), "count", stage_2_starts),
        fig("approvals", "Households approved", len(within), len(within), "count", within),
        fig("roi_to_approval_days", "Average days from registration to approval", _avg(roi_to_approval),
            len(roi_to_approval), "days", within),
        fig("approved_within_6_months", f"Approved within {approval_months} months of registration",
            percent(len(in_target), len(within)), len(within), "percent", in_target),
        fig("stage_1_days", "Average length of stage 1 (days)", _avg(list(stage_1.values())), len(stage_1),
            "days", stage_1),
        fig("stage_2_days", "Average length of stage 2 to the decision (days)", _avg(list(stage_2.values())),
            len(stage_2), "days", stage_2),
        fig("approved_waiting", "Approved adopters waiting to be matched (A11)", len(waiting), len(waiting),
            "count", waiting),
        fig("waiting_over_3_months", f"Approved adopters waiting {wait_months} months or more", len(long_wait),
            len(long_wait), "count", long_wait),
        fig("matched", "Approved adopters matched", len(matched), len(matched), "count", matched),
        fig("matched_after_3_months", f"Matched adopters who waited {wait_months} months or more from "
            "approval (A12)", percent(len(matched_late), len(matched)), len(matched), "percent", matched_late),
        fig("matched_within_3_months", f"Matched adopters matched within {wait_months} months of approval",
            percent(len(matched_soon), len(matched)), len(matched), "percent", matched_soon),
        fig("in_assessment", "Households in assessment, not yet approved (A13)", len(assessing), len(assessing),
            "count", assessing),
        fig("withdrawals", "Households that closed or withdrew", len(closed), len(closed), "count", closed),
        fig("left_after_approval", "Approved adopters who left", len(left_after_approval), len(left_after_approval),
            "count", left_after_approval),
    ]
    return AdopterMeasures(start, end, {f.key: f for f in figures}, by_source, dict(withdrawals))

