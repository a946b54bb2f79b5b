"""Pages for enquiries, households and panels: parse the request, reach records through access, call a
service, render. No rules here: stages, due dates and red/amber/green come from adopters.rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.adopters import forms as f
from permanence.adopters import rules, selectors, services
from permanence.adopters.journey import RECORDS
from permanence.adopters.models import (
    CapacityProfile,
    Enquiry,
    Household,
    HouseholdEvent,
)
from permanence.core import audit, exports, listing, pdf, sorting
from permanence.core.forms import show_service_errors
from permanence.home import tasks as home_tasks
from permanence.journeys import views as journey_views
from permanence.organisations.models import Role
from permanence.timescales.selectors import timescales_in_force

PAGE_SIZE = 50
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "paused": 3, None: 4}
RAG_LABELS = {"red": "Overdue", "amber": "Due soon", "green": "On time", "paused": "Paused"}


def _require_records(user) -> None:
    if not access.can_see_adopter_records(user):
        raise Http404("No records")


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("Not allowed")


def _days_phrase(target: date | None, today: date) -> str:
    if target is None:
        return ""
    days = (target - today).days
    if days == 0:
        return "today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} to go"
    return f"{-days} day{'s' if days != -1 else ''} past"


# ---------------------------------------------------------------------------------------------
# Enquiries


def _enquiries(request, user, today: date):
    """The filtered enquiries (and the by-source base before the source filter): the page and its export."""
    form = f.EnquiryFilterForm(request.GET or None, today=today)
    qs = access.enquiries_visible_to(user)
    filters: dict = {}
    if form.is_valid():
        d = form.cleaned_data
        if d["outcome"]:
            qs = qs.filter(outcome=d["outcome"])
        if d["month"]:
            y, m = (int(x) for x in d["month"].split("-"))
            qs = qs.filter(received_on__year=y, received_on__month=m)
        by_source_qs = qs
        if d["source"]:
            qs = qs.filter(source=d["source"])
        filters = {k: (v.pk if hasattr(v, "pk") else v) for k, v in d.items() if v}
    else:
        by_source_qs = qs
    qs = qs.select_related("source", "residence_la", "household").order_by("-received_on", "-id")
    return form, qs, by_source_qs, filters


def enquiry_list(request):
    user = request.user
    _require_records(user)
    today = services.today()
    form, qs, by_source_qs, _filters = _enquiries(request, user, today)
    by_source = list(by_source_qs.values("source__name").annotate(n=Count("id")).order_by("-n", "source__name"))
    page = listing.paginate(request, qs, PAGE_SIZE)
    return render(request, "adopters/enquiry_list.html", {
        "form": form, "page_obj": page, "enquiries": page.object_list, "by_source": by_source,
        "by_source_total": sum(r["n"] for r in by_source), "can_write": access.can_write_households(user),
        "can_export": access.can_export(user),
    })


ENQUIRY_COLUMNS = [
    exports.Column("Received", lambda e: e.received_on),
    exports.Column("Source", lambda e: e.source.name),
    exports.Column("First name", lambda e: e.first_name),
    exports.Column("Last name", lambda e: e.last_name),
    exports.Column("Lives in", lambda e: e.residence_la.name if e.residence_la else e.residence_area),
    exports.Column("Outcome", lambda e: e.get_outcome_display()),
    exports.Column("Outcome date", lambda e: e.outcome_on),
    exports.Column("Signposted because", lambda e: e.signpost_reason),
    exports.Column("Household", lambda e: e.household.reference if e.household_id else ""),
]


def enquiry_export(request, fmt: str):
    """The enquiries list, with the same filters, as CSV or XLSX. Needs access.can_export; logged."""
    user = request.user
    _require_records(user)
    if not access.can_export(user):
        raise Http404("No export")
    _form, qs, _by_source, filters = _enquiries(request, user, services.today())
    return exports.export_response(request, rows=qs, columns=ENQUIRY_COLUMNS, what="enquiries.list", fmt=fmt,
                                   filename="enquiries", filters=filters)


@require_http_methods(["GET", "POST"])
def enquiry_create(request):
    user = request.user
    _require(access.can_write_households(user))
    form = f.EnquiryForm(request.POST or None, las=access.las_visible_to(user),
                         initial={"received_on": services.today()})
    if request.method == "POST" and form.is_valid():
        try:
            enquiry = services.record_enquiry(actor=user, raa=user.organisation, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The enquiry from {enquiry.first_name} {enquiry.last_name} has been recorded.")
            return redirect("adopters:enquiry-detail", pk=enquiry.pk)
    return render(request, "adopters/form.html", {
        "form": form, "title": "Record an enquiry", "back": reverse("adopters:enquiry-list"), "submit": "Record",
    })


def enquiry_detail(request, pk: int):
    user = request.user
    enquiry = access.get_enquiry_for(user, pk)
    audit.record_view(viewer=user, instance=enquiry, path=request.path)
    return render(request, "adopters/enquiry_detail.html", {
        "enquiry": enquiry, "can_write": access.can_write_households(user),
        "is_open": enquiry.household_id is None,
    })


@require_http_methods(["GET", "POST"])
def enquiry_outcome(request, pk: int):
    user = request.user
    enquiry = access.get_enquiry_for(user, pk)
    _require(access.can_write_households(user))
    audit.viewed(request, enquiry)  # the form shows the enquiry (issue 15)
    if enquiry.household_id:
        messages.info(request, "This enquiry has already become a registration of interest.")
        return redirect("adopters:enquiry-detail", pk=enquiry.pk)
    form = f.EnquiryOutcomeForm(request.POST or None, initial={"on": services.today(), "outcome": enquiry.outcome
                                                               if enquiry.outcome != Enquiry.Outcome.OPEN else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_enquiry_outcome(actor=user, enquiry=enquiry, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The outcome has been recorded: {enquiry.get_outcome_display().lower()}.")
            return redirect("adopters:enquiry-detail", pk=enquiry.pk)
    return render(request, "adopters/form.html", {
        "form": form, "title": "Record the outcome of the enquiry", "caption": str(enquiry),
        "back": reverse("adopters:enquiry-detail", args=[enquiry.pk]), "submit": "Save the outcome",
    })


# ---------------------------------------------------------------------------------------------
# Registering a household


def _household_name(form: f.HouseholdForm, applicants: list[dict]) -> str:
    name = form.cleaned_data.get("name") or ""
    if name.strip():
        return name
    last_names = list(dict.fromkeys(a["last_name"].strip() for a in applicants if a.get("last_name", "").strip()))
    return "-".join(last_names)


@require_http_methods(["GET", "POST"])
def household_register(request, enquiry_pk: int | None = None):
    user = request.user
    enquiry = access.get_enquiry_for(user, enquiry_pk) if enquiry_pk is not None else None
    _require(access.can_write_households(user))
    if enquiry is not None:
        audit.viewed(request, enquiry)  # the form starts from the enquiry's details (issue 15)
    if enquiry is not None and enquiry.household_id:
        messages.info(request, "This enquiry has already become a registration of interest.")
        return redirect("adopters:household-detail", pk=enquiry.household_id)
    initial = {"roi_date": services.today()}
    if enquiry is not None:
        initial |= {"a1_first_name": enquiry.first_name, "a1_last_name": enquiry.last_name,
                    "name": enquiry.last_name, "residence_la": enquiry.residence_la_id}
    if user.role == Role.RAA_ASSESSING_SOCIAL_WORKER:
        initial["assessing_social_worker"] = user.pk
    form = f.HouseholdForm(request.POST or None, las=access.las_visible_to(user),
                           workers=access.assessing_workers_for(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        applicants = form.applicants()
        values = form.household_values() | {"name": _household_name(form, applicants)}
        try:
            household = services.register_interest(actor=user, raa=user.organisation, applicants=applicants,
                                                   roi_date=form.cleaned_data["roi_date"], enquiry=enquiry, **values)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The registration of interest from {household.name} has been recorded.")
            return redirect("adopters:household-detail", pk=household.pk)
    return render(request, "adopters/register.html", {"form": form, "enquiry": enquiry})


# ---------------------------------------------------------------------------------------------
# The pipeline


def _pipeline(request, user, today: date):
    """The filtered households of the pipeline (and stage counts before the stage filter): shared by the page
    and its CSV/XLSX export."""
    workers = list(access.assessing_workers_for(user).order_by("first_name", "last_name"))
    form = f.HouseholdFilterForm(request.GET or None, workers=workers)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.pipeline(access.households_visible_to(user), today=today, include_closed=bool(d.get("include_closed")),
                            q=d.get("q") or "", worker=d.get("worker"), fast_track=bool(d.get("fast_track")),
                            rag=d.get("rag") or None)
    counts = dict(qs.values_list("stage").annotate(n=Count("id")).order_by())
    if d.get("stage"):
        qs = qs.filter(stage=d["stage"])
    qs = selectors.in_pipeline_order(qs)
    filters = {k: (v.pk if hasattr(v, "pk") else v) for k, v in d.items() if v not in (None, "", False)}
    return form, qs, counts, filters


def _pipeline_order(request) -> sorting.Sorting:
    """The pipeline's order from its query string: the page's and its downloads'."""
    return sorting.sorting_for(request, selectors.PIPELINE_SORTS, default="next_due")


