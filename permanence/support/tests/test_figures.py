"""The quarterly figures, each against an independent count over the cases made here (as at the quarter end)."""

import random
from datetime import date, timedelta

from permanence.performance import measures
from permanence.performance.rules import parse_quarter
from permanence.support import figures
from permanence.timescales.rules import add_working_days

from .conftest import make_case

QUARTER = parse_quarter("2025Q1")  # April to June 2025
END = QUARTER.end


def test_quarterly_figures_against_an_independent_count(region, today):
    rng = random.Random(12)
    made = []  # (referrer type, referred, requested, started, completed) as this test made them
    for n in range(40):
        referred = date(2025, 1, 6) + timedelta(days=rng.randrange(0, 170))
        referrer = rng.choice(["adoptive_family", "adoptive_family", "adopted_adult", "birth_relative"])
        steps, requested, started, completed = [], None, None, None
        if rng.random() < 0.8:
            steps.append(("duty_outcome", referred + timedelta(days=1), {"outcome": "for_assessment"}))
            requested = referred + timedelta(days=2)
            steps.append(("assessment_requested", requested))
            if rng.random() < 0.7:
                steps.append(("allocated", requested + timedelta(days=3), {"worker": str(region.user(
                    "raa_support_worker").pk)}))
                started = requested + timedelta(days=rng.randrange(5, 80))
                steps.append(("assessment_started", started))
                if rng.random() < 0.7:
                    completed = started + timedelta(days=rng.randrange(20, 110))
                    steps.append(("assessment_completed", completed, {"outcome": "support_needed"}))
        steps = [s for s in steps if s[1] <= today]
        requested = requested if requested and requested <= today else None
        started = started if started and started <= today else None
        completed = completed if completed and completed <= today else None
        placing = region.la if n % 2 else None  # the placing LA, responsible (no adoption order recorded)
        make_case(region, referrer_type=referrer, referred_on=referred, steps=steps, family_name=f"Family {n}",
                  placing_la=placing, family_la=region.la_keeps)
        made.append((referrer, referred, requested, started, completed, placing))
    make_case(region, region.other_raa, referred_on=date(2025, 5, 1))  # another RAA's: never in North's figures

    got = {f.key: f for f in measures.quarterly_children(measures.scope_for_raa(region.raa), QUARTER)}

    def inq(d):
        return d is not None and QUARTER.start <= d <= END

    referred = [m for m in made if inq(m[1])]
    assert got[figures.REFERRALS].value == len(referred) or got[figures.REFERRALS].suppressed
    assert figures.REFERRALS in got
    raw = {f.key: f for f in figures.figures(measures.scope_for_raa(region.raa), QUARTER)}  # unsuppressed
    assert raw[figures.REFERRALS].value == len(referred)
    for referrer, key in figures.REFERRALS_BY_TYPE.items():
        assert raw[key].value == sum(1 for m in referred if m[0] == referrer)
    completed = [m for m in made if inq(m[4])]
    assert raw[figures.COMPLETED].value == len(completed)
    within = sum(1 for m in completed if m[4] <= add_working_days(m[3], 40))
    expected = round(100 * within / len(completed) + 1e-9) if completed else None
    assert raw[figures.WITHIN].value == expected and raw[figures.WITHIN].n == len(completed)
    assert 0 < within < len(completed)  # the data has assessments on both sides of the timescale
    starts = [(m[3] - m[2]).days for m in made if inq(m[3])]
    assert raw[figures.DAYS_TO_START].n == len(starts)
    assert raw[figures.DAYS_TO_START].value == (int(sum(starts) / len(starts) + 0.5) if starts else None)
    waiting = [m for m in made if m[2] and m[2] <= END and not (m[3] and m[3] <= END)]
    assert raw[figures.WAITING].value == len(waiting) > 0
    assert raw[figures.WAITING_LONG].value == sum(1 for m in waiting if (END - m[2]).days >= 112)
    # England's figures hold the other RAA's case too; an LA's hold the cases it is responsible for.
    everyone = {f.key: f for f in figures.figures(measures.scope_all(), QUARTER)}
    assert everyone[figures.REFERRALS].value == len(referred) + 1
    la = {f.key: f for f in figures.figures(measures.scope_for_la(region.la), QUARTER)}
    assert la[figures.REFERRALS].value == sum(1 for m in referred if m[5] is not None)
    keeps = {f.key: f for f in figures.figures(measures.scope_for_la(region.la_keeps), QUARTER)}
    assert keeps[figures.REFERRALS].value == sum(1 for m in referred if m[5] is None)


def test_the_dashboard_shows_the_support_figures_of_the_last_quarter_and_follows_every_write(region):
    from permanence.performance.views import dashboard_data
    from permanence.support import services

    on = date(2025, 10, 15)  # the last complete quarter: July to September 2025

    def referral(raa, day):
        services.create_referral(actor=None, raa=raa, on=on, check_role=False, referrer_type="adoptive_family",
                                 referred_on=day, family_name="Family", referrer_name="Ref", reason="Support",
                                 child_name="Kid")

    in_quarter = [date(2025, 7, 1), date(2025, 8, 14), date(2025, 9, 30)]
    for day in [*in_quarter, date(2025, 6, 30), date(2025, 10, 1)]:
        referral(region.raa, day)
    referral(region.other_raa, date(2025, 8, 1))

    def shown():
        data = dashboard_data(measures.scope_for_raa(region.raa), [region.la], on)
        sections = dict(data["sections"])
        assert list(sections) == ["Adoption support"]
        keys = {f.key: f for f in sections["Adoption support"]}
        assert {"Q_SUPPORT_FUND_SUBMITTED", "Q_SUPPORT_ADULT_RECEIVED", "Q_SUPPORT_CONTACT_FORWARDED"} <= set(keys)
        return keys[figures.REFERRALS].value

    assert shown() == len(in_quarter)
    referral(region.raa, date(2025, 9, 1))
    assert shown() == len(in_quarter) + 1
