"""Published England figures (performance.NationalFigure): the national comparator, loaded as data with a source.

Never an average of the LAs one installation holds; where none is loaded for a period, the pages say so."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from permanence.performance.rules.comparison import GroupPoint, GroupSeries
from permanence.performance.rules.figures import Figure
from permanence.performance.rules.periods import (
    Period,
    financial_year,
    financial_year_of,
    parse_quarter,
    scorecard_period,
)
from permanence.performance.rules.registry import MEASURES, Unit
from permanence.performance.rules.thresholds import _num

ENGLAND_LABEL = "England (published figures)"
INSTALLATION_LABEL = "All local authorities in Permanence"
NO_ENGLAND_FIGURE = "No published England figure loaded"
PUBLISHED = "published"
NATIONAL_FIGURE_COLUMNS = ("measure", "period", "value", "source")
NATIONAL_FIGURE_OPTIONAL = ("n",)


@dataclass(frozen=True)
class NationalFact:
    measure: str
    start: date
    end: date
    value: int | float
    n: int | None = None
    source: str = ""
    period: str = ""


def parse_national_period(text: str) -> Period:
    """A published figure's period as the files write it: '2019-20' a financial year (April 2019 to March 2020),
    '2012-15' the three years ending 31 March 2015 (a scorecard), '2025Q1' a quarter (parse_quarter)."""
    raw = (text or "").strip().upper()
    if "Q" in raw:
        return parse_quarter(raw)
    head, sep, tail = raw.partition("-")
    if not (sep and len(head) == 4 and head.isdecimal() and len(tail) == 2 and tail.isdecimal()):
        raise ValueError(f"A period is written like 2019-20 (a financial year), 2012-15 (three years ending 31 March "
                         f"2015) or 2025Q1 (a quarter), not {text!r}")
    start_year = int(head)
    end_year = start_year // 100 * 100 + int(tail)
    if end_year <= start_year:
        end_year += 100
    if end_year - start_year == 1:
        return financial_year(start_year)
    if end_year - start_year == 3:
        return replace(scorecard_period(end_year), label=f"{start_year}-{tail} (three years ending 31 March {end_year})")
    raise ValueError(f"A period is one financial year (2019-20) or three years (2012-15), not {text!r}")


def national_period_text(period: Period) -> str:
    """The period as the files write it (the inverse of parse_national_period)."""
    if (period.start.month, period.start.day, period.end.month, period.end.day) == (4, 1, 3, 31):
        return f"{period.start.year}-{period.end.year % 100:02d}"
    return f"{financial_year_of(period.start)}Q{(period.start.month - 4) % 12 // 3 + 1}"


@dataclass(frozen=True)
class NationalRow:
    line: int
    measure: str
    period_text: str
    period: Period
    value: Decimal
    n: int | None
    source: str


def parse_national_figures(rows: Iterable[tuple[int, dict]],
                           header: Sequence[str] | None) -> tuple[list[NationalRow], list[str]]:
    """The rows of a national figures file – (line number, csv.DictReader's row) – and its header, checked:
    (rows, problems). Each problem names its line (the header is line 1). All or nothing: the caller loads
    nothing if there are any."""
    problems: list[str] = []
    columns = [c.strip().lower() for c in header or []]
    missing = [c for c in NATIONAL_FIGURE_COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in NATIONAL_FIGURE_COLUMNS + NATIONAL_FIGURE_OPTIONAL]
    if missing or unknown:
        text = "Line 1: the columns must be measure, period, value and source (and n, if published)"
        if missing:
            text += f"; missing: {', '.join(missing)}"
        if unknown:
            text += f"; not known: {', '.join(unknown)}"
        return [], [text]
    out: list[NationalRow] = []
    seen: dict[tuple[str, date, date], int] = {}
    for i, raw in rows:
        if any(str(x).strip() for x in raw.get(None) or ()):  # csv.DictReader's home for values beyond the header
            problems.append(f"Line {i}: it has more values than the header has columns")
            continue
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.get(c) for c in columns):
            continue  # a blank line
        line_problems = []
        measure = (row.get("measure") or "").upper()
        if measure not in MEASURES:
            line_problems.append(f"measure {row.get('measure')!r} is not one Permanence knows (for example A1, A10, "
                                 f"A2, A3)")
        period = None
        try:
            period = parse_national_period(row.get("period") or "")
        except ValueError as err:
            line_problems.append(str(err)[0].lower() + str(err)[1:])
        value = None
        try:
            value = Decimal(row.get("value") or "")
            if not value.is_finite() or value < 0:
                raise ArithmeticError
        except ArithmeticError:
            line_problems.append(f"value {row.get('value')!r} must be a number, 0 or more")
            value = None
        if value is not None and measure in MEASURES and MEASURES[measure].unit is Unit.PERCENT and value > 100:
            line_problems.append(f"value {value} is a percentage, so at most 100")
        if value is not None and value.as_tuple().exponent < -2:
            line_problems.append(f"value {value} has more than 2 decimal places")
        n = None
        if row.get("n"):
            if not str(row["n"]).isdecimal():
                line_problems.append(f"n {row['n']!r} must be a whole number of children (or adopters), or empty")
            else:
                n = int(row["n"])
        source = row.get("source") or ""
        if not source:
            line_problems.append("source is empty: say where the figure is published")
        elif len(source) > 300:
            line_problems.append("source is longer than 300 characters")
        if period is not None and measure in MEASURES:
            key = (measure, period.start, period.end)
            if key in seen:
                line_problems.append(f"{measure} for {row.get('period')} is already on line {seen[key]}")
            else:
                seen[key] = i
        if line_problems:
            problems.append(f"Line {i}: " + "; ".join(line_problems))
            continue
        out.append(NationalRow(i, measure, national_period_text(period), period, value, n, source))
    if not out and not problems:
        problems.append("The file has no figures: after the header line, one figure a line")
    return out, problems


def national_series(measure: str, periods: Sequence[Period], facts: Iterable[NationalFact]) -> GroupSeries:
    """The England line of a comparison: the published figure for each period (matched on its exact dates), or
    an empty figure saying none is loaded."""
    m = MEASURES[measure]
    by_dates = {(f.start, f.end): f for f in facts if f.measure == measure}
    points = []
    for p in periods:
        fact = by_dates.get((p.start, p.end))
        if fact is None:
            fig = Figure(measure, m.label, None, None, m.unit.value, PUBLISHED, p, direction=m.direction,
                         note=NO_ENGLAND_FIGURE)
        else:
            fig = Figure(measure, m.label, _num(fact.value), fact.n, m.unit.value, PUBLISHED, p,
                         direction=m.direction, note=f"Source: {fact.source}")
        points.append(GroupPoint(p, fig, None))
    return GroupSeries(ENGLAND_LABEL, "national", tuple(points))