def pipeline(request):
    user = request.user
    _require_records(user)
    today = services.today()
    form, qs, counts, _filters = _pipeline(request, user, today)
    order = _pipeline_order(request)
    qs = qs.order_by(*order.order_by)
    stage_counts = [{"stage": s.value, "label": label, "n": counts.get(s.value, 0)}
                    for s, label in rules.STAGE_LABELS.items() if s.value in counts]
    page = listing.paginate(request, qs, PAGE_SIZE)
    rows = [{
        "h": h, "rag": selectors.snapshot_rag(h, today), "days_in_stage": (today - h.stage_since).days if h.stage_since else None,
        "target_phrase": _days_phrase(h.target_panel_date, today),
        "target_past": h.target_panel_date is not None and h.target_panel_date < today,
    } for h in page.object_list]
    return render(request, "adopters/pipeline.html", {
        "sorting": order, "form": form, "page_obj": page, "rows": rows, "stage_counts": stage_counts, "today": today,
        "rag_labels": RAG_LABELS, "can_write": access.can_write_households(user),
        "can_see_timescales": access.can_see_adopter_timescales(user), "can_export": access.can_export(user),
        "export_query": listing.query_without_page(request),
    })


def _export_columns(today: date) -> list[exports.Column]:
    return [
        exports.Column("Reference", lambda h: h.reference),
        exports.Column("Household", lambda h: h.name),
        exports.Column("Applicants", lambda h: "; ".join(str(a) for a in h.applicants.all())),
        exports.Column("Stage", lambda h: h.stage_label),
        exports.Column("In stage since", lambda h: h.stage_since),
        exports.Column("Fast track", lambda h: "Yes" if h.fast_track else "No"),
        exports.Column("Paused", lambda h: "Yes" if h.paused else "No"),
        exports.Column("Next due", lambda h: h.next_due_label),
        exports.Column("Due date", lambda h: h.next_due_date),
        exports.Column("Status", lambda h: RAG_LABELS.get(selectors.snapshot_rag(h, today) or "", "")),
        exports.Column("Target panel date", lambda h: h.target_panel_date),
        exports.Column("Registration of interest", lambda h: h.roi_date),
        exports.Column("Approved", lambda h: h.approved_on),
        exports.Column("Assessing social worker", lambda h: str(h.assessing_social_worker or "")),
    ]


