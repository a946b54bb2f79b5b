"""Writing journeys as SSDA903 tables (Header, Episodes, AD1, PlacedAdoption), one set per collection year.

Pure Python. The episodes are laid out from the events, as an LA's case system would record them:

- earlier, closed periods of care (`ChildRecord.earlier_periods`): an RNE S episode accommodated under section 20
  (LS V2) in foster care (U6), a change to an interim care order (LS C2, RNE L) half-way through a longer one,
  the last episode ending with the period's REC (E4A returned home, E13, E41…);
- the journey's period of care: RNE S on an interim care order (C2) in foster care (U6); a placement order
  changes LS to E1 (RNE L); a revoked order changes it back to C2;
- early permanence: a foster placement with new carers who are approved adopters, U2 when the carers are a
  relative or friend (EARLY_PERMANENCE details carer == "connected"), else U5 – the code does not say FfA or
  concurrent planning, so `placement_type` is not written;
- foster carers who go on to adopt: a U6 placement with new carers on the day the child moved in with them
  (PLACED details moved_in_with_carers), unless that is the early permanence placement or the start of care;
- a move-in with the carers the child lives with (PLACED by_foster_carers): A5 (A3 before a placement order),
  RNE T (U when the legal status changes on the same day), so the episodes walk back to that carers' placement;
  a move-in with other adopters (also after an early permanence placement): A6 (A4), RNE P (B), new carers;
- a disruption returns the child to foster care with new carers (REASON_PLACE_CHANGE CARPL);
- the adoption order ends the episode with REC E11; leaving care otherwise (`ChildRecord.left_care`) ends it
  with its REC.

A year's tables hold only what was open in that year (1 April–31 March, and not after `today`): every episode
open at any time in it (DEC and REC blank while open at the year's end), the Header row of every child looked
after in it, AD1 only in the year of the adoption, PlacedAdoption while a should-be-placed decision is open or
ceased in it (ceased by a plan change, RD1–RD4, or by the adoption order, E11).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from permanence.children import rules
from permanence.interchange.ssda903 import tables as T

K = rules.Kind


@dataclass(frozen=True)
class ChildRecord:
    child_id: str
    dob: date | None
    sex: str  # M, F or U
    ethnicity: str
    events: list[rules.EventFact]
    # Earlier closed periods of care (start, end, REC), oldest first; history kept in the returns.
    earlier_periods: Sequence[tuple[date, date, str]] = ()
    # The journey's period of care ended other than by adoption: (date, REC).
    left_care: tuple[date, str] | None = None


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


def _earlier_episodes(start: date, end: date, rec: str) -> list[_Episode]:
    eps = [_Episode(start, "S", "V2", "U6")]
    if (end - start).days > 90:
        mid = date.fromordinal(start.toordinal() + (end - start).days // 2)
        eps[0].dec, eps[0].rec = mid, "X1"
        eps.append(_Episode(mid, "L", "C2", "U6"))
    eps[-1].dec, eps[-1].rec = end, rec
    return eps


def episodes_for(events: list[rules.EventFact], earlier_periods: Iterable[tuple[date, date, str]] = (),
                 left_care: tuple[date, str] | None = None) -> list[_Episode]:
    """The child's episodes of care: the earlier periods', then the journey's (none if never in care)."""
    eps: list[_Episode] = []
    for start, end, rec in sorted(earlier_periods):
        eps += _earlier_episodes(start, end, rec)
    return eps + _journey_episodes(events, left_care)


_EPISODE_KINDS = frozenset({K.ENTERED_CARE, K.PLACEMENT_ORDER, K.PO_REVOKED, K.EARLY_PERMANENCE, K.PLACED,
                            K.DISRUPTION, K.ADOPTION_ORDER})
_CARERS = "carers"  # a marker: the child moves in with the foster carers who will adopt


