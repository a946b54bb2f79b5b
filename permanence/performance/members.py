"""The six-monthly report for elected members (seed 002, table 2.2: "reporting mechanisms back … into each local
authority for oversight and scrutiny by elected members every 6 months").

    report = members_report(scope, "2025H1")      # April–September 2025; "2025H2" is October 2025–March 2026
    write(report, "xlsx", stream)                  # json and csv through reports.write; xlsx laid out for people

Written for a lay councillor: plain-English labels, a short explanation of every measure, the half-year beside the
previous half-year and the same half-year a year earlier, the change in words ("better", "worse", "no change" –
by the measure's direction), national thresholds, the basis (retrospective or prospective) of every section, and
counts of 1–4 shown as "<5" (the report leaves the RAA; suppressed by default).

Built only from the existing measures, called with half-year Periods: `quarterly_children` (counts of children
with each event in the half-year – a child counts once however many such events it had – children waiting at
the end, and the registered adopter families), `scorecard_trend` (A1/A10/A2/A3 of the children adopted in each
half-year, one query), `scorecard` (three years ending the latest 31 March on or before the half-year end) and
`prospective_cohort` (children given a placement order a year before, as they stood at the half-year end).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import IO

from permanence.organisations.models import Organisation
from permanence.performance import adopter_figures, measures, reports, rules
from permanence.performance.measures import Scope
from permanence.performance.rules import Figure, Period
from permanence.performance.rules.periods import (  # noqa: F401 (the members' report's names for them)
    half_year_code,
    half_year_of,
    half_year_period,
    last_complete_half_years,
    parse_half_year,
    previous_half_year,
    same_half_year_earlier,
    scorecard_year_ending,
)

COLUMNS = ("current", "previous", "year_earlier")
COLUMN_TITLES = {"current": "These six months", "previous": "Previous six months",
                 "year_earlier": "Same six months a year earlier"}
FORMATS = reports.FORMATS

# ---------------------------------------------------------------------------------------------
# Half-years of the financial year (H1 April–September, H2 October–March): the arithmetic is rules.periods'.

# ---------------------------------------------------------------------------------------------
# What the report shows, in plain English


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    explanation: str
    direction: str | None | bool = False  # False: the measure's own direction (rules.MEASURES)


CHILDREN_LINES = [
    Line("Q_AO", "Children adopted",
         "The court made an adoption order: the child is now legally a member of their adoptive family."),
    Line("Q_PLACED", "Children who moved in with their adoptive family",
         "The child was placed for adoption: they moved in with the family who will adopt them."),
    Line("Q_MATCHED", "Children matched with adopters",
         "The agency decision maker agreed that a particular family should adopt the child."),
    Line("Q_EARLY_PERMANENCE", "Children placed early with carers who may adopt them (early permanence)",
         "Fostering for adoption or concurrent planning: the child lives with approved adopters, as foster carers, "
         "before the court decides, so that they move fewer times."),
    Line("Q_PO", "Placement orders granted",
         "The court gave the council authority to place the child for adoption."),
    Line("Q_ADM", "Decisions that a child should be placed for adoption",
         "The council's agency decision maker decided that adoption is the plan for the child (before the court "
         "is asked for a placement order)."),
    Line("Q_PLAN_CHANGED", "Children whose plan changed away from adoption",
         "For example the child's needs changed, the court did not make a placement order, or no adopters were "
         "found."),
    Line("Q_DISRUPTIONS", "Adoptive placements that ended before the adoption order",
         "The child left the family they had moved in with before the adoption was made final (a disruption)."),
]
WAITING_LINES = [
    Line("Q_WAITING", "Children waiting to move in with an adoptive family",
         "Children with a placement order who had not yet moved in with an adoptive family on the last day of the "
         "six months."),
    Line("Q_WAITING_90D", "… of whom waiting more than 90 days", "Since the placement order."),
    Line("Q_WAITING_12M", "… of whom waiting 12 months or more", "Since the placement order."),
    Line("Q_WAITING_18M", "… of whom waiting 18 months or more", "Since the placement order."),
    Line("Q_WAITING_AVG_DAYS", "Average time those children had waited so far",
         "Days from the placement order to the last day of the six months. Shorter is better."),
]
TIMELINESS_LINES = [
    Line("A10", "Average days from entering care to moving in with the adoptive family (A10)",
         "For children adopted in the six months. A child adopted by the carers it already lived with (its foster "
         "carers, or carers it was placed with early, for early permanence) counts to the day it moved in with "
         "them. Shorter is better."),
    Line("A1", "The same without that adjustment (A1)",
         "Days from entering care to the day the child was placed for adoption. Shorter is better."),
    Line("A2", "Average days from placement order to being matched with a family (A2)",
         "For children adopted in the six months who had a placement order; a match before the order counts as 0 "
         "days. Shorter is better."),
    Line("A3", "",  # the figure's own label: the months come from the A3 threshold in force
         "The share of the children adopted in the six months. Higher is better."),
]
PROSPECTIVE_LINES = [
    Line("P_COHORT", "Children given a placement order a year earlier",
         "Children whose first placement order was made in the six months a year before these."),
    Line("P_MATCHED", "… of whom matched with adopters by the end of these six months",
         "The agency decision maker agreed a match with a family."),
    Line("P_WAITING", "… of whom still waiting for a match", "Counted with the days they have waited so far."),
    Line("P_LEFT", "… of whom left the adoption pathway without a match",
         "Their plan changed away from adoption or the placement order was revoked."),
    Line("P_PO_TO_MATCH", "Average days from placement order to match, counting those still waiting",
         "Children still waiting count the days from their placement order to the end of these six months, so "
         "the figure is not flattered by leaving them out. Shorter is better."),
]
ADOPTER_LINES = [
    Line("Q_ADOPTER_REGISTRATIONS", "Households who registered an interest in adopting",
         "Households whose registration of interest the RAA accepted in the six months."),
    Line("Q_ADOPTER_STAGE_1", "Households starting stage 1", "Checks and preparation training."),
    Line("Q_ADOPTER_STAGE_2", "Households starting stage 2", "The assessment (home study)."),
    Line("Q_ADOPTER_APPROVALS", "Households approved as adopters", "Approved by the RAA's agency decision maker."),
    Line("Q_ADOPTER_APPROVED_6_MONTHS", "Approved within 6 months of registering",
         "The share of the households approved in the six months. Higher is better.", rules.HIGHER),
    Line("Q_ADOPTER_MATCHED_3_MONTHS", "Matched within 3 months of approval",
         "The share of the adopters matched in the six months who were matched within 3 months of their "
         "approval. Higher is better.", rules.HIGHER),
    Line("Q_ADOPTERS_WAITING", "Approved adopters waiting to be matched at the end of the six months",
         "Households approved and not yet matched with a child."),
    Line("Q_ADOPTERS_LEFT", "Approved adopters who left", "Households who withdrew or closed after approval."),
]
SCORECARD_LINES = [
    Line("A10", "Average days from entering care to moving in with the adoptive family (A10)",
         "Over three years. Adjusted for adoptions by foster carers and early permanence carers. Shorter is "
         "better."),
    Line("A1", "The same without that adjustment (A1)", "Over three years. Shorter is better."),
    Line("A2", "Average days from placement order to being matched with a family (A2)",
         "Over three years. Shorter is better."),
    Line("A3", "", "The share of the children adopted over three years. Higher is better."),
    Line("children_adopted", "Children adopted over the three years", "The children the averages are about."),
    Line("A11", "Approved adopters waiting to be matched (A11)", "At the end of the three years."),
    Line("A12", "Matched adopters who waited 3 months or more from approval (A12)", "Lower is better."),
    Line("A13", "Adoption applications still to be assessed (A13)", "At the end of the three years."),
]

UNIT_WORDS = {"days": "days", "%": "percentage points", "children": "", "adopters": "", "links": ""}


# ---------------------------------------------------------------------------------------------
# Values and changes, as a councillor reads them


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def display(fig: dict) -> str:
    """A figure's value as the page shows it: '315 days', '67%', '<5', '–' (nothing to show)."""
    value = fig["value"]
    if not fig.get("available", True):
        return "Not available"
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not _number(value):
        return str(value)
    if fig["unit"] == "%":
        return f"{value}%"
    if fig["unit"] == "days":
        return f"{value} days"
    return str(value)


