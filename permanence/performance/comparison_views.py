"""Comparisons: how groups of LAs changed over time against England (seed 000, Figures 1–2).

One page, `performance:comparison`: choose the measure (A2 placement order to match by default, A1 or A10),
financial years or quarters, and either the groups derived from each LA's case holding policy (across the whole
country) or up to three groups of the user's own LAs. The table of figures sits beside an SVG line chart, with the
change from the first period to the last per group and for each of the user's LAs against England's change.
England's figures are the published ones loaded as data (NationalFigure, `permanence national-figures load`); a
period with none loaded says "No published England figure loaded". The average of every LA the installation holds
is shown too, labelled "All local authorities in Permanence", never as England or national.
Aggregates only. What leaves the user's area is protected by rules.disclosed_series: averages over 1–4 children
are "<5", and a figure whose children from outside the user's area are few or all from one LA is withheld.
The figures are worked out in the request from each LA's totals per period (measures.group_trend, one query over
performance.AdoptionDays): tens of milliseconds at national scale, so no job and nothing kept.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from permanence import access
from permanence.core import exports
from permanence.performance import measures, rules, views

MAX_CHOSEN_GROUPS = 3
GRANULARITIES = {
    # name: (label, default number of periods, allowed numbers)
    "year": ("Financial years", 5, range(2, 11)),
    "quarter": ("Quarters", 8, range(2, 17)),
}
GROUP_MODES = {"policy": "By case holding policy", "chosen": "Groups I choose"}
FORMATS = ("html", *exports.FORMATS)
NAME_MAX = 60

# Line styles: never colour alone (WCAG 1.4.1) – each series has its own marker, England's line is dashed.
STYLES = [("#1d70b8", "circle"), ("#d4351c", "square"), ("#00703c", "triangle"), ("#4c2c92", "diamond")]
NATIONAL_STYLE = ("#0b0c0c", "cross")
CHART = {"width": 560, "height": 320, "left": 56, "right": 40, "top": 20, "bottom": 48}


def _periods(granularity: str, count: int, today) -> list[rules.Period]:
    if granularity == "year":
        return rules.complete_financial_years(today, count)
    return views.last_quarters(today, count)


def _choice(request, name: str, allowed, default: str) -> str:
    value = request.GET.get(name) or default
    if value not in allowed:
        raise Http404("Not found")
    return value


def _chosen_groups(request, visible) -> list[dict]:
    """The user's groups (?g1=CODE&g1=CODE&name1=…): only LAs the user may see; any other code is a 404."""
    by_code = {la.code: la for la in visible}
    groups = []
    for i in range(1, MAX_CHOSEN_GROUPS + 1):
        codes = set(request.GET.getlist(f"g{i}"))
        if codes - set(by_code):
            raise Http404("Not found")
        name = " ".join((request.GET.get(f"name{i}") or "").split())[:NAME_MAX]
        groups.append({"index": i, "name": name or f"Group {i}", "given_name": name, "codes": codes,
                       "las": [la for la in visible if la.code in codes]})
    return groups


def _value(f) -> object:
    """A figure's value as the table and the file show it: a number, "<5", "withheld" or "" (nothing to show)."""
    if f.suppressed and f.value is None:
        return "withheld"
    if f.basis == rules.PUBLISHED and f.value is None:
        return rules.NO_ENGLAND_FIGURE
    return "" if f.value is None else f.value


def _n(f) -> object:
    if f.suppressed and f.n is None:
        return "withheld"
    return "" if f.n is None else f.n


def _difference(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _against_national(series: rules.GroupSeries, national: rules.GroupSeries | None) -> dict:
    """Seed 000 Figure 1 (change against England's change) and Figure 2 (latest period against England's
    figure), in days, from the published England figures; None where England's figure is not loaded."""
    change = series.change
    if national is None:
        return {"change": change, "vs_national_change": None, "vs_national_last": None}
    last = rules.figure_number(series.points[-1].figure)
    national_last = rules.figure_number(national.points[-1].figure)
    return {"change": change, "vs_national_change": _difference(change.days, national.change.days),
            "vs_national_last": None if last is None or national_last is None
            else rules.round_half_up(last - national_last)}


def _marker(shape: str, x: float, y: float) -> str:
    r = 4.5
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}Z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y:.1f}L{x:.1f},{y + r + 1:.1f}L{x - r - 1:.1f},{y:.1f}Z"
    return f"M{x - r:.1f},{y - r:.1f}L{x + r:.1f},{y + r:.1f}M{x - r:.1f},{y + r:.1f}L{x + r:.1f},{y - r:.1f}"


