"""The performance surgery (issue 5): a team manager's fortnightly meeting with a team or a worker about every
child and household with a milestone due or overdue – what was agreed last time, who owns it, by when – and the
actions agreed, done and escalated since.

Pages parse the request, reach records through access, read through performance.selectors and write through
performance.services. Who may do what is in access ("Performance surgeries"): managers run surgeries for
any team or worker of their organisation, and for the work no worker is allocated to (?scope=unallocated); a
worker sees their own list and may mark done or escalate the actions they own. Missing and not-yours are the same
404.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.core import exports, listing, pdf
from permanence.core.forms import show_service_errors
from permanence.core.models import AuditEvent
from permanence.core.templatetags.govuk import govuk_date
from permanence.family_finding.rows import link_rows
from permanence.organisations.models import Role
from permanence.performance import selectors, services
from permanence.performance import surgery_forms as f
from permanence.performance.models import SurgeryAction
from permanence.performance.rules import surgery as ranking

PAGE_SIZE = 50
STALE_SHOWN = 20  # stale links on the surgery page; the links board lists them all
AUDIT_LABELS = {
    "performance.surgery_action.agreed": "Agreed",
    "performance.surgery_action.completed": "Marked done",
    "performance.surgery_action.escalated": "Escalated",
    "performance.surgery_action.withdrawn": "Withdrawn",
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("Not found")


def _staff_label(s) -> str:
    team = f", {s.team.name}" if s.team_id else ""
    return f"{s.get_full_name() or s.username} ({Role(s.role).label}{team})"


# ---------------------------------------------------------------------------------------------
# Whose surgery, how far ahead


UNALLOCATED = "unallocated"


def _scope(request, user) -> selectors.SurgeryScope | None:
    """The team or worker asked for (?scope=team-3 or worker-7) among those the user may see, or the work not
    allocated to anyone (?scope=unallocated, managers only). Without one: a manager's own team (None if they have
    none), a worker's own list."""
    org = user.organisation
    raw = request.GET.get("scope", "")
    if not raw:
        if not access.can_run_surgeries(user):
            return selectors.SurgeryScope(org, worker=user)
        team = access.surgery_teams_for(user).filter(pk=user.team_id).first() if user.team_id else None
        return selectors.SurgeryScope(org, team=team) if team else None
    if raw == UNALLOCATED:
        _require(access.can_see_unallocated_surgery(user))
        return selectors.SurgeryScope(org, unallocated=True)
    kind, _, pk = raw.partition("-")
    if kind == "team":
        return selectors.SurgeryScope(org, team=access.get_surgery_team_for(user, pk))
    if kind == "worker":
        return selectors.SurgeryScope(org, worker=access.get_surgery_worker_for(user, pk))
    raise Http404("Not found")


def _days(request) -> int:
    raw = request.GET.get("days") or str(selectors.DEFAULT_HORIZON_DAYS)
    try:
        days = int(raw)
    except ValueError:
        raise Http404("Not found") from None
    if not 0 <= days <= selectors.MAX_HORIZON_DAYS:
        raise Http404("Not found")
    return days


def _scope_value(scope: selectors.SurgeryScope | None) -> str:
    if scope is None:
        return ""
    if scope.unallocated:
        return UNALLOCATED
    return f"team-{scope.team.pk}" if scope.team is not None else f"worker-{scope.worker.pk}"


def _unallocated_label(user) -> str:
    """The "Surgery for" option for the work with no worker allocated, saying which worker is missing."""
    if not access.can_see_unallocated_surgery(user):
        return ""
    missing = "no family finder or assessing social worker" if user.organisation.is_raa else "no social worker"
    return f"{selectors.UNALLOCATED_LABEL} ({missing})"


def _scope_choices(user) -> list:
    teams = [(f"team-{t.pk}", t.name) for t in access.surgery_teams_for(user)]
    people = [(f"worker-{s.pk}", _staff_label(s)) for s in access.surgery_workers_for(user).select_related("team")]
    choices = []
    if teams:
        choices.append(("Teams", teams))
    if people:
        choices.append(("People", people))
    return choices


def _horizon_choices(days: int) -> list[tuple[int, str]]:
    values = sorted({*selectors.HORIZON_CHOICES, days})
    return [(d, "Overdue or due today" if d == 0 else f"Next {d} days") for d in values]


