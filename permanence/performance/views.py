from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from permanence import access
from permanence.core import exports, pdf
from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField, show_service_errors
from permanence.jobs import files
from permanence.performance import link_figures, measures, reports, rules, services
from permanence.performance.models import LocalTarget
from permanence.performance.rules.periods import last_quarters, quarter_of, year_endings


def scope_from(request):
    """The scope the user asked for (?scope=raa or an LA code) among those they may see: (scope, chosen, choices).
    Decided by access.measure_scope_for (as the API's measures are); missing and not-yours are the same 404."""
    chosen = request.GET.get("scope") or None
    asked = access.measure_scope_for(request.user, raa=chosen == "raa", la=None if chosen == "raa" else chosen)
    return asked.scope, asked.chosen, asked.choices


def drillable_keys(user) -> frozenset[str]:
    """The measures whose records this user may list (access.drill_families_for: children's for those who see
    children's records, adopters' for those who see adopters' records; board members none)."""
    families = access.drill_families_for(user)
    return frozenset(k for k, m in rules.MEASURES.items() if m.family in families)


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
    scope, chosen, choices = scope_from(request)
    years = year_endings(timezone.localdate())
    year_ending = _year_ending_from(request, years, "year_ending", "year")
    figures = measures.scorecard(scope, year_ending)
    return render(request, "performance/scorecard.html", {
        "scope": scope, "chosen": chosen, "choices": choices, "years": years, "year_ending": year_ending,
        "period": rules.scorecard_period(year_ending), "figures": figures,
        "basis_label": rules.BASIS_LABELS[rules.RETROSPECTIVE],
        "drillable": drillable_keys(request.user),
    })


def drill(request):
    """The records behind one figure of the scorecard (?report=scorecard&year=YYYY) or of the quarterly figures
    (?report=quarterly&quarter=YYYYQn): the same figure recomputed, its children (or, for adopter figures, its
    households) listed through the access module – those outside the user's access are counted, never shown.
    Not for users who see aggregates only (board members): 404."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    report = request.GET.get("report", "scorecard")
    key = request.GET.get("key", "")
    if report not in ("scorecard", "quarterly", "prospective") or key not in rules.MEASURES:
        raise Http404("Not found")
    scope, chosen, _choices = scope_from(request)
    years = year_endings(timezone.localdate())
    year_ending = quarter = cohort = None
    if report == "scorecard":
        year_ending = _year_ending_from(request, years, "year", "year_ending")
        figures = measures.scorecard(scope, year_ending)
    elif report == "quarterly":
        quarter, _period = _quarter_from(request)
        figures = measures.quarterly_children(scope, quarter)
    else:
        cohort = _cohort_from(request.GET, timezone.localdate())
        if cohort.errors:
            raise Http404("Not found")
        figures = measures.prospective_cohort(scope, cohort.po_from, cohort.po_to, cohort.as_of)
    figure = next((f for f in figures if f.key == key), None)
    if figure is None or not figure.available:
        raise Http404("Not found")
    context = {"figure": figure, "scope": scope, "chosen": chosen, "report": report, "year_ending": year_ending,
               "quarter": quarter, "cohort": cohort, "period": figure.period}
    family = rules.MEASURES[key].family
    if not access.can_drill(user, family):
        raise Http404("Not found")
    if family == "adopters":
        ids = figure.household_ids
        households = list(access.households_visible_to(user).filter(pk__in=ids).select_related(
            "assessing_social_worker").order_by("name", "pk"))
        return render(request, "performance/drill.html", {
            **context, "households": households, "hidden": len(ids) - len(households), "records": "households"})
    ids = figure.child_ids
    visible = list(access.children_visible_to(user).filter(pk__in=ids).select_related("la")
                   .order_by("last_name", "first_name", "pk"))
    dated = report == "scorecard" and key in rules.DRILL_DATES
    if dated:
        milestones = measures.scorecard_milestones(scope, year_ending, [c.pk for c in visible])
        rows = [{"child": c, **rules.drill_row(key, milestones.get(c.pk))} for c in visible]
    else:
        rows = [{"child": c, "dates": [], "days": None, "adoption_order": None} for c in visible]
    return render(request, "performance/drill.html", {
        **context, "rows": rows, "hidden": len(ids) - len(visible), "records": "children", "dated": dated,
        "date_labels": [label for label, _ in rules.DRILL_DATES[key]] if dated else [],
        "has_days": dated and len(rules.DRILL_DATES[key]) == 2,
    })


CHART_HEIGHT, CHART_BAR, CHART_TOP, CHART_FOOT = 160, 64, 28, 36  # SVG units, drawn 1:1 (16px text stays 16px)

# The dashboard's trend charts: children adopted, and the two averages boards ask about, A10 and A2 (each chart's
# numbers are in the trend table above them).
TREND_CHARTS = (
    ("children_adopted", "Children adopted in each quarter", "the number of children adopted"),
    ("A10", "A10: average days from entering care to moving in with the adoptive family",
     "the average days from entering care to moving in (A10)"),
    ("A2", "A2: average days from placement order to the match decision",
     "the average days from placement order to the match decision (A2)"),
)


def _bars(trend, key: str = "children_adopted") -> list[dict]:
    """A bar per quarter for `key`'s figure, scaled to the tallest; a quarter with no figure has no bar."""
    values = [figs[key].value if key in figs else None for _q, figs in trend]
    top = max((v for v in values if v), default=0) or 1
    bars = []
    for i, ((q, _figs), v) in enumerate(zip(trend, values, strict=True)):
        height = round(CHART_HEIGHT * (v or 0) / top)
        bars.append({"x": i * CHART_BAR + 4, "mid": i * CHART_BAR + 4 + (CHART_BAR - 8) // 2,
                     "y": CHART_TOP + CHART_HEIGHT - height, "height": height, "width": CHART_BAR - 8,
                     "n": "–" if v is None else round(v), "label": q.label.split(" (")[0], "short": f"{q.start:%b %y}"})
    return bars


