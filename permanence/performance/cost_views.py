"""The cost calculator (seed 003): days in care beyond a target × the daily cost of care, per child and in total,
and the cost avoided against a baseline period; and the page that sets the daily cost of care.

The figures are measures.cost (the same arithmetic as the reports); this module parses the choices, fills in the
defaults (the last complete financial year, the year before as baseline, the A1 threshold and the configured daily
cost in force at the period end) and lists the children through access.children_visible_to. Board members see the
totals only."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from permanence import access
from permanence.core import exports
from permanence.core.forms import show_service_errors
from permanence.performance import measures, rules, services
from permanence.performance.cost_forms import CostCalculatorForm, DailyCostForm
from permanence.performance.models import DailyCostOfCare
from permanence.performance.views import scope_from, year_endings

YEARS_OFFERED = 10


def pounds(amount: Decimal | float | int | None) -> str:
    """£12,500.00 (a negative amount keeps its sign: -£1,234.50)."""
    if amount is None:
        return "–"
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{'-' if value < 0 else ''}£{abs(value):,.2f}"


def _one_place(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def _form_data(request, default_year: int):
    """The GET choices, with the defaults filled in: the last complete financial year, the year before as
    baseline (so the first visit shows figures)."""
    data = request.GET.copy()
    for key, value in (("period", "year"), ("year", str(default_year)), ("baseline", "previous")):
        if not data.get(key):
            data[key] = value
    return data


def _dates_of(scope: measures.Scope, period: rules.Period, child_ids: list[int]) -> dict[int, rules.Milestones]:
    """The milestones of these children as measures.cost read them (one query), for the dates in the table."""
    return measures.period_milestones(scope, period, child_ids)


def _calculate(request) -> dict:
    """Everything the calculator page and its download need. 404 for users who may not see the scope."""
    user = request.user
    if not access.can_use_cost_calculator(user):
        raise Http404("Not found")
    scope, chosen, choices = scope_from(request)
    today = timezone.localdate()
    years = year_endings(today, YEARS_OFFERED)
    form = CostCalculatorForm(_form_data(request, years[0]), year_endings=years, today=today)
    ctx = {"form": form, "scope": scope, "chosen": chosen, "choices": choices, "result": None,
           "can_set_cost": access.can_set_daily_cost_of_care(user), "problems": [],
           "target_hint": "Leave blank to use the A1 threshold in force at the end of the period.",
           "cost_hint": "Leave blank to use the daily cost of care in force at the end of the period. Enter a "
                        "figure only to see what the figures would be at another cost (a what-if)."}
    if not form.is_valid():
        return ctx
    data = form.cleaned_data
    period, baseline = data["period_obj"], data["baseline_obj"]
    threshold = rules.threshold_on(measures.thresholds(), "A1", period.end)
    configured = measures.daily_cost_on(period.end, measures.cost_organisations(scope))
    ctx.update(period=period, baseline=baseline, threshold=threshold, configured=configured,
               target_override=data["target_days"], cost_override=data["daily_cost"])
    if threshold is not None:
        value = Decimal(str(threshold.value))
        ctx["threshold_days"] = str(int(value)) if value == int(value) else str(value)
        ctx["target_hint"] = (f"Leave blank to use the A1 threshold in force on {period.end:%-d %B %Y}: "
                              f"{ctx['threshold_days']} days ({threshold.source}).")
    if configured is not None:
        ctx["configured_amount"] = pounds(configured.amount)
        ctx["cost_hint"] = (f"Leave blank to use the daily cost of care in force on {period.end:%-d %B %Y}: "
                            f"{pounds(configured.amount)} a day ({configured.source}). Enter a figure only for a "
                            "what-if.")
    else:
        ctx["cost_hint"] = (f"No daily cost of care is set for {period.end:%-d %B %Y}. Enter a figure to see the "
                            "cost at it (a what-if).")
    if data["target_days"] is None and threshold is None:
        ctx["problems"].append("no_target")
    if data["daily_cost"] is None and configured is None:
        ctx["problems"].append("no_cost")
    if ctx["problems"]:
        return ctx
    result = measures.cost(scope, period, target_days=data["target_days"], baseline=baseline,
                           daily_cost=data["daily_cost"])
    ctx["result"] = result
    ctx["summary"] = _summary(result)
    if access.can_see_cost_per_child(user):
        ctx.update(_per_child(user, scope, result))
    return ctx


def _summary(result: rules.CostResult) -> dict:
    figures = {f.key: f for f in result.figures}
    n, n_base = len(result.children), len(result.baseline_children)
    out = {
        "children": n, "excess_days": result.total_excess_days, "cost": pounds(result.total_cost),
        "children_beyond": sum(1 for c in result.children if c.excess_days),
        "daily_cost": pounds(result.daily_cost), "baseline_children": n_base,
    }
    if n:
        out["average"] = _one_place(Decimal(result.total_excess_days) / n)
    if result.baseline is not None:
        base_excess = sum(c.excess_days for c in result.baseline_children)
        out["baseline_excess_days"] = base_excess
        if n_base:
            out["baseline_average"] = _one_place(Decimal(base_excess) / n_base)
        avoided = figures["COST_AVOIDED"].value
        if avoided is not None:
            value = Decimal(str(avoided))
            out["avoided"] = pounds(abs(value))
            out["avoided_negative"] = value < 0
            avoided_days = (Decimal(base_excess) / n_base - Decimal(result.total_excess_days) / n) * n
            out["avoided_days"] = _one_place(avoided_days)
    return out


def _per_child(user, scope: measures.Scope, result: rules.CostResult) -> dict:
    """The children behind the figures that the user may see (children_visible_to), and how many they may not."""
    costs = {c.child_id: c for c in result.children}
    visible = list(access.children_visible_to(user).filter(pk__in=list(costs)).select_related("la"))
    dates = _dates_of(scope, result.period, [c.pk for c in visible])
    rows = []
    for child in visible:
        c, m = costs[child.pk], dates.get(child.pk)
        rows.append({
            "child": child, "entered_care": m.entered_care if m else None,
            "moved_in": rules.a10_date(m) if m else None, "adoption_order": m.adoption_order if m else None,
            "days_in_care": c.days_in_care, "excess_days": c.excess_days, "cost": c.cost,
            "cost_text": pounds(c.cost),
        })
    rows.sort(key=lambda r: (-r["excess_days"], r["child"].last_name, r["child"].first_name, r["child"].pk))
    return {"rows": rows, "hidden": len(costs) - len(visible), "per_child": True}


@require_GET
def calculator(request):
    """The cost calculator: choose the scope, the period, the target, the daily cost and a baseline; totals for
    everyone who sees aggregates, the children behind them for those who may see children's records."""
    ctx = _calculate(request)
    ctx["can_export"] = access.can_export_cost_per_child(request.user)
    query = request.GET.copy()
    query.pop("format", None)
    ctx["export_query"] = query.urlencode()
    title = "Cost of days in care"
    if ctx["form"].errors:
        title = f"Error: {title}"
    ctx["title"] = title
    return render(request, "performance/cost.html", ctx)