def change(now: dict, then: dict, direction: str | None, *, same_period: bool = False) -> dict:
    """How `now` differs from `then`: the difference and its words. With a direction, 'better', 'worse' or 'no
    change'; without one, 'more'/'fewer' (counts) or 'higher'/'lower'. Nothing is compared when either figure is
    missing or suppressed (a difference could reveal a small number)."""
    a, b = now["value"], then["value"]
    if same_period:
        return {"difference": None, "words": "same period", "text": "Same period: updated once a year"}
    if not (now.get("available", True) and then.get("available", True)) or a is None or b is None:
        return {"difference": None, "words": "not compared", "text": "–"}
    if not (_number(a) and _number(b)):
        return {"difference": None, "words": "not compared", "text": "Not compared: small numbers"}
    diff = rules.round_half_up(a - b, 1)
    if isinstance(diff, float) and diff.is_integer():
        diff = int(diff)
    unit = now["unit"]
    counts = unit in ("children", "adopters")
    if diff == 0:
        return {"difference": 0, "words": "no change", "text": "No change"}
    if direction == rules.LOWER:
        words = "better" if diff < 0 else "worse"
    elif direction == rules.HIGHER:
        words = "better" if diff > 0 else "worse"
    else:
        words = ("more" if diff > 0 else "fewer") if counts else ("higher" if diff > 0 else "lower")
    if counts:
        text = f"{abs(diff)} {'more' if diff > 0 else 'fewer'}"
    elif unit == "days":
        text = f"{abs(diff)} {'day' if abs(diff) == 1 else 'days'} {'longer' if diff > 0 else 'shorter'}"
    else:
        words_for_unit = UNIT_WORDS.get(unit) or unit
        if abs(diff) == 1:
            words_for_unit = words_for_unit.removesuffix("s")
        text = f"{abs(diff)} {words_for_unit} {'higher' if diff > 0 else 'lower'}"
    if direction in (rules.LOWER, rules.HIGHER):
        text += f" ({words})"
    return {"difference": diff, "words": words, "text": text}


