"""Adoption support's pages: the home page, the cases list and the waiting list (each with CSV/XLSX), recording a
referral, a case with its timeline and what is due (and as a PDF), and the RAA's support settings. Parse the
request, reach records through access, call a service (or a read), render. Every view of a case is logged."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.core import audit, exports, listing, pdf, sorting
from permanence.core.forms import show_service_errors
from permanence.core.templatetags.govuk import govuk_date
from permanence.journeys import views as journey_views
from permanence.support import forms as f
from permanence.support import rules, selectors, services
from permanence.support.journey import RECORDS
from permanence.timescales.selectors import timescales_in_force

PAGE_SIZE = 50


def _refusal(user, case, kind):
    return access.support_event_refusal(user, case, kind)


PAGES = journey_views.JourneyPages(
    records=RECORDS, event_form=f.EventForm, correction_form=f.CorrectionForm, detail_url="support:case",
    list_url="support:cases", list_name="Support cases", name=lambda case: f"Support case {case.reference}",
    return_text="Return to the support case", refusal=_refusal, state=services.state_of,
    withdrawn_message="The step has been withdrawn.", correctable=services.correctable_steps,
)


def _raa(user):
    """The RAA whose support records the user sees; anyone else: not found."""
    raa = access.support_raa_for(user)
    if raa is None:
        raise Http404("Not allowed")
    return raa


def home(request):
    user = request.user
    raa = _raa(user)
    today = services.today()
    cases = access.support_cases_visible_to(user)
    longest = list(selectors.waiting_list(cases).select_related("worker")[:5])
    listing.log(request, len(longest))  # the longest waits, by name
    return render(request, "support/home.html", {
        "raa": raa, "counts": selectors.counts(cases, today), "today": today,
        "can_record": access.can_record_support_for(user, raa), "long_wait_weeks": rules.LONG_WAIT_WEEKS,
        "longest": longest,
        "can_change_settings": access.can_change_support_settings(user, raa),
    })


def _case_filters(request, raa, form_class=f.CaseFilterForm):
    form = form_class(request.GET or None, raa=raa)
    filters = selectors.CaseFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.CaseFilters(stage=d.get("stage", ""), referrer_type=d["referrer_type"],
                                        urgency=d["urgency"], worker=d["worker"], waiting=d.get("waiting", False),
                                        long_wait=d.get("long_wait", False))
    return form, filters


# The support cases list's columns by sort key (permanence.core.sorting); the newest referral first by default.
CASE_SORTS = {
    "case": ("pk",),
    "family": ("family_name",),
    "referred": ("referred_on",),
    "stage": (sorting.rank("stage", list(rules.STAGE_LABELS)),),
    "worker": ("worker__last_name", "worker__first_name"),
    "next_due": ("next_due_date",),
}


def _cases(user, filters, today, order_by=("-referred_on", "-pk")):
    return (selectors.filtered(access.support_cases_visible_to(user), filters, today)
            .select_related("worker", "child").order_by(*order_by))


def _case_order(request) -> sorting.Sorting:
    """The support cases list's order from its query string: the page's and its downloads'."""
    return sorting.sorting_for(request, CASE_SORTS, default="-referred")


def case_list(request):
    user = request.user
    raa = _raa(user)
    today = services.today()
    form, filters = _case_filters(request, raa)
    order = _case_order(request)
    page = listing.paginate(request, _cases(user, filters, today, order.order_by), PAGE_SIZE)
    return render(request, "support/cases.html", {"sorting": order,
        "form": form, "page": page, "cases": page.object_list, "today": today, "export_query": listing.query_without_page(request),
        "can_export": access.can_export_support(user), "can_record": access.can_record_support_for(user, raa),
    })


