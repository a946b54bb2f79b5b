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
import os
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

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


def latest_ruleset() -> str:
    return _RULESETS[max(_RULESETS)]


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


@dataclass(frozen=True)
class YearTask:
    """What the validator needs for one collection year, and nothing of the database: each table as the CSV
    the validator reads (a path of a file written by prepare_year, or its bytes), labelled "This year" or
    "Prev year". It is picklable, so a worker process can run it (run_year)."""

    year: int
    la_code: str
    files: tuple[tuple[str, str | bytes, str], ...]  # (table file name, path or bytes, "This year"/"Prev year")

    @property
    def rows(self) -> int:
        """A measure of the work: the size of the year's tables (the largest year is started first)."""
        return sum(len(c) if isinstance(c, bytes) else os.path.getsize(c) for _, c, _ in self.files)


@dataclass(frozen=True)
class YearResult:
    year: int
    hits: tuple[tuple[str, str, str, str, array], ...]  # (table, rule, text, fields, row indices)
    note: str
    peak_rss_kb: int = 0  # the process's peak resident set when the year was done (a worker's: its pandas)
    cpu_seconds: float = 0.0  # the processor time the year took


Sources = dict[str, list[Row]]  # table -> its "This year" rows, in the order given to the validator


def prepare_year(this_year: dict[str, Sequence[Row]], prev_year: dict[str, Sequence[Row]] | None, year: int,
                 la_code: str, folder: str | None = None) -> tuple[YearTask, Sources]:
    """The year's tables as the validator's CSVs (written into `folder` when given, else held as bytes), and
    where each "This year" row came from, to map the validator's row numbers back to the files and rows."""
    files = []
    sources: Sources = {}
    for label, group in (("This year", this_year), ("Prev year", prev_year or {})):
        for table, rows in group.items():
            if not rows:
                continue
            content: str | bytes = _canonical(rows, table)
            if folder is not None:
                path = os.path.join(folder, f"{year}-{'this' if label == 'This year' else 'prev'}-{table}.csv")
                with open(path, "wb") as out:
                    out.write(content)
                content = path
            files.append((f"{table}.csv", content, label))
            if label == "This year":
                sources[table] = list(rows)  # the rows themselves (held anyway): a pointer each
    return YearTask(year=year, la_code=la_code, files=tuple(files)), sources


def _quiet_import():
    root = logging.getLogger()
    level = root.level
    logging.getLogger("lac_validator").setLevel(logging.CRITICAL)
    try:
        from lac_validator.lac_validator import LacValidator
    finally:
        root.setLevel(level)
    logging.getLogger("lac_validator").setLevel(logging.CRITICAL)
    return LacValidator


def warm() -> None:
    """Import the validator and every ruleset (a worker process does this as it starts, while the importer
    reads the files). Nothing if the validator is not installed: run_year will say so."""
    with contextlib.suppress(Exception):
        _quiet_import()
        for module in _RULESETS.values():
            importlib.import_module(f"lac_validator.rules.{module}")


def run_year(task: YearTask) -> YearResult:
    """Run the DfE rules on one collection year (in a worker process, or inline): which rows each rule flags."""
    from permanence.interchange.ssda903.dfe_pandas import faster_groupby

    started = time.process_time()
    LacValidator = _quiet_import()  # noqa: N806 - the validator's class
    module, ruleset_year = ruleset_for(task.year)
    registry = importlib.import_module(f"lac_validator.rules.{module}").registry
    files = []
    wanted = set()
    for name, content, label in task.files:
        if isinstance(content, str):
            with open(content, "rb") as f:
                content = f.read()
        files.append({"name": name, "file_content": content, "description": label})
        if label == "This year":
            wanted.add(name[:-4])
    with contextlib.redirect_stdout(io.StringIO()), faster_groupby():  # some rules print
        v = LacValidator(metadata={"collectionYear": str(task.year), "localAuthority": _gss(task.la_code)},
                         files=files, registry=registry)
    del files
    messages = {str(r.code): (r.message, sorted(r.affected_fields or [])) for r in registry.values()}
    hits = []
    for table, df in v.ds_results.items():
        if table not in wanted:
            continue
        for col in [c for c in df.columns if str(c).startswith("ERR_")]:
            code = col[4:]
            message, fields = messages.get(code, ("", []))
            fields = [f for f in fields if f in T.TABLES.get(table, ())] or fields
            needs_ref = bool(set(fields) & REFERENCE_FIELDS)
            text = f"DfE rule {code}: {message}" + (" (needs Ofsted/postcode reference data)" if needs_ref else "")
            rows = array("q", (int(i) for i in df.index[df[col].fillna(False).astype(bool)]))  # compact
            hits.append((table, code, text, ", ".join(fields), rows))
    note = f"{len(registry)} DfE rules for {T.year_label(ruleset_year)} ({module})"
    if ruleset_year != task.year:
        note += f" – the validator has no ruleset for {T.year_label(task.year)}, so the nearest year's was used"
    if v.fails:
        note += f"; {len(v.fails)} rules could not run on these tables"
    return YearResult(year=task.year, hits=tuple(hits), note=note, peak_rss_kb=_peak_rss_kb(),
                      cpu_seconds=time.process_time() - started)


def _peak_rss_kb() -> int:
    try:
        import resource
    except ImportError:  # not on this system
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def findings_of(result: YearResult, sources: Sources) -> list[Finding]:
    """The validator's flags as warnings on the files and rows they came from."""
    findings = []
    for table, code, text, fields, indices in result.hits:
        rows = sources.get(table, [])
        for i in indices:
            if not (0 <= i < len(rows)):
                continue
            r = rows[i]
            findings.append(Finding(WARNING, text, file=r.file, table=table, row=r.row, field=fields, child=r.child,
                                    rule=code, year=result.year))
    return findings


def validate_year(this_year: dict[str, Sequence[Row]], prev_year: dict[str, Sequence[Row]] | None, year: int,
                  la_code: str) -> tuple[list[Finding], str]:
    """DfE findings for one collection year's tables, and a note on what was run (inline, in this process)."""
    task, sources = prepare_year(this_year, prev_year, year, la_code)
    result = run_year(task)
    return findings_of(result, sources), result.note


def _gss(la_code: str) -> str:
    """The validator wants the LA's GSS code; its reference list does not map DfE three-digit codes, so a
    fixed placeholder is given (rules comparing placement LAs are reference-data rules, see above)."""
    return "E09000027"
