"""Reads: the RAA's complaints, its overdue list, themes counted, feedback summarised."""

from __future__ import annotations

from datetime import date

from permanence.complaints import rules
from permanence.complaints.models import FeedbackResponse, FeedbackSurvey


class StageDues:
    """Due dates for many stages, reading the complaint timescales once per start date (not once per stage)."""

    def __init__(self):
        self._in_force: dict[date, list] = {}

    def of(self, stage) -> date | None:
        from permanence.timescales.selectors import timescales_in_force

        if stage.started_on not in self._in_force:
            self._in_force[stage.started_on] = timescales_in_force(stage.started_on, rules.TIMESCALE_SUBJECT)
        stage.due_on = stage.due_with(self._in_force[stage.started_on])  # the cached property, filled
        return stage.due_on


def open_stage(complaint):
    stages = [s for s in complaint.stages.all() if s.completed_on is None]
    return stages[-1] if stages else None


def overdue(complaints, today: date) -> list[tuple]:
    """(complaint, open stage, due date) for each complaint whose open stage is past due: due dates ascending."""
    rows, dues = [], StageDues()
    for complaint in complaints.prefetch_related("stages"):
        stage = open_stage(complaint)
        if stage is not None and rules.is_overdue(dues.of(stage), stage.completed_on, today):
            rows.append((complaint, stage, stage.due_on))
    return rules.overdue_order(rows, lambda row: row[2])


def open_list(complaints) -> list[tuple]:
    """Every open complaint with its open stage and due date, due dates ascending, nothing due last."""
    rows, dues = [], StageDues()
    for complaint in complaints.prefetch_related("stages", "themes"):
        stage = open_stage(complaint)
        rows.append((complaint, stage, dues.of(stage) if stage else None))
    return rules.overdue_order(rows, lambda row: row[2])


def theme_counts(complaints) -> list[tuple[str, int]]:
    return rules.count_themes([t.name for t in c.themes.all()] for c in complaints.prefetch_related("themes"))


def feedback_summary(raa, survey: FeedbackSurvey, start: date | None = None, end: date | None = None):
    responses = FeedbackResponse.objects.filter(raa=raa, survey=survey)
    if start:
        responses = responses.filter(received_on__gte=start)
    if end:
        responses = responses.filter(received_on__lte=end)
    answers = [r.answers for r in responses]
    return len(answers), rules.summarise(survey.questions, answers)


def outcome_counts(complaints) -> list[tuple[str, int]]:
    """Closed complaints by outcome, in the outcomes' order (each outcome listed, none hidden)."""
    counts = {o: 0 for o in rules.Outcome}
    for outcome in complaints.exclude(outcome="").values_list("outcome", flat=True):
        counts[rules.Outcome(outcome)] += 1
    return [(f"Closed: {rules.OUTCOME_LABELS[o].lower()}", n) for o, n in counts.items()]


def timescale_lines(on: date) -> list[tuple[str, str]]:
    """The complaint timescales in force on a day, as (what is due, "10 working days"), in the stages' order."""
    from permanence.timescales.rules import describe_period
    from permanence.timescales.selectors import timescales_in_force

    by_key = {t.key: t for t in timescales_in_force(on, rules.TIMESCALE_SUBJECT)}
    keys = [k for stage in rules.Stage for k in rules.STAGE_KEYS[stage] if k]
    return [(by_key[k].label, describe_period(by_key[k].amount, by_key[k].unit)) for k in keys if k in by_key]