def _nice_top(value: float) -> int:
    """The top of the y axis: four equal steps of a round number of days, at least `value`."""
    for step in (5, 10, 25, 50, 100, 250, 500, 1000):
        if value <= 4 * step:
            return 4 * step
    return 4 * 1000 * int(-(-value // 4000))


def chart(series: list[rules.GroupSeries], periods: list[rules.Period]) -> dict:
    """Coordinates for the SVG line chart: a polyline per run of two or more shown values (a withheld or missing
    figure breaks the line), a marker per value, the y axis in days from 0."""
    c = dict(CHART)
    plot_w = c["width"] - c["left"] - c["right"]
    plot_h = c["height"] - c["top"] - c["bottom"]
    values = [v for s in series for f in s.figures if (v := rules.figure_number(f)) is not None]
    top = _nice_top(max(values, default=0)) if values else 100
    step = plot_w / (len(periods) - 1) if len(periods) > 1 else 0

    def x(i: int) -> float:
        return c["left"] + (i * step if len(periods) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return c["top"] + plot_h * (1 - v / top)

    lines = []
    for k, s in enumerate(series):
        colour, shape = NATIONAL_STYLE if s.kind == "national" else STYLES[k % len(STYLES)]
        runs, run, markers = [], [], []
        for i, f in enumerate(s.figures):
            v = rules.figure_number(f)
            if v is None:
                if len(run) > 1:
                    runs.append(run)
                run = []
                continue
            run.append(f"{x(i):.1f},{y(v):.1f}")
            markers.append({"d": _marker(shape, x(i), y(v)), "title": f"{s.label}, "
                            f"{rules.short_label(periods[i])}: {v} days"})
        if len(run) > 1:
            runs.append(run)
        lines.append({"label": s.label, "colour": colour, "shape": shape, "dash": "6 4" if s.kind == "national" else "",
                      "runs": [" ".join(r) for r in runs], "markers": markers,
                      "swatch": _marker(shape, 20, 8)})
    ticks = [{"y": round(y(top * t / 4), 1), "label": round(top * t / 4)} for t in range(5)]
    every = -(-len(periods) // 8)  # at most 8 period labels fit under the axis; the table has them all
    axis = [{"x": round(x(i), 1), "label": rules.short_label(p)} for i, p in enumerate(periods)
            if (len(periods) - 1 - i) % every == 0]  # the latest always labelled
    return {**c, "lines": lines, "ticks": ticks, "axis": axis, "plot_right": c["width"] - c["right"],
            "plot_bottom": c["height"] - c["bottom"], "top_value": top}


def _file_rows(series: list[rules.GroupSeries], periods: list[rules.Period]) -> list[list]:
    rows = [[rules.short_label(p), p.start, p.end, *[x for s in series for x in (_value(s.figures[i]), _n(s.figures[i]))]]
            for i, p in enumerate(periods)]
    rows.append(["Change from the first period to the last (days)", "", "",
                 *[x for s in series for x in (s.change.days, "")]])
    rows.append(["Change from the first period to the last (%)", "", "",
                 *[x for s in series for x in (s.change.percent, "")]])
    return rows


def _file_columns(series: list[rules.GroupSeries], unit: str) -> list[exports.Column]:
    columns = [exports.Column("Period", lambda r: r[0]), exports.Column("Start", lambda r: r[1]),
               exports.Column("End", lambda r: r[2])]
    for k, s in enumerate(series):
        # A chosen group's name is the user's text, and exports writes headers as they are: escape formulas here.
        columns.append(exports.Column(exports.safe_cell(f"{s.label} ({unit})"), (lambda i: lambda r: r[i])(3 + 2 * k)))
        columns.append(exports.Column(exports.safe_cell(f"{s.label}: children counted (n)"),
                                      (lambda i: lambda r: r[i])(4 + 2 * k)))
    return columns


def _figures(measure, periods, mode, chosen, visible):
    """The case holding groups and the comparison's series (not yet suppressed), from the LAs' totals."""
    policy_groups = measures.case_holding_groups(periods)
    if mode == "policy":
        groups: dict = dict(policy_groups)
    else:
        groups = {}
        for g in chosen:
            if g["las"]:
                name = g["name"] if g["name"] not in groups else f'{g["name"]} ({g["index"]})'
                groups[name] = {la.pk for la in g["las"]}
    return policy_groups, measures.group_trend(groups, periods, measure, per_la=visible)


def comparison(request):
    """Groups of LAs over time against England's published figures. Aggregates only: users who may see aggregates; the
    per-LA table lists only the LAs the user may see, and chosen groups may only contain those."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    visible = list(access.las_visible_to(user).order_by("name"))
    visible_ids = {la.pk for la in visible}
    measure = _choice(request, "measure", rules.COMPARISON_MEASURES, "A2")
    granularity = _choice(request, "period", GRANULARITIES, "year")
    mode = _choice(request, "groups", GROUP_MODES, "policy")
    fmt = _choice(request, "format", FORMATS, "html")
    if fmt != "html" and not access.can_export(user):
        raise Http404("Not found")
    _label, default_count, allowed = GRANULARITIES[granularity]
    try:
        count = int(request.GET.get("count") or default_count)
    except ValueError:
        raise Http404("Not found") from None
    if count not in allowed:
        raise Http404("Not found")
    chosen = _chosen_groups(request, visible)
    periods = _periods(granularity, count, timezone.localdate())

    errors = []
    if mode == "chosen" and not any(g["las"] for g in chosen):
        errors.append({"text": "Choose at least one local authority for a group", "href": "#g1-fieldset"})
    policy_groups, result = _figures(measure, periods, mode, chosen, visible)
    shown_groups = [rules.disclosed_series(s, visible_ids, small=(mode == "policy")) for s in result.groups]
    installation = rules.disclosed_series(result.installation, visible_ids) if result.installation else None
    national = result.national  # England's published figures: nothing of the installation's to protect
    series = [*shown_groups, *(s for s in (installation, national) if s is not None)]
    unit = rules.MEASURES[measure].unit.value

    if fmt != "html":
        return exports.export_response(
            request, rows=_file_rows(series, periods), columns=_file_columns(series, unit),
            what="performance.comparison", fmt=fmt, filename=f"comparison-{measure}-{granularity}",
            filters={"measure": measure, "period": granularity, "count": count, "groups": mode,
                     **({f"g{g['index']}": sorted(g["codes"]) for g in chosen if g["codes"]} if mode == "chosen"
                        else {})})

    last = periods[-1]
    raa_holds = policy_groups[rules.CASE_HOLDING_GROUP_LABELS[rules.RAA_HOLDS]][last]
    la_rows = []
    for la, s in zip(visible, result.las, strict=True):
        s = rules.disclosed_series(s, visible_ids, small=False)
        holding = rules.CASE_HOLDING_GROUP_LABELS[rules.RAA_HOLDS if la.pk in raa_holds else rules.LA_KEEPS_CASE]
        la_rows.append({"la": la, "series": s, "holding": holding, **_against_national(s, national)})
    period_rows = [{"period": p, "cells": [s.points[i] for s in series]} for i, p in enumerate(periods)]
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "performance/comparison.html", {
        "measure": measure, "measure_label": result.label, "measures": [(k, rules.MEASURES[k].label)
                                                                         for k in rules.COMPARISON_MEASURES],
        "granularity": granularity, "granularities": [(k, v[0]) for k, v in GRANULARITIES.items()],
        "count": count, "counts": list(allowed), "mode": mode, "modes": list(GROUP_MODES.items()),
        "chosen": chosen, "visible": visible, "periods": periods, "first": periods[0], "last": last,
        "series": series, "period_rows": period_rows,
        "changes": [{"series": s, **_against_national(s, national)} for s in series],
        "la_rows": la_rows, "national": national, "chart": chart(series, periods), "errors": errors,
        "no_england": rules.NO_ENGLAND_FIGURE, "england_label": rules.ENGLAND_LABEL,
        "england_first_missing": national is not None and national.points[0].figure.value is None,
        "england_last_missing": national is not None and national.points[-1].figure.value is None,
        "can_see_national_figures": access.can_see_national_figures(user),
        "basis_label": rules.BASIS_LABELS[rules.RETROSPECTIVE], "can_export": access.can_export(user),
        "query": query.urlencode(), "small_groups": mode == "policy",
    })
