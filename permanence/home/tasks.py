"""What a person must do: one list, gathered from where the work is recorded (issue 14, item 2).

Nothing here is stored: a task is the journey's next due action on a record allocated to the person, a surgery
action they own (or that was escalated to them), a decision awaiting them, a panel's papers or recommendation, a
dry run to confirm or an import conflict to decide. Recording the thing ends the task, so the list can never
disagree with the record. Each source reaches only what `access` lets the person see, and each task links to the
page that does it.

`tasks_for(user, today)` is the person's own list; `tasks_for(user, today, people=team)` a manager's view of their
team's (each task says whose it is). Both come ordered by due date, the earliest first and those with no date
last, on every database (the sort is done here, on at most LIMIT_PER_SOURCE rows per source).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.db.models.functions import Coalesce, Least
from django.urls import reverse
from django.utils import timezone

from permanence import access

LIMIT_PER_SOURCE = 200  # rows read per source: a home page, not a report (each source says how many there are)
SOON_DAYS = 7  # "due soon"


def households_in_progress(households):
    """The households whose work is not over (every stage but closed): the task list's, the assessing worker's
    list's and the team's counts alike."""
    from permanence.adopters import rules as household_rules

    return households.exclude(stage=household_rules.Stage.CLOSED.value)


def child_task_stages() -> list[str]:
    """The stages whose next due action is a task: the open journey and, after the adoption order, the life story
    book and the later life letter still to hand over (used by the task list and the team's counts alike)."""
    from permanence.children import rules as child_rules

    return sorted(s.value for s in child_rules.OPEN_STAGES | {child_rules.Stage.ADOPTED})

# The kinds of task, as the page names them (and filters by them).
DUE, SURGERY, ESCALATED, DECISION, PAPERS, RECOMMENDATION, LINK, DRY_RUN, CONFLICT = (
    "due", "surgery", "escalated", "decision", "papers", "recommendation", "link", "dry_run", "conflict")
KIND_LABELS = {
    DUE: "Due on a record",
    SURGERY: "Surgery action",
    ESCALATED: "Escalated to you",
    DECISION: "Decision awaiting",
    PAPERS: "Panel papers",
    RECOMMENDATION: "Panel recommendation",
    LINK: "Link with no recent activity",
    DRY_RUN: "SSDA903 dry run to confirm",
    CONFLICT: "SSDA903 conflict to decide",
}


@dataclass(frozen=True)
class Task:
    kind: str
    text: str  # what to do
    subject: str  # what it concerns
    url: str  # the page that does it
    due: date | None
    owner_id: int | None = None
    owner: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def days_left(self, today: date) -> int | None:
        return None if self.due is None else (self.due - today).days

    def status(self, today: date) -> str:
        """overdue, today, soon (within SOON_DAYS), later, or none (no date)."""
        left = self.days_left(today)
        if left is None:
            return "none"
        if left < 0:
            return "overdue"
        if left == 0:
            return "today"
        return "soon" if left <= SOON_DAYS else "later"


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _ordered(tasks: list[Task]) -> list[Task]:
    return sorted(tasks, key=lambda t: (t.due is None, t.due or date.max, t.kind, t.subject, t.url))


# ---------------------------------------------------------------------------------------------
# The sources


def _journey_due(user, people) -> list[Task]:
    """The next due action on each open record allocated to one of `people`: children (family finder or LA social
    worker), households (assessing social worker), support cases and adopted adults' requests (worker)."""
    out = []
    if access.can_see_child_records(user):
        children = (access.children_visible_to(user)
                    .filter(Q(family_finder__in=people) | Q(la_social_worker__in=people), next_due_date__isnull=False,
                            stage__in=child_task_stages())
                    .select_related("family_finder", "la_social_worker").order_by("next_due_date", "pk"))
        ids = {p.pk for p in people}
        for c in children[:LIMIT_PER_SOURCE]:
            owner = c.family_finder if c.family_finder_id in ids else c.la_social_worker
            out.append(Task(DUE, c.next_due_label or "Next action", f"{c.full_name} ({c.reference})",
                            reverse("children:detail", args=[c.pk]) + "#due-actions", c.next_due_date,
                            owner.pk if owner else None, _name(owner)))
    if access.can_see_adopter_records(user):
        households = (households_in_progress(access.households_visible_to(user))
                      .filter(assessing_social_worker__in=people, next_due_date__isnull=False)
                      .select_related("assessing_social_worker").order_by("next_due_date", "pk"))
        for h in households[:LIMIT_PER_SOURCE]:
            out.append(Task(DUE, h.next_due_label or "Next action", f"{h.name} ({h.reference})",
                            reverse("adopters:household-detail", args=[h.pk]) + "#due-actions", h.next_due_date,
                            h.assessing_social_worker_id, _name(h.assessing_social_worker)))
    if access.can_see_support(user):
        cases = (access.support_cases_visible_to(user)
                 .filter(worker__in=people, next_due_date__isnull=False, closed_on__isnull=True)
                 .select_related("worker").order_by("next_due_date", "pk"))
        for case in cases[:LIMIT_PER_SOURCE]:
            out.append(Task(DUE, case.next_due_label or "Next action", f"Support case {case.reference}",
                            reverse("support:case", args=[case.pk]) + "#due", case.next_due_date,
                            case.worker_id, _name(case.worker)))
    if access.can_see_adult_requests(user):
        out += _adult_requests_due(user, people)
    return out


def _adult_requests_due(user, people) -> list[Task]:
    """An open adopted adult's request allocated to one of `people`: its first interview while it waits (by the
    target wait) and the earliest chase of the records asked of other agencies – the request's own "What is due"."""
    from permanence.adopted_adults import selectors as adult_selectors

    requests = (access.adult_requests_visible_to(user)
                .filter(Q(interview_due__isnull=False) | Q(chase_due__isnull=False), worker__in=people,
                        stage__in=adult_selectors.OPEN)
                .annotate(first_due=Least(Coalesce("interview_due", "chase_due"), Coalesce("chase_due", "interview_due")))
                .select_related("worker").order_by("first_due", "pk"))  # the earliest due kept when cut
    out = []
    for r in requests[:LIMIT_PER_SOURCE]:
        subject = f"Adopted adult's request {r.reference}"
        url = reverse("adopted_adults:detail", args=[r.pk]) + "#due-heading"
        if r.interview_due is not None:
            out.append(Task(DUE, "Hold the first interview", subject, url, r.interview_due, r.worker_id,
                            _name(r.worker)))
        if r.chase_due is not None:
            out.append(Task(DUE, "Chase the records requested from other agencies", subject, url, r.chase_due,
                            r.worker_id, _name(r.worker)))
    return out


def _surgery(user, people, today) -> list[Task]:
    """Open surgery actions owned by one of `people`, and those escalated to the user."""
    from permanence.performance.models import SurgeryAction

    if not access.can_see_surgeries(user):
        return []
    visible = access.surgery_actions_visible_to(user).select_related("child", "household", "owner")
    out = []
    for a in visible.filter(owner__in=people, status=SurgeryAction.Status.OPEN).order_by("due_by", "pk")[
            :LIMIT_PER_SOURCE]:
        out.append(Task(SURGERY, a.text, _surgery_subject(a), reverse("performance:surgery-action", args=[a.pk]),
                        a.due_by, a.owner_id, _name(a.owner)))
    for a in visible.filter(escalated_to=user, status=SurgeryAction.Status.ESCALATED).order_by("due_by", "pk")[
            :LIMIT_PER_SOURCE]:
        out.append(Task(ESCALATED, a.text, _surgery_subject(a), reverse("performance:surgery-action", args=[a.pk]),
                        a.due_by, user.pk, _name(user)))
    return out


def _surgery_subject(action) -> str:
    if action.child_id:
        return f"{action.child.full_name} ({action.child.reference})"
    return f"{action.household.name} ({action.household.reference})"


def _decisions(user, today) -> list[Task]:
    """Matches awaiting this ADM's decision (the children they see), and an RAA's ADM's approvals awaiting theirs."""
    from permanence.adopters import panel_rules, selectors
    from permanence.adopters.models import PanelItem

    out = []
    if access.can_record_match_decision(user):
        waiting = access.match_items_for_decision(user).filter(decision="", withdrawn=False)
        for row in selectors.match_decisions(waiting, today)[:LIMIT_PER_SOURCE]:
            item = row.item
            names = ", ".join(c.full_name for c in sorted(item.children.all(), key=lambda c: c.pk)) or \
                (item.child.full_name if item.child else "")
            out.append(Task(DECISION, "Record the agency decision on the match", names,
                            reverse("adopters:match-decision", args=[item.pk]), row.due.due if row.due else None,
                            user.pk, _name(user)))
    if access.can_record_adm_decision(user):
        items = PanelItem.objects.filter(panel__in=access.panels_visible_to(user), kind=PanelItem.Kind.APPROVAL,
                                         decision="", withdrawn=False)
        rows = selectors.decision_rows(items, today, panel_rules.APPROVAL)[:LIMIT_PER_SOURCE]
        named = _named(user, [row.item for row in rows])
        for row in rows:
            item = row.item
            out.append(Task(DECISION, "Record the agency decision on the approval",
                            _household_label(item.household, named) if item.household else "",
                            reverse("adopters:item-decision", args=[item.panel_id, item.pk]),
                            row.due.due if row.due else None, user.pk, _name(user)))
    return out


def _panels(user, today) -> list[Task]:
    """For those who run panels: the papers not yet in for the coming panels, and the recommendations not yet
    recorded for panels that have sat."""
    from permanence.adopters.models import PanelItem

    if not access.can_run_panels(user):
        return []
    out = []
    items = (PanelItem.objects.filter(panel__in=access.panels_visible_to(user), withdrawn=False)
             .select_related("panel", "household", "child"))
    papers = list(items.filter(panel__date__gte=today, panel__date__lte=today + timedelta(days=90),
                               papers_received_on__isnull=True).order_by("panel__date", "pk")[:LIMIT_PER_SOURCE])
    unrecommended = list(items.filter(panel__date__lt=today, recommendation="").order_by("panel__date", "pk")[
        :LIMIT_PER_SOURCE])
    named = _named(user, papers + unrecommended)
    for item in papers:
        out.append(Task(PAPERS, f"Get the papers in for the panel on {item.panel.date:%-d %B %Y}",
                        _item_subject(item, named), reverse("adopters:item-papers", args=[item.panel_id, item.pk]),
                        item.panel.papers_due or item.panel.date, user.pk, _name(user)))
    for item in unrecommended:
        out.append(Task(RECOMMENDATION, f"Record the panel's recommendation ({item.panel.date:%-d %B %Y})",
                        _item_subject(item, named),
                        reverse("adopters:item-recommendation", args=[item.panel_id, item.pk]),
                        item.panel.date, user.pk, _name(user)))
    return out


def _household_label(household, named: set[int]) -> str:
    """A household by name for those who see it (access.households_named_for), else by its reference only."""
    if household.pk in named:
        return f"{household.name} ({household.reference})"
    return f"Prospective adopters {household.reference}"


def _item_subject(item, named: set[int]) -> str:
    if item.household_id:
        return f"{item.get_kind_display()}: {_household_label(item.household, named)}"
    return f"{item.get_kind_display()}: {item.child.full_name if item.child else ''}"


def _named(user, items) -> set[int]:
    return access.households_named_for(user, {i.household_id for i in items if i.household_id})


def _links(user, people, today) -> list[Task]:
    """Open links of one of `people` (their family finder) with no activity by the date it was due."""
    from permanence.family_finding import rules as link_rules

    if not access.can_see_links(user):
        return []
    links = (access.links_visible_to(user)
             .filter(family_finder__in=people, activity_due__lt=today,
                     stage__in=[s.value for s in link_rules.OPEN_STAGES])
             .select_related("child", "household", "family_finder").order_by("activity_due", "pk"))
    return [Task(LINK, "Record what has happened on the link", f"{link.reference}: {link.child.full_name}",
                 reverse("family_finding:link", args=[link.pk]), link.activity_due, link.family_finder_id,
                 _name(link.family_finder)) for link in links[:LIMIT_PER_SOURCE]]


def _imports(user, today) -> list[Task]:
    """The user's own dry runs whose files are still held (import them without uploading again), and the open
    conflicts between an import and what Permanence holds, for the LAs the user imports for."""
    from permanence.interchange import jobs as import_jobs
    from permanence.interchange.models import ImportBatch, ImportConflict
    from permanence.jobs.services import KEEP_FILES_HOURS

    if not access.can_use_903(user):
        return []
    out = []
    since = timezone.now() - timedelta(hours=KEEP_FILES_HOURS)
    for batch in (ImportBatch.objects.filter(actor=user, status=ImportBatch.Status.DRY_RUN, created_at__gte=since)
                  .select_related("la").order_by("created_at", "pk")[:20]):
        if import_jobs.dry_run_job(batch) is not None:
            kept_until = timezone.localtime(batch.created_at + timedelta(hours=KEEP_FILES_HOURS)).date()
            out.append(Task(DRY_RUN, "Import the files you checked, or upload them again", f"Dry run for "
                            f"{batch.la.name}", reverse("interchange:batch", args=[batch.pk]), kept_until,
                            user.pk, _name(user)))
    conflicts = (ImportConflict.objects.filter(child__la__in=access.las_for_903(user),
                                               status=ImportConflict.Status.OPEN)
                 .select_related("child", "batch").order_by("pk"))
    for c in conflicts[:LIMIT_PER_SOURCE]:
        out.append(Task(CONFLICT, "Decide which record is right", f"{c.child.full_name} ({c.child.reference})",
                        reverse("interchange:conflict", args=[c.pk]), None, user.pk, _name(user)))
    return out


# ---------------------------------------------------------------------------------------------
# The lists


class TaskList(list):
    """The tasks, with `cut`: some kind reached LIMIT_PER_SOURCE rows, so there may be more than are listed."""

    cut = False


def tasks_for(user, today: date, *, people=None) -> TaskList:
    """Everything `people` (default: the user alone) must do that the user may see, earliest due first. The
    decisions, panels and imports are the user's own work: listed when the user is among `people` (a manager's
    team view asks for the manager and the team)."""
    people = list(people) if people is not None else [user]
    tasks = _journey_due(user, people) + _surgery(user, people, today) + _links(user, people, today)
    if user in people:
        tasks += _decisions(user, today) + _panels(user, today) + _imports(user, today)
    out = TaskList(_ordered(tasks))
    per_kind: dict[str, int] = {}
    for t in out:
        per_kind[t.kind] = per_kind.get(t.kind, 0) + 1
    out.cut = any(n >= LIMIT_PER_SOURCE for n in per_kind.values())
    return out


def counts(tasks: list[Task], today: date) -> dict[str, int]:
    out = {"all": len(tasks), "overdue": 0, "today": 0, "soon": 0}
    for t in tasks:
        status = t.status(today)
        if status in out:
            out[status] += 1
    return out


def completed_for(user, today: date, *, days: int = 30) -> list[dict]:
    """What the user finished in the last `days`: surgery actions they closed as done and decisions they
    recorded – newest first."""
    from permanence.adopters.models import PanelItem
    from permanence.performance.models import SurgeryAction

    since = today - timedelta(days=days)
    rows = []
    if access.can_see_surgeries(user):
        for a in (access.surgery_actions_visible_to(user)
                  .filter(closed_by=user, status=SurgeryAction.Status.DONE, closed_on__gte=since)
                  .select_related("child", "household").order_by("-closed_on", "-pk")[:20]):
            rows.append({"on": a.closed_on, "text": a.text, "subject": _surgery_subject(a),
                         "url": reverse("performance:surgery-action", args=[a.pk]), "kind": KIND_LABELS[SURGERY]})
    decided = list(PanelItem.objects.filter(decided_by=user, decision_on__gte=since)
                   .select_related("panel", "household", "child").order_by("-decision_on", "-pk")[:20])
    ids = [i.pk for i in decided]
    decidable = set(access.match_items_for_decision(user).filter(pk__in=ids).values_list("pk", flat=True))
    panels = set(access.panels_visible_to(user).filter(pk__in={i.panel_id for i in decided})
                 .values_list("pk", flat=True))
    named = _named(user, decided)
    for item in decided:
        if item.panel_id in panels:
            url = reverse("adopters:item-detail", args=[item.panel_id, item.pk])
        elif item.is_match and item.pk in decidable:
            url = reverse("adopters:match-decision", args=[item.pk])
        else:
            continue
        rows.append({"on": item.decision_on, "text": f"Agency decision: {item.get_decision_display()}",
                     "subject": _item_subject(item, named), "url": url, "kind": KIND_LABELS[DECISION]})
    return sorted(rows, key=lambda r: (r["on"], r["url"]), reverse=True)[:20]


def record_actions(user, *, child=None, household=None) -> list:
    """The open surgery actions on one record that the user may see, earliest due first (the record's page)."""
    from permanence.performance.models import SurgeryAction

    if not access.can_see_surgeries(user):
        return []
    subject = {"child": child} if child is not None else {"household": household}
    return list(access.surgery_actions_visible_to(user).filter(status__in=SurgeryAction.OPEN_STATUSES, **subject)
                .select_related("owner").order_by("due_by", "pk")[:20])