def pipeline_export(request, fmt: str):
    """The pipeline, with the same filters and order, as CSV or XLSX. Needs access.can_export; logged as an export."""
    user = request.user
    _require_records(user)
    if not access.can_export(user):
        raise Http404("No export")
    today = services.today()
    _form, qs, _counts, filters = _pipeline(request, user, today)
    qs = qs.order_by(*_pipeline_order(request).order_by)  # the page's order
    return exports.export_response(request, rows=qs, columns=_export_columns(today), what="households.list",
                                   fmt=fmt, filename="households", filters=filters)


def household_pdf(request, pk: int):
    """A household's whole record as a PDF. Needs access.can_export; logged as an export."""
    user = request.user
    household = access.get_household_for(user, pk)
    if not access.can_export(user):
        raise Http404("No export")
    today = services.today()
    events = list(household.events.filter(superseded=False).select_related("recorded_by").order_by("date", "id"))
    state = rules.replay([e.as_fact() for e in events], fast_track=household.fast_track)
    due = rules.due_actions(state, timescales_in_force(today, "household"), today)
    capacity = getattr(household, "capacity", None)
    exports.log_export(user=user, what="households.record", fmt="pdf", row_count=1, instance=household,
                       path=request.get_full_path())
    return pdf.pdf_response(request, "adopters/household_pdf.html", {
        "household": household, "today": today, "state": state, "events": events,
        "stage_label": rules.STAGE_LABELS[state.stage], "applicants": list(household.applicants.all()),
        "members": list(household.members.all()), "can_see_religion": access.can_see_applicant_religion(user),
        "checks": [{"label": label, "requested": c in state.checks_requested, "received": c in state.checks_received}
                   for c, label in rules.CHECKS.items()],
        "due": [{"label": a.label, "due": a.due, "rag": a.rag(today), "paused_days": a.paused_days} for a in due],
        "capacity": capacity,
        "capacity_needs": capacity.needs.select_related("category").exclude(level="none") if capacity else [],
        "close_reason": rules.CLOSE_REASON_LABELS.get(state.close_reason or "", ""),
    }, filename=household.reference)


