"""Complaints' timescales, the overdue list and feedback summaries. Pure Python: no Django, no clock.

The stages' timescales are data (permanence.timescales, subject "complaint", each with its source and the day it
is valid from; change one with `permanence timescale set KEY …`, no code). The migration seeds them with the
statutory children's complaints procedure (Children Act 1989 Representations Procedure (England) Regulations
2006, and "Getting the best from complaints", DfES 2006):
- stage 1, local resolution: 10 working days, extendable to 20;
- stage 2, investigation: 25 working days, extendable to 65;
- stage 3, review panel: convened within 30 working days of the request, findings within 5 working days of
  the panel.
A stage reads the timescales in force on the day it started. Working days are permanence.timescales' (weekends
and England's bank holidays excluded).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import IntEnum, StrEnum

from permanence.timescales.rules import TimescaleFact

TIMESCALE_SUBJECT = "complaint"


class Stage(IntEnum):
    LOCAL_RESOLUTION = 1
    INVESTIGATION = 2
    REVIEW_PANEL = 3


STAGE_LABELS = {Stage.LOCAL_RESOLUTION: "Stage 1: local resolution", Stage.INVESTIGATION: "Stage 2: investigation",
                Stage.REVIEW_PANEL: "Stage 3: review panel"}

# The timescale rows each stage reads, by key: (due, due once extended, findings due after the panel sat).
STAGE_KEYS: dict[Stage, tuple[str, str | None, str | None]] = {
    Stage.LOCAL_RESOLUTION: ("complaint_stage_1", "complaint_stage_1_extended", None),
    Stage.INVESTIGATION: ("complaint_stage_2", "complaint_stage_2_extended", None),
    Stage.REVIEW_PANEL: ("complaint_stage_3_panel", None, "complaint_stage_3_findings"),
}


class Outcome(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"
    WITHDRAWN = "withdrawn"


OUTCOME_LABELS = {Outcome.UPHELD: "Upheld", Outcome.PARTLY_UPHELD: "Partly upheld",
                  Outcome.NOT_UPHELD: "Not upheld", Outcome.WITHDRAWN: "Withdrawn"}


class ComplainantType(StrEnum):
    CHILD = "child"
    ADOPTER = "adopter"
    PROSPECTIVE_ADOPTER = "prospective_adopter"
    ADOPTED_ADULT = "adopted_adult"
    BIRTH_RELATIVE = "birth_relative"
    ADVOCATE = "advocate"
    OTHER = "other"


COMPLAINANT_LABELS = {
    ComplainantType.CHILD: "Child or young person", ComplainantType.ADOPTER: "Adoptive parent",
    ComplainantType.PROSPECTIVE_ADOPTER: "Prospective adopter", ComplainantType.ADOPTED_ADULT: "Adopted adult",
    ComplainantType.BIRTH_RELATIVE: "Birth relative", ComplainantType.ADVOCATE: "Advocate on someone's behalf",
    ComplainantType.OTHER: "Someone else",
}


def stage_due(stage: int, started_on: date, *, timescales: Iterable[TimescaleFact], extended: bool = False,
              panel_on: date | None = None) -> date | None:
    """The date a stage is due: its timescale after it started (for working days, the start day not counted).

    `timescales`: the complaint timescales in force on the day the stage started. Stage 3: the panel is due its
    timescale after the request; once the panel has sat, its findings are due theirs after the panel. A timescale
    missing from `timescales` gives no due date (None), never a made-up one."""
    chosen = stage_timescale(stage, timescales=timescales, extended=extended, panel_on=panel_on)
    if chosen is None:
        return None
    findings = STAGE_KEYS[Stage(stage)][2]
    return chosen.due_from(panel_on if findings and panel_on is not None else started_on)


def stage_timescale(stage: int, *, timescales: Iterable[TimescaleFact], extended: bool = False,
                    panel_on: date | None = None) -> TimescaleFact | None:
    """The timescale a stage is due by: its own, extended, or (stage 3, the panel sat) its findings'."""
    by_key = {t.key: t for t in timescales}
    due_key, extended_key, findings_key = STAGE_KEYS[Stage(stage)]
    if findings_key and panel_on is not None:
        return by_key.get(findings_key)
    return by_key.get(extended_key if extended and extended_key else due_key)


def is_overdue(due: date | None, completed_on: date | None, today: date) -> bool:
    """Overdue: not completed and today is after the due date (the due day itself is not overdue)."""
    return due is not None and completed_on is None and today > due


def overdue_order(items, due_of):
    """Due dates ascending, nothing due last (in Python, so every database orders the same)."""
    return sorted(items, key=lambda item: (due_of(item) is None, due_of(item) or date.min))


def count_themes(theme_lists) -> list[tuple[str, int]]:
    """Each theme's count over the complaints (one list of theme names each), most first, then by name."""
    counts: dict[str, int] = {}
    for themes in theme_lists:
        for name in set(themes):
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# ---------------------------------------------------------------------------------------------
# Service user feedback


class SurveyPoint(StrEnum):
    PREPARATION = "preparation"
    APPROVAL = "approval"
    PLACEMENT = "placement"
    SUPPORT_CLOSE = "support_close"


POINT_LABELS = {SurveyPoint.PREPARATION: "After preparation training", SurveyPoint.APPROVAL: "At approval",
                SurveyPoint.PLACEMENT: "After placement", SurveyPoint.SUPPORT_CLOSE: "At the close of support"}


class QuestionKind(StrEnum):
    SCALE = "scale"
    YES_NO = "yes_no"
    TEXT = "text"


def validate_questions(questions) -> list[str]:
    """Problems with a survey's questions (a list of {"key", "text", "kind"}), none if it is usable."""
    problems = []
    if not isinstance(questions, list) or not questions:
        return ["A survey needs at least one question."]
    keys = set()
    for i, q in enumerate(questions, 1):
        if not isinstance(q, dict) or not q.get("key") or not q.get("text"):
            problems.append(f"Question {i} needs a key and a text.")
            continue
        if q["key"] in keys:
            problems.append(f"Question {i}'s key {q['key']} is used twice.")
        keys.add(q["key"])
        if q.get("kind") not in QuestionKind.__members__.values():
            problems.append(f"Question {i}'s kind must be scale, yes_no or text.")
    return problems


def clean_answer(kind: str, raw) -> tuple[object, str | None]:
    """(value, error) for one answer; a blank answer is None (not answered), never an error."""
    if raw in (None, ""):
        return None, None
    if kind == QuestionKind.SCALE:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            return None, "Choose a score from 1 to 5."
        return (value, None) if 1 <= value <= 5 else (None, "Choose a score from 1 to 5.")
    if kind == QuestionKind.YES_NO:
        if raw in (True, "yes"):
            return True, None
        if raw in (False, "no"):
            return False, None
        return None, "Choose yes or no."
    return str(raw).strip() or None, None


def summarise(questions, answer_sets) -> list[dict]:
    """Per question: n answered; the mean (to 2 places) for scales; yes and no counts; the texts for free text."""
    rows = []
    for q in questions:
        values = [a.get(q["key"]) for a in answer_sets if a.get(q["key"]) is not None]
        row = {"key": q["key"], "text": q["text"], "kind": q["kind"], "n": len(values)}
        if q["kind"] == QuestionKind.SCALE:
            row["mean"] = round(sum(values) / len(values), 2) if values else None
        elif q["kind"] == QuestionKind.YES_NO:
            row["yes"] = sum(1 for v in values if v is True)
            row["no"] = sum(1 for v in values if v is False)
        else:
            row["texts"] = values
        rows.append(row)
    return rows