def trend_charts(trend) -> list[dict]:
    width = CHART_BAR * len(trend) + 8
    return [{"key": key, "id": f"trend-chart-{key.lower().replace('_', '-')}", "title": title, "what": what,
             "title_id": "trend-chart-title" if i == 0 else f"trend-chart-{key.lower().replace('_', '-')}-title",
             "bars": _bars(trend, key), "width": width, "height": CHART_TOP + CHART_HEIGHT + CHART_FOOT,
             "baseline": CHART_TOP + CHART_HEIGHT, "label_y": CHART_TOP + CHART_HEIGHT + 24}
            for i, (key, title, what) in enumerate(TREND_CHARTS)]


def dashboard_data(scope, las, today: date) -> dict:
    """Everything the dashboard shows, for a scope and its LAs as on `today` (also used by the cross-checks)."""
    year_ending = year_endings(today)[0]
    scorecard, by_la = measures.scorecard_with_las(scope, year_ending, las)
    figures = [f for f in scorecard if f.available]
    targets = measures.local_targets(scope)
    headline = [(f, rules.against_target(f, targets)) for f in figures]
    trend = measures.scorecard_trend(scope, last_quarters(today))
    child_keys = [f.key for f in figures if f.key in rules.SCORECARD_CHILD_KEYS]
    side_by_side = []
    for la in las:
        figs = {f.key: f for f in by_la.get(la.pk, [])}
        side_by_side.append((la, [figs.get(k) for k in child_keys]))
    quarter = last_quarters(today, 1)[0]
    return {"scope": scope, "year_ending": year_ending, "period": rules.scorecard_period(year_ending),
            "family_finding": link_figures.figures_for_dashboard(scope, quarter), "family_finding_quarter": quarter,
            "sections": measures.dashboard_sections(scope, quarter),
            "headline": headline, "has_targets": bool(targets), "trend": trend, "charts": trend_charts(trend),
            "side_by_side": side_by_side, "side_by_side_keys": [rules.MEASURES[k] for k in child_keys]}