# ---------------------------------------------------------------------------------------------
# The household


def _state(household: Household) -> rules.HouseholdState:
    return rules.replay(services.event_facts(household), fast_track=household.fast_track)


def _assessment_start(state: rules.HouseholdState, today: date) -> date:
    return state.stage_1_started or state.stage_2_started or state.roi_decision or state.roi or today


PAGES = journey_views.JourneyPages(
    records=RECORDS, event_form=f.EventForm, correction_form=f.CorrectionForm,
    detail_url="adopters:household-detail", list_url="adopters:pipeline", list_name="Adopters",
    name=lambda household: household.name, return_text="Return to the household",
    refusal=access.household_event_refusal, state=_state,
)


def complaint_link(user, household):
    from permanence.complaints.about import complaint_link

    return complaint_link(user, household)


def household_detail(request, pk: int):
    user = request.user
    household = access.get_household_for(user, pk)
    today = services.today()
    audit.record_view(viewer=user, instance=household, path=request.path)
    events = list(household.events.filter(superseded=False).select_related("recorded_by", "corrects")
                  .order_by("-date", "-id"))
    state = rules.replay([e.as_fact() for e in events], fast_track=household.fast_track)
    due = rules.due_actions(state, timescales_in_force(today, "household"), today)
    kinds = rules.kinds_recordable(user.role, state)
    recordable = journey_views.record_links(PAGES, household, kinds)
    checks = [{"code": c, "label": label, "requested": c in state.checks_requested,
               "received": c in state.checks_received} for c, label in rules.CHECKS.items()]
    capacity = getattr(household, "capacity", None)
    bookings = list(household.panel_items.select_related("panel").order_by("-panel__date"))
    current_pause = state.pauses[-1] if state.paused else None
    return render(request, "adopters/household_detail.html", {
        **PAGES.context(household), "today": today, "state": state, "timeline": journey_views.timeline(
            PAGES, household, events),
        "stage_label": rules.STAGE_LABELS[state.stage], "recordable": recordable, "checks": checks,
        "any_checks": bool(state.checks_requested), "current_pause": current_pause,
        "due": [{"label": a.label, "due": a.due, "start": a.start, "rule": a.rule, "paused_days": a.paused_days,
                 "rag": a.status(today), "days_left": a.days_left(today),
                 "days_overdue": -a.days_left(today), "do": journey_views.do_link(PAGES, household, a, kinds)}
                for a in due],
        "surgery_actions": home_tasks.record_actions(user, household=household),
        "applicants": list(household.applicants.all()), "members": list(household.members.all()),
        "capacity": capacity, "capacity_needs": capacity.needs.select_related("category").exclude(level="none")
        if capacity else [],
        "bookings": bookings, "target_phrase": _days_phrase(household.target_panel_date, today),
        "links": list(access.household_links_for(user, household)) if access.can_see_links(user) else None,
        "target_past": household.target_panel_date is not None and household.target_panel_date < today,
        "can_export": access.can_export(user), "can_find_children": access.can_find_children_for(user, household),
        "can_export_subject_access": access.can_export_subject_access(user),
        "can_see_religion": access.can_see_applicant_religion(user),
        "complaint_link": complaint_link(user, household),
        "can_write": access.can_write_households(user), "close_reason": rules.CLOSE_REASON_LABELS.get(
            state.close_reason or "", state.close_reason),
    })


@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    user = request.user
    household = access.get_household_for(user, pk)
    audit.viewed(request, household)  # the page shows the record: a view (issue 15)
    _require(access.can_write_households(user))
    initial = {k: getattr(household, k) for k in services.HOUSEHOLD_FIELDS}
    form = f.HouseholdForm(request.POST or None, las=access.las_visible_to(user),
                           workers=access.assessing_workers_for(user), with_applicants=False, initial=initial,
                           versioned=household)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                services.update_household(actor=user, household=household, **form.household_values())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The household's details have been updated.")
            return redirect("adopters:household-detail", pk=household.pk)
    return render(request, "adopters/household_form.html", {"form": form, "household": household})


