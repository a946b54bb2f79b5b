"""Writing journeys as SSDA903 tables (Header, Episodes, AD1, PlacedAdoption), one set per collection year.

Pure Python. The episodes are laid out from the events: in care on an interim care order (LS C2) in foster
care (U6); a placement order changes LS to E1; early permanence is a U2 (FfA) or U5 (concurrent) foster
placement; a move-in is A5/A6 (A3/A4 before a placement order), with RNE T when the child stays with the
same carers (foster carers adopting, early permanence); a disruption returns the child to foster care; the
adoption order ends the episode with REC E11. What this loses is exactly what `mapping.project` drops.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from permanence.children import rules
from permanence.interchange.ssda903 import tables as T
from permanence.interchange.ssda903.mapping import project

K = rules.Kind


@dataclass(frozen=True)
class ChildRecord:
    child_id: str
    dob: date | None
    sex: str  # M, F or U
    ethnicity: str
    events: list[rules.EventFact]


@dataclass
class _Episode:
    decom: date
    rne: str
    ls: str
    place: str
    dec: date | None = None
    rec: str = ""
    reason_change: str = ""


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def episodes_for(events: list[rules.EventFact]) -> list[_Episode]:
    """The child's episodes of care from their journey (empty if they never entered care)."""
    ev = project(events)
    if not ev:
        return []
    changes: dict[date, list[rules.EventFact]] = {}
    for e in ev:
        changes.setdefault(e.date, []).append(e)
    for e in ev:
        if e.kind is K.PLACED and e.details.get("moved_in_with_carers"):
            d = date.fromisoformat(e.details["moved_in_with_carers"])
            changes.setdefault(d, []).append(rules.EventFact(K.VISIT, d, details={"carers": True}))
    eps: list[_Episode] = []
    ls, place = "C2", "U6"
    with_carers = False  # the current carers are the ones a placement would keep the child with
    for day in sorted(changes):
        new_ls, new_place, new_carer, reason = ls, place, False, ""
        same_carer_move = False
        ended = False
        for e in changes[day]:
            k = e.kind
            if k is K.ENTERED_CARE:
                new_ls, new_place = "C2", "U6"
            elif k is K.PLACEMENT_ORDER:
                new_ls = "E1"
            elif k is K.PO_REVOKED:
                new_ls = "C2"
            elif k is K.EARLY_PERMANENCE:
                new_place = T.EARLY_PERMANENCE_CODES[e.details["placement_type"]]
                new_carer, with_carers = True, True
            elif k is K.VISIT and e.details.get("carers"):
                new_place, new_carer, with_carers = "U6", True, True
            elif k is K.PLACED:
                if e.details.get("by_foster_carers") or with_carers:
                    same_carer_move = True
                else:
                    new_carer = True
                with_carers = False
                new_place = "PLACED"
            elif k is K.DISRUPTION:
                new_place, new_carer, reason, with_carers = "U6", True, "CARPL", False
            elif k is K.ADOPTION_ORDER:
                ended = True
        if new_place == "PLACED":
            po = new_ls == "E1"
            new_place = ("A5" if po else "A3") if same_carer_move else ("A6" if po else "A4")
        if ended:
            if eps:
                eps[-1].dec, eps[-1].rec = day, "E11"
            continue
        if not eps:
            eps.append(_Episode(day, "S", new_ls, new_place))
        elif (new_ls, new_place) != (ls, place) or new_carer:
            ls_changed = new_ls != ls
            place_changed = new_place != place or new_carer or same_carer_move
            if new_carer:
                rne = "B" if ls_changed else "P"
            elif place_changed:
                rne = "U" if ls_changed else "T"
            else:
                rne = "L"
            eps[-1].dec, eps[-1].rec = day, "X1"
            eps[-1].reason_change = reason or ("CHILD" if place_changed else "")
            eps.append(_Episode(day, rne, new_ls, new_place))
        ls, place = new_ls, new_place
    return eps


