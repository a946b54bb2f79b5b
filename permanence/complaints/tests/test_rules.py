"""Timescales on boundary days (weekends, Easter and Christmas 2026 bank holidays), overdue ordering, summaries.
Every date here was counted by hand on a calendar."""

from datetime import date

import pytest

from permanence.complaints import rules
from permanence.timescales.rules import TimescaleFact

# The statutory values the migration seeds, given here by hand (the rules are pure: they take what is in force).
AMOUNTS = {"complaint_stage_1": 10, "complaint_stage_1_extended": 20, "complaint_stage_2": 25,
           "complaint_stage_2_extended": 65, "complaint_stage_3_panel": 30, "complaint_stage_3_findings": 5}


def fact(key, amount, unit="working_days"):
    return TimescaleFact(key=key, label=key, start_event="", end_events=(), amount=amount, unit=unit)


STATUTORY = [fact(k, n) for k, n in AMOUNTS.items()]


@pytest.mark.parametrize(("stage", "start", "extended", "due"), [
    (1, date(2026, 3, 2), False, date(2026, 3, 16)),   # Mon + 10 working days = Mon two weeks on
    (1, date(2026, 3, 7), False, date(2026, 3, 20)),   # received on a Saturday: counting starts Monday
    (1, date(2026, 3, 2), True, date(2026, 3, 30)),    # extended to 20
    (1, date(2026, 3, 30), False, date(2026, 4, 15)),  # Good Friday 3 April and Easter Monday 6 April skipped
    (1, date(2026, 12, 21), False, date(2027, 1, 7)),  # 25 Dec, 28 Dec (Boxing Day moved), 1 Jan skipped
    (2, date(2026, 3, 2), False, date(2026, 4, 8)),    # 25 working days across Easter
    (3, date(2026, 3, 2), False, date(2026, 4, 15)),   # the panel within 30 working days
])
def test_stage_due(stage, start, extended, due):
    assert rules.stage_due(stage, start, timescales=STATUTORY, extended=extended) == due


def test_stage_3_findings_are_due_5_working_days_after_the_panel():
    assert rules.stage_due(3, date(2026, 3, 2), timescales=STATUTORY, panel_on=date(2026, 4, 23)) == date(2026, 4, 30)


def test_the_timescales_given_decide_and_a_missing_one_gives_no_due_date():
    local = [fact(k, 15 if k == "complaint_stage_1" else n) for k, n in AMOUNTS.items()]
    assert rules.stage_due(1, date(2026, 3, 2), timescales=local) == date(2026, 3, 23)  # 15 working days
    in_days = [fact("complaint_stage_1", 10, unit="days")]
    assert rules.stage_due(1, date(2026, 3, 2), timescales=in_days) == date(2026, 3, 12)
    assert rules.stage_due(1, date(2026, 3, 2), timescales=[]) is None
    assert rules.stage_due(3, date(2026, 3, 2), timescales=[fact("complaint_stage_3_panel", 30)],
                           panel_on=date(2026, 4, 23)) is None


def test_overdue_from_the_day_after_the_due_day():
    due = date(2026, 3, 16)
    assert not rules.is_overdue(due, None, date(2026, 3, 16))
    assert rules.is_overdue(due, None, date(2026, 3, 17))
    assert not rules.is_overdue(due, date(2026, 3, 18), date(2026, 3, 20))  # completed (late) is not overdue
    assert not rules.is_overdue(None, None, date(2026, 3, 20))


def test_overdue_order_due_ascending_nothing_due_last():
    rows = [("b", date(2026, 3, 5)), ("none", None), ("a", date(2026, 3, 1)), ("c", date(2026, 4, 1))]
    assert [r[0] for r in rules.overdue_order(rows, lambda r: r[1])] == ["a", "b", "c", "none"]


def test_themes_counted_most_first_then_by_name():
    assert rules.count_themes([["Delay", "Communication"], ["Delay"], ["Staff conduct", "Delay"], []]) == [
        ("Delay", 3), ("Communication", 1), ("Staff conduct", 1)]


QUESTIONS = [{"key": "score", "text": "Score", "kind": "scale"}, {"key": "again", "text": "Again?", "kind": "yes_no"},
             {"key": "note", "text": "Note", "kind": "text"}]


def test_summary_on_hand_worked_answers():
    answers = [{"score": 5, "again": True}, {"score": 4, "again": False, "note": "Good"}, {"score": 2, "again": True},
               {"note": "Late"}]
    score, again, note = rules.summarise(QUESTIONS, answers)
    assert (score["n"], score["mean"]) == (3, 3.67)  # (5 + 4 + 2) / 3 = 3.666…
    assert (again["n"], again["yes"], again["no"]) == (3, 2, 1)
    assert (note["n"], note["texts"]) == (2, ["Good", "Late"])


def test_summary_with_no_answers_has_no_mean():
    assert rules.summarise(QUESTIONS, [])[0] == {"key": "score", "text": "Score", "kind": "scale", "n": 0,
                                                 "mean": None}


@pytest.mark.parametrize(("kind", "raw", "result"), [
    ("scale", "1", (1, None)), ("scale", "5", (5, None)), ("scale", "0", (None, "Choose a score from 1 to 5.")),
    ("scale", "6", (None, "Choose a score from 1 to 5.")), ("scale", "", (None, None)),
    ("yes_no", "yes", (True, None)), ("yes_no", "no", (False, None)), ("yes_no", "maybe", (None, "Choose yes or no.")),
    ("text", "  hi ", ("hi", None)),
])
def test_clean_answer(kind, raw, result):
    assert rules.clean_answer(kind, raw) == result


def test_questions_validated():
    assert rules.validate_questions(QUESTIONS) == []
    assert rules.validate_questions([]) == ["A survey needs at least one question."]
    assert rules.validate_questions([{"key": "a", "text": "A", "kind": "stars"}]) == [
        "Question 1's kind must be scale, yes_no or text."]
