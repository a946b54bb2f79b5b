"""Pages for children: parse the request, call a selector or service, render."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.children import rules, selectors, services
from permanence.children.forms import ChildForm, ChildSearchForm, CorrectionForm, EventForm
from permanence.children.journey import RECORDS
from permanence.children.models import Child
from permanence.core import audit, exports, listing, pdf, sorting
from permanence.core.forms import show_service_errors
from permanence.core.models import AuditEvent, RecordView
from permanence.home import tasks as home_tasks
from permanence.journeys import views as journey_views

PAGE_SIZE = 50


def _refusal(user, child, kind):
    return access.event_refusal(user, child, kind, rules.policy_on(services.policies_for(child.la), services.today()))


PAGES = journey_views.JourneyPages(
    records=RECORDS, event_form=EventForm, correction_form=CorrectionForm, detail_url="children:detail",
    list_url="children:list", list_name="Children", name=lambda child: child.full_name,
    return_text="Return to the child's record", refusal=_refusal,
    state=lambda child: rules.replay(services.event_facts(child)), correct_text="Correct",
    withdrawn_message="The correction has been recorded.", post_when_refused=True,
)


def _require_records(user) -> None:
    if not access.can_see_child_records(user):
        raise Http404("No records")


OVERVIEW_LAS_ACROSS = 8  # up to this many LAs, the overview has a column per LA (it fits a 1280 px window)


def overview(request):
    """Aggregate figures only: children by stage for each LA the user may see. No names, no records."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    las = list(access.las_visible_to(user))
    table = selectors.stage_counts_by_la(las)
    stages = [s for s in rules.STAGE_ORDER if s is not rules.Stage.NEW]
    rows = [{"la": la, "cells": [table[la.pk].get(s.value, 0) for s in stages],
             "total": sum(table[la.pk].values())} for la in las]
    totals = [sum(r["cells"][i] for r in rows) for i in range(len(stages))]
    # An RAA's few LAs go across, its stages down, so the table fits the page; many LAs go down instead.
    stage_rows = [{"label": rules.STAGE_LABELS[s], "cells": [r["cells"][i] for r in rows], "total": totals[i]}
                  for i, s in enumerate(stages)]
    return render(request, "children/overview.html", {
        "stages": [(s.value, rules.STAGE_LABELS[s]) for s in stages], "rows": rows, "totals": totals,
        "grand_total": sum(totals), "las_across": len(las) <= OVERVIEW_LAS_ACROSS, "stage_rows": stage_rows,
    })


def caseload(request):
    user = request.user
    if not access.can_see_child_records(user):
        if access.can_see_aggregates(user):
            return redirect("overview")
        if access.can_administer(user):
            return redirect("organisations:policies")
        if access.can_see_blueprint(user) or access.can_see_complaints(user):
            return redirect("complaints:home")  # the quality lead and the complaints officer: the quality tools
        return render(request, "children/no_access.html", status=200)
    today = services.today()
    order = sorting.sorting_for(request, selectors.LIST_SORTS, default="next_due")
    qs = selectors.children_list(user, selectors.ChildFilters(mine=True), today).order_by(*order.order_by)
    children = list(qs[:200])
    overdue = [c for c in children if c.next_due_date and c.next_due_date < today]
    listing.log(request, len(children), filters={"mine": True})
    return render(request, "children/caseload.html", {
        "can_export": access.can_export(user),
        "children": children, "overdue_count": len(overdue), "total": qs.count(), "today": today,
        "stage_counts": selectors.stage_counts(qs), "sorting": order,
    })


def _list_filters(request) -> tuple[ChildSearchForm, selectors.ChildFilters]:
    """The list page's filters from the query string (shared by the page and its exports)."""
    las = list(access.las_visible_to(request.user))
    form = ChildSearchForm(request.GET or None, las=las)
    filters = selectors.ChildFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.ChildFilters(q=d["q"], la=d["la"], stage=d["stage"], holder=d["holder"],
                                         priority=d["priority"], overdue=d["overdue"], mine=d["mine"])
    return form, filters


def _list_order(request) -> sorting.Sorting:
    """The children list's order from its query string: the page's and its downloads'."""
    return sorting.sorting_for(request, selectors.LIST_SORTS, default="child")


def child_list(request):
    user = request.user
    _require_records(user)
    today = services.today()
    form, filters = _list_filters(request)
    order = _list_order(request)
    qs = selectors.children_list(user, filters, today).order_by(*order.order_by)
    page = listing.paginate(request, qs, PAGE_SIZE)
    return render(request, "children/list.html", {
        "form": form, "page_obj": page, "children": page.object_list, "today": today, "filters": filters,
        "stage_labels": rules.STAGE_LABELS, "can_add": user.role in access.CHILD_CREATE_ROLES,
        "can_export": access.can_export(user), "export_query": listing.query_without_page(request), "sorting": order,
    })


