"""Synthetic SSDA903 files straight from the demo generator's children (no database): one set of tables per LA
per collection year, in DIR/<LA code>/<code>_<yyyy-yy>_<Table>.csv. Used by tests and bench/."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from permanence.demo.journeys import GeneratedChild
from permanence.interchange.ssda903 import writer


def record_of(child: GeneratedChild) -> writer.ChildRecord:
    """What the 903 writer needs of a generated child: its journey, earlier periods of care and leaving care."""
    return writer.ChildRecord(child.la_child_id, child.dob, child.sex, child.ethnicity, child.events,
                              earlier_periods=tuple(child.earlier_periods), left_care=child.left_care)


def write_903_files(children: Iterable[GeneratedChild], out_dir: str | Path, *, today: date,
                    years: list[int] | None = None) -> int:
    """Write the children's journeys as 903 tables; returns the number of files written."""
    by_la: dict[str, list[writer.ChildRecord]] = {}
    for k in children:
        by_la.setdefault(k.la_code, []).append(record_of(k))
    written = 0
    for code, records in by_la.items():
        folder = Path(out_dir) / code
        folder.mkdir(parents=True, exist_ok=True)
        for y in years or writer.years_covering(records, today):
            for table, rows in writer.tables_for_year(records, y, today=today).items():
                (folder / f"{code}_{y - 1}-{str(y)[2:]}_{table}.csv").write_bytes(writer.to_csv(table, rows))
                written += 1
    return written
