from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from permanence.core import access, exports, pdf
from permanence.performance import measures, reports, rules


def _year_endings(today) -> list[int]:
    latest = today.year if (today.month, today.day) >= (3, 31) else today.year - 1
    return list(range(latest, latest - 8, -1))


def _scope_from(request):
    """The scope the user asked for (?scope=raa or an LA code) among those they may see: (scope, chosen, choices).
    Missing and not-yours are the same 404."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    las = list(access.las_visible_to(user))
    own_raa = access.raa_for_aggregates(user)
    choices = ([("raa", own_raa.name)] if own_raa else []) + [(la.code, str(la)) for la in las]
    if not choices:
        raise Http404("Not found")
    chosen = request.GET.get("scope") or choices[0][0]
    if chosen == "raa" and own_raa is not None:
        return measures.scope_for_raa(own_raa), chosen, choices
    la = next((la for la in las if la.code == chosen), None)
    if la is None:
        raise Http404("Not found")
    return measures.scope_for_la(la), chosen, choices


def _year_ending_from(request, years: list[int], *names: str) -> int:
    raw = next((request.GET.get(n) for n in names if request.GET.get(n)), None)
    try:
        year_ending = int(raw or years[0])
    except ValueError:
        raise Http404("Not found") from None
    if not 2000 <= year_ending <= years[0]:
        raise Http404("Not found")
    return year_ending


def scorecard(request):
    """The Adoption Scorecard for the user's RAA (its member LAs on each date) or one of the LAs they may see.
    Aggregate figures only, never suppressed here: this page does not leave the RAA. Users who may see children's
    records get a link from each children's figure to the children behind it."""
    scope, chosen, choices = _scope_from(request)
    years = _year_endings(timezone.localdate())
    year_ending = _year_ending_from(request, years, "year_ending", "year")
    figures = measures.scorecard(scope, year_ending)
    return render(request, "performance/scorecard.html", {
        "scope": scope, "chosen": chosen, "choices": choices, "years": years, "year_ending": year_ending,
        "period": rules.scorecard_period(year_ending), "figures": figures,
        "basis_label": rules.BASIS_LABELS[rules.RETROSPECTIVE],
        "drillable": rules.SCORECARD_CHILD_KEYS if access.can_see_child_records(request.user) else (),
    })


def drill(request):
    """The children behind one scorecard figure: the same figure recomputed, its children listed through
    access.children_visible_to (those outside the user's access are counted, never shown). Not for users who
    see aggregates only (board members): 404."""
    user = request.user
    if not (access.can_see_aggregates(user) and access.can_see_child_records(user)):
        raise Http404("Not found")
    if request.GET.get("report", "scorecard") != "scorecard":
        raise Http404("Not found")
    key = request.GET.get("key", "")
    if key not in rules.SCORECARD_CHILD_KEYS:
        raise Http404("Not found")
    scope, chosen, _choices = _scope_from(request)
    years = _year_endings(timezone.localdate())
    year_ending = _year_ending_from(request, years, "year", "year_ending")
    figure = next(f for f in measures.scorecard(scope, year_ending) if f.key == key)
    ids = figure.child_ids
    visible = list(access.children_visible_to(user).filter(pk__in=ids).select_related("la")
                   .order_by("last_name", "first_name", "pk"))
    milestones = measures.scorecard_milestones(scope, year_ending, [c.pk for c in visible])
    rows = [{"child": c, **rules.drill_row(key, milestones.get(c.pk))} for c in visible]
    return render(request, "performance/drill.html", {
        "figure": figure, "scope": scope, "chosen": chosen, "year_ending": year_ending,
        "period": figure.period, "rows": rows, "hidden": len(ids) - len(visible),
        "date_labels": [label for label, _ in rules.DRILL_DATES[key]],
        "has_days": len(rules.DRILL_DATES[key]) == 2,
    })


def _quarter_of(day: date) -> str:
    """The financial-year quarter containing `day`, as parse_quarter spells it."""
    fy = day.year if day.month >= 4 else day.year - 1
    return f"{fy}Q{(day.month - 4) % 12 // 3 + 1}"


def last_quarters(today: date, count: int = 12) -> list[rules.Period]:
    """The last `count` complete quarters before `today`, oldest first."""
    out = []
    current = rules.parse_quarter(_quarter_of(today))
    day = current.start
    for _ in range(count):
        day = date.fromordinal(day.toordinal() - 1)
        q = rules.parse_quarter(_quarter_of(day))
        out.append(q)
        day = q.start
    return list(reversed(out))


CHART_WIDTH, CHART_HEIGHT, CHART_BAR = 480, 160, 40


def _bars(trend) -> list[dict]:
    counts = [figs["children_adopted"].value or 0 for _q, figs in trend]
    top = max(counts, default=0) or 1
    bars = []
    for i, ((q, _figs), n) in enumerate(zip(trend, counts, strict=True)):
        height = round(CHART_HEIGHT * n / top)
        bars.append({"x": i * CHART_BAR + 4, "y": CHART_HEIGHT - height + 20, "height": height, "n": n,
                     "label": q.label.split(" (")[0], "short": f"{q.start:%b %y}"})
    return bars


