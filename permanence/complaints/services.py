"""Every write of complaints and feedback: validate, save in a transaction, audit.

The role checks are access's (access.complaints); `check_role=False` is for the demo and tests only.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.complaints import rules
from permanence.complaints.models import (
    Complaint,
    ComplaintStage,
    ComplaintTheme,
    FeedbackResponse,
    FeedbackSurvey,
)
from permanence.core import audit

COMPLAINT_FIELDS = ["received_on", "complainant_type", "summary", "child", "household", "support_case",
                    "outcome", "closed_on", "lessons_learned"]
STAGE_FIELDS = ["stage", "started_on", "extended", "panel_on", "completed_on"]


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise ValidationError(message)


def _link_errors(raa, child, household, support_case) -> dict:
    errors = {}
    if child is not None and child.la.raa_id != raa.pk:
        errors["child"] = "Choose a child of this RAA."
    if household is not None and household.raa_id != raa.pk:
        errors["household"] = "Choose a household of this RAA."
    if support_case is not None and support_case.raa_id != raa.pk:
        errors["support_case"] = "Choose a support case of this RAA."
    return errors


@transaction.atomic
def record_complaint(*, actor, raa, received_on: date | None, complainant_type: str, summary: str,
                     themes=(), child=None, household=None, support_case=None, today: date | None = None,
                     check_role: bool = True) -> Complaint:
    """A new complaint, at stage 1 (local resolution) from the day it was received."""
    if check_role:
        _refuse_unless(access.can_record_complaints(actor) and access.complaints_raa_for(actor) == raa,
                       "Only the RAA's complaints officer and team managers record complaints.")
    errors = _link_errors(raa, child, household, support_case)
    if received_on is None:
        errors["received_on"] = "Enter the date the complaint was received."
    elif today is not None and received_on > today:
        errors["received_on"] = "The date the complaint was received must be today or in the past."
    if complainant_type not in rules.ComplainantType.__members__.values():
        errors["complainant_type"] = "Choose who made the complaint."
    if not (summary or "").strip():
        errors["summary"] = "Enter what the complaint is about."
    if errors:
        raise ValidationError(errors)
    complaint = Complaint.objects.create(
        raa=raa, received_on=received_on, complainant_type=complainant_type, summary=summary.strip(),
        child=child, household=household, support_case=support_case,
        recorded_by=actor if getattr(actor, "pk", None) else None)
    complaint.themes.set(list(themes))
    ComplaintStage.objects.create(complaint=complaint, stage=rules.Stage.LOCAL_RESOLUTION, started_on=received_on)
    audit.record_change(actor=actor, action="complaint.record", instance=complaint,
                        after=audit.snapshot(complaint, COMPLAINT_FIELDS))
    return complaint


def _check_writer(actor, complaint, check_role):
    if check_role:
        _refuse_unless(access.can_record_complaints(actor) and access.complaints_raa_for(actor) == complaint.raa,
                       "Only the RAA's complaints officer and team managers record complaints.")


@transaction.atomic
def extend_stage(*, actor, complaint: Complaint, check_role: bool = True) -> ComplaintStage:
    """The open stage's timescale is extended (stage 1 to 20 working days, stage 2 to 65)."""
    _check_writer(actor, complaint, check_role)
    stage = complaint.stages.select_for_update().order_by("-stage").first()
    if stage is None or stage.completed_on or stage.stage == rules.Stage.REVIEW_PANEL or stage.extended:
        raise ValidationError("Only an open stage 1 or 2 that has not been extended can be extended.")
    before = audit.snapshot(stage, STAGE_FIELDS)
    stage.extended = True
    stage.save()
    audit.record_change(actor=actor, action="complaint.extend", instance=stage, before=before,
                        after=audit.snapshot(stage, STAGE_FIELDS))
    return stage


@transaction.atomic
def escalate(*, actor, complaint: Complaint, on: date | None, check_role: bool = True) -> ComplaintStage:
    """The complainant asks for the next stage: the open stage ends that day and the next one starts."""
    _check_writer(actor, complaint, check_role)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    current = complaint.stages.order_by("-stage").first()
    if complaint.outcome and complaint.outcome == rules.Outcome.WITHDRAWN:
        raise ValidationError("A withdrawn complaint cannot be escalated.")
    if current is None or current.stage >= rules.Stage.REVIEW_PANEL:
        raise ValidationError("The complaint is already at stage 3, the last stage.")
    if on is None:
        raise ValidationError({"on": "Enter the date the complainant asked for the next stage."})
    if on < current.started_on:
        raise ValidationError({"on": "The date must be on or after the date the current stage started."})
    if current.completed_on is None:
        current.completed_on = on
        current.save()
    stage = ComplaintStage.objects.create(complaint=complaint, stage=current.stage + 1, started_on=on)
    complaint.outcome, complaint.closed_on = "", None
    complaint.save()
    audit.record_change(actor=actor, action="complaint.escalate", instance=stage,
                        after=audit.snapshot(stage, STAGE_FIELDS))
    return stage