def tables_for_year(children: Iterable[ChildRecord], year: int, *, today: date | None = None) -> dict[str, list[dict]]:
    """The Header, Episodes, AD1 and PlacedAdoption rows for one collection year (ending 31 March `year`)."""
    start, end = T.year_bounds(year)
    if today is not None:
        end = min(end, today)
    out: dict[str, list[dict]] = {t: [] for t in ("Header", "Episodes", "AD1", "PlacedAdoption")}
    for c in children:
        eps = [e for e in episodes_for(c.events) if e.decom <= end and (e.dec is None or e.dec >= start)]
        if not eps:
            continue
        sex = c.sex if year >= 2025 else {"M": "1", "F": "2"}.get(c.sex, "1")
        out["Header"].append({"CHILD": c.child_id, "SEX": sex, "DOB": _fmt(c.dob), "ETHNIC": c.ethnicity,
                              "UPN": "", "MOTHER": "", "MC_DOB": ""})
        for e in eps:
            closed = e.dec is not None and e.dec <= end
            out["Episodes"].append({
                "CHILD": c.child_id, "DECOM": _fmt(e.decom), "RNE": e.rne, "LS": e.ls, "CIN": "N1",
                "PLACE": e.place, "PLACE_PROVIDER": "PR1",
                "DEC": _fmt(e.dec) if closed else "", "REC": e.rec if closed else "",
                "REASON_PLACE_CHANGE": e.reason_change if closed else "", "HOME_POST": "", "PL_POST": "",
                "URN": ""})
        ev = project(c.events)
        ao = next((e for e in ev if e.kind is K.ADOPTION_ORDER), None)
        if ao is not None and start <= ao.date <= end:
            shobpa = [e.date for e in ev if e.kind is K.SHOULD_BE_PLACED and e.date <= ao.date]
            match = [e.date for e in ev if e.kind is K.MATCH_DECISION and not e.details.get("inferred")]
            placed = [e for e in ev if e.kind is K.PLACED][-1:]
            carers = bool(placed) and any(e.place in T.FOSTER_CARER_ADOPTION_PLACEMENTS and e.decom == placed[0].date
                                          for e in episodes_for(c.events))
            out["AD1"].append({"CHILD": c.child_id, "DOB": _fmt(c.dob), "DATE_INT": _fmt(shobpa[-1] if shobpa else None),
                               "DATE_MATCH": _fmt(match[-1] if match else None), "FOSTER_CARE": "1" if carers else "0",
                               "NB_ADOPTR": "1", "SEX_ADOPTR": "F1", "LS_ADOPTR": "L0"})
        decisions = [e for e in ev if e.kind is K.SHOULD_BE_PLACED]
        for i, d in enumerate(decisions):
            nxt = decisions[i + 1].date if i + 1 < len(decisions) else date.max
            ceased = next((e for e in ev if e.kind is K.PLAN_CHANGED and d.date <= e.date < nxt), None)
            if d.date > end or (ceased is not None and ceased.date < start):
                continue
            show = ceased is not None and ceased.date <= end
            reason = ceased.details.get("reason") if show else ""
            out["PlacedAdoption"].append({"CHILD": c.child_id, "DOB": _fmt(c.dob), "DATE_PLACED": _fmt(d.date),
                                          "DATE_PLACED_CEASED": _fmt(ceased.date) if show else "",
                                          "REASON_PLACED_CEASED": reason})
    return out


def to_csv(table: str, rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(T.TABLES[table]), lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _safe(v) for k, v in r.items()})
    return buf.getvalue().encode("utf-8")


def _safe(value: str) -> str:
    """No spreadsheet formula injection (903 values never start with these)."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value


def to_xml(tables: dict[str, list[dict]], *, year: int) -> bytes:
    """The same rows as one 903 XML file (CHILD records with EPISODE and AD_PLACED elements)."""
    by_child: dict[str, dict[str, list[dict]]] = {}
    for table, rows in tables.items():
        for r in rows:
            by_child.setdefault(r["CHILD"], {}).setdefault(table, []).append(r)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<Message>",
           f"<Header><CollectionDetails><Collection>SSDA903</Collection><Year>{year}</Year></CollectionDetails>"
           "</Header>"]

    def leaves(row: dict, skip: tuple[str, ...] = ("CHILD",), rename: dict | None = None) -> str:
        rename = rename or {}
        return "".join(f"<{rename.get(k, k)}>{escape(v)}</{rename.get(k, k)}>" for k, v in row.items()
                       if k not in skip and v != "")

    for child, t in by_child.items():
        head = t.get("Header", [{}])[0]
        parts = [f"<CHILD><CHILDID>{escape(child)}</CHILDID>", leaves(head)]
        for ad1 in t.get("AD1", []):
            parts.append(leaves(ad1, skip=("CHILD", "DOB")))
        for ep in t.get("Episodes", []):
            parts.append("<EPISODE>" + leaves(ep, rename={"PLACE": "PL"}) + "</EPISODE>")
        if t.get("PlacedAdoption"):
            parts.append("<HEADER>" + "".join("<AD_PLACED>" + leaves(p, skip=("CHILD", "DOB")) + "</AD_PLACED>"
                                              for p in t["PlacedAdoption"]) + "</HEADER>")
        parts.append("</CHILD>")
        out.append("".join(parts))
    out.append("</Message>")
    return "\n".join(out).encode("utf-8")


def years_covering(children: Iterable[ChildRecord], today: date) -> list[int]:
    """Every collection year from the earliest entry into care to the year containing `today`."""
    first = min((e.date for c in children for e in c.events if e.kind is K.ENTERED_CARE), default=today)
    return list(range(T.collection_year_of(first), T.collection_year_of(today) + 1))