def dashboard(request):
    """The board's view: the headline scorecard measures for the user's RAA (or their own LA) against the
    thresholds, the trend over the last 12 quarters, and the LAs side by side. Aggregates only."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    own_raa = access.raa_for_aggregates(user)
    las = list(access.las_visible_to(user).order_by("name"))
    if own_raa is not None:
        scope = measures.scope_for_raa(own_raa)
    elif len(las) == 1:
        scope = measures.scope_for_la(las[0])
    else:
        raise Http404("Not found")
    today = timezone.localdate()
    year_ending = _year_endings(today)[0]
    headline = [f for f in measures.scorecard(scope, year_ending) if f.key in rules.SCORECARD_CHILD_KEYS]
    trend = measures.scorecard_trend(scope, last_quarters(today))
    by_la = measures.scorecard_by_la(year_ending, las) if las else {}
    keys = [f.key for f in headline]
    side_by_side = []
    for la in las:
        figs = {f.key: f for f in by_la.get(la.pk, [])}
        side_by_side.append((la, [figs.get(k) for k in keys]))
    return render(request, "performance/dashboard.html", {
        "scope": scope, "year_ending": year_ending, "period": rules.scorecard_period(year_ending),
        "headline": headline, "trend": trend, "bars": _bars(trend), "keys": keys, "side_by_side": side_by_side,
        "chart": {"width": CHART_BAR * len(trend) + 8, "height": CHART_HEIGHT + 60},
    })


# ---------------------------------------------------------------------------------------------
# Quarterly reports: the standard report to each LA, and the ASGLB-style return for the RAA. Both leave the RAA,
# so both are suppressed ("<5") exactly as `permanence report quarterly` is by default.

QUARTERLY_COLUMNS = [
    exports.Column("Measure", lambda f: f["key"]),
    exports.Column("Description", lambda f: f["label"]),
    exports.Column("Value", lambda f: f["value"]),
    exports.Column("n", lambda f: f["n"]),
    exports.Column("Unit", lambda f: f["unit"]),
    exports.Column("Note", lambda f: f["note"]),
]
ASGLB_COLUMNS = [
    exports.Column("Quarter", lambda r: r["quarter"]),
    exports.Column("Area code", lambda r: r["code"]),
    exports.Column("Area", lambda r: r["area"]),
    *[exports.Column(c.header, (lambda fn: lambda r: fn(r["figure"]))(c.value)) for c in QUARTERLY_COLUMNS],
]


def _quarter_from(request) -> tuple[str, rules.Period]:
    text = (request.GET.get("quarter") or "").strip().upper() or _quarter_of(last_quarters(timezone.localdate(), 1)[0].start)
    try:
        return text, rules.parse_quarter(text)
    except ValueError:
        raise Http404("Not found") from None


def quarterly(request):
    """The standard quarterly report to one LA (?la=CODE&quarter=YYYYQn), as a page, a PDF or a spreadsheet."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    la = access.get_la_for(user, request.GET.get("la") or "")
    quarter, period = _quarter_from(request)
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "pdf", "xlsx"):
        raise Http404("Not found")
    report = reports.quarterly_report(measures.scope_for_la(la), quarter)
    filename = f"quarterly-{la.code}-{quarter}"
    context = {"la": la, "quarter": quarter, "period": period, "report": report, "figures": report["figures"],
               "own_raa": access.raa_for_aggregates(user)}
    if fmt == "xlsx":
        return exports.export_response(request, rows=report["figures"], columns=QUARTERLY_COLUMNS,
                                       what="performance.quarterly", fmt="xlsx", filename=filename,
                                       filters={"la": la.code, "quarter": quarter})
    if fmt == "pdf":
        exports.log_export(user=user, what="performance.quarterly", fmt="pdf", row_count=len(report["figures"]),
                           filters={"la": la.code, "quarter": quarter}, path=request.get_full_path())
        return pdf.pdf_response(request, "performance/quarterly_pdf.html", context, filename=filename)
    return render(request, "performance/quarterly.html", context)


def asglb_return(request):
    """The ASGLB-style quarterly return for the user's RAA: one row per measure per member LA, then the RAA's
    own rows (which carry the adopter measures), suppressed, as CSV or XLSX."""
    user = request.user
    raa = access.raa_for_aggregates(user)
    if raa is None:
        raise Http404("Not found")
    quarter, _period = _quarter_from(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        raise Http404("Not found")
    rows = []
    scopes = [(la.code, str(la), measures.scope_for_la(la)) for la in access.las_visible_to(user).order_by("code")]
    scopes.append((raa.code, raa.name, measures.scope_for_raa(raa)))
    for code, area, scope in scopes:
        for figure in reports.quarterly_report(scope, quarter)["figures"]:
            rows.append({"quarter": quarter, "code": code, "area": area, "figure": figure})
    return exports.export_response(request, rows=rows, columns=ASGLB_COLUMNS, what="performance.asglb_return",
                                   fmt=fmt, filename=f"asglb-{raa.code}-{quarter}", filters={"quarter": quarter})