EXPORT_COLUMNS = [
    exports.Column("Reference", lambda r: r["child"].reference),
    exports.Column("LA code", lambda r: r["child"].la.code),
    exports.Column("LA", lambda r: r["child"].la.name),
    exports.Column("LA child ID", lambda r: r["child"].la_child_id),
    exports.Column("First name", lambda r: r["child"].first_name),
    exports.Column("Last name", lambda r: r["child"].last_name),
    exports.Column("Entered care", lambda r: r["entered_care"]),
    exports.Column("Moved in (A10 basis)", lambda r: r["moved_in"]),
    exports.Column("Adoption order", lambda r: r["adoption_order"]),
    exports.Column("Days in care", lambda r: r["days_in_care"]),
    exports.Column("Target (days)", lambda r: r["target_days"]),
    exports.Column("Days beyond the target", lambda r: r["excess_days"]),
    exports.Column("Daily cost (£)", lambda r: r["daily_cost"]),
    exports.Column("Cost (£)", lambda r: r["cost"]),
]


@require_GET
def calculator_export(request):
    """The per-child table as CSV or XLSX (?format=), for users who may export children's records; logged."""
    user = request.user
    if not access.can_export_cost_per_child(user):
        raise Http404("Not found")
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        raise Http404("Not found")
    ctx = _calculate(request)
    result = ctx["result"]
    if result is None:  # the choices need correcting, or nothing is configured: the page says why
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('performance:cost')}?{query.urlencode()}")
    rows = [{**r, "target_days": result.target_days, "daily_cost": result.daily_cost} for r in ctx["rows"]]
    filters = {
        "scope": ctx["chosen"], "period_start": result.period.start.isoformat(),
        "period_end": result.period.end.isoformat(), "target_days": result.target_days,
        "daily_cost": str(result.daily_cost), "what_if_daily_cost": ctx["cost_override"] is not None,
        "children_outside_access": ctx["hidden"],
    }
    name = f"cost-of-care-{ctx['scope'].code}-{result.period.start:%Y%m%d}-{result.period.end:%Y%m%d}"
    return exports.export_response(request, rows=rows, columns=EXPORT_COLUMNS, what="performance.cost",
                                   fmt=fmt, filename=name, filters=filters)


@require_http_methods(["GET", "POST"])
def daily_cost(request):
    """The daily cost of care the calculator uses: its history, and a form to add a figure from a date. Rows are
    added, never changed, so earlier figures keep applying to earlier periods."""
    user = request.user
    if not access.can_set_daily_cost_of_care(user):
        raise Http404("Not found")
    raa = user.organisation  # an RAA's head of service or system administrator sets the RAA's own figure
    form = DailyCostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cost = services.set_daily_cost_of_care(actor=user, amount=data["amount"], valid_from=data["valid_from"],
                                                   source=data["source"], organisation=raa)
        except ValidationError as err:
            show_service_errors(form, err)
        except IntegrityError:  # another figure from the same date was saved a moment ago
            form.add_error("valid_from", f"A daily cost already applies from {data['valid_from']:%-d %B %Y}. "
                                         "Figures are added, not changed: choose another date")
        else:
            messages.success(request, f"Added: {pounds(cost.amount)} a day from {cost.valid_from:%-d %B %Y}.")
            return redirect("performance:daily-cost")
    today = timezone.localdate()
    in_force = measures.daily_cost_on(today, [raa])
    rows = []
    for owner in (raa, None):  # the RAA's own figures, then the installation's default ones
        history = list(DailyCostOfCare.objects.filter(organisation=owner).order_by("-valid_from"))
        for i, row in enumerate(history):
            until = history[i - 1].valid_from - dt.timedelta(days=1) if i else None
            rows.append({"row": row, "amount": pounds(row.amount), "until": until,
                         "owner": owner.name if owner else "Default (every organisation without its own figure)",
                         "in_force": in_force is not None and row.pk == in_force.pk})
    return render(request, "performance/cost_daily.html", {
        "form": form, "rows": rows, "in_force": in_force, "today": today,
        "in_force_amount": pounds(in_force.amount) if in_force else None,
        "title": f"{'Error: ' if form.errors else ''}Daily cost of care",
        "can_use_calculator": access.can_use_cost_calculator(user), "raa": raa,
    })