def _period_dict(period: Period, code: str = "") -> dict:
    out = {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}
    if code:
        out["code"] = code
    return out


# ---------------------------------------------------------------------------------------------
# The report


def _by_key(figures: list[Figure]) -> dict[str, Figure]:
    return {f.key: f for f in figures}


def _la_raa_name(scope: Scope) -> str:
    if scope.kind == "la":
        la = Organisation.objects.filter(kind=Organisation.Kind.LA, code=scope.code).select_related("raa").first()
        if la is not None and la.raa is not None:
            return la.raa.name
    return "the regional adoption agency (RAA)"


def _short(period: Period) -> str:
    return f"{period.start:%b %Y} to {period.end:%b %Y}"


def _section(key: str, title: str, intro: str, basis: str, lines: list[Line], figs: dict[str, dict[str, Figure]],
             column_labels: dict[str, str], suppress: bool, *, same: frozenset[str] = frozenset(),
             short_labels: dict[str, str] | None = None) -> dict:
    rows = []
    for line in lines:
        cells = {}
        for column in COLUMNS:
            fig = figs[column].get(line.key)
            if fig is None:
                break
            cells[column] = (rules.suppress(fig) if suppress else fig).as_dict()
        else:
            direction = rules.MEASURES[line.key].direction if line.direction is False else line.direction
            current = cells["current"]
            label = line.label or f"{current['label']} ({line.key})"
            rows.append({
                "key": line.key, "label": label, "explanation": line.explanation, "unit": current["unit"],
                "direction": direction, **cells,
                "text": {c: display(cells[c]) for c in COLUMNS},
                "change_previous": change(current, cells["previous"], direction, same_period="previous" in same),
                "change_year_earlier": change(current, cells["year_earlier"], direction,
                                              same_period="year_earlier" in same),
                "threshold": current["threshold"], "rag": current["rag"],
            })
    return {"key": key, "title": title, "intro": intro, "basis": basis, "basis_label": rules.BASIS_LABELS[basis],
            "columns": column_labels, "columns_short": short_labels or column_labels, "rows": rows, "note": "",
            "has_thresholds": any(r["threshold"] is not None for r in rows)}


def members_report(scope: Scope, half_year: str | Period, *, suppress: bool = True) -> dict:
    """The six-monthly report for elected members (below), the thresholds read once for all of it."""
    with measures.one_reading():
        return _members_report(scope, half_year, suppress=suppress)


