"""Reads across rows for the performance pages.

The performance surgery (seed 003: a team manager's fortnightly "what have you done, why haven't you done it"):
for one team or one worker (or for the work no worker is allocated to), every child and household with a milestone due within the horizon or already overdue,
plus anything with an open action, each with the latest action agreed at a surgery. Ranked by kind (what a manager
can still change first: performance.rules.surgery), filtered by kind and age, ordered and paged in the database
(one UNION ALL query), then the page's children, households and actions: a fixed number of queries whatever the
number of rows.

The milestone is the snapshot on Child and Household (next_due_date / next_due_label), kept up to date by the
services that record events. `today` is always a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, Concat, Lower

from permanence import access
from permanence.organisations.models import Organisation
from permanence.performance.models import SurgeryAction
from permanence.performance.rules import surgery as surgery_rules

DEFAULT_HORIZON_DAYS = 14  # a fortnight: surgeries are fortnightly (seed 003)
MAX_HORIZON_DAYS = 90
HORIZON_CHOICES = (7, 14, 28, 42, 56, 90)


UNALLOCATED_LABEL = "Not allocated"


@dataclass(frozen=True)
class SurgeryScope:
    """Whose surgery: one team, or one worker, of `organisation`; or (`unallocated`) the children and households
    of the organisation with no worker of its side allocated."""

    organisation: Organisation
    team: object | None = None
    worker: object | None = None
    unallocated: bool = False

    def __post_init__(self):
        if sum((self.team is not None, self.worker is not None, bool(self.unallocated))) != 1:
            raise ValueError("A surgery is for one team, one worker, or the work not allocated.")

    @property
    def label(self) -> str:
        if self.unallocated:
            return UNALLOCATED_LABEL
        return str(self.team.name) if self.team is not None else str(self.worker)

    @property
    def filters(self) -> dict:
        if self.unallocated:
            return {"unallocated": True}
        return {"team": self.team.pk} if self.team is not None else {"worker": self.worker.pk}


@dataclass
class SurgeryRow:
    """One child or household on the surgery list."""

    child: object | None
    household: object | None
    worker: object | None
    due_date: date | None
    due_label: str
    paused: bool
    today: date
    open_action_due: date | None = None
    latest: SurgeryAction | None = None
    open_actions: int = 0
    item_kind: surgery_rules.SurgeryKind | None = None  # what kind of item (performance.rules.surgery)

    @property
    def subject(self):
        return self.child if self.child is not None else self.household

    @property
    def kind(self) -> str:
        return "child" if self.child is not None else "household"

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.subject.pk}"

    @property
    def name(self) -> str:
        if self.child is not None:
            return self.child.full_name
        return f"{self.household.name} household"

    @property
    def reference(self) -> str:
        return self.subject.reference

    @property
    def stage_label(self) -> str:
        return self.subject.stage_label

    @property
    def days_to_go(self) -> int | None:
        """Days until the milestone is due (negative: overdue by that many days)."""
        return None if self.due_date is None else (self.due_date - self.today).days

    @property
    def days_overdue(self) -> int | None:
        d = self.days_to_go
        return -d if d is not None and d < 0 else None

    @property
    def overdue(self) -> bool:
        return not self.paused and self.days_to_go is not None and self.days_to_go < 0

    @property
    def action_overdue(self) -> bool:
        return self.latest is not None and self.latest.is_overdue(self.today)

    @property
    def age_band(self) -> surgery_rules.SurgeryAgeBand:
        return surgery_rules.surgery_age_band(self.due_date, self.today, paused=self.paused)


def _worker_filter(prefix: str, scope: SurgeryScope) -> Q:
    if scope.unallocated:
        return Q(**{f"{prefix}__isnull": True})
    if scope.team is not None:
        return Q(**{f"{prefix}__team": scope.team})
    return Q(**{prefix: scope.worker})


def _open_actions(scope: SurgeryScope, subject: str) -> object:
    return SurgeryAction.objects.filter(**{subject: OuterRef("pk")}, organisation=scope.organisation,
                                        status__in=SurgeryAction.OPEN_STATUSES)


def _listed(qs, subject: str, worker_field: str, scope: SurgeryScope, until: date):
    """The children or households of `qs` on the scope's list: its own items (by their worker, or with none for
    the unallocated list) due by `until` or overdue, or with an open action; for a team or a worker, also those
    with an open action owned in the team or by the worker (the unallocated list has no owners of its own)."""
    open_actions = _open_actions(scope, subject)
    qs = qs.annotate(has_open=Exists(open_actions),
                     open_due=Subquery(open_actions.order_by("due_by").values("due_by")[:1]))
    listed = _worker_filter(worker_field, scope) & (Q(next_due_date__lte=until) | Q(has_open=True))
    if not scope.unallocated:
        qs = qs.annotate(owned_open=Exists(open_actions.filter(_worker_filter("owner", scope))))
        listed |= Q(owned_open=True)
    return qs.filter(listed)


# ---------------------------------------------------------------------------------------------
# Ranking, filters and paging in SQL (issue 14 item 3, issue 17 item 4): performance.rules.surgery says what the
# kinds and age bands are; here they become Case/When annotations on the children's and the households' lists,
# which are joined (UNION ALL), ordered and paged in the database.


@dataclass(frozen=True)
class SurgeryFilters:
    """Which items of the list to show: the kinds (performance.rules.surgery.SURGERY_KINDS keys) and the age bands
    (SURGERY_AGE_BANDS keys) asked for; empty means every kind, every age."""

    kinds: frozenset[str] = frozenset()
    ages: frozenset[str] = frozenset()

    def __post_init__(self):
        unknown = (set(self.kinds) - set(surgery_rules.SURGERY_KINDS_BY_KEY)) | (
            set(self.ages) - set(surgery_rules.SURGERY_AGE_BANDS_BY_KEY))
        if unknown:
            raise ValueError(f"Unknown surgery filter: {', '.join(sorted(unknown))}")

    @property
    def active(self) -> bool:
        return bool(self.kinds or self.ages)

    @property
    def as_dict(self) -> dict:
        """For the export log: only what was asked for."""
        return {**({"kind": sorted(self.kinds)} if self.kinds else {}), **({"age": sorted(self.ages)} if self.ages
                                                                             else {})}

    def describe(self) -> str:
        """The filters in words, for the result count ("" when none): the kinds in priority order, then the ages
        ("child waiting for a family or adopters' assessment, overdue more than a year")."""
        kinds = [k.label.lower() for k in surgery_rules.SURGERY_KINDS if k.key in self.kinds]
        ages = [b.label.lower() for b in surgery_rules.SURGERY_AGE_BANDS if b.key in self.ages]
        return ", ".join(p for p in (_join(kinds), _join(ages)) if p)


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


NO_FILTERS = SurgeryFilters()


@dataclass(frozen=True)
class _Side:
    """The children's or the households' half of the list, with what the ranking needs to know about it."""

    subject: str  # "child" or "household"
    row_type: int  # 0 child, 1 household: the last tie-break, before the primary key
    pausable: bool

    def not_paused(self) -> Q:
        return Q(paused=False) if self.pausable else Q()

    def overdue(self, today: date) -> Q:
        return Q(next_due_date__lt=today) & self.not_paused()

    def rank(self):
        """The kind's priority (1 first), from the child's stage; households are all adopters' assessments."""
        if self.subject == "household":
            return Value(surgery_rules.surgery_household_kind().priority, output_field=IntegerField())
        whens = [When(stage__in=sorted(stages), then=Value(surgery_rules.SURGERY_KINDS_BY_KEY[key].priority))
                 for key, stages in (("waiting", surgery_rules.SURGERY_WAITING_STAGES),
                                     ("placed", surgery_rules.SURGERY_PLACED_STAGES),
                                     ("after_order", surgery_rules.SURGERY_AFTER_ORDER_STAGES))]
        return Case(*whens, default=Value(surgery_rules.SURGERY_KINDS_BY_KEY["plan"].priority),
                    output_field=IntegerField())

    def group(self, today: date):
        """Within a kind: 0 overdue, 1 due, 2 paused (households), 3 listed only for an open action."""
        return Case(When(self.overdue(today), then=Value(0)),
                    When(Q(next_due_date__isnull=False) & self.not_paused(), then=Value(1)),
                    When(next_due_date__isnull=False, then=Value(2)), default=Value(3), output_field=IntegerField())

    def age(self, band: surgery_rules.SurgeryAgeBand, today: date) -> Q:
        if not band.overdue:
            return ~self.overdue(today)
        earliest, before = band.due_dates(today)
        q = self.overdue(today) & Q(next_due_date__lt=before)
        return q & Q(next_due_date__gte=earliest) if earliest is not None else q

    def filter(self, filters: SurgeryFilters, today: date, *, kinds: bool = True, ages: bool = True) -> Q:
        """The filters as a condition on the annotated rows (`rank` must be annotated)."""
        q = Q()
        if kinds and filters.kinds:
            q &= Q(rank__in=sorted(surgery_rules.SURGERY_KINDS_BY_KEY[k].priority for k in filters.kinds))
        if ages and filters.ages:
            either = Q()
            for key in sorted(filters.ages):
                either |= self.age(surgery_rules.SURGERY_AGE_BANDS_BY_KEY[key], today)
            q &= either
        return q

    def sort_name(self):
        name = Concat("first_name", Value(" "), "last_name") if self.subject == "child" else Concat(
            "name", Value(" household"))
        # Byte order on both databases, so SQLite and PostgreSQL give the same order (PostgreSQL's default
        # collation ignores spaces and punctuation).
        return Collate(Lower(name, output_field=CharField()), "C" if connection.vendor == "postgresql" else "BINARY")


