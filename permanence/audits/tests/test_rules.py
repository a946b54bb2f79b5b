"""The pure part on hand-worked figures: each auto-fill rule on both sides of its threshold, the sample, the means."""

from datetime import date
from decimal import Decimal

import pytest

from permanence.audits import rules

AO = date(2025, 6, 30)  # a Monday
# 10 working days after Monday 30 June 2025, counted by hand (no bank holiday in between): Tue 1 … Fri 4 July
# are 1–4, Mon 7 … Fri 11 are 5–9, Mon 14 July is the 10th.
DUE = date(2025, 7, 14)
TEN_WORKING_DAYS = {"life_story_book": rules.Period(10, "working_days"),
                    "later_life_letter": rules.Period(10, "working_days")}


def facts(audited_on=date(2026, 1, 20), timescales=TEN_WORKING_DAYS, **events):
    return rules.ChildFacts(events=events, audited_on=audited_on, timescales=timescales)


@pytest.mark.parametrize("rule,event", [("life_story_book_in_time", "life_story_book"),
                                        ("later_life_letter_in_time", "later_life_letter")])
@pytest.mark.parametrize("handed,score", [(date(2025, 6, 1), 5),   # before the order (with the placement)
                                          (AO, 5), (DUE, 5),        # on the day of the order; on the last day
                                          (date(2025, 7, 15), 1)])  # a working day late
def test_handed_over_by_the_due_date_scores_5_else_1(rule, event, handed, score):
    answer = rules.SCORE_RULES[rule](facts(adoption_order=AO, **{event: handed}))
    assert answer.value == score
    assert "14 July 2025" in answer.evidence and "30 June 2025" in answer.evidence
    assert ("later than due" in answer.evidence) == (score == 1)


@pytest.mark.parametrize("rule", ["life_story_book_in_time", "later_life_letter_in_time"])
def test_not_handed_over_is_1_only_once_the_due_date_has_passed(rule):
    on_due_day = rules.SCORE_RULES[rule](facts(audited_on=DUE, adoption_order=AO))
    day_after = rules.SCORE_RULES[rule](facts(audited_on=date(2025, 7, 15), adoption_order=AO))
    assert on_due_day.value is None and "not recorded as handed over yet" in on_due_day.evidence
    assert day_after.value == 1 and "not recorded as handed over" in day_after.evidence


def test_the_period_is_the_timescales_calendar_days_count_differently():
    calendar = {"life_story_book": rules.Period(10, "days")}
    rule = rules.SCORE_RULES["life_story_book_in_time"]
    assert rule(facts(timescales=calendar, adoption_order=AO, life_story_book=date(2025, 7, 10))).value == 5
    assert rule(facts(timescales=calendar, adoption_order=AO, life_story_book=date(2025, 7, 11))).value == 1
    assert rule(facts(adoption_order=AO, life_story_book=date(2025, 7, 11))).value == 5  # working days: in time


def test_no_order_or_no_timescale_gives_no_score():
    rule = rules.SCORE_RULES["life_story_book_in_time"]
    assert rule(facts(life_story_book=AO)).value is None
    assert "No adoption order" in rule(facts(life_story_book=AO)).evidence
    assert rule(facts(timescales={}, adoption_order=AO, life_story_book=AO)).value is None


@pytest.mark.parametrize("rule,event", [("life_story_book_recorded", "life_story_book"),
                                        ("later_life_letter_recorded", "later_life_letter"),
                                        ("apr_recorded", "adoption_placement_report"),
                                        ("cpr_behind_decision", "should_be_placed"),
                                        ("cpr_behind_decision", "placement_order")])
def test_presence_from_the_recorded_event_or_left_to_the_auditor(rule, event):
    assert rules.PRESENCE_RULES[rule](facts(**{event: date(2024, 7, 3)})).value is True
    assert "3 July 2024" in rules.PRESENCE_RULES[rule](facts(**{event: date(2024, 7, 3)})).evidence
    absent = rules.PRESENCE_RULES[rule](facts(adoption_order=AO))
    assert absent.value is None and "check the file" in absent.evidence


def test_first_dates_takes_the_earliest_of_each_kind():
    assert rules.first_dates([("a", date(2025, 3, 1)), ("a", date(2025, 1, 1)), ("b", date(2024, 1, 1))]) == {
        "a": date(2025, 1, 1), "b": date(2024, 1, 1)}


# The checklist's shape


def test_a_checklist_with_unknown_rules_or_scales_is_refused_with_every_problem():
    bad = {"version": 2, "title": "T", "valid_from": "2027-01-01", "sections": [
        {"key": "a", "title": "A", "presence": True, "presence_rule": "nonsense",
         "criteria": [{"key": "x", "title": "X", "scale": "stars", "rule": "guess"}, {"key": "x", "title": ""}]},
        {"key": "a", "title": "Again", "criteria": []}]}
    with pytest.raises(rules.ChecklistError) as err:
        rules.parse_checklist(bad)
    text = str(err.value)
    for words in ("no presence rule called nonsense", "scale must be likert or yes_no", "no score rule called guess",
                  "criterion 2 needs a key of its own", "Section 2 needs a key of its own",
                  "Section a needs at least one criterion"):
        assert words in text
    with pytest.raises(rules.ChecklistError, match="needs version, title"):
        rules.parse_checklist({"title": "No version"})


# The sample

C = rules.Candidate


