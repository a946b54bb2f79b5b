"""Pages: the RAA's complaints (open list, overdue, themes) and service user feedback (entry and summaries).

Nobody outside the roles access.complaints names sees them (a 404, as for a record that does not exist). Every
page showing a complaint logs the view; every change goes through services (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.complaints import forms as f
from permanence.complaints import rules, selectors, services
from permanence.complaints.models import FeedbackSurvey
from permanence.core import audit, tables
from permanence.core.clock import today
from permanence.core.forms import show_service_errors
from permanence.timescales.rules import working_days_between


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("Not allowed")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _summary(user) -> dict:
    complaints = access.complaints_visible_to(user)
    on = today()
    return {"overdue": selectors.overdue(complaints.filter(outcome=""), on),
            "open_rows": selectors.open_list(complaints.filter(outcome="")),
            "themes": selectors.theme_counts(complaints), "today": on,
            "outcomes": selectors.outcome_counts(complaints), "timescales": selectors.timescale_lines(on)}


def complaint_list(request):
    _require(access.can_see_complaints(request.user))
    complaints = access.complaints_visible_to(request.user)
    return render(request, "complaints/complaint_list.html", {
        **_summary(request.user), "closed": complaints.exclude(outcome="").prefetch_related("themes")[:25],
        "can_record": access.can_record_complaints(request.user),
        "can_download": access.can_export_complaints(request.user)})


def summary_download(request, fmt: str):
    """The complaints summary (the overdue list, themes counted, open and closed by outcome) as a spreadsheet or
    a PDF, for access.can_export_complaints; logged as an export. No complainant's words leave in it."""
    _require(access.can_export_complaints(request.user))
    s = _summary(request.user)
    on = s["today"]
    notes = [f"{access.complaints_raa_for(request.user).name}'s complaints on {on:%-d %B %Y}: "
             f"{len(s['open_rows'])} open, {len(s['overdue'])} overdue.",
             "Timescales in force today: " + "; ".join(f"{label}: {period}" for label, period in s["timescales"])
             + ". Working days leave out weekends and England's bank holidays."]
    out = [
        tables.Table(title="Overdue", headers=["Complaint", "Received", "Made by", "Stage", "Was due",
                                               "Working days overdue"], numeric=frozenset({5}),
                     rows=[[f"Complaint {c.pk}", c.received_on, c.complainant_label, stage.label, due,
                            working_days_between(due, on)] for c, stage, due in s["overdue"]],
                     empty="No complaint is overdue."),
        tables.Table(title="Themes", headers=["Theme", "Complaints"], numeric=frozenset({1}),
                     rows=[list(row) for row in s["themes"]], empty="No complaint has a theme yet."),
        tables.Table(title="Open and closed", headers=["Complaints", "Number"], numeric=frozenset({1}),
                     rows=[["Open", len(s["open_rows"])], *[[label, n] for label, n in s["outcomes"]]]),
    ]
    return tables.download(request, fmt=fmt, what="complaints.summary", filename="complaints-summary",
                           title="Complaints and representations: summary", notes=notes, tables=out,
                           filters={"on": on.isoformat()})


LINKS = {"child": access.get_child_for, "household": access.get_household_for,
         "support_case": access.get_support_case_for}
WHAT = {"child": "child", "household": "household", "support_case": "support case"}
PAGE = {"child": "children:detail", "household": "adopters:household-detail", "support_case": "support:case"}


def _links(request, names) -> dict:
    """What the record is about, from ?child=, ?household= or ?support_case= (each through access: a record the
    user may not see is a 404)."""
    found = {}
    for name in names:
        pk = request.GET.get(name)
        if pk:
            found[name] = LINKS[name](request.user, pk)
    return found


@require_http_methods(["GET", "POST"])
def complaint_add(request):
    _require(access.can_record_complaints(request.user))
    links = _links(request, LINKS)
    form = f.ComplaintForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.record_complaint(actor=request.user, raa=access.complaints_raa_for(request.user),
                                                  today=today(), **form.cleaned_data, **links)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "Complaint recorded at stage 1")
            return redirect("complaints:detail", complaint.pk)
    about = [{"what": WHAT[name], "record": record, "url": reverse(PAGE[name], args=[record.pk])}
             for name, record in links.items()]
    return render(request, "complaints/complaint_form.html", {"form": form, "links": links, "about": about})