CHILD_SIDE = _Side("child", 0, pausable=False)
HOUSEHOLD_SIDE = _Side("household", 1, pausable=True)
ORDER = ("rank", "grp", F("sort_date").asc(nulls_last=True), "sort_name", "row_type", "row_pk")
KEY_COLUMNS = ("row_type", "row_pk", "rank", "grp", "sort_date", "sort_name")


def _child_worker(org) -> str:
    return "family_finder" if org.kind == Organisation.Kind.RAA else "la_social_worker"


def _sides(user, scope: SurgeryScope, until: date):
    """(side, listed queryset) for the children and, for an RAA, the households."""
    org = scope.organisation
    yield CHILD_SIDE, _listed(access.children_visible_to(user), "child", _child_worker(org), scope, until)
    if org.kind == Organisation.Kind.RAA:
        yield HOUSEHOLD_SIDE, _listed(access.households_visible_to(user), "household", "assessing_social_worker",
                                      scope, until)


def _until(today: date, horizon_days: int) -> date:
    if not 0 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValueError(f"The horizon must be between 0 and {MAX_HORIZON_DAYS} days.")
    return today + timedelta(days=horizon_days)


def surgery_list(user, scope: SurgeryScope, *, today: date, horizon_days: int = DEFAULT_HORIZON_DAYS,
                 filters: SurgeryFilters = NO_FILTERS):
    """The surgery list as one ordered query (children UNION ALL households), for paging in the database: each row
    a dict of KEY_COLUMNS – row_type (0 child, 1 household), row_pk, rank (the kind's priority), grp (0 overdue,
    1 due, 2 paused, 3 open action only), sort_date (the milestone's due date, else the open action's), sort_name.
    Ordered by rank, then grp, then sort_date (nulls last), then name and primary key. Turn a page of it into
    SurgeryRows with rows_for."""
    until = _until(today, horizon_days)
    parts = []
    for side, qs in _sides(user, scope, until):
        qs = qs.annotate(row_type=Value(side.row_type, output_field=IntegerField()), row_pk=F("pk"),
                         rank=side.rank(), grp=side.group(today),
                         sort_date=Coalesce("next_due_date", "open_due", output_field=DateField()),
                         sort_name=side.sort_name())
        parts.append(qs.filter(side.filter(filters, today)).order_by().values(*KEY_COLUMNS))
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by(*ORDER)