def _pool():
    return [C(i, "Case held by the RAA") for i in range(1, 31)] + [C(i, "Case kept by the LA") for i in range(31, 39)]


def test_the_sample_is_reproducible_whatever_the_order():
    first = rules.draw_sample(_pool(), per_stratum=5, seed=42)
    assert rules.draw_sample(list(reversed(_pool())), per_stratum=5, seed=42) == first
    assert rules.draw_sample(_pool(), per_stratum=5, seed=43) != first


def test_the_sample_is_stratified_n_per_stratum_or_all_of_a_small_one():
    drawn = rules.draw_sample(_pool(), per_stratum=10, seed=7)
    held = [c.id for c in drawn if c.stratum == "Case held by the RAA"]
    kept = [c.id for c in drawn if c.stratum == "Case kept by the LA"]
    assert len(held) == 10 and len(set(held)) == 10 and set(held) <= set(range(1, 31))
    assert kept == list(range(31, 39))  # only 8: every one of them


def test_adding_a_stratum_leaves_the_others_draw_alone():
    before = rules.draw_sample(_pool(), per_stratum=4, seed=3)
    after = rules.draw_sample([*_pool(), *(C(i, "Another LA") for i in range(100, 120))], per_stratum=4, seed=3)
    assert [c for c in after if c.stratum != "Another LA"] == before
    with pytest.raises(ValueError):
        rules.draw_sample(_pool(), per_stratum=0, seed=1)


# The means, worked by hand

LSB = "life_story_book"
ROWS = [
    rules.AuditRow(group=rules.RAA_HELD, la="Transferton", scores={(LSB, "accuracy"): 4, (LSB, "timeliness"): 5},
                   presence={LSB: True}),
    rules.AuditRow(group=rules.RAA_HELD, la="Transferton", scores={(LSB, "accuracy"): 5, (LSB, "timeliness"): 1},
                   presence={LSB: True}),
    rules.AuditRow(group=rules.RAA_HELD, la="Bigtown", scores={(LSB, "accuracy"): None, (LSB, "timeliness"): 5},
                   presence={LSB: False}),
    rules.AuditRow(group=rules.LA_KEPT, la="Keepham", scores={(LSB, "accuracy"): 3, (LSB, "timeliness"): 1},
                   presence={LSB: None}),
    rules.AuditRow(group=rules.LA_KEPT, la="Keepham", scores={(LSB, "accuracy"): 2}, presence={LSB: False}),
]


def test_criterion_means_with_n_per_group_and_overall():
    groups = rules.split(ROWS, rules.STRATIFY_GROUP)
    assert list(groups) == [rules.RAA_HELD, rules.LA_KEPT]
    # RAA held: accuracy 4, 5 (one not scored) → 9/2 = 4.5; LA kept: 3, 2 → 2.5; all: 14/4 = 3.5.
    assert rules.criterion_cell(groups[rules.RAA_HELD], LSB, "accuracy") == rules.Cell(2, Decimal("4.5"))
    assert rules.criterion_cell(groups[rules.LA_KEPT], LSB, "accuracy") == rules.Cell(2, Decimal("2.5"))
    assert rules.criterion_cell(ROWS, LSB, "accuracy") == rules.Cell(4, Decimal("3.5"))
    # Timeliness, RAA held: 5, 1, 5 → 11/3 = 3.67 → 3.7.
    assert rules.criterion_cell(groups[rules.RAA_HELD], LSB, "timeliness") == rules.Cell(3, Decimal("3.7"))
    assert rules.criterion_cell([], LSB, "accuracy").label == "No scores"


def test_section_means_pool_every_score_and_presence_is_a_share():
    groups = rules.split(ROWS, rules.STRATIFY_GROUP)
    # RAA held: 4, 5, 5, 1, 5 → 20/5 = 4.0; LA kept: 3, 1, 2 → 6/3 = 2.0.
    assert rules.section_cell(groups[rules.RAA_HELD], LSB, ["accuracy", "timeliness"]) == rules.Cell(5, Decimal("4.0"))
    assert rules.section_cell(groups[rules.LA_KEPT], LSB, ["accuracy", "timeliness"]) == rules.Cell(3, Decimal("2.0"))
    # Presence: RAA held 2 of 3 (67%); LA kept 0 of 1 (one not answered); all 2 of 4 (50%).
    held = rules.presence_cell(groups[rules.RAA_HELD], LSB)
    assert (held.present, held.n, held.percent, held.label) == (2, 3, 67, "2 of 3 (67%)")
    assert rules.presence_cell(groups[rules.LA_KEPT], LSB).label == "0 of 1 (0%)"
    assert rules.presence_cell(ROWS, LSB).label == "2 of 4 (50%)"
    assert rules.presence_cell([], LSB).label == "Not answered"


def test_by_la_and_rounding_half_up():
    by_la = rules.split(ROWS, rules.STRATIFY_LA)
    assert list(by_la) == ["Bigtown", "Keepham", "Transferton"]
    assert rules.criterion_cell(by_la["Transferton"], LSB, "timeliness") == rules.Cell(2, Decimal("3.0"))
    assert rules.mean_of([4, 4, 4, 5]) == Decimal("4.3")  # 17/4 = 4.25: half up, not to even
    assert rules.mean_of([4, 4, 5]) == Decimal("4.3") and rules.mean_of([4, 5, 5]) == Decimal("4.7")
    assert rules.bar_percent(None) == 0 and rules.bar_percent(Decimal("2.5")) == 50
