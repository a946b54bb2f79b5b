"""Synthetic 903 files for tests: children from the demo generator, written by the 903 writer."""

from __future__ import annotations

from datetime import date

from permanence.demo.journeys import GeneratedChild, generate
from permanence.interchange.ssda903 import writer

TODAY = date(2026, 3, 15)


def kids(code: str = "901", count: int = 40, seed: int = 11) -> list[GeneratedChild]:
    return generate(seed, TODAY, [(code, count)])


def records(children: list[GeneratedChild]) -> list[writer.ChildRecord]:
    from permanence.demo.ssda903_files import record_of

    return [record_of(k) for k in children]


def files_903(children: list[GeneratedChild], years: list[int] | None = None, *, xml: bool = False,
              code: str = "901") -> list[tuple[str, bytes]]:
    recs = records(children)
    out = []
    for y in years or writer.years_covering(recs, TODAY):
        tables = writer.tables_for_year(recs, y, today=TODAY)
        tag = f"{code}_{y - 1}-{str(y)[2:]}"
        if xml:
            out.append((f"{tag}.xml", writer.to_xml(tables, year=y)))
        else:
            out += [(f"{tag}_{t}.csv", writer.to_csv(t, rows)) for t, rows in tables.items()]
    return out


def state_of_db() -> tuple:
    """Everything an import may change, as comparable data."""
    from permanence.children.models import Child, JourneyEvent
    from permanence.interchange.models import ImportConflict

    children = list(Child.objects.order_by("pk").values())
    events = list(JourneyEvent.objects.order_by("pk").values())
    conflicts = list(ImportConflict.objects.order_by("pk").values())
    return children, events, conflicts