# The columns of the children list export: what the list page shows, plus the dates behind it.
CHILD_EXPORT_COLUMNS = [
    exports.Column("Reference", lambda c: c.reference),
    exports.Column("LA code", lambda c: c.la.code),
    exports.Column("LA", lambda c: c.la.name),
    exports.Column("LA child ID", lambda c: c.la_child_id),
    exports.Column("First name", lambda c: c.first_name),
    exports.Column("Last name", lambda c: c.last_name),
    exports.Column("Date of birth", lambda c: c.date_of_birth),
    exports.Column("Expected date of birth", lambda c: c.expected_date_of_birth),
    exports.Column("Sex", lambda c: c.get_sex_display()),
    exports.Column("Ethnicity", lambda c: c.ethnicity),
    exports.Column("Disability", lambda c: c.has_disability),
    exports.Column("Stage", lambda c: c.stage_label),
    exports.Column("Case holder", lambda c: c.case_holder.name if c.case_holder else ""),
    exports.Column("Entered care", lambda c: c.entered_care_date),
    exports.Column("Placement order", lambda c: c.po_date),
    exports.Column("Next action", lambda c: c.next_due_label),
    exports.Column("Next action due", lambda c: c.next_due_date),
    exports.Column("Last event", lambda c: c.last_event_date),
    exports.Column("LA social worker", lambda c: str(c.la_social_worker) if c.la_social_worker else ""),
    exports.Column("Family finder", lambda c: str(c.family_finder) if c.family_finder else ""),
]


def child_list_export(request, fmt: str):
    """The list page, with the same filters and order, as CSV or XLSX. Needs access.can_export; logged as an export."""
    user = request.user
    if not access.can_export(user):
        raise Http404("No export")
    _form, filters = _list_filters(request)
    order = _list_order(request)  # the page's order
    qs = selectors.children_list(user, filters, services.today()).order_by(*order.order_by)
    return exports.export_response(request, rows=qs, columns=CHILD_EXPORT_COLUMNS, what="children.list", fmt=fmt,
                                   filename="children", filters=asdict(filters))


def _early_permanence(user, state: rules.JourneyState) -> dict | None:
    """The early permanence placement as the child's page says it: its type and carers, its household (by name and
    linked for those who see the household, by reference for the rest) and whether it is in force, ended or
    converted into the adoptive placement."""
    if state.early_permanence is None:
        return None
    household, url = None, None
    if state.ep_household:
        from permanence.children.forms import household_reference

        household = household_reference(state.ep_household)
        if state.ep_household.isdigit() and int(state.ep_household) in access.households_named_for(
                user, [int(state.ep_household)]):
            from permanence.adopters.models import Household

            h = Household.objects.only("name").get(pk=int(state.ep_household))
            household, url = f"{h.name} ({household})", reverse("adopters:household-detail", args=[h.pk])
    if state.ep_converted:
        status = "converted"
    elif state.ep_ended:
        status = "ended"
    else:
        status = "in_force"
    return {"start": state.early_permanence, "status": status, "converted": state.ep_converted,
            "ended": state.ep_ended, "end_reason": rules.EP_END_LABELS.get(state.ep_end_reason or "", ""),
            "type": rules.EARLY_PERMANENCE_TYPES.get(state.early_permanence_type or "", ""),
            "household": household, "household_url": url}


def complaint_link(user, child):
    from permanence.complaints.about import complaint_link

    return complaint_link(user, child)


def _reviewed_disruptions(child) -> set:
    from permanence.disruptions import selectors as disruption_selectors

    return disruption_selectors.reviewed_disruption_dates(child)


