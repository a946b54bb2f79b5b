"""Reads across child rows: the filtered list, the caseload, the child page's derived facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from permanence import access
from permanence.children import rules
from permanence.children.models import Child, JourneyEvent, PriorityDefinition, SiblingGroup
from permanence.children.services import derive, event_facts, policies_for
from permanence.core import search, sorting
from permanence.organisations.models import Organisation
from permanence.timescales.rules import add_months
from permanence.timescales.selectors import timescales_in_force

LIST_RELATED = ("la", "case_holder", "family_finder", "la_social_worker")


def active_priority_definition() -> rules.PriorityDefinition:
    row = PriorityDefinition.objects.filter(active=True).first()
    return row.as_fact() if row else rules.PriorityDefinition(name="RAA priority children")


def priority_q(definition: rules.PriorityDefinition, today: date) -> Q:
    q = Q(pk__in=[])
    if definition.min_age_years is not None:
        q |= Q(date_of_birth__lte=add_months(today, -12 * definition.min_age_years))
    if definition.bme:
        q |= Q(ethnicity__in=sorted(rules.BME_CODES))
    if definition.sibling_group_min is not None:
        groups = SiblingGroup.objects.annotate(n=Count("children")).filter(n__gte=definition.sibling_group_min)
        q |= Q(sibling_group__in=groups.values("pk"))
    if definition.disability:
        q |= Q(has_disability=True)
    if definition.waiting_months is not None:
        q |= Q(po_date__lte=add_months(today, -definition.waiting_months))
    return q


@dataclass
class ChildFilters:
    q: str = ""
    la: str = ""
    stage: str = ""
    holder: str = ""
    priority: bool = False
    overdue: bool = False
    due_within: int | None = None
    mine: bool = False
    include_closed: bool = False


def _child_word(word: str, close: bool = False) -> Q:
    match = (search.holds("first_name", word, close=close) | search.holds("last_name", word, close=close)
             | Q(la_child_id__iexact=word))
    if (pk := search.reference(word, "P")) is not None:
        match |= Q(pk=pk)
    if (day := search.as_date(word)) is not None:
        match |= Q(date_of_birth=day) | Q(expected_date_of_birth=day)
    return match


SEARCH = search.Fields(_child_word)


def search_q(text: str) -> Q:
    """Children matching every word: a name (any part, or on PostgreSQL a close spelling), the LA's ID, the
    Permanence ID (P000123) or a date of birth (27/3/2024)."""
    return SEARCH.q(text, close=True)


# The children list's and caseload's columns by sort key (permanence.core.sorting): the list's default is "child",
# the caseload's "next_due" (the most urgent first).
LIST_SORTS = {
    "child": ("last_name", "first_name"),
    "la": ("la__name",),
    "stage": (sorting.rank("stage", rules.STAGE_ORDER),),
    "case_holder": ("case_holder__name",),
    "next_due": ("next_due_date",),
}


def children_list(user, filters: ChildFilters, today: date) -> QuerySet[Child]:
    qs = access.children_visible_to(user).select_related(*LIST_RELATED)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.la:
        qs = qs.filter(la__code=filters.la)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    elif not filters.include_closed and not filters.q:
        qs = qs.exclude(stage__in=[s.value for s in rules.CLOSED_STAGES])
    if filters.holder == "la":
        qs = qs.filter(case_holder__kind="la")
    elif filters.holder == "raa":
        qs = qs.filter(case_holder__kind="raa")
    if filters.priority:
        qs = qs.filter(priority_q(active_priority_definition(), today))
    if filters.overdue:
        qs = qs.filter(next_due_date__lt=today)
    if filters.due_within is not None:
        qs = qs.filter(next_due_date__lte=today + timedelta(days=filters.due_within))
    if filters.mine:
        qs = qs.filter(Q(family_finder=user) | Q(la_social_worker=user))
    return qs


def stage_counts(qs: QuerySet[Child]) -> dict[str, int]:
    return dict(qs.order_by().values_list("stage").annotate(n=Count("pk")))


def sibling_size(child: Child) -> int:
    if child.sibling_group_id is None:
        return 1
    return Child.objects.filter(sibling_group_id=child.sibling_group_id).count()


@dataclass
class ChildPage:
    child: Child
    state: rules.JourneyState
    periods: list[rules.HolderPeriod]
    due: list[rules.DueAction]
    events: list
    corrections: list
    priority_reasons: list[str]
    sibling_size: int
    siblings: list
    policy: object
    days_in_care: int | None
    days_since_po: int | None
    age_years: int | None


def child_page(child: Child, today: date) -> ChildPage:
    events = list(child.events.select_related("recorded_by", "corrects").order_by("date", "id"))
    current = [e for e in events if not e.superseded]
    facts = [e.as_fact() for e in current]
    policies = policies_for(child.la)
    derived = derive(facts, policies, child.date_of_birth, timescales_in_force(today))
    siblings = []
    if child.sibling_group_id:
        siblings = list(Child.objects.filter(sibling_group_id=child.sibling_group_id).exclude(pk=child.pk)
                        .only("pk", "first_name", "last_name", "la_id"))
    size = len(siblings) + 1 if child.sibling_group_id else 1
    facts_for_priority = rules.ChildFacts(child.date_of_birth, child.ethnicity, size, child.has_disability,
                                          derived.state.po_date)
    state = derived.state
    in_care_until = state.adoption_order or today
    return ChildPage(
        child=child,
        state=state,
        periods=derived.periods,
        due=derived.due,
        events=current,
        corrections=[e for e in events if e.superseded or e.corrects_id],
        priority_reasons=rules.priority_reasons(facts_for_priority, active_priority_definition(), today),
        sibling_size=size,
        siblings=siblings,
        policy=rules.policy_on(policies, today),
        days_in_care=(in_care_until - state.entered_care).days if state.entered_care else None,
        days_since_po=(today - state.po_date).days if state.po_date and not state.adoption_order else None,
        age_years=rules.age_in_years(child.date_of_birth, today) if child.date_of_birth else None,
    )


__all__ = ["event_facts"]


# ---------------------------------------------------------------------------------------------
# Rows by organisation, for permanence.access (which decides whose they are: ask it, not these)


def children_of(organisation: Organisation | None) -> QuerySet[Child]:
    """An LA's children, or the children of an RAA's member LAs; none for None."""
    if organisation is None:
        return Child.objects.none()
    if organisation.kind == Organisation.Kind.LA:
        return Child.objects.filter(la=organisation)
    return Child.objects.filter(la__raa=organisation)


def sibling_groups_of_las(las) -> QuerySet[SiblingGroup]:
    """The sibling groups of these LAs (a queryset or list of them); none for None."""
    return SiblingGroup.objects.none() if las is None else SiblingGroup.objects.filter(la__in=las)


def journey_events_of(child: Child) -> QuerySet[JourneyEvent]:
    """Every event of this child's journey, corrected ones included."""
    return JourneyEvent.objects.filter(child=child)


def stage_counts_by_la(las) -> dict[int, dict[str, int]]:
    """{LA pk: {stage: number of children}} for the overview: aggregate figures only."""
    table: dict[int, dict[str, int]] = {la.pk: {} for la in las}
    rows = Child.objects.filter(la__in=las).order_by().values_list("la_id", "stage").annotate(n=Count("pk"))
    for la_id, stage, n in rows:
        table[la_id][stage] = n
    return table