def _journey_episodes(events: list[rules.EventFact], left_care: tuple[date, str] | None) -> list[_Episode]:
    ordered = [e for e in rules.sort_events(events) if e.kind in _EPISODE_KINDS]
    if not any(e.kind is K.ENTERED_CARE for e in ordered):
        return []
    entered = next(e.date for e in ordered if e.kind is K.ENTERED_CARE)
    first_placed = next((e.date for e in ordered if e.kind is K.PLACED), date.max)
    changes: dict[date, list[tuple[object, dict]]] = {}
    seen_ep = False
    for e in ordered:
        if e.kind is K.EARLY_PERMANENCE:
            if seen_ep or e.date > first_placed:
                continue  # the return shows the first early permanence placement before a move-in
            seen_ep = True
        changes.setdefault(e.date, []).append((e.kind, e.details))
    ep_days = {e.date for e in ordered if e.kind is K.EARLY_PERMANENCE}
    for e in ordered:
        moved = e.details.get("moved_in_with_carers") if e.kind is K.PLACED else None
        if moved and e.details.get("by_foster_carers"):
            d = date.fromisoformat(str(moved))
            if d not in ep_days and entered < d < e.date:
                changes.setdefault(d, []).append((_CARERS, {}))

    eps: list[_Episode] = []
    ls, place = "C2", "U6"
    for day in sorted(changes):
        new_ls, new_place, new_carers, same_carers_move, reason, ended = ls, place, False, False, "", False
        for kind, details in changes[day]:
            if kind is K.ENTERED_CARE:
                new_ls, new_place = "C2", "U6"
            elif kind is K.PLACEMENT_ORDER:
                new_ls = "E1"
            elif kind is K.PO_REVOKED:
                new_ls = "C2"
            elif kind is K.EARLY_PERMANENCE:
                new_place, new_carers = T.early_permanence_code(details), True
            elif kind == _CARERS:
                new_place, new_carers = "U6", True
            elif kind is K.PLACED:
                if details.get("by_foster_carers"):
                    same_carers_move = True
                else:
                    new_carers = True
                new_place = "PLACED"
            elif kind is K.DISRUPTION:
                new_place, new_carers, reason = "U6", True, "CARPL"
            elif kind is K.ADOPTION_ORDER:
                ended = True
        if new_place == "PLACED":
            po = new_ls == "E1"
            new_place = ("A5" if po else "A3") if same_carers_move and not new_carers else ("A6" if po else "A4")
        if ended:
            if eps and eps[-1].dec is None:
                eps[-1].dec, eps[-1].rec = day, "E11"
            break
        if not eps:
            eps.append(_Episode(day, "S", new_ls, new_place))
        elif (new_ls, new_place) != (ls, place) or new_carers:
            ls_changed = new_ls != ls
            place_changed = new_place != place or new_carers
            if new_carers:
                rne = "B" if ls_changed else "P"
            elif place_changed:
                rne = "U" if ls_changed else "T"
            else:
                rne = "L"
            eps[-1].dec, eps[-1].rec = day, "X1"
            eps[-1].reason_change = reason or ("CHILD" if place_changed else "")
            eps.append(_Episode(day, rne, new_ls, new_place))
        ls, place = new_ls, new_place
    if left_care is not None and eps and eps[-1].dec is None and left_care[0] >= eps[-1].decom:
        eps[-1].dec, eps[-1].rec = left_care
    return eps


def _record_episodes(c: ChildRecord) -> list[_Episode]:
    return episodes_for(c.events, c.earlier_periods, c.left_care)


def tables_for_year(children: Iterable[ChildRecord], year: int, *, today: date | None = None) -> dict[str, list[dict]]:
    """The Header, Episodes, AD1 and PlacedAdoption rows for one collection year (ending 31 March `year`)."""
    start, end = T.year_bounds(year)
    if today is not None:
        end = min(end, today)
    out: dict[str, list[dict]] = {t: [] for t in ("Header", "Episodes", "AD1", "PlacedAdoption")}
    for c in children:
        eps = [e for e in _record_episodes(c) if e.decom <= end and (e.dec is None or e.dec >= start)]
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
        ev = rules.sort_events(c.events)
        ao = next((e for e in ev if e.kind is K.ADOPTION_ORDER), None)
        if ao is not None and start <= ao.date <= end:
            shobpa = [e.date for e in ev if e.kind is K.SHOULD_BE_PLACED and e.date <= ao.date]
            match = [e.date for e in ev if e.kind is K.MATCH_DECISION and e.date <= ao.date
                     and not e.details.get("inferred")]
            placed = [e for e in ev if e.kind is K.PLACED and e.date <= ao.date][-1:]
            carers = bool(placed) and bool(placed[0].details.get("by_foster_carers"))
            out["AD1"].append({"CHILD": c.child_id, "DOB": _fmt(c.dob), "DATE_INT": _fmt(shobpa[-1] if shobpa else None),
                               "DATE_MATCH": _fmt(match[-1] if match else None), "FOSTER_CARE": "1" if carers else "0",
                               "NB_ADOPTR": "1", "SEX_ADOPTR": "F1", "LS_ADOPTR": "L0"})
        decisions = [e for e in ev if e.kind is K.SHOULD_BE_PLACED]
        for i, d in enumerate(decisions):
            nxt = decisions[i + 1].date if i + 1 < len(decisions) else date.max
            ceased = next((e for e in ev if e.kind in (K.PLAN_CHANGED, K.ADOPTION_ORDER) and d.date <= e.date < nxt),
                          None)
            if d.date > end or (ceased is not None and ceased.date < start):
                continue
            show = ceased is not None and ceased.date <= end
            reason = ""
            if show:
                reason = "E11" if ceased.kind is K.ADOPTION_ORDER else ceased.details.get("reason")
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
    """Every collection year from the earliest entry into care (any period's) to the year containing `today`."""
    children = list(children)
    starts = [e.date for c in children for e in c.events if e.kind is K.ENTERED_CARE]
    starts += [p[0] for c in children for p in c.earlier_periods]
    first = min(starts, default=today)
    return list(range(T.collection_year_of(first), T.collection_year_of(today) + 1))