CASE_COLUMNS = [
    exports.Column("Reference", lambda c: c.reference),
    exports.Column("Family", lambda c: c.family_name),
    exports.Column("Referral about", lambda c: c.get_referrer_type_display()),
    exports.Column("Referred on", lambda c: c.referred_on),
    exports.Column("Urgency", lambda c: c.get_urgency_display()),
    exports.Column("Safeguarding", lambda c: c.safeguarding),
    exports.Column("Child", lambda c: c.child_label),
    exports.Column("Stage", lambda c: c.stage_label),
    exports.Column("Worker", lambda c: str(c.worker) if c.worker else ""),
    exports.Column("Assessment requested", lambda c: c.requested_on),
    exports.Column("Assessment started", lambda c: c.started_on),
    exports.Column("Assessment completed", lambda c: c.completed_on),
    exports.Column("Interim offers", lambda c: c.interim_offers),
    exports.Column("Next action", lambda c: c.next_due_label),
    exports.Column("Next action due", lambda c: c.next_due_date),
    exports.Column("Closed on", lambda c: c.closed_on),
    exports.Column("Closed", lambda c: c.get_closed_reason_display() if c.closed_reason else ""),
]


def _require_export(user) -> None:
    if not access.can_export_support(user):
        raise Http404("No export")


def case_list_export(request, fmt: str):
    user = request.user
    raa = _raa(user)
    _require_export(user)
    _form, filters = _case_filters(request, raa)
    order = _case_order(request)  # the page's order
    return exports.export_response(request, rows=_cases(user, filters, services.today(), order.order_by),
                                   columns=CASE_COLUMNS,
                                   what="support.cases", fmt=fmt, filename="support-cases", filters=asdict(filters))


def _waiting(user, filters):
    return selectors.waiting_list(selectors.filtered(access.support_cases_visible_to(user), filters,
                                                     services.today())).select_related("worker")


def _waiting_rows(cases, today):
    offers = selectors.interim_offers(c.pk for c in cases)
    return [{"case": c, "days": rules.days_waiting(c.requested_on, today),
             "long_wait": rules.long_wait(c.requested_on, today), "offers": offers.get(c.pk, [])} for c in cases]


def waiting_list(request):
    user = request.user
    raa = _raa(user)
    today = services.today()
    form, filters = _case_filters(request, raa, f.WaitingFilterForm)
    page = listing.paginate(request, _waiting(user, filters), PAGE_SIZE)
    return render(request, "support/waiting.html", {
        "form": form, "page": page, "rows": _waiting_rows(list(page.object_list), today), "today": today,
        "export_query": listing.query_without_page(request), "long_wait_weeks": rules.LONG_WAIT_WEEKS,
        "can_export": access.can_export_support(user),
    })


WAITING_COLUMNS = [
    exports.Column("Reference", lambda r: r["case"].reference),
    exports.Column("Family", lambda r: r["case"].family_name),
    exports.Column("Urgency", lambda r: r["case"].get_urgency_display()),
    exports.Column("Referral about", lambda r: r["case"].get_referrer_type_display()),
    exports.Column("Assessment requested", lambda r: r["case"].requested_on),
    exports.Column("Days waiting", lambda r: r["days"]),
    exports.Column(f"Waiting {rules.LONG_WAIT_WEEKS} weeks or more", lambda r: r["long_wait"]),
    exports.Column("Worker", lambda r: str(r["case"].worker) if r["case"].worker else ""),
    exports.Column("Start due", lambda r: r["case"].next_due_date),
    exports.Column("Interim support offered", lambda r: "; ".join(f"{d:%d/%m/%Y} {o}" for d, o in r["offers"])),
]


def waiting_list_export(request, fmt: str):
    user = request.user
    raa = _raa(user)
    _require_export(user)
    today = services.today()
    _form, filters = _case_filters(request, raa, f.WaitingFilterForm)
    cases = list(_waiting(user, filters))
    return exports.export_response(request, rows=_waiting_rows(cases, today), columns=WAITING_COLUMNS,
                                   what="support.waiting", fmt=fmt, filename="support-waiting-list",
                                   filters=asdict(filters))