def rows_for(user, scope: SurgeryScope, keys, *, today: date) -> list[SurgeryRow]:
    """The SurgeryRows for `keys` (dicts from surgery_list, in their order): two queries, the children and the
    households among them, whatever their number."""
    keys = list(keys)
    org = scope.organisation
    child_worker = _child_worker(org)
    child_ids = [k["row_pk"] for k in keys if k["row_type"] == CHILD_SIDE.row_type]
    household_ids = [k["row_pk"] for k in keys if k["row_type"] == HOUSEHOLD_SIDE.row_type]
    children = access.children_visible_to(user).filter(pk__in=child_ids).select_related("la", child_worker) \
        .in_bulk() if child_ids else {}
    households = access.households_visible_to(user).filter(pk__in=household_ids).select_related(
        "assessing_social_worker").in_bulk() if household_ids else {}
    rows: list[SurgeryRow] = []
    for k in keys:
        kind = surgery_rules.SURGERY_KINDS_BY_PRIORITY[k["rank"]]
        if k["row_type"] == CHILD_SIDE.row_type:
            c = children.get(k["row_pk"])
            if c is None:
                continue  # gone between the two queries
            rows.append(SurgeryRow(child=c, household=None, worker=getattr(c, child_worker), due_date=c.next_due_date,
                                   due_label=c.next_due_label, paused=False, today=today,
                                   open_action_due=k["sort_date"] if c.next_due_date is None else None,
                                   item_kind=kind))
        else:
            h = households.get(k["row_pk"])
            if h is None:
                continue
            rows.append(SurgeryRow(child=None, household=h, worker=h.assessing_social_worker,
                                   due_date=h.next_due_date, due_label=h.next_due_label, paused=h.paused, today=today,
                                   open_action_due=k["sort_date"] if h.next_due_date is None else None,
                                   item_kind=kind))
    return rows