def _filters(request) -> tuple[f.SurgeryFilterForm, selectors.SurgeryFilters]:
    """The kinds and age bands ticked (?kind=waiting&age=over_a_year); a value not on the list is left out and the
    form says so."""
    form = f.SurgeryFilterForm(request.GET)
    form.is_valid()
    return form, selectors.SurgeryFilters(kinds=form.chosen("kind"), ages=form.chosen("age"))


def _surgery(request, user):
    """The list as the user asked for it: (scope, days, today, filter form, filters)."""
    scope = _scope(request, user)
    days = _days(request)
    form, filters = _filters(request)
    return scope, days, timezone.localdate(), form, filters


def _query(scope, days: int, filters: selectors.SurgeryFilters = selectors.NO_FILTERS) -> str:
    params: list[tuple[str, object]] = [("scope", _scope_value(scope))] if scope is not None else []
    if days != selectors.DEFAULT_HORIZON_DAYS:
        params.append(("days", days))
    params += [("kind", k.key) for k in ranking.SURGERY_KINDS if k.key in filters.kinds]
    params += [("age", b.key) for b in ranking.SURGERY_AGE_BANDS if b.key in filters.ages]
    return urlencode(params)


def surgery(request):
    """The surgery list for a team or a worker, in the order of performance.rules.surgery (what a manager can
    still change first: children waiting for a family at the top, paperwork after the adoption order at the
    bottom; the longest overdue first within each kind), filtered by kind and age, ordered and paged in the
    database, with the last action agreed."""
    user = request.user
    _require(access.can_see_surgeries(user))
    scope, days, today, form, filters = _surgery(request, user)
    can_run = access.can_run_surgeries(user)
    summary = None
    rows = []
    page_obj = None
    if scope is not None:
        page_obj = listing.paginate(request, selectors.surgery_list(user, scope, today=today, horizon_days=days,
                                                                    filters=filters), PAGE_SIZE)
        rows = selectors.attach_actions(selectors.rows_for(user, scope, page_obj.object_list, today=today), user)
        for r in rows:
            r.can_complete = r.latest is not None and access.can_complete_surgery_action(user, r.latest)
            r.can_escalate = r.latest is not None and access.can_escalate_surgery_action(user, r.latest)
        summary = selectors.surgery_summary(user, scope, today=today, horizon_days=days, filters=filters)
        form.label_counts("kind", summary.kinds)
        form.label_counts("age", summary.ages)
    stale = selectors.stale_links(user, scope, today=today) if scope is not None else []
    stale_count = len(stale) if isinstance(stale, list) else stale.count()
    back = urlencode({"next": request.get_full_path(),
                      **({"team": scope.team.pk} if scope is not None and scope.team is not None else {})})
    return render(request, "performance/surgery/list.html", {
        "scope": scope, "scope_value": _scope_value(scope), "scope_choices": _scope_choices(user) if can_run else [],
        "unallocated_label": _unallocated_label(user) if can_run else "",
        "days": days, "horizon_choices": _horizon_choices(days), "today": today,
        "until": today + timedelta(days=days), "rows": rows, "page_obj": page_obj,
        "summary": summary, "can_run": can_run, "filter_form": form, "filters": filters,
        "filters_text": filters.describe(), "ranking": ranking.SURGERY_RANKING,
        "clear_query": _query(scope, days),
        "can_print": access.can_print_surgery_agenda(user), "query": _query(scope, days, filters), "back": back,
        "stale_links": link_rows(user, stale[:STALE_SHOWN], today), "stale_count": stale_count,
        "escalated_to_me": access.surgery_actions_visible_to(user).filter(
            status=SurgeryAction.Status.ESCALATED, escalated_to=user).count() if can_run else 0,
        **_support_waiting(user, scope, today),
    })


def _support_waiting(user, scope, today) -> dict:
    """Adoption support's waiting list on the surgery (issue 12): the scope's waiting cases, longest first, bounded
    like the stale links."""
    from permanence.support import rules as support_rules
    from permanence.support import selectors as support

    if scope is None or not access.can_see_support(user):
        return {"support_waiting": [], "support_waiting_count": 0}
    waiting = support.surgery_waiting(access.surgery_support_cases(user), team=scope.team, worker=scope.worker,
                                      unallocated=scope.unallocated)
    rows = [{"case": c, "days": support_rules.days_waiting(c.requested_on, today),
             "long_wait": support_rules.long_wait(c.requested_on, today)} for c in waiting[:support.SURGERY_SHOWN]]
    return {"support_waiting": rows, "support_waiting_count": waiting.count() if rows else 0}