def _members_report(scope: Scope, half_year: str | Period, *, suppress: bool) -> dict:
    """The six-monthly report for elected members: a dict like the other reports (report, scope, period, basis,
    suppressed, figures – so reports.write can write it as JSON or CSV) plus the comparison periods, the
    sections with their rows (three columns and the change in words) and a plain-English summary."""
    period = parse_half_year(half_year) if isinstance(half_year, str) else half_year
    code = half_year_code(period)
    codes = {"current": code, "previous": previous_half_year(code), "year_earlier": same_half_year_earlier(code)}
    periods = {c: half_year_period(codes[c]) for c in COLUMNS}
    labels = {c: periods[c].label for c in COLUMNS}
    short = {c: _short(periods[c]) for c in COLUMNS}

    # Counts of children with each event in each half-year, children waiting at its end, adopters (registered).
    # Of the families registered for the quarterly figures, only the adopters' are shown here.
    half = {c: _by_key(measures.quarterly_children(scope, periods[c], families=(adopter_figures.quarterly_family,)))
            for c in COLUMNS}
    # Timeliness of the children adopted in each half-year: one query for the three.
    trend = measures.scorecard_trend(scope, [periods[c] for c in COLUMNS])
    adopted = {c: figs for c, (_p, figs) in zip(COLUMNS, trend, strict=True)}
    # The three-year scorecard in force at the end of each half-year (computed once per year ending).
    year_endings = {c: scorecard_year_ending(periods[c]) for c in COLUMNS}
    scorecards: dict[int, dict[str, Figure]] = {}
    for ye in year_endings.values():
        if ye not in scorecards:
            scorecards[ye] = _by_key(measures.scorecard(scope, ye))
    card = {c: scorecards[year_endings[c]] for c in COLUMNS}
    same_card = frozenset(c for c in ("previous", "year_earlier") if year_endings[c] == year_endings["current"])
    # Prospective: children whose first placement order was a year before each half-year, as at its end.
    cohorts = {c: half_year_period(same_half_year_earlier(codes[c])) for c in COLUMNS}
    prospective = {c: _by_key(measures.prospective_cohort(scope, cohorts[c].start, cohorts[c].end, periods[c].end))
                   for c in COLUMNS}

    retro, pro = rules.RETROSPECTIVE, rules.PROSPECTIVE
    sections = [
        _section("children", "What happened in these six months",
                 "How many children had each step of their adoption journey in the six months. A child is counted "
                 "once however many times the step happened.", retro, CHILDREN_LINES, half, labels, suppress,
                 short_labels=short),
        _section("waiting", "Children waiting at the end of the six months",
                 "Children with a placement order who had not yet moved in with an adoptive family.",
                 retro, WAITING_LINES, half, labels, suppress, short_labels=short),
        _section("timeliness", "How long children adopted in these six months waited",
                 "Looking back at the children adopted in each six months, against the national thresholds.",
                 retro, TIMELINESS_LINES, adopted, labels, suppress, short_labels=short),
        _section("prospective", "Children given a placement order a year earlier: where they are now",
                 "Looking forward: this follows every child given a placement order, including those still "
                 "waiting, so the figures are not flattered by counting only the children already adopted.",
                 pro, PROSPECTIVE_LINES, prospective,
                 {c: f"Placement order {cohorts[c].label.split(' (')[0]}, as on {periods[c].end:%-d %B %Y}"
                  for c in COLUMNS}, suppress,
                 short_labels={c: f"Orders {_short(cohorts[c])}, on {periods[c].end:%-d %b %Y}" for c in COLUMNS}),
        _section("adopters", "Adopters",
                 "Households recruited, assessed and approved by the RAA in the six months.",
                 retro, ADOPTER_LINES, half, labels, suppress, short_labels=short),
        _section("scorecard", "The national Adoption Scorecard (three-year averages)",
                 "The Department for Education's scorecard: children adopted in the three years ending 31 March. "
                 "Each column shows the scorecard that was the latest at the end of that six months.",
                 retro, SCORECARD_LINES, card,
                 {c: card[c]["A1"].period.label for c in COLUMNS}, suppress, same=same_card,
                 short_labels={c: f"3 years to 31 Mar {year_endings[c]}" for c in COLUMNS}),
    ]
    adopters = sections[4]
    if not any(row["current"]["available"] for row in adopters["rows"]):
        adopters["rows"] = []
        adopters["note"] = (f"Adopters are recruited, assessed and approved by {_la_raa_name(scope)} for all of its "
                            f"local authorities, so there are no adopter figures for {scope.label} alone: see the "
                            f"RAA's report.")
    scorecard_section = sections[5]
    scorecard_section["rows"] = [r for r in scorecard_section["rows"] if r["current"]["available"]]

    figures = []
    for section in sections:
        for row in section["rows"]:
            for column in COLUMNS:
                figures.append({**row[column], "label": row["label"], "section": section["key"], "column": column})
    bases = sorted({s["basis"] for s in sections})
    report = {
        "report": "members",
        "title": "Six-monthly report for elected members",
        "scope": scope.as_dict(),
        "period": _period_dict(period, code),
        "comparisons": {c: _period_dict(periods[c], codes[c]) for c in ("previous", "year_earlier")},
        "basis": {b: rules.BASIS_LABELS[b] for b in bases},
        "suppressed": suppress,
        "sections": sections,
        "figures": figures,
    }
    report["summary"] = summary(report)
    return report