def surgery_rows(user, scope: SurgeryScope, *, today: date, horizon_days: int = DEFAULT_HORIZON_DAYS,
                 filters: SurgeryFilters = NO_FILTERS) -> list[SurgeryRow]:
    """The surgery list for `scope` as `user` may see it, as of `today`, in the surgery's order
    (performance.rules.surgery: kind by priority, then overdue longest first, then soonest due).

    A child is the team's (or the worker's) when its worker on the surgery's side – the family finder for an RAA,
    the LA social worker for an LA – is in the team (or is the worker); a household, when its assessing social
    worker is. It is listed when its next milestone is due within `horizon_days` of `today` or overdue, or when it
    has an open action of this organisation; an open action owned by someone in the team (or by the worker) also
    lists its child or household. For the unallocated scope, a child is listed when it has no worker on the
    surgery's side and a household when it has no assessing social worker (an open action's owner does not bring
    anything in). Every row, in three queries; the pages page surgery_list in the database instead. Actions are
    not attached here: call attach_actions on the rows to be shown."""
    return rows_for(user, scope, surgery_list(user, scope, today=today, horizon_days=horizon_days,
                                              filters=filters), today=today)


def stale_links(user, scope: SurgeryScope, *, today: date):
    """The stale links on the scope's list (an open link with no activity by its due date), the longest stale
    first: for an RAA, by the link's family finder; for an LA, by the child's social worker; none for those who
    do not see links."""
    from permanence.family_finding import selectors as links

    field = "family_finder" if scope.organisation.kind == Organisation.Kind.RAA else "child__la_social_worker"
    return (links.stale_links(access.links_visible_to(user), today).filter(_worker_filter(field, scope))
            .select_related("child", "household", "household__raa", "sibling_group")
            .prefetch_related("children").order_by("activity_due", "pk"))


def attach_actions(rows: list[SurgeryRow], user) -> list[SurgeryRow]:
    """Give each row the latest action the user may see (agreed at one of their organisation's surgeries) and how
    many of its actions are still open. One query for all the rows."""
    by_key = {r.key: r for r in rows}
    if not by_key:
        return rows
    child_ids = [r.child.pk for r in rows if r.child is not None]
    household_ids = [r.household.pk for r in rows if r.household is not None]
    actions = (access.surgery_actions_visible_to(user)
               .filter(Q(child_id__in=child_ids) | Q(household_id__in=household_ids))
               .select_related("owner", "escalated_to").order_by("-agreed_on", "-id"))
    for a in actions:
        row = by_key.get(f"child-{a.child_id}" if a.child_id else f"household-{a.household_id}")
        if row is None:
            continue
        if row.latest is None:
            row.latest = a
        if a.is_open:
            row.open_actions += 1
    return rows


@dataclass(frozen=True)
class SurgerySummary:
    items: int
    overdue: int
    due: int
    actions_overdue: int
    escalated: int
    listed: int | None = None  # every item on the list, filters aside (None: not counted)
    kinds: dict | None = None  # kind key: items of that kind under the age filters
    ages: dict | None = None  # age band key: items in that band under the kind filters


def summarise(rows: list[SurgeryRow]) -> SurgerySummary:
    """Counts over rows already fetched (the rows must have their actions attached)."""
    return SurgerySummary(
        items=len(rows),
        overdue=sum(r.overdue for r in rows),
        due=sum(1 for r in rows if not r.overdue and r.due_date is not None and not r.paused),
        actions_overdue=sum(r.action_overdue for r in rows),
        escalated=sum(1 for r in rows if r.latest is not None and r.latest.status == SurgeryAction.Status.ESCALATED),
    )


def _count(q: Q):
    return Count("pk", filter=q) if q else Count("pk")


