"""Pages for adoption panels and their items – approvals of adopters and matches of children with approved
adopters – and for the agency decision maker's match decisions: parse the request, reach records through
access, call a service, render. Which words an item uses, the papers it needs and when its decision is due come
from adopters.panel_rules; the agenda is selectors.agenda."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.adopters import forms as f
from permanence.adopters import panel_rules, selectors, services
from permanence.adopters.models import PanelItem
from permanence.adopters.views import _require, _require_records
from permanence.children import rules as child_rules
from permanence.core import audit, exports, listing, pdf
from permanence.core.forms import show_service_errors


def _with_counts(qs):
    live = Q(items__withdrawn=False)
    return qs.annotate(booked=Count("items", filter=live),
                       approvals=Count("items", filter=live & Q(items__kind=PanelItem.Kind.APPROVAL)),
                       matches=Count("items", filter=live & Q(items__kind=PanelItem.Kind.MATCH)))


PAST_PER_PAGE = 24


def panel_list(request):
    user = request.user
    _require_records(user)
    today = services.today()
    qs = _with_counts(access.panels_visible_to(user))
    upcoming = list(qs.filter(date__gte=today).order_by("date", "pk"))
    # Past panels, the latest first, PAST_PER_PAGE a page (every one reachable, not only the latest).
    past = Paginator(qs.filter(date__lt=today).order_by("-date", "-pk"), PAST_PER_PAGE).get_page(
        request.GET.get("page"))
    listing.log(request, len(upcoming) + past.paginator.count)
    return render(request, "adopters/panel_list.html", {
        "upcoming": upcoming, "past": past, "today": today, "can_add": access.can_run_panels(user),
        "can_export": access.can_export(user),
    })


PANEL_COLUMNS = [
    exports.Column("Date", lambda p: p.date),
    exports.Column("Items booked", lambda p: p.booked),
    exports.Column("Approvals", lambda p: p.approvals),
    exports.Column("Matches", lambda p: p.matches),
    exports.Column("Capacity", lambda p: p.capacity),
    exports.Column("Papers due", lambda p: p.papers_due),
    exports.Column("Chair", lambda p: p.chair),
]


def panel_export(request, fmt: str):
    """Every panel (newest first) as CSV or XLSX. Needs access.can_export; logged."""
    user = request.user
    _require_records(user)
    if not access.can_export(user):
        raise Http404("No export")
    qs = _with_counts(access.panels_visible_to(user)).order_by("-date")
    return exports.export_response(request, rows=qs, columns=PANEL_COLUMNS, what="panels.list", fmt=fmt,
                                   filename="panels")


@require_http_methods(["GET", "POST"])
def panel_create(request):
    user = request.user
    _require(access.can_run_panels(user))
    form = f.PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.create_panel(actor=user, raa=user.organisation, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The panel on {panel.date.day} {panel.date:%B %Y} has been added.")
            return redirect("adopters:panel-detail", pk=panel.pk)
    return render(request, "adopters/form.html", {
        "form": form, "title": "Add a panel", "back": reverse("adopters:panel-list"), "submit": "Add the panel",
    })


def _panel_context(user, panel):
    today = services.today()
    rows = selectors.agenda(panel, today)
    return {"panel": panel, "rows": rows, "booked": len(rows), "today": today,
            "full": len(rows) >= panel.capacity, "can_run": access.can_run_panels(user),
            "can_book": access.can_book_panel_items(user), "can_book_match": access.can_book_match_items(user),
            "can_decide": access.can_record_adm_decision(user), "can_export": access.can_export(user),
            "papers_due_passed": panel.papers_due is not None and panel.papers_due < today}


def panel_detail(request, pk: int):
    user = request.user
    panel = access.get_panel_for(user, pk)
    audit.viewed(request, panel)  # the page shows the record: a view (issue 15)
    return render(request, "adopters/panel_detail.html", _panel_context(user, panel))


def panel_print(request, pk: int):
    user = request.user
    panel = access.get_panel_for(user, pk)
    context = _panel_context(user, panel)
    # The printed agenda lists the households and children on the panel: logged like any list (issue 15).
    audit.record_list(viewer=user, what="panels.agenda-print", path=request.path, row_count=len(context["rows"]),
                      instance=panel)
    return render(request, "adopters/panel_print.html", context)


def panel_pdf(request, pk: int):
    """The agenda as a PDF, for the panel members' papers. Needs access.can_export; logged as an export."""
    user = request.user
    panel = access.get_panel_for(user, pk)
    if not access.can_export(user):
        raise Http404("No export")
    context = _panel_context(user, panel)
    exports.log_export(user=user, what="panels.agenda", fmt="pdf", row_count=len(context["rows"]), instance=panel,
                       path=request.get_full_path())
    return pdf.pdf_response(request, "adopters/panel_pdf.html", context, filename=f"panel-{panel.date:%Y-%m-%d}")


