"""Complaints' stages through the services, the overdue list on the database, survey versions and summaries."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.complaints import selectors, services
from permanence.complaints.models import Complaint, FeedbackResponse, FeedbackSurvey
from permanence.core.models import AuditEvent

from .helpers import make_complaint


def test_a_complaint_starts_at_stage_1_and_is_audited(region):
    complaint = make_complaint(region.raa, themes=["Delay"])
    stage = complaint.stages.get()
    assert (stage.stage, stage.started_on, stage.due_on) == (1, date(2026, 3, 2), date(2026, 3, 16))
    assert AuditEvent.objects.filter(action="complaint.record", object_id=str(complaint.pk)).exists()


def test_escalation_extension_panel_and_outcome(region):
    complaint = make_complaint(region.raa)
    services.extend_stage(actor=None, complaint=complaint, check_role=False)
    assert complaint.stages.get().due_on == date(2026, 3, 30)
    with pytest.raises(ValidationError):
        services.extend_stage(actor=None, complaint=complaint, check_role=False)  # once only
    stage2 = services.escalate(actor=None, complaint=complaint, on=date(2026, 3, 2), check_role=False)
    assert (stage2.stage, stage2.due_on) == (2, date(2026, 4, 8))
    assert complaint.stages.get(stage=1).completed_on == date(2026, 3, 2)
    services.escalate(actor=None, complaint=complaint, on=date(2026, 3, 2), check_role=False)
    with pytest.raises(ValidationError):
        services.escalate(actor=None, complaint=complaint, on=date(2026, 3, 3), check_role=False)
    stage3 = services.record_panel(actor=None, complaint=complaint, panel_on=date(2026, 4, 23), check_role=False)
    assert stage3.due_on == date(2026, 4, 30)
    services.close_complaint(actor=None, complaint=complaint, outcome="partly_upheld", on=date(2026, 4, 29),
                             lessons_learned="Reply within a week", check_role=False)
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.lessons_learned) == ("partly_upheld", "Reply within a week")
    assert complaint.stages.get(stage=3).completed_on == date(2026, 4, 29)


def test_errors_say_what_to_do(region):
    with pytest.raises(ValidationError) as err:
        services.record_complaint(actor=None, raa=region.raa, received_on=None, complainant_type="x", summary="",
                                  check_role=False)
    assert set(err.value.message_dict) == {"received_on", "complainant_type", "summary"}
    complaint = make_complaint(region.raa)
    with pytest.raises(ValidationError) as err:
        services.close_complaint(actor=None, complaint=complaint, outcome="won", on=date(2026, 3, 1),
                                 check_role=False)
    assert set(err.value.message_dict) == {"outcome", "on"}


def test_another_raas_child_cannot_be_linked(region):
    child = region.child(region.other_la)
    with pytest.raises(ValidationError) as err:
        make_complaint(region.raa, child=child)
    assert "child" in err.value.message_dict


def test_a_writer_of_another_raa_is_refused(region):
    from permanence.organisations.models import Role

    with pytest.raises(ValidationError):
        services.record_complaint(actor=region.staff[("SR", Role.COMPLAINTS_OFFICER)], raa=region.raa,
                                  received_on=date(2026, 3, 2), complainant_type="adopter", summary="x")


def test_overdue_list_due_ascending_on_the_database(region):
    late = make_complaint(region.raa, received_on=date(2026, 3, 2))     # due 16 March
    later = make_complaint(region.raa, received_on=date(2026, 3, 9))    # due 23 March
    on_time = make_complaint(region.raa, received_on=date(2026, 3, 23))  # due 6 April
    due_today = make_complaint(region.raa, received_on=date(2026, 3, 10))  # due 24 March: not yet overdue
    closed = make_complaint(region.raa, received_on=date(2026, 2, 2))
    services.close_complaint(actor=None, complaint=closed, outcome="withdrawn", on=date(2026, 2, 3),
                             check_role=False)
    make_complaint(region.other_raa, received_on=date(2026, 1, 5))
    rows = selectors.overdue(Complaint.objects.filter(raa=region.raa), date(2026, 3, 24))
    assert [(c, due) for c, _, due in rows] == [(late, date(2026, 3, 16)), (later, date(2026, 3, 23))]
    open_rows = selectors.open_list(Complaint.objects.filter(raa=region.raa, outcome=""))
    assert [c for c, _, _ in open_rows] == [late, later, due_today, on_time]


def test_themes_counted(region):
    make_complaint(region.raa, themes=["Delay", "Communication"])
    make_complaint(region.raa, themes=["Delay"])
    assert selectors.theme_counts(Complaint.objects.filter(raa=region.raa)) == [("Delay", 2), ("Communication", 1)]


QUESTIONS = [{"key": "useful", "text": "Useful?", "kind": "scale"}, {"key": "ready", "text": "Ready?", "kind": "yes_no"}]


def test_a_new_version_keeps_old_responses_on_theirs(region):
    v1 = FeedbackSurvey.objects.get(point="preparation", version=1)  # seeded as data
    old = services.record_feedback(actor=None, raa=region.raa, survey=v1, received_on=date(2026, 2, 1),
                                   answers={"useful": "4", "ready": "yes"}, check_role=False)
    v2 = services.add_survey_version(actor=None, point="preparation", title="Preparation v2", questions=QUESTIONS,
                                     valid_from=date(2026, 4, 1))
    assert v2.version == 2
    assert services.current_survey("preparation", date(2026, 3, 31)) == v1
    assert services.current_survey("preparation", date(2026, 4, 1)) == v2
    old.refresh_from_db()
    assert old.survey == v1 and old.answers == {"useful": 4, "ready": True}


def test_summary_per_version_and_period(region):
    survey = services.add_survey_version(actor=None, point="approval", title="Approval v2", questions=QUESTIONS,
                                         valid_from=date(2026, 1, 1))
    for day, useful, ready in [(date(2026, 1, 5), "5", "yes"), (date(2026, 2, 5), "2", "no"),
                               (date(2026, 2, 9), "3", ""), (date(2026, 3, 1), "1", "yes")]:
        services.record_feedback(actor=None, raa=region.raa, survey=survey, received_on=day,
                                 answers={"useful": useful, "ready": ready}, check_role=False)
    services.record_feedback(actor=None, raa=region.other_raa, survey=survey, received_on=date(2026, 2, 5),
                             answers={"useful": "5"}, check_role=False)
    n, (useful, ready) = selectors.feedback_summary(region.raa, survey, date(2026, 2, 1), date(2026, 2, 28))
    assert n == 2
    assert (useful["n"], useful["mean"]) == (2, 2.5)  # (2 + 3) / 2
    assert (ready["n"], ready["yes"], ready["no"]) == (1, 0, 1)
    n, (useful, _) = selectors.feedback_summary(region.raa, survey)
    assert (n, useful["mean"]) == (4, 2.75)  # (5 + 2 + 3 + 1) / 4


def test_bad_answers_and_empty_responses_refused(region):
    survey = FeedbackSurvey.objects.get(point="placement", version=1)
    with pytest.raises(ValidationError) as err:
        services.record_feedback(actor=None, raa=region.raa, survey=survey, received_on=date(2026, 2, 1),
                                 answers={"introductions": "9"}, check_role=False)
    assert err.value.message_dict["introductions"] == ["Choose a score from 1 to 5."]
    with pytest.raises(ValidationError):
        services.record_feedback(actor=None, raa=region.raa, survey=survey, received_on=date(2026, 2, 1),
                                 answers={}, check_role=False)
    assert not FeedbackResponse.objects.exists()


def test_a_new_version_from_yaml_without_code(region, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "survey.yaml"
    path.write_text("point: support_close\ntitle: Support feedback v2\nvalid_from: 2026-09-01\nquestions:\n"
                    "  - {key: helpful, text: 'How helpful?', kind: scale}\n")
    call_command("add_feedback_survey", str(path))
    survey = FeedbackSurvey.objects.get(point="support_close", version=2)
    assert survey.questions == [{"key": "helpful", "text": "How helpful?", "kind": "scale"}]
    assert FeedbackSurvey.objects.get(point="support_close", version=1).questions[0]["key"] == "helpful"
