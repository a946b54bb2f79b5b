"""Adopted adults' pages: the waiting list in triage order, every request (filtered, with CSV/XLSX), recording a
request, a request with its timeline and what is due, its PDF. Parse the request, reach records through access,
call a service (or a read), render. Every view of a request is logged; every change is audited by the
services."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from permanence import access
from permanence.adopted_adults import forms as f
from permanence.adopted_adults import rules, selectors, services
from permanence.adopted_adults.journey import RECORDS
from permanence.adopted_adults.models import AdultRequest, AdultRequestEvent
from permanence.core import exports, listing, pdf
from permanence.core.forms import show_service_errors
from permanence.journeys import views as journey_views
from permanence.timescales.rules import describe_period

PAGE_SIZE = 50


def _refusal(user, adult, kind):
    return access.adult_request_event_refusal(user, adult, kind)


PAGES = journey_views.JourneyPages(
    records=RECORDS, event_form=f.EventForm, correction_form=f.CorrectionForm, detail_url="adopted_adults:detail",
    list_url="adopted_adults:list", list_name="Adopted adults' requests",
    name=lambda adult: f"{adult.full_name} ({adult.reference})", return_text="Return to the request",
    refusal=_refusal, state=services.state_of, withdrawn_message="The step has been withdrawn.",
)


def _require_see(user) -> None:
    if not access.can_see_adult_requests(user):
        raise Http404("No requests")


@dataclass
class Row:
    """One request as the lists show it: the wait to the first interview and the agencies' chases."""

    request: AdultRequest
    days_waiting: int | None
    over_target: bool
    chases: list = field(default_factory=list)
    chases_overdue: int = 0


def rows_for(requests, today: date) -> list[Row]:
    """The lists' rows: each request's state replayed from its events (one query for the page)."""
    requests = list(requests)
    facts: dict[int, list] = defaultdict(list)
    for e in AdultRequestEvent.objects.filter(adult_request__in=[r.pk for r in requests], superseded=False).only(
            "id", "adult_request_id", "kind", "date", "details"):
        facts[e.adult_request_id].append(e.as_fact())
    timescales = services.timescales(today)
    out = []
    for r in requests:
        state = rules.replay(facts[r.pk])
        chases = rules.chases(state, timescales)
        out.append(Row(r, rules.days_waiting(state, today), rules.waiting_over_target(state, timescales, today),
                       chases, sum(c.overdue_on(today) for c in chases)))
    return out


def waiting(request):
    """The waiting list: requests with no first interview yet, a priority first, then the longest wait."""
    user = request.user
    _require_see(user)
    today = services.today()
    visible = access.adult_requests_visible_to(user)
    qs = selectors.waiting_list(visible)
    page = listing.paginate(request, qs, PAGE_SIZE)
    target = rules.interview_rule(services.timescales(today))
    return render(request, "adopted_adults/waiting.html", {
        "page": page, "rows": rows_for(page.object_list, today), "today": today,
        "target_text": describe_period(target.amount, target.unit),
        "over_target": qs.filter(interview_due__lt=today).count(),
        "chases_due": visible.filter(stage__in=selectors.OPEN, chase_due__lt=today).count(),
        "can_record": access.can_record_adult_requests(user),
    })


def _filters(request) -> tuple[f.FilterForm, selectors.Filters]:
    form = f.FilterForm(request.GET or None, workers=access.adult_request_workers_for(request.user))
    filters = selectors.Filters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.Filters(request_type=d["request_type"], stage=d["stage"], priority=d["priority"],
                                    worker=d["worker"].pk if d["worker"] else None, open_only=d["open_only"])
    return form, filters


def request_list(request):
    """Every request of the RAA, with filters (type, stage, priority, worker) and downloads."""
    user = request.user
    _require_see(user)
    today = services.today()
    form, filters = _filters(request)
    qs = selectors.filtered(access.adult_requests_visible_to(user), filters)
    page = listing.paginate(request, qs, PAGE_SIZE)
    return render(request, "adopted_adults/list.html", {
        "form": form, "page": page, "rows": rows_for(page.object_list, today), "today": today,
        "can_record": access.can_record_adult_requests(user),
        "can_export": access.can_export_adult_requests(user), "export_query": listing.query_without_page(request),
    })


EXPORT_COLUMNS = [
    exports.Column("Reference", lambda r: r.request.reference),
    exports.Column("Type", lambda r: r.request.type_label),
    exports.Column("First name", lambda r: r.request.first_name),
    exports.Column("Last name", lambda r: r.request.last_name),
    exports.Column("Date of birth", lambda r: r.request.date_of_birth),
    exports.Column("Received", lambda r: r.request.received_on),
    exports.Column("How they contacted", lambda r: r.request.get_contact_method_display()),
    exports.Column("Year of adoption", lambda r: r.request.adoption_year),
    exports.Column("Agency that arranged it", lambda r: r.request.agency_label),
    exports.Column("Stage", lambda r: r.request.stage_label),
    exports.Column("Priority", lambda r: r.request.priority_label),
    exports.Column("Triaged", lambda r: r.request.triaged_on),
    exports.Column("First interview", lambda r: r.request.first_interview_on),
    exports.Column("Days from request to first interview (or waiting)", lambda r: r.days_waiting),
    exports.Column("Over the target wait", lambda r: r.over_target),
    exports.Column("Counselling sessions", lambda r: r.request.sessions),
    exports.Column("Agencies' records outstanding", lambda r: r.request.records_outstanding),
    exports.Column("Earliest chase due", lambda r: r.request.chase_due),
    exports.Column("Ended", lambda r: r.request.ended_on),
    exports.Column("Outcome", lambda r: r.request.get_outcome_display()),
    exports.Column("Worker", lambda r: r.request.worker.get_full_name() if r.request.worker else ""),
]