# ---------------------------------------------------------------------------------------------
# The summary paragraph, generated from the figures


def _count_words(value, one: str, many: str) -> str | None:
    if value is None:
        return None
    if value == rules.SUPPRESSED:
        return f"fewer than 5 {many}"
    if value == 0:
        return f"no {many}"
    if value == 1:
        return f"1 {one}"
    return f"{value} {many}"


def _were(value) -> str:
    return "was" if value == 1 else "were"


def _compare_count(row: dict) -> str:
    parts = []
    for key, words in (("change_previous", "in the previous six months"),
                       ("change_year_earlier", "in the same six months a year earlier")):
        diff = row[key]["difference"]
        if diff is None:
            continue
        if diff == 0:
            parts.append(f"the same number as {words}")
        else:
            parts.append(f"{abs(diff)} {'more' if diff > 0 else 'fewer'} than {words}")
    return (", " + " and ".join(parts)) if parts else ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def summary(report: dict) -> list[str]:
    """A few sentences a councillor can read first, every figure taken from the report's own rows."""
    rows = {(s["key"], r["key"]): r for s in report["sections"] for r in s["rows"]}
    end = date.fromisoformat(report["period"]["end"])
    out = []

    def value(section, key, column="current"):
        row = rows.get((section, key))
        return row[column]["value"] if row else None

    adopted = rows.get(("children", "Q_AO"))
    if adopted:
        v = adopted["current"]["value"]
        out.append(f"{_cap(_count_words(v, 'child', 'children'))} {_were(v)} adopted in these six months"
                   f"{_compare_count(adopted)}.")
    placed, matched = value("children", "Q_PLACED"), value("children", "Q_MATCHED")
    if placed is not None and matched is not None:
        out.append(f"{_cap(_count_words(placed, 'child', 'children'))} moved in with their adoptive family and "
                   f"{_count_words(matched, 'child', 'children')} {_were(matched)} matched with adopters.")
    po, adm = value("children", "Q_PO"), value("children", "Q_ADM")
    if po is not None and adm is not None:
        out.append(f"The court granted placement orders for {_count_words(po, 'child', 'children')}, and "
                   f"{_count_words(adm, 'child', 'children')} {_were(adm)} the subject of a decision that they "
                   f"should be placed for adoption.")
    waiting, long_wait = value("waiting", "Q_WAITING"), value("waiting", "Q_WAITING_18M")
    if waiting is not None:
        sentence = (f"On {end:%-d %B %Y}, {_count_words(waiting, 'child', 'children')} with a placement order "
                    f"{_were(waiting)} waiting to move in with an adoptive family")
        if waiting not in (0, rules.SUPPRESSED) and long_wait is not None:
            of_them = "none" if long_wait == 0 else _count_words(long_wait, "", "").strip()
            sentence += f"; {of_them} of them had waited 18 months or more"
        out.append(sentence + ".")
    a10 = rows.get(("timeliness", "A10"))
    if a10 and a10["current"]["value"] is not None:
        v = a10["current"]["value"]
        if v == rules.SUPPRESSED:
            out.append("Too few children were adopted in these six months to show how long they waited without "
                       "risking identifying them.")
        else:
            sentence = (f"Children adopted in these six months waited on average {v} days from entering care to "
                        f"moving in with their adoptive family")
            t = a10["threshold"]
            if t is not None:
                sentence += (f", within the national threshold of {t} days" if v <= t else
                             f", {rules.round_half_up(v - t)} days more than the national threshold of {t} days")
            words = a10["change_previous"]["words"]
            if words in ("better", "worse", "no change"):
                sentence += {"better": ", shorter than in the previous six months",
                             "worse": ", longer than in the previous six months",
                             "no change": ", the same as in the previous six months"}[words]
            out.append(sentence + ".")
    adopters = next(s for s in report["sections"] if s["key"] == "adopters")
    if adopters["note"]:
        out.append(adopters["note"])
    else:
        approvals, adopters_waiting = value("adopters", "Q_ADOPTER_APPROVALS"), value("adopters", "Q_ADOPTERS_WAITING")
        if approvals is not None and adopters_waiting is not None:
            out.append(f"{_cap(_count_words(approvals, 'household', 'households'))} {_were(approvals)} approved as "
                       f"adopters, and {_count_words(adopters_waiting, 'approved household', 'approved households')} "
                       f"{_were(adopters_waiting)} waiting to be matched with a child on {end:%-d %B %Y}.")
    if report["suppressed"]:
        out.append("To protect children's privacy, numbers from 1 to 4 are shown as \"<5\".")
    return out


