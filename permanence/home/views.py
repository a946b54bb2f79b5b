"""The home page: each role's own work, one click from signing in (issue 14, item 1).

Everyone who works on records lands on their tasks (permanence.home.tasks) with the part of the service that is
theirs beside them: the caseload of a family finder or an LA social worker, the households of an assessing social
worker, the support cases of a support worker, the coming panels of a panel adviser, the decisions awaiting an
ADM, the imports and conflicts of a data officer, and a manager's team – caseloads, what is overdue, unallocated
work and links gone quiet. Roles whose work is elsewhere go there: board members to the overview, the quality
lead and complaints officer to the quality tools, the system administrator to the LA policies.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse

from permanence import access
from permanence.children import services
from permanence.core import listing
from permanence.home import tasks as T
from permanence.organisations.models import Role

TASKS_PAGE = 25
SHOWN = 10  # rows in each of the home page's short lists


def home(request):
    user = request.user
    works_on_records = (access.can_see_child_records(user) or access.can_see_adopter_records(user)
                        or access.can_see_support(user) or access.can_use_903(user))
    if not works_on_records:
        if access.can_see_aggregates(user):
            return redirect("overview")
        if access.can_administer(user):
            return redirect("organisations:policies")
        if access.can_see_blueprint(user) or access.can_see_complaints(user):
            return redirect("complaints:home")
        return render(request, "children/no_access.html", status=200)
    today = services.today()
    team = list(access.team_for(user))
    whose = "team" if team and request.GET.get("tasks") == "team" else "mine"
    all_tasks = T.tasks_for(user, today, people=[user, *team] if whose == "team" else None)
    kinds = [(k, label, sum(1 for t in all_tasks if t.kind == k)) for k, label in T.KIND_LABELS.items()
             if any(t.kind == k for t in all_tasks)]
    kind = request.GET.get("kind", "")
    shown = [t for t in all_tasks if t.kind == kind] if kind in T.KIND_LABELS else all_tasks
    if kind not in T.KIND_LABELS:
        kind = ""
    page = Paginator(shown, TASKS_PAGE).get_page(request.GET.get("page"))
    listing.log(request, len(page.object_list), filters={"tasks": whose, "kind": kind})
    context = {
        "today": today, "page_obj": page, "tasks": [_row(t, today) for t in page.object_list],
        "counts": T.counts(all_tasks, today), "shown_count": len(shown), "kinds": kinds, "kind": kind,
        "cut": all_tasks.cut, "limit": T.LIMIT_PER_SOURCE,
        "whose": whose, "has_team": bool(team), "completed": T.completed_for(user, today),
        "kind_labels": T.KIND_LABELS, "role_label": user.get_role_display(),
    }
    context.update(_sections(user, today, team, manages=access.manages_a_team(user)))
    return render(request, "home/home.html", context)


def _row(task: T.Task, today) -> dict:
    return {"task": task, "status": task.status(today), "days_left": task.days_left(today),
            "days_overdue": -(task.days_left(today) or 0)}


def _sections(user, today, team, *, manages: bool) -> dict:
    """The parts of the home page that are the role's own, besides the tasks."""
    out: dict = {}
    if user.role in (Role.RAA_FAMILY_FINDER, Role.LA_SOCIAL_WORKER) and access.can_see_child_records(user):
        from permanence.children import selectors

        mine = selectors.children_list(user, selectors.ChildFilters(mine=True), today)
        out["caseload"] = {"open": mine.count(), "overdue": mine.filter(next_due_date__lt=today).count()}
    if user.role == Role.RAA_ASSESSING_SOCIAL_WORKER and access.can_see_adopter_records(user):
        out["households"] = _my_households(user, today)
    if user.role == Role.RAA_SUPPORT_WORKER and access.can_see_support(user):
        cases = access.support_cases_visible_to(user).filter(worker=user, closed_on__isnull=True)
        out["support"] = {"open": cases.count(), "overdue": cases.filter(next_due_date__lt=today).count(),
                          "url": reverse("support:cases") + f"?worker={user.pk}"}
    if access.can_run_panels(user):
        out["panels"] = _next_panels(user, today)
    if access.can_use_903(user) and user.role == Role.DATA_OFFICER:
        out["imports"] = _imports(user)
    if manages:
        out["team"] = _team(user, team, today)
    if user.role == Role.RAA_HEAD_OF_SERVICE:
        out["dashboard"] = True
    return out