def complaint_detail(request, pk):
    complaint = access.get_complaint_for(request.user, pk)
    audit.record_view(viewer=request.user, instance=complaint, path=request.get_full_path(),
                      child_id=complaint.child_id)
    stage = selectors.open_stage(complaint)
    return render(request, "complaints/complaint_detail.html", {
        "complaint": complaint, "stages": complaint.stages.all(), "open_stage": stage, "today": today(),
        "overdue": stage is not None and rules.is_overdue(stage.due_on, None, today()),
        "can_record": access.can_record_complaints(request.user) and not complaint.outcome,
        "escalate_form": f.EscalateForm(), "close_form": f.CloseForm(), "panel_form": f.PanelForm()})


def _action(request, pk, form_class, call, done):
    complaint = access.get_complaint_for(request.user, pk)
    _require(access.can_record_complaints(request.user))
    form = form_class(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            call(complaint, form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, done)
            return redirect("complaints:detail", complaint.pk)
    return render(request, "complaints/complaint_action.html", {"complaint": complaint, "form": form,
                                                                "title": done})


@require_http_methods(["POST"])
def complaint_extend(request, pk):
    complaint = access.get_complaint_for(request.user, pk)
    _require(access.can_record_complaints(request.user))
    try:
        services.extend_stage(actor=request.user, complaint=complaint)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, "Stage timescale extended")
    return redirect("complaints:detail", complaint.pk)


@require_http_methods(["GET", "POST"])
def complaint_escalate(request, pk):
    return _action(request, pk, f.EscalateForm, lambda c, d: services.escalate(
        actor=request.user, complaint=c, on=d["on"]), "Complaint moved to the next stage")


@require_http_methods(["GET", "POST"])
def complaint_panel(request, pk):
    return _action(request, pk, f.PanelForm, lambda c, d: services.record_panel(
        actor=request.user, complaint=c, panel_on=d["panel_on"]), "Review panel date recorded")


@require_http_methods(["GET", "POST"])
def complaint_close(request, pk):
    return _action(request, pk, f.CloseForm, lambda c, d: services.close_complaint(
        actor=request.user, complaint=c, **d), "Complaint outcome recorded")


def feedback_summary(request):
    _require(access.can_see_feedback_summary(request.user))
    raa = access.feedback_raa_for(request.user)
    period = f.PeriodForm(request.GET or None)
    start = end = None
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    surveys = []
    for survey in FeedbackSurvey.objects.all():
        n, rows = selectors.feedback_summary(raa, survey, start, end)
        surveys.append({"survey": survey, "n": n, "rows": rows})
    return render(request, "complaints/feedback_summary.html", {"surveys": surveys, "form": period})


@require_http_methods(["GET", "POST"])
def feedback_add(request, survey_pk):
    _require(access.can_enter_feedback(request.user))
    survey = get_object_or_404(FeedbackSurvey, pk=survey_pk)
    links = _links(request, ["household", "support_case"])
    form = f.FeedbackForm(_posted(request), survey=survey)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        received_on = data.pop("received_on")
        try:
            services.record_feedback(actor=request.user, raa=access.feedback_raa_for(request.user), survey=survey,
                                     received_on=received_on, answers=data, **links)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "Feedback recorded")
            return redirect("complaints:feedback-add", survey.pk)
    return render(request, "complaints/feedback_form.html", {"form": form, "survey": survey, "links": links,
                                                             "surveys": FeedbackSurvey.objects.all()})


def quality_home(request):
    """Quality assurance in one place: the blueprint reviews, learning reviews, complaints and feedback this person
    may use (one navigation item instead of four), and the current survey at each point for entering a response."""
    user = request.user
    _require(access.can_enter_feedback(user))
    sections = []
    if access.can_see_blueprint(user):
        sections.append(("Blueprint reviews", "blueprint:reviews",
                         "The adoption support service scored against the 17 domains of the blueprint, and how it "
                         "compares with other RAAs and with its last review."))
    if access.can_record_learning_reviews(user):
        sections.append(("Learning reviews of disruptions", "disruptions:list",
                         "What each placement that ended early teaches: contributing factors, recommendations and "
                         "their owners."))
    if access.can_see_audits(user):  # case-file audits (issue 13)
        sections.append(("Case-file audits", "audits:rounds", "Audit rounds of a random sample of children's files against the checklist, and the results by group and LA."))
    if access.can_see_complaints(user):
        sections.append(("Complaints and representations", "complaints:list",
                         "Complaints at each stage with their timescales, what is overdue, themes and outcomes."))
    if access.can_see_feedback_summary(user):
        sections.append(("Service user feedback", "complaints:feedback",
                         "What families said at each point, summarised per survey version."))
    on = today()
    surveys = [s for s in (services.current_survey(point, on) for point in rules.SurveyPoint) if s]
    return render(request, "complaints/quality_home.html", {"sections": sections, "surveys": surveys})