def child_detail(request, pk: int):
    user = request.user
    child = access.get_child_for(user, pk)
    today = services.today()
    page = selectors.child_page(child, today)
    audit.record_view(viewer=user, instance=child, path=request.path, child_id=child.pk)
    side = access.side_of(user)
    kinds = rules.kinds_recordable(user.role, side, page.policy, page.state)
    recordable = journey_views.record_links(PAGES, child, kinds)
    holder_names = {rules.LA: child.la.name, rules.RAA: child.la.raa.name if child.la.raa else "RAA", None: "Case closed"}
    periods = [{"start": p.start, "end": p.end, "holder": holder_names[p.side], "reason": p.reason}
               for p in page.periods]
    return render(request, "children/detail.html", {
        **PAGES.context(child), "page": page, "today": today, "recordable": recordable, "periods": periods,
        "timeline": journey_views.timeline(PAGES, child, reversed(page.events)),
        "can_view_audit": access.can_view_audit(user, child), "stage_label": rules.STAGE_LABELS[page.state.stage],
        "needs": child.needs.select_related("category"),
        "due": [{"label": a.label, "due": a.due, "start": a.start, "overdue": a.overdue_on(today),
                 "days_left": a.days_left(today), "days_overdue": -a.days_left(today), "rule": a.rule,
                 "do": journey_views.do_link(PAGES, child, a, kinds)}
                for a in page.due],
        "surgery_actions": home_tasks.record_actions(user, child=child),
        "can_edit": user.role in access.CHILD_CREATE_ROLES, "can_export": access.can_export(user),
        "can_export_subject_access": access.can_export_subject_access_of(user, "children", child),
        "can_see_health": access.can_see_health_details(user),
        "early_permanence": _early_permanence(user, page.state),
        "learning_reviews": rules.learning_review_prompts(page.state, _reviewed_disruptions(child)),
        "can_see_contact": access.can_see_contact_of(user, child),
        "complaint_link": complaint_link(user, child),
        "case_audits": access.child_audits_for(user, child),  # case-file audits (issue 13)
        "placement": {"apr": page.state.apr_date, "plan": page.state.placement_plan_date,
                      "reviews": page.state.placement_reviews} if page.state.placed_date or page.state.match_date
        or page.state.apr_date else None,
    })


@require_http_methods(["GET", "POST"])
def child_create(request):
    user = request.user
    _require_records(user)
    las = access.las_visible_to(user)
    if user.role not in access.CHILD_CREATE_ROLES:
        raise Http404("Not allowed")
    form = ChildForm(request.POST or None, las=las, health_details=access.can_see_health_details(user))
    if request.method == "POST" and form.is_valid():
        try:
            child = services.create_child(actor=user, la=form.cleaned_data["la"], needs=form.need_levels(),
                                          **form.child_values())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"{child.full_name} has been added.")
            return redirect("children:detail", pk=child.pk)
    return render(request, "children/form.html", {"form": form, "title": "Add a child"})


@require_http_methods(["GET", "POST"])
def child_edit(request, pk: int):
    user = request.user
    child = access.get_child_for(user, pk)
    audit.viewed(request, child)  # the page shows the record: a view (issue 15)
    if user.role not in access.CHILD_CREATE_ROLES:
        raise Http404("Not allowed")
    las = access.las_visible_to(user)
    form = ChildForm(request.POST or None, instance=child, las=las,
                     health_details=access.can_see_health_details(user))
    if request.method == "POST" and form.is_valid():
        child = Child.objects.get(pk=child.pk)  # the form mutated the instance while parsing
        try:
            with form.saving():
                services.update_child(actor=user, child=child, **form.child_values())
                services.set_needs(actor=user, child=child, levels=form.need_levels())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The child's details have been updated.")
            return redirect("children:detail", pk=child.pk)
    return render(request, "children/form.html", {"form": form, "title": f"Change {child.full_name}'s details",
                                                  "child": child})


def child_pdf(request, pk: int):
    """The child's whole record as a PDF. Needs access.can_export_child; logged as an export."""
    user = request.user
    child = access.get_child_for(user, pk)
    if not access.can_export_child(user, child):
        raise Http404("No export")
    today = services.today()
    page = selectors.child_page(child, today)
    holder_names = {rules.LA: child.la.name, rules.RAA: child.la.raa.name if child.la.raa else "RAA", None: "Case closed"}
    exports.log_export(user=user, what="children.record", fmt="pdf", row_count=1, instance=child, child_id=child.pk,
                       path=request.get_full_path())
    return pdf.pdf_response(request, "children/record_pdf.html", {
        "child": child, "page": page, "today": today, "stage_label": rules.STAGE_LABELS[page.state.stage],
        "periods": [{"start": p.start, "end": p.end, "holder": holder_names[p.side], "reason": p.reason}
                    for p in page.periods],
        "needs": child.needs.select_related("category"), "can_see_health": access.can_see_health_details(user),
        "due": [{"label": a.label, "due": a.due, "overdue": a.overdue_on(today), "rule": a.rule} for a in page.due],
    }, filename=child.reference)


def child_audit(request, pk: int):
    user = request.user
    child = access.get_child_for(user, pk)
    audit.viewed(request, child)  # the page shows the record: a view (issue 15)
    if not access.can_view_audit(user, child):
        raise Http404("No audit trail")
    changes = AuditEvent.objects.filter(child_id=child.pk).select_related("actor")[:500]
    views = RecordView.objects.filter(child_id=child.pk).select_related("viewer", "viewer__organisation")[:200]
    return render(request, "children/audit.html", {"child": child, "changes": changes, "views": views})

