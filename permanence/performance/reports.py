"""Reports built from the measures, ready to leave Permanence: JSON, CSV or XLSX, suppressed by default.

    report = scorecard_report(scope, 2026)            # dict: report, scope, period, basis, suppressed, figures
    write(report, "csv", stream)

The API can return `scorecard_report(...)` / `quarterly_report(...)` as they are. Children's ids never leave
(Figure.as_dict without ids); with `suppress=True` (the default) counts of 1–4 read "<5".
"""

from __future__ import annotations

import csv
import io
import json
from typing import IO

from permanence.performance import measures, rules
from permanence.performance.measures import Scope
from permanence.performance.rules import Figure, Period

FORMATS = ("json", "csv", "xlsx")
COLUMNS = ["key", "label", "value", "n", "unit", "threshold", "direction", "rag", "basis", "period_start",
           "period_end", "note", "available", "suppressed"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _report(name: str, scope: Scope, period: Period, figures: list[Figure], suppress: bool) -> dict:
    if suppress:
        figures = [rules.suppress(f) for f in figures]
    bases = sorted({f.basis for f in figures})
    return {
        "report": name,
        "scope": scope.as_dict(),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label},
        "basis": {b: rules.BASIS_LABELS[b] for b in bases},
        "suppressed": suppress,
        "figures": [f.as_dict() for f in figures],
    }


def scorecard_report(scope: Scope, year_ending: int, *, years: int = 3, suppress: bool = True) -> dict:
    period = rules.scorecard_period(year_ending, years)
    return _report("scorecard", scope, period, measures.scorecard(scope, year_ending, years=years), suppress)


def quarterly_report(scope: Scope, quarter: str, *, suppress: bool = True) -> dict:
    period = rules.parse_quarter(quarter)
    return _report("quarterly", scope, period, measures.quarterly_children(scope, period), suppress)


def prospective_report(scope: Scope, po_from, po_to, as_of, *, suppress: bool = True) -> dict:
    figures = measures.prospective_cohort(scope, po_from, po_to, as_of)
    return _report("prospective", scope, figures[0].period, figures, suppress)


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # spreadsheet formula injection
    return value


def rows(report: dict) -> list[list]:
    scope = report["scope"]
    header = ["scope", *COLUMNS]
    return [header] + [[_cell(scope["label"]), *(_cell(f[c]) for c in COLUMNS)] for f in report["figures"]]


def write(report: dict, fmt: str, out: IO) -> None:
    """Write the report to a text stream (json, csv) or a binary stream (xlsx)."""
    if fmt == "json":
        json.dump(report, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        for row in rows(report):
            writer.writerow(["" if v is None else v for v in row])
    elif fmt == "xlsx":
        out.write(xlsx_bytes(report))
    else:
        raise ValueError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def xlsx_bytes(report: dict) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report["report"][:31]
    sheet.append([f"{report['report'].title()}: {report['scope']['label']}, {report['period']['label']}"])
    for basis, label in report["basis"].items():
        sheet.append([basis, label])
    sheet.append(["Counts of 1–4 are shown as <5" if report["suppressed"] else "Not suppressed: not for sharing"])
    for row in rows(report):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