def _agenda_context(request, user):
    """The agenda: the same items, filters and order as the surgery page, every one of them (not paged)."""
    _require(access.can_print_surgery_agenda(user))
    scope, days, today, _form, filters = _surgery(request, user)
    if scope is None:
        raise Http404("Choose a team or a worker first")
    rows = selectors.attach_actions(selectors.surgery_rows(user, scope, today=today, horizon_days=days,
                                                           filters=filters), user)
    return {"scope": scope, "days": days, "today": today, "until": today + timedelta(days=days),
            "rows": rows, "summary": selectors.summarise(rows), "query": _query(scope, days, filters),
            "filters": filters, "filters_text": filters.describe(), "ranking": ranking.SURGERY_RANKING,
            "organisation": user.organisation}


def _log_agenda(request, context, fmt: str) -> None:
    scope = context["scope"]
    exports.log_export(user=request.user, what="performance.surgery_agenda", fmt=fmt, row_count=len(context["rows"]),
                       filters={**scope.filters, "days": context["days"], "on": context["today"].isoformat(),
                                **context["filters"].as_dict},
                       path=request.get_full_path())


def surgery_print(request):
    """The agenda as a print-friendly page (the navigation is left off the printout). Logged like an export: paper
    leaves the system too."""
    context = _agenda_context(request, request.user)
    _log_agenda(request, context, "print")
    return render(request, "performance/surgery/print.html", context)


def surgery_pdf(request):
    """The agenda as a PDF, logged as an export."""
    context = _agenda_context(request, request.user)
    _log_agenda(request, context, "pdf")
    scope = context["scope"]
    name = f"surgery-{_scope_value(scope)}"  # surgery-team-3, surgery-worker-7 or surgery-unallocated
    return pdf.pdf_response(request, "performance/surgery/agenda_pdf.html", {
        **context, "name": f"Performance surgery: {scope.label}", "reference": f"{context['today']:%d/%m/%Y}",
    }, filename=name)


# ---------------------------------------------------------------------------------------------
# Escalated actions


def escalated(request):
    """Actions escalated to a manager or the head of service, oldest escalation first."""
    user = request.user
    _require(access.can_run_surgeries(user))
    mine = request.GET.get("to") == "me"
    qs = selectors.escalated_actions(user, to=user if mine else None)
    page_obj = listing.paginate(request, qs, PAGE_SIZE)
    today = timezone.localdate()
    for a in page_obj.object_list:
        a.overdue = a.is_overdue(today)
        a.can_complete = access.can_complete_surgery_action(user, a)
        a.can_escalate = access.can_escalate_surgery_action(user, a)
    return render(request, "performance/surgery/escalated.html", {
        "page_obj": page_obj, "actions": page_obj.object_list, "mine": mine, "today": today,
    })


# ---------------------------------------------------------------------------------------------
# Agreeing, completing, escalating and withdrawing actions


