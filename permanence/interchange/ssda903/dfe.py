"""The DfE validation rules, run by the maintained validator `csc-validator-be-903` (module lac_validator).

One ruleset module per collection year (lac_validator.rules.lac2024_25 …), run through LacValidator with
`collectionYear` set to the year the collection ends and the files labelled "This year" / "Prev year".
The tables given to it are rebuilt from our parsed rows (same order), so that each failing row maps back to
the file and row it came from, whether it was read from CSV or XML.

Every DfE finding is reported as a warning: the import is blocked only by Permanence's own checks (what
the journey needs). Rules that need Ofsted or postcode reference data we do not hold fire on every row;
they are reported, marked as needing reference data.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
from collections.abc import Sequence

from permanence.interchange.ssda903 import tables as T
from permanence.interchange.ssda903.parse import WARNING, Finding, Row, parse_date
from permanence.interchange.ssda903.writer import to_csv

REFERENCE_FIELDS = frozenset({"URN", "PL_POST", "HOME_POST", "PL_LA", "PL_DISTANCE", "PLACE_PROVIDER"})
_RULESETS = {2023: "lac2022_23", 2024: "lac2023_24", 2025: "lac2024_25", 2026: "lac2025_26", 2027: "lac2026_27"}


def ruleset_for(year: int) -> tuple[str, int]:
    """The ruleset module for a collection year, or the nearest one there is."""
    if year in _RULESETS:
        return _RULESETS[year], year
    nearest = min(_RULESETS, key=lambda y: abs(y - year))
    return _RULESETS[nearest], nearest


def available() -> bool:
    try:
        importlib.import_module("lac_validator")
    except Exception:  # noqa: BLE001 - any failure means the validator cannot run here
        return False
    return True


def _canonical(rows: Sequence[Row], table: str) -> bytes:
    out = []
    for r in rows:
        vals = dict(r.values)
        for name in T.DATE_FIELDS.get(table, ()):
            try:
                d = parse_date(vals.get(name, ""))
            except ValueError:
                d = None
            vals[name] = d.strftime("%d/%m/%Y") if d else ""
        out.append({c: vals.get(c, "") for c in T.TABLES[table]})
    return to_csv(table, out)


def validate_year(this_year: dict[str, Sequence[Row]], prev_year: dict[str, Sequence[Row]] | None, year: int,
                  la_code: str) -> tuple[list[Finding], str]:
    """DfE findings for one collection year's tables, and a note on what was run."""
    root = logging.getLogger()
    level = root.level
    logging.getLogger("lac_validator").setLevel(logging.CRITICAL)
    try:
        from lac_validator.lac_validator import LacValidator
    finally:
        root.setLevel(level)
    logging.getLogger("lac_validator").setLevel(logging.CRITICAL)
    module, ruleset_year = ruleset_for(year)
    registry = importlib.import_module(f"lac_validator.rules.{module}").registry
    files = []
    index: dict[str, list[Row]] = {}
    for label, group in (("This year", this_year), ("Prev year", prev_year or {})):
        for table, rows in group.items():
            if rows:
                files.append({"name": f"{table}.csv", "file_content": _canonical(rows, table), "description": label})
                if label == "This year":
                    index[table] = list(rows)
    with contextlib.redirect_stdout(io.StringIO()):  # some rules print
        v = LacValidator(metadata={"collectionYear": str(year), "localAuthority": _gss(la_code)}, files=files,
                         registry=registry)
    messages = {str(r.code): (r.message, sorted(r.affected_fields or [])) for r in registry.values()}
    findings = []
    for table, df in v.ds_results.items():
        if table not in index:
            continue
        rows = index[table]
        for col in [c for c in df.columns if str(c).startswith("ERR_")]:
            code = col[4:]
            message, fields = messages.get(code, ("", []))
            fields = [f for f in fields if f in T.TABLES.get(table, ())] or fields
            needs_ref = bool(set(fields) & REFERENCE_FIELDS)
            for i in df.index[df[col].fillna(False).astype(bool)]:
                if not (0 <= int(i) < len(rows)):
                    continue
                r = rows[int(i)]
                text = f"DfE rule {code}: {message}" + (" (needs Ofsted/postcode reference data)" if needs_ref else "")
                findings.append(Finding(WARNING, text, file=r.file, table=table, row=r.row, field=", ".join(fields),
                                        child=r.child, rule=code, year=year))
    note = f"{len(registry)} DfE rules for {T.year_label(ruleset_year)} ({module})"
    if ruleset_year != year:
        note += f" – the validator has no ruleset for {T.year_label(year)}, so the nearest year's was used"
    if v.fails:
        note += f"; {len(v.fails)} rules could not run on these tables"
    return findings, note


def _gss(la_code: str) -> str:
    """The validator wants the LA's GSS code; its reference list does not map DfE three-digit codes, so a
    fixed placeholder is given (rules comparing placement LAs are reference-data rules, see above)."""
    return "E09000027"