@transaction.atomic
def record_panel(*, actor, complaint: Complaint, panel_on: date | None, check_role: bool = True) -> ComplaintStage:
    _check_writer(actor, complaint, check_role)
    stage = complaint.stages.filter(stage=rules.Stage.REVIEW_PANEL).first()
    if stage is None:
        raise ValidationError("The complaint is not at stage 3.")
    if panel_on is None or panel_on < stage.started_on:
        raise ValidationError({"panel_on": "Enter the date the panel sat, on or after stage 3 started."})
    stage.panel_on = panel_on
    stage.save()
    audit.record_change(actor=actor, action="complaint.panel", instance=stage,
                        after=audit.snapshot(stage, STAGE_FIELDS))
    return stage


@transaction.atomic
def close_complaint(*, actor, complaint: Complaint, outcome: str, on: date | None, lessons_learned: str = "",
                    check_role: bool = True) -> Complaint:
    """The open stage responds (or the complaint is withdrawn): its outcome, the date, lessons learned."""
    _check_writer(actor, complaint, check_role)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    errors = {}
    if outcome not in rules.Outcome.__members__.values():
        errors["outcome"] = "Choose the outcome: upheld, partly upheld, not upheld or withdrawn."
    current = complaint.stages.order_by("-stage").first()
    if on is None:
        errors["on"] = "Enter the date of the response."
    elif current and on < current.started_on:
        errors["on"] = "The date of the response must be on or after the date the stage started."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(complaint, COMPLAINT_FIELDS)
    complaint.outcome, complaint.closed_on = outcome, on
    complaint.lessons_learned = (lessons_learned or "").strip()
    complaint.save()
    if current and current.completed_on is None:
        current.completed_on = on
        current.save()
    audit.record_change(actor=actor, action="complaint.close", instance=complaint, before=before,
                        after=audit.snapshot(complaint, COMPLAINT_FIELDS))
    return complaint


# ---------------------------------------------------------------------------------------------
# Feedback


@transaction.atomic
def add_survey_version(*, actor, point: str, title: str, questions: list, valid_from: date) -> FeedbackSurvey:
    """A new version of a point's survey (the next number); earlier responses keep their version."""
    problems = rules.validate_questions(questions)
    if point not in rules.SurveyPoint.__members__.values():
        problems.append("Choose the point of the journey the survey asks about.")
    if problems:
        raise ValidationError(problems)
    latest = FeedbackSurvey.objects.filter(point=point).order_by("-version").first()
    survey = FeedbackSurvey.objects.create(point=point, title=title, questions=questions, valid_from=valid_from,
                                           version=(latest.version + 1) if latest else 1)
    audit.record_change(actor=actor, action="feedback_survey.add", instance=survey,
                        after=audit.snapshot(survey, ["point", "version", "valid_from", "title", "questions"]))
    return survey


def current_survey(point: str, on: date) -> FeedbackSurvey | None:
    """The survey version in force on a day: the highest version valid from that day or before."""
    return FeedbackSurvey.objects.filter(point=point, valid_from__lte=on).order_by("-version").first()


@transaction.atomic
def record_feedback(*, actor, raa, survey: FeedbackSurvey, received_on: date | None, answers: dict,
                    household=None, support_case=None, check_role: bool = True) -> FeedbackResponse:
    if check_role:
        _refuse_unless(access.can_enter_feedback(actor) and access.feedback_raa_for(actor) == raa,
                       "Only the RAA's own staff enter its feedback.")
    errors = _link_errors(raa, None, household, support_case)
    if received_on is None:
        errors["received_on"] = "Enter the date the feedback was given."
    clean = {}
    for q in survey.questions:
        value, error = rules.clean_answer(q["kind"], answers.get(q["key"]))
        if error:
            errors[q["key"]] = error
        elif value is not None:
            clean[q["key"]] = value
    if not errors and not clean:
        errors["__all__"] = "Answer at least one question."
    if errors:
        raise ValidationError(errors)
    response = FeedbackResponse.objects.create(
        raa=raa, survey=survey, received_on=received_on, answers=clean, household=household,
        support_case=support_case, recorded_by=actor if getattr(actor, "pk", None) else None)
    audit.record_change(actor=actor, action="feedback.record", instance=response,
                        after={"survey": survey.pk, "version": survey.version, "received_on": received_on})
    return response


def ensure_themes(names) -> list[ComplaintTheme]:
    return [ComplaintTheme.objects.get_or_create(name=n)[0] for n in names]