def surgery_summary(user, scope: SurgeryScope, *, today: date, horizon_days: int = DEFAULT_HORIZON_DAYS,
                    filters: SurgeryFilters = NO_FILTERS) -> SurgerySummary:
    """The counts for the top of the list, in the database: one aggregate query for the children and one for the
    households. The figures count the filtered list; `listed` counts it unfiltered; `kinds` and `ages` count each
    kind under the age filters and each band under the kind filters (for the filter's options). Actions overdue and
    escalated are judged on each item's latest action the user may see, as on the rows."""
    until = _until(today, horizon_days)
    visible = access.surgery_actions_visible_to(user)
    totals: dict[str, int] = {}
    for side, qs in _sides(user, scope, until):
        latest = visible.filter(**{side.subject: OuterRef("pk")}).order_by("-agreed_on", "-id")
        qs = qs.annotate(rank=side.rank(), latest_status=Subquery(latest.values("status")[:1]),
                         latest_due=Subquery(latest.values("due_by")[:1]))
        chosen = side.filter(filters, today)
        overdue = side.overdue(today)
        counts = {
            "items": _count(chosen), "overdue": _count(chosen & overdue),
            "due": _count(chosen & ~overdue & Q(next_due_date__isnull=False) & side.not_paused()),
            "actions_overdue": _count(chosen & Q(latest_status__in=SurgeryAction.OPEN_STATUSES,
                                                 latest_due__lt=today)),
            "escalated": _count(chosen & Q(latest_status=SurgeryAction.Status.ESCALATED)),
            "listed": Count("pk"),
        }
        by_age = side.filter(filters, today, kinds=False)
        by_kind = side.filter(filters, today, ages=False)
        for k in surgery_rules.SURGERY_KINDS:
            counts[f"kind:{k.key}"] = _count(by_age & Q(rank=k.priority))
        for b in surgery_rules.SURGERY_AGE_BANDS:
            counts[f"age:{b.key}"] = _count(by_kind & side.age(b, today))
        for key, n in qs.aggregate(**{f"n{i}": c for i, c in enumerate(counts.values())}).items():
            name = list(counts)[int(key[1:])]
            totals[name] = totals.get(name, 0) + (n or 0)
    return SurgerySummary(
        items=totals.get("items", 0), overdue=totals.get("overdue", 0), due=totals.get("due", 0),
        actions_overdue=totals.get("actions_overdue", 0), escalated=totals.get("escalated", 0),
        listed=totals.get("listed", 0),
        kinds={k.key: totals.get(f"kind:{k.key}", 0) for k in surgery_rules.SURGERY_KINDS},
        ages={b.key: totals.get(f"age:{b.key}", 0) for b in surgery_rules.SURGERY_AGE_BANDS})


def escalated_actions(user, *, to=None):
    """Escalated actions the user may see, oldest escalation first; only those escalated to `to` if given."""
    qs = access.surgery_actions_visible_to(user).filter(status=SurgeryAction.Status.ESCALATED)
    if to is not None:
        qs = qs.filter(escalated_to=to)
    return qs.select_related("child", "child__la", "household", "owner", "escalated_to", "escalated_by",
                             "team").order_by("escalated_on", "due_by", "pk")


def subject_actions(user, *, child=None, household=None):
    """Every action the user may see about one child or household, newest first (the surgery record)."""
    qs = access.surgery_actions_visible_to(user)
    qs = qs.filter(child=child) if child is not None else qs.filter(household=household)
    return qs.select_related("owner", "agreed_by", "escalated_to", "closed_by").order_by("-agreed_on", "-id")


# ---------------------------------------------------------------------------------------------
# Actions by organisation, for permanence.access (which decides whose they are: ask it, not this)


def surgery_actions_of(organisation, *, children=None, households=None, worked_by=None):
    """The actions agreed by this organisation's surgeries (none for None), on these children or these households
    (querysets), and, given `worked_by`, only those that member of staff owns or whose child or household they
    work (family finder, LA social worker, assessing social worker)."""
    if organisation is None:
        return SurgeryAction.objects.none()
    qs = SurgeryAction.objects.filter(organisation=organisation).filter(
        Q(child__in=children) | Q(household__in=households))
    if worked_by is not None:
        qs = qs.filter(Q(owner=worked_by) | Q(child__family_finder=worked_by) | Q(child__la_social_worker=worked_by)
                       | Q(household__assessing_social_worker=worked_by))
    return qs