@require_http_methods(["GET", "POST"])
def new_referral(request):
    user = request.user
    raa = _raa(user)
    if not access.can_record_support_for(user, raa):
        raise PermissionDenied("Only the RAA's adoption support workers and team managers record referrals.")
    settings = services.settings_for(raa)
    form = f.ReferralForm(request.POST or None, user=user, raa=raa,
                          offers_special_guardianship=settings.offers_special_guardianship)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_referral(actor=user, raa=raa, note=form.cleaned_data["note"], **form.referral())
        except ValidationError as err:
            if hasattr(err, "error_dict") and "child" in err.error_dict:
                err.error_dict["child_reference"] = err.error_dict.pop("child")
            show_service_errors(form, err)
        else:
            messages.success(request, f"The referral has been recorded as support case {case.reference}.")
            return redirect("support:case", pk=case.pk)
    return render(request, "support/referral_form.html", {"form": form, "title": "Record a referral"})


def _case_page(user, case, today):
    timescales = list(timescales_in_force(today, rules.SUBJECT))
    state = services.state_of(case)
    settings = services.settings_for(case.raa)
    return {
        "case": case, "state": state, "today": today,
        "due": [{"label": a.label, "due": a.due, "rag": a.rag(today), "rule": a.rule}
                for a in rules.due_actions(state, timescales)],
        "responsible_la": rules.responsible_la(case.placing_la, case.family_la, case.adoption_order_date, today,
                                               settings.placing_la_years),
        "placing_la_ends": rules.placing_la_ends(case.adoption_order_date, settings.placing_la_years)
        if case.adoption_order_date else None,
        "days_waiting": rules.days_waiting(case.requested_on, today) if state.waiting else None,
        "long_wait": state.waiting and rules.long_wait(case.requested_on, today),
        "duty_outcome": rules.DUTY_OUTCOMES.get(state.duty_outcome or "", ""),
        "closed_reason": rules.CLOSED_REASON_LABELS.get(state.closed_reason or "", ""),
        "events": list(selectors.timeline(case)),
        "safeguarding_text": f"{case.safeguarding_la.name} told on {govuk_date(case.safeguarding_told_on)}"
        if case.safeguarding and case.safeguarding_la else "",
    }


def complaint_link(user, case):
    from permanence.complaints.about import complaint_link

    return complaint_link(user, case)


def case_detail(request, pk: int):
    user = request.user
    case = access.get_support_case_for(user, pk)
    audit.record_view(viewer=user, instance=case, path=request.path)
    today = services.today()
    page = _case_page(user, case, today)
    kinds = rules.kinds_recordable(user.role, page["state"]) if access.can_record_support_for(user, case.raa) else []
    from permanence.support_fund.views import case_section_context  # the case's plans and fund applications

    return render(request, "support/case.html", {
        **case_section_context(user, case, today),
        **page, "timeline": journey_views.timeline(PAGES, case, page["events"]),
        "recordable": journey_views.record_links(PAGES, case, kinds),
        "can_export": access.can_export_support(user), "complaint_link": complaint_link(user, case),
    })


def case_pdf(request, pk: int):
    """The whole case as a PDF; logged as an export (and the view)."""
    user = request.user
    case = access.get_support_case_for(user, pk)
    _require_export(user)
    audit.record_view(viewer=user, instance=case, path=request.path)
    exports.log_export(user=user, what="support.case", fmt="pdf", row_count=1, instance=case,
                       path=request.get_full_path())
    page = _case_page(user, case, services.today())
    page["entries"] = [(e, f.ASKS.describe(e)) for e in page["events"]]
    return pdf.pdf_response(request, "support/case_pdf.html", page, filename=case.reference)


@require_http_methods(["GET", "POST"])
def settings_page(request):
    user = request.user
    raa = _raa(user)
    can_change = access.can_change_support_settings(user, raa)
    current = services.settings_for(raa)
    if request.method == "POST" and not can_change:
        raise PermissionDenied("Only the RAA's team manager or head of service changes its support settings.")
    form = f.SettingsForm(request.POST or None, initial={
        "offers_special_guardianship": current.offers_special_guardianship,
        "placing_la_years": current.placing_la_years}, versioned=current if current.pk else None,
        creates=True)
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                services.save_settings(actor=user, raa=raa, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The support settings have been saved.")
            return redirect("support:settings")
    return render(request, "support/settings.html", {"form": form, "raa": raa, "can_change": can_change,
                                                     "current": current, "title": "Adoption support settings"})