def request_export(request, fmt: str):
    """The list, with the same filters, as CSV or XLSX: the RAA's team managers and head of service; logged."""
    user = request.user
    _require_see(user)
    if not access.can_export_adult_requests(user):
        raise PermissionDenied
    _form, filters = _filters(request)
    rows = rows_for(selectors.filtered(access.adult_requests_visible_to(user), filters), services.today())
    return exports.export_response(request, rows=rows, columns=EXPORT_COLUMNS, what="adopted_adults.list", fmt=fmt,
                                   filename="adopted-adults-requests", filters=asdict(filters))


@require_http_methods(["GET", "POST"])
def create(request):
    """Record an adopted adult's request: the RAA's support workers and team managers."""
    user = request.user
    _require_see(user)
    if not access.can_record_adult_requests(user):
        raise PermissionDenied
    form = f.RequestForm(request.POST or None, workers=access.adult_request_workers_for(user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made = services.create_request(
                actor=user, raa=access.support_raa_for(user), request_type=d["request_type"],
                first_name=d["first_name"], last_name=d["last_name"], birth_name=d["birth_name"],
                date_of_birth=d["date_of_birth"], email=d["email"], phone=d["phone"], address=d["address"],
                adoption_year=d["adoption_year"], adoption_agency=d["adoption_agency"],
                adoption_agency_name=d["adoption_agency_name"], received_on=d["received_on"],
                contact_method=d["contact_method"], worker=d["worker"], note=d["note"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The request has been recorded ({made.reference}).")
            return redirect("adopted_adults:detail", pk=made.pk)
    return render(request, "adopted_adults/create.html", {"form": form, "title": "Record an adopted adult's request"})


def _page(user, adult: AdultRequest, today: date) -> dict:
    state = services.state_of(adult)
    timescales = services.timescales(today)
    due = rules.due_actions(state, timescales)
    target = rules.interview_rule(timescales)
    return {
        "adult": adult, "state": state, "today": today,
        "days_waiting": rules.days_waiting(state, today),
        "over_target": rules.waiting_over_target(state, timescales, today),
        "target_text": describe_period(target.amount, target.unit),
        "due": [{"label": a.label, "due": a.due, "overdue": a.overdue_on(today), "days_left": a.days_left(today),
                 "days_overdue": -a.days_left(today), "rule": a.rule} for a in due],
        "agency_requests": state.agency_requests, "chases": rules.chases(state, timescales),
        "events": list(selectors.timeline(adult)),
        "priority_label": rules.PRIORITIES.get(state.priority, "Not yet triaged"),
        "response_label": rules.RESPONSES.get(state.relative_response or "", ""),
        "outcome_label": rules.OUTCOMES.get(state.outcome or "", ""),
    }


def detail(request, pk: int):
    user = request.user
    adult = access.get_adult_request_for(user, pk)
    RECORDS.log_view(user, adult, request.path)
    today = services.today()
    context = _page(user, adult, today)
    kinds = access.adult_request_kinds_for(user, adult, context["state"])
    can_record = access.can_record_adult_requests(user)
    return render(request, "adopted_adults/detail.html", {
        **PAGES.context(adult), **context,
        "timeline": _timeline(adult, context["events"], can_record),
        "recordable": journey_views.record_links(PAGES, adult, kinds), "can_record": can_record,
        "allocate_form": f.AllocateForm(initial={"worker": adult.worker_id},
                                        workers=access.adult_request_workers_for(user)) if can_record else None,
        "can_export": access.can_export_adult_requests(user),
        "can_export_subject_access": access.can_export_subject_access_of(user, "adopted-adults", adult),
    })


def _timeline(adult: AdultRequest, events: list, can_record: bool) -> journey_views.Timeline:
    """The request's timeline; without the links to correct its steps for those who only read (the head of
    service)."""
    timeline = journey_views.timeline(PAGES, adult, events)
    if can_record:
        return timeline
    return journey_views.Timeline([journey_views.Entry(e.event, e.lines, "") for e in timeline.entries],
                                  timeline.correct_text)


@require_POST
def allocate(request, pk: int):
    user = request.user
    adult = access.get_adult_request_for(user, pk)
    if not access.can_record_adult_requests(user):
        raise PermissionDenied
    form = f.AllocateForm(request.POST, workers=access.adult_request_workers_for(user))
    if form.is_valid():
        try:
            services.allocate(actor=user, request=adult, worker=form.cleaned_data["worker"])
        except ValidationError as err:
            for message in err.messages:
                messages.error(request, message)
        else:
            worker = form.cleaned_data["worker"]
            messages.success(request, f"Allocated to {worker.get_full_name()}." if worker else
                             "The request is no longer allocated.")
    else:
        messages.error(request, "Choose a worker from the list.")
    return redirect("adopted_adults:detail", pk=adult.pk)


def request_pdf(request, pk: int):
    """The request as a PDF: the RAA's team managers and head of service; logged as an export."""
    user = request.user
    adult = access.get_adult_request_for(user, pk)
    if not access.can_export_adult_requests(user):
        raise PermissionDenied
    today = services.today()
    exports.log_export(user=user, what="adopted_adults.request", fmt="pdf", row_count=1, instance=adult,
                       path=request.get_full_path())
    return pdf.pdf_response(request, "adopted_adults/request_pdf.html", _page(user, adult, today),
                            filename=adult.reference)