# ---------------------------------------------------------------------------------------------
# Files: JSON and CSV as every report (reports.write); the spreadsheet laid out like the page


def write(report: dict, fmt: str, out: IO) -> None:
    if fmt == "xlsx":
        out.write(xlsx_bytes(report))
    else:
        reports.write(report, fmt, out)


XLSX_HEADER = ["Section", "Code", "Measure", "Unit", "These six months", "Previous six months",
               "Same six months a year earlier", "Change on the previous six months",
               "Change on the same six months a year earlier", "National threshold", "Counted (n)", "What it means"]


def xlsx_bytes(report: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from permanence.core.exports import safe_cell

    def cell(value):
        value = safe_cell(value)
        return None if value == "" else value

    workbook = Workbook()
    front = workbook.active
    front.title = "Summary"
    bold = Font(bold=True)
    front.append([f"{report['title']}: {report['scope']['label']}"])
    front["A1"].font = Font(bold=True, size=14)
    front.append([report["period"]["label"]])
    front.append([f"Compared with {report['comparisons']['previous']['label']} and "
                  f"{report['comparisons']['year_earlier']['label']}"])
    front.append([])
    for sentence in report["summary"]:
        front.append([cell(sentence)])
    front.append([])
    for basis, label in report["basis"].items():
        front.append([f"{basis.title()}: {label.split(': ', 1)[-1]}"])
    front.append(["Counts of 1–4 are shown as <5" if report["suppressed"] else "Not suppressed: not for sharing"])
    front.column_dimensions["A"].width = 120
    for row in front.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    sheet = workbook.create_sheet("Figures")
    for section in report["sections"]:
        sheet.append([cell(section["title"])])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append([cell(f"{section['basis'].title()}. {section['intro']}")])
        if section["note"]:
            sheet.append([cell(section["note"])])
        if not section["rows"]:
            sheet.append([])
            continue
        header = list(XLSX_HEADER)
        header[4:7] = [f"{COLUMN_TITLES[c]}: {section['columns'][c]}" for c in COLUMNS]
        sheet.append(header)
        for c in sheet[sheet.max_row]:
            c.font = bold
        for row in section["rows"]:
            sheet.append([section["key"], row["key"], cell(row["label"]), row["unit"],
                          *(cell(row[c]["value"]) for c in COLUMNS),
                          row["change_previous"]["text"], row["change_year_earlier"]["text"],
                          cell(row["threshold"]), cell(row["current"]["n"]), cell(row["explanation"])])
        sheet.append([])
    for letter, width in zip("ABCDEFGHIJKL", (12, 20, 60, 10, 22, 22, 22, 26, 26, 12, 10, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