def _next_url(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt.startswith(reverse("performance:surgery")) and url_has_allowed_host_and_scheme(
            nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return default


def _subject_context(subject, kind: str, today) -> dict:
    due = subject.next_due_date
    return {"subject": subject, "kind": kind, "today": today, "due": due,
            "days_to_go": (due - today).days if due else None,
            "subject_name": subject.full_name if kind == "child" else f"{subject.name} household",
            "subject_url": reverse("children:detail", args=[subject.pk]) if kind == "child"
            else reverse("adopters:household-detail", args=[subject.pk])}


def _agree(request, *, child=None, household=None):
    user = request.user
    subject, kind = (child, "child") if child is not None else (household, "household")
    team = access.get_surgery_team_for(user, request.GET["team"]) if request.GET.get("team") else None
    owners = access.surgery_owners_for(user, household=household is not None)
    worker = (child.family_finder if user.organisation.is_raa else child.la_social_worker) if child is not None \
        else household.assessing_social_worker
    today = timezone.localdate()
    initial = {"agreed_on": today, "owner": worker if worker is not None and owners.filter(pk=worker.pk).exists()
               else None}
    form = f.AgreeActionForm(request.POST or None, owners=owners, initial=initial, today=today)
    back = _next_url(request, reverse("performance:surgery"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            action = services.agree_action(actor=user, child=child, household=household, text=d["text"],
                                           owner=d["owner"], due_by=d["due_by"], agreed_on=d["agreed_on"],
                                           team=team, today=today)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"Action agreed for {_subject_context(subject, kind, today)['subject_name']}: "
                                      f"{action.owner} by {govuk_date(action.due_by)}.")
            return redirect(back)
    history = list(selectors.subject_actions(user, child=child, household=household)[:20])
    return render(request, "performance/surgery/agree.html", {
        **_subject_context(subject, kind, today), "form": form, "back": back, "team": team, "history": history,
    })


@require_http_methods(["GET", "POST"])
def agree_for_child(request, pk: int):
    return _agree(request, child=access.get_surgery_child_for(request.user, pk))


@require_http_methods(["GET", "POST"])
def agree_for_household(request, pk: int):
    return _agree(request, household=access.get_surgery_household_for(request.user, pk))


def _action_context(action: SurgeryAction, today) -> dict:
    subject, kind = (action.child, "child") if action.child_id else (action.household, "household")
    return {**_subject_context(subject, kind, today), "action": action, "overdue": action.is_overdue(today)}


def action_detail(request, pk: int):
    """One action: what was agreed, where it stands, and its history from the audit trail."""
    user = request.user
    action = access.get_surgery_action_for(user, pk)
    today = timezone.localdate()
    history = []
    for e in AuditEvent.objects.filter(object_type=SurgeryAction._meta.label_lower, object_id=str(action.pk)) \
            .select_related("actor").order_by("at", "id"):
        after = e.after or {}
        detail = {"performance.surgery_action.agreed": after.get("text", ""),
                  "performance.surgery_action.completed": after.get("outcome", ""),
                  }.get(e.action, e.reason)
        history.append({"at": e.at, "actor": e.actor, "label": AUDIT_LABELS.get(e.action, e.action),
                        "detail": detail})
    return render(request, "performance/surgery/action.html", {
        **_action_context(action, today), "history": history, "back": _next_url(request, ""),
        "can_complete": access.can_complete_surgery_action(user, action),
        "can_escalate": access.can_escalate_surgery_action(user, action),
        "can_withdraw": access.can_withdraw_surgery_action(user, action),
    })


def _change(request, pk: int, *, allowed, form_factory, save, title: str, submit: str, success: str,
            template: str = "performance/surgery/change.html"):
    user = request.user
    action = access.get_surgery_action_for(user, pk)
    detail_url = reverse("performance:surgery-action", args=[action.pk])
    back = _next_url(request, detail_url)
    if not action.is_open:
        messages.info(request, f"This action is already {action.get_status_display().lower()}.")
        return redirect(detail_url)
    _require(allowed(user, action))
    today = timezone.localdate()
    form = form_factory(request, user, action, today)
    if request.method == "POST" and form.is_valid():
        try:
            save(user, action, form.cleaned_data, today)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, template, {**_action_context(action, today), "form": form, "title": title,
                                      "submit": submit, "back": back})


@require_http_methods(["GET", "POST"])
def complete(request, pk: int):
    return _change(
        request, pk, allowed=access.can_complete_surgery_action,
        form_factory=lambda req, user, action, today: f.CompleteActionForm(req.POST or None, initial={"on": today}),
        save=lambda user, action, d, today: services.complete_action(actor=user, action=action, on=d["on"],
                                                                     outcome=d["outcome"], today=today),
        title="Mark the action done", submit="Mark as done", success="The action has been marked done.")


@require_http_methods(["GET", "POST"])
def escalate(request, pk: int):
    return _change(
        request, pk, allowed=access.can_escalate_surgery_action,
        form_factory=lambda req, user, action, today: f.EscalateActionForm(
            req.POST or None, targets=access.surgery_escalation_targets(user, action), initial={"on": today}),
        save=lambda user, action, d, today: services.escalate_action(actor=user, action=action, to=d["to"],
                                                                     reason=d["reason"], on=d["on"], today=today),
        title="Escalate the action", submit="Escalate", success="The action has been escalated.")


@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    return _change(
        request, pk, allowed=access.can_withdraw_surgery_action,
        form_factory=lambda req, user, action, today: f.WithdrawActionForm(req.POST or None, initial={"on": today}),
        save=lambda user, action, d, today: services.withdraw_action(actor=user, action=action, on=d["on"],
                                                                     reason=d["reason"], today=today),
        title="Withdraw the action", submit="Withdraw the action", success="The action has been withdrawn.")
