"""Reads across the SSDA903 rows held: a child's returns, year by year, and the periods of care in them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from permanence.children.models import Child
from permanence.interchange.models import ImportBatch, ImportConflict, ReturnRow
from permanence.interchange.ssda903 import mapping, parse
from permanence.interchange.ssda903 import tables as T


@dataclass
class PeriodOfCare:
    start: date | None
    end: date | None
    reason: str  # the REC that ended it, '' while open
    episodes: list[dict] = field(default_factory=list)
    journey: bool = False  # the period the adoption journey is taken from


@dataclass
class ReturnsHistory:
    years: list[dict]  # year label, tables held, the import they came from
    periods: list[PeriodOfCare]

    @property
    def empty(self) -> bool:
        return not self.years


HELD = " (held from an earlier import)"


def held_tables(rows: Iterable[tuple], suffix: str = "") -> list[parse.TableFile]:
    """Held rows, as (table, year, child, values, file, row) tuples, as one TableFile per table and year; `suffix`
    marks their file names (the importer's findings say a row was held from an earlier import)."""
    out: dict[tuple[str, int], parse.TableFile] = {}
    for table, year, _child, values, file, number in rows:
        tf = out.get((table, year))
        if tf is None:
            tf = out[(table, year)] = parse.TableFile(file=f"{T.year_label(year)} {table}{suffix}", table=table,
                                                      year=year)
        tf.rows.append(parse.Row(table=table, values=values, file=file + suffix, row=number))
    return list(out.values())


def returns_history(child: Child) -> ReturnsHistory:
    rows = list(ReturnRow.objects.filter(la_id=child.la_id, child=child.la_child_id).order_by(
        "year", "table", "key").values_list("table", "year", "child", "values", "file", "row", "batch_id"))
    years: dict[int, dict] = {}
    for table, year, *_, batch_id in rows:
        y = years.setdefault(year, {"year": year, "label": T.year_label(year), "tables": {}, "batches": set()})
        y["tables"][table] = y["tables"].get(table, 0) + 1
        y["batches"].add(batch_id)
    tables = held_tables(r[:6] for r in rows)
    periods: list[PeriodOfCare] = []
    gathered = mapping.gather(parse.Parsed(tables=tables))
    c = gathered.get(child.la_child_id)
    if c is not None and c.episodes:
        eps = c.episode_rows()
        spans, chosen = mapping.journey_period(c, eps)
        for n, (a, b) in enumerate(spans):
            last = eps[b]
            ended = last.values.get("REC") not in ("", "X1")
            periods.append(PeriodOfCare(
                start=eps[a].date("DECOM"), end=last.date("DEC") if ended else None,
                reason=last.values.get("REC", "") if ended else "", journey=n == chosen,
                episodes=[{"decom": e.date("DECOM"), "dec": e.date("DEC"), "rne": e.values["RNE"],
                           "ls": e.values["LS"], "place": e.values["PLACE"], "rec": e.values.get("REC", ""),
                           "year": T.year_label(c.episodes[e.date("DECOM")][0])} for e in eps[a:b + 1]]))
    return ReturnsHistory(
        years=[{**y, "tables": sorted(y["tables"].items()), "batches": sorted(y["batches"])}
               for y in years.values()],
        periods=periods)


# ---------------------------------------------------------------------------------------------
# Rows by LA, for permanence.access (which decides whose they are: ask it, not these)


def imports_of_las(las):
    """The 903 imports into these LAs (a queryset of them)."""
    return ImportBatch.objects.filter(la__in=las)


def conflicts_of_las(las):
    """The import conflicts on these LAs' children."""
    return ImportConflict.objects.filter(child__la__in=las)
