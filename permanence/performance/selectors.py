"""Reads across rows for the performance pages.

The performance surgery (seed 003: a team manager's fortnightly "what have you done, why haven't you done it"):
for one team or one worker (or for the work no worker is allocated to), every child and household with a milestone due within the horizon or already overdue,
plus anything with an open action, each with the latest action agreed at a surgery. A fixed number of queries
whatever the number of rows: the children, the households, then the actions of the rows shown.

The milestone is the snapshot on Child and Household (next_due_date / next_due_label), kept up to date by the
services that record events. `today` is always a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery

from permanence import access
from permanence.organisations.models import Organisation
from permanence.performance.models import SurgeryAction

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
    def sort_key(self) -> tuple:
        """Overdue first (most overdue at the top), then soonest due; then paused households (their clock is
        stopped); then rows on the list only for an open action, by that action's due date."""
        if self.overdue:
            group = 0
        elif self.due_date is not None and not self.paused:
            group = 1
        elif self.due_date is not None:
            group = 2
        else:
            group = 3
        return (group, self.due_date or self.open_action_due or date.max, self.name.lower(), self.subject.pk)


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


def surgery_rows(user, scope: SurgeryScope, *, today: date, horizon_days: int = DEFAULT_HORIZON_DAYS,
                 ) -> list[SurgeryRow]:
    """The surgery list for `scope` as `user` may see it, as of `today`, sorted overdue first then soonest.

    A child is the team's (or the worker's) when its worker on the surgery's side – the family finder for an RAA,
    the LA social worker for an LA – is in the team (or is the worker); a household, when its assessing social
    worker is. It is listed when its next milestone is due within `horizon_days` of `today` or overdue, or when it
    has an open action of this organisation; an open action owned by someone in the team (or by the worker) also
    lists its child or household. For the unallocated scope, a child is listed when it has no worker on the
    surgery's side and a household when it has no assessing social worker (an open action's owner does not bring
    anything in). Actions are not attached here: call attach_actions on the rows to be shown."""
    if not 0 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValueError(f"The horizon must be between 0 and {MAX_HORIZON_DAYS} days.")
    until = today + timedelta(days=horizon_days)
    org = scope.organisation
    rows: list[SurgeryRow] = []

    child_worker = "family_finder" if org.kind == Organisation.Kind.RAA else "la_social_worker"
    children = _listed(access.children_visible_to(user), "child", child_worker, scope, until).select_related(
        "la", child_worker)
    for c in children:
        rows.append(SurgeryRow(child=c, household=None, worker=getattr(c, child_worker), due_date=c.next_due_date,
                               due_label=c.next_due_label, paused=False, today=today, open_action_due=c.open_due))

    if org.kind == Organisation.Kind.RAA:
        households = _listed(access.households_visible_to(user), "household", "assessing_social_worker", scope,
                             until).select_related("assessing_social_worker")
        for h in households:
            rows.append(SurgeryRow(child=None, household=h, worker=h.assessing_social_worker,
                                   due_date=h.next_due_date, due_label=h.next_due_label,
                                   paused=h.paused, today=today,
                                   open_action_due=h.open_due))
    rows.sort(key=lambda r: r.sort_key)
    return rows


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


def summarise(rows: list[SurgeryRow]) -> SurgerySummary:
    """Counts for the top of the list (the rows must have their actions attached)."""
    return SurgerySummary(
        items=len(rows),
        overdue=sum(r.overdue for r in rows),
        due=sum(1 for r in rows if not r.overdue and r.due_date is not None and not r.paused),
        actions_overdue=sum(r.action_overdue for r in rows),
        escalated=sum(1 for r in rows if r.latest is not None and r.latest.status == SurgeryAction.Status.ESCALATED),
    )


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