def _my_households(user, today) -> dict:
    from django.db.models import F

    mine = T.households_in_progress(access.households_visible_to(user)).filter(assessing_social_worker=user)
    rows = list(mine.order_by(F("next_due_date").asc(nulls_last=True), "name", "pk")[:SHOWN])
    return {"rows": rows, "open": mine.count(), "overdue": mine.filter(next_due_date__lt=today).count()}


def _next_panels(user, today) -> list[dict]:
    panels = (access.panels_visible_to(user).filter(date__gte=today).order_by("date")
              .annotate(booked=Count("items", filter=Q(items__withdrawn=False)),
                        without_papers=Count("items", filter=Q(items__withdrawn=False,
                                                               items__papers_received_on__isnull=True)))[:3])
    return [{"panel": p, "booked": p.booked, "without_papers": p.without_papers} for p in panels]


def _imports(user) -> dict:
    from permanence.interchange.models import ImportBatch, ImportConflict

    las = access.las_for_903(user)
    latest = list(ImportBatch.objects.filter(la__in=las).select_related("la", "actor")
                  .order_by("-created_at", "-pk")[:5])
    conflicts = ImportConflict.objects.filter(child__la__in=las, status=ImportConflict.Status.OPEN).count()
    return {"latest": latest, "conflicts": conflicts}


def _team(user, team, today) -> dict:
    """Each worker's open work and what of it is overdue (a few grouped counts), what nobody holds, and the
    links gone quiet – all within what the manager may see."""
    from permanence.children import rules as child_rules
    from permanence.family_finding import rules as link_rules

    ids = [p.pk for p in team]
    by = {pk: {"children": 0, "households": 0, "support": 0, "overdue": 0} for pk in ids}
    overdue = Q(next_due_date__lt=today)
    open_children = None
    if access.can_see_child_records(user):
        # Open children are counted; what is overdue is counted as the task list lists it (T.child_task_stages:
        # adopted children's life story books and later life letters too).
        children = access.children_visible_to(user).filter(stage__in=T.child_task_stages())
        is_open = Q(stage__in=[s.value for s in child_rules.OPEN_STAGES])
        open_children = children.filter(is_open)
        for field in ("family_finder", "la_social_worker"):
            for row in (children.filter(**{f"{field}__in": ids}).order_by().values(field)
                        .annotate(n=Count("pk", filter=is_open), late=Count("pk", filter=overdue))):
                by[row[field]]["children"] += row["n"]
                by[row[field]]["overdue"] += row["late"]
    open_households = None
    if access.can_see_adopter_records(user):
        open_households = T.households_in_progress(access.households_visible_to(user))
        for row in (open_households.filter(assessing_social_worker__in=ids).order_by().values("assessing_social_worker")
                    .annotate(n=Count("pk"), late=Count("pk", filter=overdue))):
            by[row["assessing_social_worker"]]["households"] += row["n"]
            by[row["assessing_social_worker"]]["overdue"] += row["late"]
    open_cases = None
    if access.can_see_support(user):
        open_cases = access.support_cases_visible_to(user).filter(closed_on__isnull=True)
        for row in (open_cases.filter(worker__in=ids).order_by().values("worker")
                    .annotate(n=Count("pk"), late=Count("pk", filter=overdue))):
            by[row["worker"]]["support"] += row["n"]
            by[row["worker"]]["overdue"] += row["late"]
    rows = [{"person": p, **by[p.pk]} for p in team]
    unallocated = []
    if open_children is not None:
        field = "la_social_worker" if user.organisation.is_la else "family_finder"
        n = open_children.filter(**{f"{field}__isnull": True}).count()
        unallocated.append({"what": "Children with no social worker" if user.organisation.is_la
                            else "Children with no family finder", "n": n, "url": ""})
    if open_households is not None:
        n = open_households.filter(assessing_social_worker__isnull=True).count()
        unallocated.append({"what": "Households with no assessing social worker", "n": n,
                            "url": reverse("adopters:pipeline") if n else ""})
    if open_cases is not None:
        n = open_cases.filter(worker__isnull=True).count()
        unallocated.append({"what": "Support cases with no worker", "n": n,
                            "url": reverse("support:cases") + "?worker=none" if n else ""})
    stale = None
    if access.can_see_links(user):
        stale = (access.links_visible_to(user).filter(stage__in=[s.value for s in link_rules.OPEN_STAGES],
                                                        activity_due__lt=today).count())
    return {"rows": rows, "unallocated": unallocated, "stale_links": stale,
            "overdue_total": sum(r["overdue"] for r in rows)}
