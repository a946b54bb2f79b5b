"""The quarterly figures, as at the quarter end, against an independent count over the requests made here."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from permanence.adopted_adults import figures, services
from permanence.adopted_adults.tests.conftest import make_request
from permanence.performance import measures
from permanence.performance.rules import parse_quarter
from permanence.timescales.rules import add_months, add_working_days

QUARTER = parse_quarter("2025Q1")  # 1 April to 30 June 2025
END = QUARTER.end

# (type, received, first interview, agencies' requests [(requested, received)], closed, withdrawn)
SPECS = [
    ("access_records", date(2025, 1, 6), date(2025, 4, 14), [(date(2025, 1, 20), date(2025, 3, 1))], None, None),
    ("access_records", date(2025, 2, 3), None, [(date(2025, 2, 10), None)], None, None),  # waiting, over target
    ("intermediary", date(2025, 4, 7), date(2025, 5, 19), [], date(2025, 6, 20), None),
    ("access_records", date(2025, 4, 22), date(2025, 7, 2), [(date(2025, 5, 1), date(2025, 7, 1)),
                                                            (date(2025, 6, 20), None)], None, None),
    ("intermediary", date(2025, 5, 12), None, [(date(2025, 5, 13), None)], None, date(2025, 6, 2)),
    ("access_records", date(2025, 6, 30), None, [], None, None),
    ("intermediary", date(2025, 3, 10), None, [(date(2025, 3, 12), None)], None, date(2025, 7, 15)),
    ("access_records", date(2025, 7, 1), None, [], None, None),  # after the quarter: never counted
]


def _steps(spec):
    kind, received, interview, agencies, closed, withdrawn = spec
    steps = [("triaged", received + timedelta(days=1), {"priority": "standard"})]
    for requested, came in agencies:
        steps.append(("records_requested", requested, {"agency": f"Agency {requested:%d%m}"}))
        if came:
            steps.append(("records_received", came, {"agency": f"Agency {requested:%d%m}"}))
    if interview:
        steps.append(("first_interview", interview))
    if closed:
        steps.append(("closed", closed, {"outcome": "contact_made"}))
    if withdrawn:
        steps.append(("withdrawn", withdrawn, {"withdrawal_reason": "Changed their mind"}))
    return sorted(steps, key=lambda s: s[1])


@pytest.fixture
def made(region, monkeypatch):
    monkeypatch.setattr(services, "today", lambda: date(2025, 8, 1))
    for spec in SPECS:
        make_request(region.raa, kind=spec[0], received=spec[1], steps=_steps(spec), agency=region.la)
    make_request(region.other_raa, received=date(2025, 4, 2))  # South's: not North's figures
    return region


def _expected():
    """The figures counted by hand from SPECS (not through the journey)."""
    def within(day):
        return day is not None and QUARTER.start <= day <= END

    received = [s for s in SPECS if within(s[1])]
    interviewed = [s for s in SPECS if within(s[2])]
    days = [(s[2] - s[1]).days for s in interviewed]
    mean = int((Decimal(sum(days)) / len(days)).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def open_at_end(s):
        return s[1] <= END and not (s[4] and s[4] <= END) and not (s[5] and s[5] <= END)

    waiting = [s for s in SPECS if open_at_end(s) and not (s[2] and s[2] <= END)]
    over = [s for s in waiting if add_months(s[1], 3) < END]
    chases = [a for s in SPECS if open_at_end(s) for a in s[3]
              if a[0] <= END and not (a[1] and a[1] <= END) and add_working_days(a[0], 20) < END]
    return {
        figures.RECEIVED: len(received),
        figures.RECEIVED_BY_TYPE["access_records"]: sum(s[0] == "access_records" for s in received),
        figures.RECEIVED_BY_TYPE["intermediary"]: sum(s[0] == "intermediary" for s in received),
        figures.FIRST_INTERVIEWS: len(interviewed), figures.DAYS_TO_INTERVIEW: mean,
        figures.WAITING: len(waiting), figures.WAITING_OVER_TARGET: len(over), figures.CHASES_OVERDUE: len(chases),
    }


def test_the_figures_as_at_the_quarter_end(made):
    got = {f.key: f.value for f in figures.figures(measures.scope_for_raa(made.raa), QUARTER)}
    expected = _expected()
    assert got == expected
    # The hand count is not trivial: each figure counts something, and the later steps are left out.
    assert expected[figures.WAITING] == 4 and expected[figures.CHASES_OVERDUE] == 3


def test_the_figures_are_on_the_quarterly_report(made):
    on_report = {f.key: f for f in measures.quarterly_children(measures.scope_for_raa(made.raa), QUARTER)}
    assert set(figures.KEYS) <= set(on_report)
    assert on_report[figures.RECEIVED].unit == "requests" and on_report[figures.RECEIVED].child_ids == ()


def test_the_scope_counts_the_raas_own_or_the_adopting_las(made):
    south = {f.key: f.value for f in figures.figures(measures.scope_for_raa(made.other_raa), QUARTER)}
    assert south[figures.RECEIVED] == 1 and south[figures.WAITING] == 1
    la = {f.key: f.value for f in figures.figures(measures.scope_for_la(made.la), QUARTER)}
    assert la[figures.RECEIVED] == _expected()[figures.RECEIVED]  # every North request was arranged by LA 901
    other_la = {f.key: f.value for f in figures.figures(measures.scope_for_la(made.la_keeps), QUARTER)}
    assert other_la[figures.RECEIVED] == 0
    everyone = {f.key: f.value for f in figures.figures(measures.scope_all(), QUARTER)}
    assert everyone[figures.RECEIVED] == _expected()[figures.RECEIVED] + 1