def dashboard(request):
    """The board's view: the headline scorecard measures for the user's RAA (or their own LA) against the national
    thresholds and the organisation's own targets, the trend over the last 12 quarters, and the LAs side by side.
    Aggregates only; users who may see the records get a link from each figure to the records behind it."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    own_raa = access.raa_for_aggregates(user)
    las = list(access.las_visible_to(user).order_by("name"))
    if own_raa is not None:
        scope, chosen = measures.scope_for_raa(own_raa), "raa"
    elif len(las) == 1:
        scope, chosen = measures.scope_for_la(las[0]), las[0].code
    else:
        raise Http404("Not found")
    data = dashboard_data(scope, las, timezone.localdate())
    return render(request, "performance/dashboard.html", {
        **data, "chosen": chosen, "drillable": drillable_keys(user), "own_raa": own_raa,
        "can_set_targets": bool(access.organisations_for_targets(user)),
        "last_quarter": quarter_of(last_quarters(timezone.localdate(), 1)[0].start),
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
    text = (request.GET.get("quarter") or "").strip().upper() or quarter_of(last_quarters(timezone.localdate(), 1)[0].start)
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
    if fmt == "pdf" and (queued := files.queue_report(request, label=f"Quarterly report for {la.name}, {quarter} (PDF)")):
        return queued  # made by a background job (jobs/files.py), which runs this view again as the user
    report = reports.quarterly_report(measures.scope_for_la(la), quarter)
    filename = f"quarterly-{la.code}-{quarter}"
    context = {"la": la, "quarter": quarter, "period": period, "report": report, "figures": report["figures"],
               "own_raa": access.raa_for_aggregates(user), "drillable": drillable_keys(user)}
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
    if (queued := files.queue_report(request, label=f"ASGLB return for {raa.name}, {quarter} ({fmt.upper()})")):
        return queued  # made by a background job (jobs/files.py), which runs this view again as the user
    rows = []
    scopes = [(la.code, str(la), measures.scope_for_la(la)) for la in access.las_visible_to(user).order_by("code")]
    scopes.append((raa.code, raa.name, measures.scope_for_raa(raa)))
    for i, (code, area, scope) in enumerate(scopes):
        files.step(f"Worked out the figures for {i:,} of {len(scopes):,} areas", i, len(scopes),
                   percent=5 + 45 * i / len(scopes))
        for figure in reports.quarterly_report(scope, quarter)["figures"]:
            rows.append({"quarter": quarter, "code": code, "area": area, "figure": figure})
    return exports.export_response(request, rows=rows, columns=ASGLB_COLUMNS, what="performance.asglb_return",
                                   fmt=fmt, filename=f"asglb-{raa.code}-{quarter}", filters={"quarter": quarter})


# ---------------------------------------------------------------------------------------------
# Local targets: the organisation's own ambition beside the national thresholds (shown on the dashboard)


class LocalTargetForm(VersionedForm, core_forms.Form):
    version_related = ("local_targets",)  # a target added since the page opened is a change to the RAA's
    organisation = forms.ChoiceField(label="For", error_messages={
        "required": "Select who the target is for", "invalid_choice": "Select who the target is for from the list"})
    key = forms.ChoiceField(label="Measure")
    value = forms.DecimalField(label="Target", min_value=0, max_digits=10, decimal_places=2,
                               help_text="Days for an average, per cent for a percentage.",
                               error_messages={"required": "Enter the target.",
                                               "invalid": "Enter the target as a number, like 120 or 62.5"})
    valid_from = DateField(kind="planned", label="In force for figures whose period ends on or after",
                           help_text="For example, 31 3 2026.")
    source = forms.CharField(label="Who set it, and when", max_length=300,
                             error_messages={"required": "Say who set the target and when."})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.code, str(o)) for o in organisations]
        self.fields["key"].choices = [(k, f"{k}: {rules.MEASURES[k].label}") for k in rules.targetable_keys()]


def targets(request):
    """The RAA's and its LAs' own targets, with their history, and a form to add one (head of service, system
    administrator). Targets are added, never edited: a new one takes over from its date."""
    organisations = access.organisations_for_targets(request.user)
    if not organisations:
        raise Http404("Not found")
    by_code = {o.code: o for o in organisations}
    form = LocalTargetForm(request.POST or None, organisations=organisations, versioned=organisations[0])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with form.saving():
                services.add_local_target(actor=request.user, organisation=by_code[data["organisation"]],
                                          key=data["key"], value=data["value"], valid_from=data["valid_from"],
                                          source=data["source"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"Target {data['key']} for {by_code[data['organisation']]} added.")
            return redirect("performance:targets")
    rows = LocalTarget.objects.filter(organisation__in=organisations).select_related("organisation")
    return render(request, "performance/targets.html", {"form": form, "rows": rows})


# ---------------------------------------------------------------------------------------------
# Prospective cohorts (seed 003, "A caution"): children by first placement order date, those still waiting
# counted with their days so far. Always labelled prospective, beside the retrospective scorecard.


@dataclass
class Cohort:
    po_from: date
    po_to: date
    as_of: date
    errors: dict[str, str]

    @property
    def query(self) -> str:
        return f"po_from={self.po_from.isoformat()}&po_to={self.po_to.isoformat()}&as_of={self.as_of.isoformat()}"


def _cohort_from(params, today: date) -> Cohort:
    """The cohort asked for (ISO dates), defaulting to the last complete financial year as on today."""
    year = rules.financial_year_of(today)
    defaults = {"po_from": date(year - 1, 4, 1), "po_to": date(year, 3, 31), "as_of": today}
    values, errors = {}, {}
    labels = {"po_from": "The first date", "po_to": "The last date", "as_of": "The report date"}
    for name, default in defaults.items():
        raw = (params.get(name) or "").strip()
        try:
            values[name] = date.fromisoformat(raw) if raw else default
        except ValueError:
            values[name], errors[name] = default, f"{labels[name]} must be a real date, for example 2025-04-01."
    if not errors:
        errors = rules.cohort_problems(values["po_from"], values["po_to"], values["as_of"], today)
    return Cohort(values["po_from"], values["po_to"], values["as_of"], errors)


def prospective(request):
    """A prospective cohort for the RAA or one of its LAs: each figure links to the children behind it."""
    scope, chosen, choices = scope_from(request)
    cohort = _cohort_from(request.GET, timezone.localdate())
    figures = [] if cohort.errors else measures.prospective_cohort(scope, cohort.po_from, cohort.po_to,
                                                                      cohort.as_of)
    return render(request, "performance/prospective.html", {
        "scope": scope, "chosen": chosen, "choices": choices, "cohort": cohort, "figures": figures,
        "basis_label": rules.BASIS_LABELS[rules.PROSPECTIVE], "drillable": drillable_keys(request.user),
        "retrospective_label": rules.BASIS_LABELS[rules.RETROSPECTIVE],
    })
