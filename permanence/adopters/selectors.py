"""Reads across adopters' rows.

The rows permanence.access needs (an RAA's households, enquiries and panels, and the events and items of
those) and the pipeline's filters, shared by the pages, their exports and the API. Which rows a user may see is
access's decision: ask it (households_visible_to, get_household_for …) and pass what it gives to these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from permanence.adopters import panel_rules, rules
from permanence.adopters.models import Applicant, Enquiry, Household, HouseholdEvent, Panel, PanelItem
from permanence.core import search, sorting
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


def match_items_of_children(children: QuerySet | None) -> QuerySet[PanelItem]:
    """Match items (withdrawn ones left out) whose children are among `children`; none for None."""
    if children is None:
        return PanelItem.objects.none()
    return PanelItem.objects.filter(kind=PanelItem.Kind.MATCH, withdrawn=False, child__in=children)


# ---------------------------------------------------------------------------------------------
# Early permanence: the households a child's early permanence placement may name

# Approved adopters (waiting, or matched with another child: a household may take a second placement).
EARLY_PERMANENCE_STAGES = (rules.Stage.APPROVED.value, rules.Stage.MATCHED.value)


def early_permanence_households(raa: Organisation | None) -> QuerySet[Household]:
    """The RAA's households approved as both adopters and foster carers: those who can take a Fostering for Adoption
    or concurrent planning placement (the matching engine's early permanence rule reads the same field). None for
    None."""
    return households_of(raa).filter(stage__in=EARLY_PERMANENCE_STAGES, approved_foster_carers=True)


def early_permanence_refusal(raa: Organisation | None, household_id) -> str | None:
    """Why this household cannot be named as a child's early permanence carers (None if it can). The messages name
    the household by its reference only: the child's LA sees households anonymised."""
    try:
        pk = int(str(household_id))
    except ValueError:
        return "Choose a household from the list."
    household = Household.objects.filter(pk=pk).first()
    ref = f"{Household.reference_letter}{pk:06d}"
    if household is None or raa is None or household.raa_id != raa.pk:
        return f"Household {ref} is not one of {raa.name if raa else 'the RAA'}'s households."
    if household.stage not in EARLY_PERMANENCE_STAGES:
        return (f"Household {ref} is not approved as adopters (its stage is “"
                f"{rules.STAGE_LABELS[rules.Stage(household.stage)].lower()}”).")
    if not household.approved_foster_carers:
        return (f"Household {ref} is not approved for early permanence: early permanence carers are approved as "
                "both foster carers and adopters, and this household is not approved as foster carers.")
    return None


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


def _household_word(word: str, close: bool = False, in_scope: list[int] | None = None) -> Q:
    named = search.holds("first_name", word, close=close) | search.holds("last_name", word, close=close)
    if in_scope is not None:  # the applicants of the households searched, looked up by their ids
        applicants = Applicant.objects.filter(named, household_id__in=in_scope).values_list("household_id", flat=True)
        match = search.holds("name", word, close=close) | Q(pk__in=list(applicants))
    else:
        match = search.holds("name", word, close=close) | Exists(Applicant.objects.filter(named,
                                                                                          household=OuterRef("pk")))
    if (pk := search.reference(word, "H")) is not None:
        match |= Q(pk=pk)
    elif word.isdecimal() and len(word) <= 12:
        match |= Q(pk=int(word))
    return match


SEARCH = search.Fields(_household_word, scoped=True)


def search_q(text: str, within: QuerySet[Household] | None = None) -> Q:
    """Households matching every word: the household's name, any applicant's first or last name (any part, or
    on PostgreSQL a close spelling), or its reference (H000123); `within`: the households searched (their
    applicants are then looked up by id)."""
    return SEARCH.q(text, close=True, in_scope=SEARCH.ids_of(within) if within is not None else None)


def pipeline(visible: QuerySet[Household], *, today: date, include_closed: bool = False, q: str = "",
             worker=None, fast_track: bool = False, rag: str | None = None) -> QuerySet[Household]:
    """The pipeline's households before the stage filter: open ones (closed too with include_closed), matching
    a name, an applicant's name or a reference (H123), a worker (or 'none'), fast track and a status."""
    qs = visible if include_closed else visible.filter(stage__in=[s.value for s in rules.OPEN_STAGES])
    if (q or "").strip():
        qs = qs.filter(search_q(q, within=qs))
    if worker == "none":
        qs = qs.filter(assessing_social_worker__isnull=True)
    elif worker:
        qs = qs.filter(assessing_social_worker_id=int(worker))
    if fast_track:
        qs = qs.filter(Q(previous_adopters=True) | Q(approved_foster_carers=True))
    if rag:
        qs = filter_by_rag(qs, rag, today)
    return qs


# The pipeline's columns by sort key (permanence.core.sorting): "next_due" ascending is the pipeline's own order.
PIPELINE_SORTS = {
    "household": ("name",),
    "stage": (sorting.rank("stage", list(rules.STAGE_LABELS)),),
    "next_due": ("next_due_date", "name"),
    "target_panel": ("target_panel_date",),
    "worker": ("assessing_social_worker__last_name", "assessing_social_worker__first_name"),
}


def in_pipeline_order(qs: QuerySet[Household]) -> QuerySet[Household]:
    return (qs.select_related("raa", "assessing_social_worker").prefetch_related("applicants")
            .order_by(F("next_due_date").asc(nulls_last=True), "name", "pk"))


# ---------------------------------------------------------------------------------------------
# Panels: what can be booked for a match, and the agenda (the caller passes the rows the user may see)


def open_match_items() -> QuerySet[PanelItem]:
    """Match items still in hand: booked, not withdrawn, not decided, and not deferred to another panel."""
    return (PanelItem.objects.filter(kind=PanelItem.Kind.MATCH, withdrawn=False, decision="")
            .exclude(recommendation=panel_rules.DEFERRED))


def matchable_households(visible: QuerySet[Household]) -> QuerySet[Household]:
    """Approved households waiting to be matched and not already booked for a match: the longest waiting
    first."""
    booked = open_match_items().filter(household=OuterRef("pk"))
    return (visible.filter(stage=rules.Stage.APPROVED.value).exclude(Exists(booked))
            .order_by("approved_on", "name", "pk"))


@dataclass(frozen=True)
class MatchSubject:
    """Who a match can be for: one child, or a sibling group placed together (`key` is the form's value)."""

    key: str
    label: str
    children: tuple


def matchable_subjects(visible_children: QuerySet) -> list[MatchSubject]:
    """The children a match can be booked for (should be placed, or holding a placement order, not matched,
    not already booked for a match): each child on its own, and each sibling group to be placed together as
    one, with all its children waiting."""
    from permanence.children.models import SiblingGroup

    booked = open_match_items().filter(children=OuterRef("pk"))
    waiting = list(visible_children.filter(stage__in=[s.value for s in panel_rules.MATCHABLE_CHILD_STAGES])
                   .exclude(Exists(booked)).select_related("la", "sibling_group")
                   .order_by("last_name", "first_name", "pk"))
    together = {c.sibling_group_id for c in waiting
                if c.sibling_group_id and c.sibling_group.plan == SiblingGroup.Plan.TOGETHER}
    by_group: dict[int, list] = {}
    subjects = []
    for c in waiting:
        if c.sibling_group_id in together:
            by_group.setdefault(c.sibling_group_id, []).append(c)
        else:
            subjects.append(MatchSubject(f"child-{c.pk}", f"{c.full_name} ({c.reference}, {c.la.name}) – "
                                                           f"{c.stage_label}", (c,)))
    sizes = dict(visible_children.filter(sibling_group__in=by_group).values_list("sibling_group")
                 .annotate(n=Count("pk")).order_by())
    for group_id, members in by_group.items():
        if len(members) != sizes.get(group_id):
            continue  # some of the group cannot be matched yet: the group waits until all of them can
        names = ", ".join(c.first_name for c in members)
        subjects.append(MatchSubject(f"group-{group_id}", f"{members[0].sibling_group.name}: {names} "
                                                          f"({members[0].la.name}), placed together", tuple(members)))
    return sorted(subjects, key=lambda s: s.label)


def papers_received(item: PanelItem) -> dict[str, date | None]:
    """The date each of the item's papers arrived: a match's APR, CPR and PAR one by one; an approval's papers
    (its prospective adopter's report) together."""
    if item.kind == PanelItem.Kind.APPROVAL:
        return {"par": item.papers_received_on}
    return {p.paper: p.received_on for p in item.papers.all()}


def decision_timescale(kind: str, panel_date: date):
    """The timescale in force on the panel's date for the ADM's decision after it, or None."""
    from permanence.timescales.selectors import timescales_in_force

    subject, key = panel_rules.DECISION_TIMESCALE[kind]
    return next((t for t in timescales_in_force(panel_date, subject) if t.key == key), None)


@dataclass(frozen=True)
class AgendaItem:
    """One item of the agenda as the pages, the print and the PDF show it."""

    number: int
    item: PanelItem
    children: list
    papers: list[panel_rules.PaperStatus]
    views: list
    decision_due: panel_rules.DecisionDue | None

    @property
    def papers_missing(self) -> int:
        return sum(p.status in ("missing", "awaited") for p in self.papers)

    @property
    def papers_late(self) -> int:
        return sum(p.status == "late" for p in self.papers)

    @property
    def view_counts(self) -> list[tuple[str, int]]:
        counts = {v: 0 for v in panel_rules.MEMBER_VIEWS}
        for v in self.views:
            counts[v.view] += 1
        return [(panel_rules.MEMBER_VIEWS[v], n) for v, n in counts.items() if n]


def agenda(panel: Panel, today: date) -> list[AgendaItem]:
    """The panel's items (withdrawn ones left out) with their papers against the papers due date, the members'
    views and the ADM decision's due date under the timescale in force."""
    items = list(panel.items.filter(withdrawn=False).select_related("household", "child", "child__la")
                 .prefetch_related("papers", "member_views", "children__la").order_by("id"))
    timescales = {kind: decision_timescale(kind, panel.date) for kind in panel_rules.KINDS}
    out = []
    for n, item in enumerate(items, start=1):
        received = papers_received(item)
        due = None
        if panel_rules.goes_to_decision(item.recommendation):
            due = panel_rules.decision_due(panel.date, timescales[item.kind], decided_on=item.decision_on,
                                           today=today)
        out.append(AgendaItem(n, item, sorted(item.children.all(), key=lambda c: c.pk),
                              panel_rules.papers(item.kind, received, panel.papers_due, today),
                              list(item.member_views.all()), due))
    return out


# ---------------------------------------------------------------------------------------------
# Match decisions (the caller passes the match items the ADM may see: access.match_items_for_decision)


def match_decision_side(item: PanelItem) -> str:
    """Which side's agency decision maker decides the match under the child's LA's policy on the panel's date:
    'la' unless the LA delegates the match decision to the RAA."""
    from permanence.children import rules as child_rules
    from permanence.children.services import policies_for

    policy = child_rules.policy_on(policies_for(item.child.la), item.panel.date)
    return (policy or child_rules.PolicyFact(effective_from=item.panel.date)).duty_side("match")


@dataclass(frozen=True)
class MatchDecisionRow:
    item: PanelItem
    due: panel_rules.DecisionDue | None


def match_decisions(items: QuerySet[PanelItem], today: date) -> list[MatchDecisionRow]:
    """The match items the panel recommended on (and those decided), each with its decision's due date under the
    timescale in force on its panel's date, in panel order."""
    return decision_rows(items, today, panel_rules.MATCH)


def decision_rows(items: QuerySet[PanelItem], today: date, kind: str) -> list[MatchDecisionRow]:
    """Items of `kind` (panel_rules.MATCH or APPROVAL) the panel recommended on (and those decided), each with its
    decision's due date under that kind's timescale in force on its panel's date, in panel order."""
    rows, timescales = [], {}
    for item in (items.select_related("panel", "household", "child__la__raa").prefetch_related("children")
                 .order_by("panel__date", "pk")):
        if not item.decision and not panel_rules.goes_to_decision(item.recommendation):
            continue
        day = item.panel.date
        if day not in timescales:
            timescales[day] = decision_timescale(kind, day)
        rows.append(MatchDecisionRow(item, panel_rules.decision_due(day, timescales[day], decided_on=item.decision_on,
                                                                    today=today)))
    return rows


def bookable_for_approval(visible: QuerySet[Household]) -> QuerySet[Household]:
    """Households in stage 2 or awaiting panel, not already booked for approval awaiting a recommendation."""
    booked = PanelItem.objects.filter(household=OuterRef("pk"), kind=PanelItem.Kind.APPROVAL, withdrawn=False,
                                      recommendation="")
    return (visible.filter(stage__in=[rules.Stage.STAGE_2.value, rules.Stage.AWAITING_PANEL.value])
            .exclude(Exists(booked)).order_by("target_panel_date", "name"))