@require_http_methods(["GET", "POST"])
def panel_book(request, pk: int):
    """Book a household's approval."""
    user = request.user
    panel = access.get_panel_for(user, pk)
    audit.viewed(request, panel)  # the page shows the record: a view (issue 15)
    _require(access.can_book_panel_items(user))
    households = selectors.bookable_for_approval(access.households_visible_to(user))
    form = f.BookingForm(request.POST or None, households=households, panel=panel, today=services.today())
    if request.method == "POST" and form.is_valid():
        try:
            services.book_item(actor=user, panel=panel, household=form.cleaned_data["household"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"{form.cleaned_data['household'].name} has been booked on this panel.")
            return redirect("adopters:panel-detail", pk=panel.pk)
    return render(request, "adopters/panel_book.html", {"form": form, "panel": panel,
                                                        "any": households.exists()})


@require_http_methods(["GET", "POST"])
def panel_book_match(request, pk: int):
    """Book a match: a child (or a sibling group placed together) the user may see, with one of the RAA's
    approved households waiting to be matched."""
    user = request.user
    panel = access.get_panel_for(user, pk)
    audit.viewed(request, panel)  # the page shows the record: a view (issue 15)
    _require(access.can_book_match_items(user))
    subjects = selectors.matchable_subjects(access.children_visible_to(user))
    households = selectors.matchable_households(access.households_visible_to(user))
    form = f.MatchBookingForm(request.POST or None, subjects=subjects, households=households, panel=panel,
                              today=services.today())
    if request.method == "POST" and form.is_valid():
        try:
            item = services.book_match_item(actor=user, panel=panel, children=form.children(),
                                            household=form.cleaned_data["household"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The match of {_names(item)} with {item.household.name} has been booked on "
                                      "this panel.")
            return redirect("adopters:panel-detail", pk=panel.pk)
    return render(request, "adopters/panel_book_match.html", {
        "form": form, "panel": panel, "has_subjects": bool(subjects), "has_households": households.exists(),
        "met": panel.date < services.today(),
    })


def _names(item: PanelItem) -> str:
    names = [c.full_name for c in item.children.order_by("pk")]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else (names[0] if names else "")


def _item(request, pk: int, item_pk: int):
    user = request.user
    panel = access.get_panel_for(user, pk)
    item = access.get_panel_item_for(user, panel, item_pk)
    return user, panel, item


def _agenda_row(panel, item):
    return next(r for r in selectors.agenda(panel, services.today()) if r.item.pk == item.pk)


def item_detail(request, pk: int, item_pk: int):
    """One item: who it is about, its papers, the members' views, the recommendation and the decision."""
    user, panel, item = _item(request, pk, item_pk)
    if item.withdrawn:
        raise Http404("Withdrawn")
    return render(request, "adopters/item_detail.html", {
        "panel": panel, "row": _agenda_row(panel, item), "item": item, "today": services.today(),
        "can_run": access.can_run_panels(user), "can_decide": access.can_record_adm_decision(user),
        "show_household": True,
    })


def _item_form(request, panel, item, *, form, title: str, submit: str, save, success: str, template=None,
               extra=None):
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, success)
            return redirect("adopters:item-detail", pk=panel.pk, item_pk=item.pk)
    return render(request, template or "adopters/form.html", {
        "form": form, "title": title, "caption": f"{panel} · {item}", "item": item, "panel": panel,
        "back": reverse("adopters:item-detail", args=[panel.pk, item.pk]), "submit": submit, **(extra or {}),
    })


@require_http_methods(["GET", "POST"])
def item_papers(request, pk: int, item_pk: int):
    user, panel, item = _item(request, pk, item_pk)
    _require(access.can_run_panels(user))
    if item.is_match:
        form = f.MatchPapersForm(request.POST or None, received=selectors.papers_received(item))
        received = form.received
    else:
        form = f.PapersForm(request.POST or None, initial={"on": item.papers_received_on or services.today()})
        received = lambda: {"par": form.cleaned_data["on"]}  # noqa: E731
    return _item_form(request, panel, item, form=form, title="Record the papers received", submit="Save",
                      save=lambda form: services.record_papers(actor=user, item=item, received=received()),
                      success="The papers received have been recorded.")


@require_http_methods(["GET", "POST"])
def item_member_view(request, pk: int, item_pk: int):
    user, panel, item = _item(request, pk, item_pk)
    _require(access.can_run_panels(user))
    form = f.MemberViewForm(request.POST or None)
    return _item_form(request, panel, item, form=form, title="Record a panel member's view",
                      submit="Save the view",
                      save=lambda form: services.record_member_view(actor=user, item=item, **form.cleaned_data),
                      success="The panel member's view has been recorded.",
                      template="adopters/item_member_view.html",
                      extra={"views": list(item.member_views.all())})


@require_http_methods(["GET", "POST"])
def item_recommendation(request, pk: int, item_pk: int):
    user, panel, item = _item(request, pk, item_pk)
    _require(access.can_run_panels(user))
    form = f.RecommendationForm(request.POST or None, item=item)
    return _item_form(request, panel, item, form=form, title="Record the panel's recommendation",
                      submit="Record the recommendation",
                      save=lambda form: services.record_recommendation(actor=user, item=item, **form.cleaned_data),
                      success="The panel's recommendation has been recorded.",
                      template="adopters/item_recommendation.html",
                      extra={"row": _agenda_row(panel, item)})


@require_http_methods(["GET", "POST"])
def item_decision(request, pk: int, item_pk: int):
    """The agency decision on an approval (a match's is recorded on the match decision page, which the ADM of
    the side the LA's policy names reaches)."""
    user, panel, item = _item(request, pk, item_pk)
    _require(access.can_record_adm_decision(user))
    if item.is_match:
        return redirect("adopters:match-decision", item_pk=item.pk)
    form = f.DecisionForm(request.POST or None, item=item, initial={"on": services.today()})
    return _item_form(request, panel, item, form=form, title=item.wording["decision_title"],
                      submit="Record the decision",
                      save=lambda form: services.record_decision(actor=user, item=item, **form.cleaned_data),
                      success=item.wording["decision_recorded"])


# ---------------------------------------------------------------------------------------------
# Match decisions: the ADM of the side the child's LA's policy names (the LA's unless delegated to the RAA)


def _decider(item: PanelItem) -> str:
    """Whose agency decision maker decides this match under the child's LA's policy on the panel's date."""
    la = item.child.la
    if selectors.match_decision_side(item) == child_rules.LA:
        return f"{la.name}'s agency decision maker"
    return f"{la.raa.name}'s agency decision maker (delegated by {la.name})"


def match_decisions(request):
    """The matches awaiting this ADM's decision (and the latest decided), for the children they may see."""
    user = request.user
    _require(access.can_record_match_decision(user))
    today = services.today()
    rows = [{"item": r.item, "due": r.due, "decider": _decider(r.item), "household": _household_label(user, r.item)}
            for r in selectors.match_decisions(access.match_items_for_decision(user), today)]
    awaiting = [r for r in rows if not r["item"].decision]
    decided = sorted((r for r in rows if r["item"].decision), key=lambda r: r["item"].decision_on, reverse=True)
    listing.log(request, len(awaiting) + min(len(decided), 20))
    return render(request, "adopters/match_decisions.html", {
        "awaiting": awaiting, "decided": decided[:20], "today": today,
    })


def _household_label(user, item: PanelItem) -> str:
    """The household by name for the RAA's staff; by its reference only for an LA's (anonymised)."""
    if item.household is None:
        return ""
    if access.sees_household(user, item.household):
        return f"{item.household.name} ({item.household.reference})"
    return f"Prospective adopters {item.household.reference}"


@require_http_methods(["GET", "POST"])
def match_decision(request, item_pk: int):
    user = request.user
    item = access.get_match_item_for_decision(user, item_pk)
    _require(access.can_record_match_decision(user))
    audit.viewed(request, item)  # the match's children and household (issue 15)
    row = _agenda_row(item.panel, item)
    form = f.DecisionForm(request.POST or None, item=item, initial={"on": services.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(actor=user, item=item, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, item.wording["decision_recorded"])
            return redirect("adopters:match-decision", item_pk=item.pk)
    return render(request, "adopters/match_decision.html", {
        "form": form, "item": item, "row": row, "panel": item.panel, "decider": _decider(item),
        "household": _household_label(user, item), "today": services.today(),
        "show_household": access.sees_household(user, item.household),
        "can_record": not item.decision and panel_rules.goes_to_decision(item.recommendation),
    })