@require_http_methods(["GET", "POST"])
def target_panel_date(request, pk: int):
    user = request.user
    household = access.get_household_for(user, pk)
    audit.viewed(request, household)  # the page shows the record: a view (issue 15)
    _require(access.can_write_households(user))
    today = services.today()
    suggested = None
    if household.target_panel_date:
        initial = {"target": household.target_panel_date}
    else:
        suggested = services.suggested_target_panel_date(household, _assessment_start(_state(household), today))
        initial = {"target": suggested}
    form = f.TargetPanelDateForm(request.POST or None, initial=initial, versioned=household, household=household,
                                 today=today)
    if request.method == "POST" and form.is_valid():
        moving = household.target_panel_date is not None
        try:
            with form.saving():
                services.set_target_panel_date(actor=user, household=household, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The target panel date has been {'moved' if moving else 'set'}.")
            return redirect("adopters:household-detail", pk=household.pk)
    return render(request, "adopters/target_form.html", {
        "form": form, "household": household, "suggested": suggested, "today": today,
    })


@require_http_methods(["GET", "POST"])
def capacity(request, pk: int):
    user = request.user
    household = access.get_household_for(user, pk)
    audit.viewed(request, household)  # the page shows the record: a view (issue 15)
    _require(access.can_write_households(user))
    profile = CapacityProfile.objects.filter(household=household).first() or \
        CapacityProfile(household=household)
    form = f.CapacityForm(request.POST or None, profile=profile, versioned=profile if profile.pk else None,
                          creates=True)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                services.set_capacity(actor=user, household=household, needs=form.need_levels(), **form.values())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The capacity profile has been saved.")
            return redirect("adopters:household-detail", pk=household.pk)
    return render(request, "adopters/capacity_form.html", {"form": form, "household": household})


# ---------------------------------------------------------------------------------------------
# The manager's view of timescales


@dataclass
class TimescaleRow:
    household: Household
    next_due: rules.DueAction | None
    rag: str | None
    days_left: int | None
    decision_due: date | None
    days_to_target: int | None
    at_risk: str

    @property
    def rank(self):
        return (RAG_ORDER[self.rag], 0 if self.at_risk else 1,
                self.days_left if self.days_left is not None else 10**6, self.household.name)


def _target_risk(household: Household, state: rules.HouseholdState, decision_due: date | None, today: date) -> str:
    target = household.target_panel_date
    if target is None:
        return "No target panel date"
    if state.panel is None and target < today:
        return "The target panel date has passed"
    if decision_due is not None and target > decision_due:
        return "The target panel date is after the statutory decision date"
    return ""


def timescales(request):
    user = request.user
    _require(access.can_see_adopter_timescales(user))
    today = services.today()
    workers = list(access.assessing_workers_for(user).order_by("first_name", "last_name"))
    form = f.TimescaleFilterForm(request.GET or None, workers=workers)
    qs = access.households_visible_to(user).filter(stage__in=[s.value for s in rules.ASSESSMENT_STAGES])
    if form.is_valid() and form.cleaned_data["worker"] == "none":
        qs = qs.filter(assessing_social_worker__isnull=True)
    elif form.is_valid() and form.cleaned_data["worker"]:
        qs = qs.filter(assessing_social_worker_id=form.cleaned_data["worker"])
    households = list(qs.select_related("assessing_social_worker"))
    # One query for all their events, replayed here: pauses move due dates on every day they last.
    facts = defaultdict(list)
    for e in HouseholdEvent.objects.filter(household__in=qs, superseded=False).only(
            "id", "household_id", "kind", "date", "details"):
        facts[e.household_id].append(e.as_fact())
    in_force = timescales_in_force(today, "household")
    rows = []
    for h in households:
        state = rules.replay(facts[h.pk], fast_track=h.fast_track)
        due = rules.due_actions(state, in_force, today)
        nxt = due[0] if due else None
        decision = next((a.due for a in due if a.key == "household_stage_2"), None)
        rows.append(TimescaleRow(
            household=h, next_due=nxt, rag="paused" if state.paused else (nxt.rag(today) if nxt else None),
            days_left=nxt.days_left(today) if nxt else None, decision_due=decision,
            days_to_target=(h.target_panel_date - today).days if h.target_panel_date else None,
            at_risk=_target_risk(h, state, decision, today)))
    rows.sort(key=lambda r: r.rank)
    page = listing.paginate(request, rows, PAGE_SIZE)
    return render(request, "adopters/timescales.html", {
        "form": form, "page_obj": page, "rows": page.object_list, "today": today, "rag_labels": RAG_LABELS,
        "total": len(rows), "red": sum(r.rag == "red" for r in rows), "at_risk": sum(bool(r.at_risk) for r in rows),
    })
