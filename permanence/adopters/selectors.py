"""Reads across adopters' rows.

The rows permanence.access needs (an RAA's households, enquiries and panels, and the events and items of
those) and the pipeline's filters, shared by the pages, their exports and the API. Which rows a user may see is
access's decision: ask it (households_visible_to, get_household_for …) and pass what it gives to these.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from permanence.adopters import rules
from permanence.adopters.models import Applicant, Enquiry, Household, HouseholdEvent, Panel, PanelItem
from permanence.organisations.models import Organisation


def households_of(raa: Organisation | None) -> QuerySet[Household]:
    """The RAA's households; none for None."""
    return Household.objects.none() if raa is None else Household.objects.filter(raa=raa)


def enquiries_of(raa: Organisation | None) -> QuerySet[Enquiry]:
    return Enquiry.objects.none() if raa is None else Enquiry.objects.filter(raa=raa)


def panels_of(raa: Organisation | None) -> QuerySet[Panel]:
    return Panel.objects.none() if raa is None else Panel.objects.filter(raa=raa)


def household_events_of(household: Household) -> QuerySet[HouseholdEvent]:
    """Every event of this household's journey, corrected ones included."""
    return HouseholdEvent.objects.filter(household=household)


def panel_items_of(panel: Panel) -> QuerySet[PanelItem]:
    return PanelItem.objects.filter(panel=panel)


# ---------------------------------------------------------------------------------------------
# The pipeline: one set of filters for the page, its export and the API (the caller passes the households the
# user may see, from access.households_visible_to)


def snapshot_rag(household: Household, today: date) -> str | None:
    """The household's status from its snapshot: 'paused' while paused (its clock is stopped), else the
    red/amber/green of its next due action (rules.DueAction.status), or None when nothing is due."""
    if household.paused:
        return "paused"
    if not household.next_due_date:
        return None
    due = household.next_due_date
    return _due(household.next_due_label, due, household.next_due_allowed_days or 1).rag(today)


def _due(label: str, due: date, allowed: int) -> rules.DueAction:
    return rules.DueAction(key="", label=label, due=due, start=due, rule="", allowed_days=allowed)


def amber_days(allowed: int, today: date) -> int:
    """How many days ahead a due date is still amber for a timescale of `allowed` days (from DueAction.rag)."""
    n = 0
    while _due("", today + timedelta(days=n + 1), allowed).rag(today) == "amber":
        n += 1
    return n


def filter_by_rag(qs: QuerySet[Household], rag: str, today: date) -> QuerySet[Household]:
    not_paused = Q(paused=False)
    if rag == "paused":
        return qs.filter(paused=True)
    if rag == "none":
        return qs.filter(not_paused, next_due_date__isnull=True)
    amber = Q(pk__in=[])
    for allowed in set(qs.values_list("next_due_allowed_days", flat=True).distinct()):
        last = today + timedelta(days=amber_days(allowed or 1, today))
        amber |= Q(next_due_allowed_days=allowed, next_due_date__gte=today, next_due_date__lte=last)
    if rag == "red":
        return qs.filter(not_paused, next_due_date__lt=today)
    if rag == "amber":
        return qs.filter(not_paused).filter(amber)
    if rag == "green":
        return qs.filter(not_paused, next_due_date__gte=today).exclude(amber)
    return qs


def pipeline(visible: QuerySet[Household], *, today: date, include_closed: bool = False, q: str = "",
             worker=None, fast_track: bool = False, rag: str | None = None) -> QuerySet[Household]:
    """The pipeline's households before the stage filter: open ones (closed too with include_closed), matching
    a name, an applicant's name or a reference (H123), a worker (or 'none'), fast track and a status."""
    qs = visible if include_closed else visible.filter(stage__in=[s.value for s in rules.OPEN_STAGES])
    if q := (q or "").strip():
        match = Q(name__icontains=q) | Exists(Applicant.objects.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q), household=OuterRef("pk")))
        ref = q.upper().removeprefix("H")
        if ref.isdecimal() and len(ref) <= 18:
            match |= Q(pk=int(ref))
        qs = qs.filter(match)
    if worker == "none":
        qs = qs.filter(assessing_social_worker__isnull=True)
    elif worker:
        qs = qs.filter(assessing_social_worker_id=int(worker))
    if fast_track:
        qs = qs.filter(Q(previous_adopters=True) | Q(approved_foster_carers=True))
    if rag:
        qs = filter_by_rag(qs, rag, today)
    return qs


def in_pipeline_order(qs: QuerySet[Household]) -> QuerySet[Household]:
    return (qs.select_related("raa", "assessing_social_worker").prefetch_related("applicants")
            .order_by("next_due_date", "name", "pk"))
