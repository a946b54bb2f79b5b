"""From 903 rows to journey events, and what of a journey a 903 return can carry.

Pure Python (no Django, no clock: `today` is a parameter). domain.md section 8:

- entered care: DECOM of the first episode of the period of care (RNE S);
- placement order: DECOM of the first episode with LS E1; PO revoked: the first later episode whose LS is
  not E1 (before any adoption);
- should be placed: AD1 DATE_INT, and every PlacedAdoption DATE_PLACED (the decision date, not a move-in);
- match: AD1 DATE_MATCH (AD1 exists only for adopted children: a move-in with no match date in the return is
  given a match decision on the move-in date, marked inferred, with a warning);
- the period of care: a child may have several (RNE S starts one; an episode ending with a REC other than X1
  ends it); the journey is the latest period holding a placement order, an adoptive or early permanence
  placement or a should-be-placed decision, and entering care is that period's first DECOM;
- early permanence: the first U2 (carers a relative or friend) or U5 (another foster carer) episode, both
  FfA or concurrent planning: the code does not say which, so the type is recorded as not recorded;
- moved in: DECOM of the first episode of each run of A3–A6 episodes; a run ending in anything but an
  adoption is a disruption; adopted: DEC of the episode ending with REC E11/E12;
- adoption by foster carers (AD1 FOSTER_CARE=1, or an A3/A5 placement entered with the same carers): walk
  back from that A3/A5 episode through episodes whose RNE is T, U or L to where that carer's placement
  began (a foster or an early permanence placement), and record its DECOM as when the child moved in with
  the carers (A10);
- plan changed: PlacedAdoption DATE_PLACED_CEASED with its RD1–RD4 reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from permanence.children import rules
from permanence.interchange.ssda903 import tables as T
from permanence.interchange.ssda903.parse import ERROR, WARNING, Finding, Parsed, Row, TableFile

K = rules.Kind
# The kinds of event a 903 return carries.
KINDS_903 = frozenset({K.ENTERED_CARE, K.SHOULD_BE_PLACED, K.PLACEMENT_ORDER, K.EARLY_PERMANENCE,
                       K.MATCH_DECISION, K.PLACED, K.DISRUPTION, K.ADOPTION_ORDER, K.PO_REVOKED, K.PLAN_CHANGED})
# The kinds a 903 return does not carry: a person records them in Permanence, an import never adds, changes or
# withdraws them, and the writer leaves them out. Every kind is in exactly one of the two sets (a test checks).
NOT_IN_903 = frozenset({
    K.IDENTIFIED, K.PERMANENCE_PLAN,  # tracking and the plan: no 903 field (DATE_INT is the later decision)
    K.LINKED, K.APR, K.MATCHING_PANEL, K.LINK_ENDED,  # family finding before the match: no 903 field
    K.PLACEMENT_PLAN,  # the adoption placement plan (AAR 2005 reg 35): no 903 field
    # The placement reviews (AAR 2005 reg 36): the 903 Reviews table holds looked-after reviews, not which of them
    # reviewed the adoptive placement, and the importer does not read it.
    K.PLACEMENT_REVIEW,
    # The end of an early permanence placement: a U2/U5 episode ends as any placement does, without saying why or
    # that it was not the carers becoming adopters; the writer keeps the U2/U5 episode open until the next
    # placement event it writes.
    K.EARLY_PERMANENCE_ENDED,
    K.ADOPTION_APPLICATION, K.LIFE_STORY_BOOK, K.LATER_LIFE_LETTER, K.VISIT,  # no 903 field
})
DISRUPTION_REASON = "The adoptive placement ended before an adoption order (SSDA903 episodes)."
INFERRED = "inferred"  # details key on a match decision the return does not hold


# ---------------------------------------------------------------------------------------------
# Collection years


def _dates(tf: TableFile, names: tuple[str, ...]) -> list[date]:
    out = []
    for row in tf.rows:
        for n in names:
            d = row.date(n)
            if d:
                out.append(d)
    return out


_YEAR_DATES = {"Episodes": ("DECOM", "DEC"), "AD1": ("DATE_INT", "DATE_MATCH"),
               "PlacedAdoption": ("DATE_PLACED", "DATE_PLACED_CEASED"), "Reviews": ("REVIEW",),
               "Missing": ("MIS_START", "MIS_END"), "SWEpisodes": ("SW_DECOM", "SW_DEC"), "UASC": ("DUC",),
               "DoLo": ("DOLO_START", "DOLO_END")}


_NAME_YEAR = re.compile(r"(?<!\d)(20\d\d)[-_ ]?(\d\d)(?!\d)")


def year_from_name(name: str) -> int | None:
    """A collection year written in a file name, as 2024-25, 2024_25 or 202425 (a hint, checked against the
    dates; tables themselves are recognised by their headers, never by name)."""
    for m in _NAME_YEAR.finditer(name):
        first, second = int(m.group(1)), int(m.group(2))
        if (first + 1) % 100 == second:
            return first + 1
    return None


def assign_years(parsed: Parsed, *, year: int | None = None) -> None:
    """Give every table its collection year: the year the file states (XML), or `year` if given, or a year in
    the file name; otherwise, for Episodes, the year of its latest date and, for the other tables, the year of
    the Episodes file they share most children with (AD1: where those children's adoptions end)."""
    parsed.tables = [tf for tf in parsed.tables if tf.rows]  # an empty table says nothing
    for tf in parsed.tables:
        dated = _dates(tf, _YEAR_DATES.get(tf.table, ()))
        latest = T.collection_year_of(max(dated)) if dated else None
        tf.year = tf.stated_year or year or year_from_name(tf.file)
        if tf.year is not None and latest is not None and latest > tf.year:
            parsed.findings.append(Finding(
                ERROR, f"This {tf.table} table is for {T.year_label(tf.year)} but holds dates after 31/03/{tf.year}.",
                file=tf.file, table=tf.table))
        if tf.year is None and tf.table == "Episodes":
            tf.year = latest
    ep_children: dict[int, set[str]] = {}
    adopted: dict[int, set[str]] = {}
    for tf in parsed.tables:
        if tf.table == "Episodes" and tf.year is not None:
            ep_children.setdefault(tf.year, set()).update(r.child for r in tf.rows)
            adopted.setdefault(tf.year, set()).update(r.child for r in tf.rows
                                                      if r.values.get("REC") in T.ADOPTED_REC and r.values.get("DEC"))
    for tf in parsed.tables:
        if tf.year is not None:
            continue
        dated = _dates(tf, _YEAR_DATES.get(tf.table, ()))
        date_year = T.collection_year_of(max(dated)) if dated else None
        kids = {r.child for r in tf.rows}
        scores = {}
        for y, c in ep_children.items():
            if date_year is not None and y < date_year:
                continue
            if tf.table == "AD1":
                scores[y] = (len(kids & adopted.get(y, set())), len(kids & c), -y)
            else:
                scores[y] = (len(kids & c) / len(kids | c), 0, y)
        best = max(scores, key=lambda y: scores[y], default=None)
        tf.year = best if best is not None and scores[best][:2] != (0, 0) else date_year
        if tf.year is None:
            parsed.findings.append(Finding(
                ERROR, f"Cannot tell which collection year this {tf.table} table belongs to: upload it with the "
                       "Episodes table of the same year.", file=tf.file, table=tf.table))
    for tf in parsed.tables:
        if tf.table == "Episodes" and tf.year is None:
            parsed.findings.append(Finding(ERROR, "The Episodes table has no dated rows, so its collection year "
                                                  "is unknown.", file=tf.file, table=tf.table))
    seen: dict[tuple[str, int | None], str] = {}
    for tf in parsed.tables:
        key = (tf.table, tf.year)
        if key in seen and tf.year is not None:
            parsed.findings.append(Finding(
                ERROR, f"Two {tf.table} tables for {T.year_label(tf.year)}: {seen[key]} and {tf.file}. Upload one "
                       "set of tables per year (or put the year in the file names, e.g. 2024-25).",
                file=tf.file, table=tf.table, year=tf.year))
        seen.setdefault(key, tf.file)


# ---------------------------------------------------------------------------------------------
# One child's rows, merged across years


@dataclass
class ChildRows:
    child: str
    header: Row | None = None
    header_year: int = 0
    episodes: dict[date, tuple[int, Row]] = field(default_factory=dict)  # DECOM -> (year, row)
    ad1: tuple[int, Row] | None = None
    placed: dict[date, tuple[int, Row]] = field(default_factory=dict)  # DATE_PLACED -> (year, row)
    years: set[int] = field(default_factory=set)

    def episode_rows(self) -> list[Row]:
        return [r for _, (_, r) in sorted(self.episodes.items())]


def gather(parsed: Parsed) -> dict[str, ChildRows]:
    """Rows per child. The latest year's row wins for the same header, episode (DECOM) or decision."""
    out: dict[str, ChildRows] = {}
    for tf in sorted((t for t in parsed.tables if t.year is not None and t.table in T.USED_TABLES),
                     key=lambda t: t.year):
        key_field = T.ROW_KEYS.get(tf.table)
        counts = Counter((r.child, r.values.get(key_field, "") if key_field else "") for r in tf.rows)
        for row in tf.rows:
            if counts[(row.child, row.values.get(key_field, "") if key_field else "")] > 1:
                message = (f"Child {row.child} appears more than once in the {tf.table} table." if not key_field
                           else f"Child {row.child} has more than one {tf.table} row with {key_field} "
                                f"{row.values.get(key_field)}.")
                parsed.findings.append(Finding(ERROR, message, file=tf.file, table=tf.table, row=row.row,
                                               field=key_field or "CHILD", child=row.child, year=tf.year))
                continue
            c = out.setdefault(row.child, ChildRows(row.child))
            c.years.add(tf.year)
            if tf.table == "Header":
                c.header, c.header_year = row, tf.year
            elif tf.table == "Episodes":
                c.episodes[row.date("DECOM")] = (tf.year, row)
            elif tf.table == "AD1":
                c.ad1 = (tf.year, row)
            elif tf.table == "PlacedAdoption":
                c.placed[row.date("DATE_PLACED")] = (tf.year, row)
    return out


# ---------------------------------------------------------------------------------------------
# Mapping


@dataclass(frozen=True)
class Source:
    file: str
    table: str
    row: int
    field: str


@dataclass
class ChildJourney:
    child: str
    dob: date | None
    sex: str
    ethnicity: str
    events: list[rules.EventFact]
    sources: list[Source]
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)


def care_periods(eps: list[Row]) -> list[tuple[int, int]]:
    """(first, last) episode index of each period of care: a period starts with RNE S (or with the first
    episode held) and ends with an episode whose REC is anything but X1 (a blank REC: still open)."""
    out: list[tuple[int, int]] = []
    begin = 0
    for i, ep in enumerate(eps):
        if i > begin and (ep.values["RNE"] == "S" or eps[i - 1].values.get("REC") not in ("", "X1")):
            out.append((begin, i - 1))
            begin = i
    out.append((begin, len(eps) - 1))
    return out


def choose_period(periods: list[tuple[int, int]], eps: list[Row], decisions: list[date | None]) -> int:
    """The period of care the adoption plan belongs to: the latest holding a placement order (LS E1), an
    adoptive or early permanence placement, or a should-be-placed decision dated within it; else the latest."""
    for n in range(len(periods) - 1, -1, -1):
        a, b = periods[n]
        start = eps[a].date("DECOM")
        end = eps[b].date("DEC") if eps[b].values.get("REC") not in ("", "X1") else None
        if any(e.values["LS"] == "E1" or e.values["PLACE"] in T.ADOPTIVE_PLACEMENTS
               or e.values["PLACE"] in T.EARLY_PERMANENCE_PLACEMENTS for e in eps[a:b + 1]):
            return n
        if any(d is not None and d >= start and (end is None or d <= end) for d in decisions):
            return n
    return len(periods) - 1


def journey_period(c: ChildRows, eps: list[Row]) -> tuple[list[tuple[int, int]], int]:
    """The child's periods of care among their episodes, and the index of the one the journey is taken from."""
    periods = care_periods(eps)
    decisions = list(c.placed) + ([c.ad1[1].date("DATE_INT")] if c.ad1 else [])
    return periods, choose_period(periods, eps, decisions)


def _find(row: Row, message: str, name: str = "", severity: str = ERROR) -> Finding:
    return Finding(severity, message, file=row.file, table=row.table, row=row.row, field=name, child=row.child)


def map_child(c: ChildRows, *, today: date) -> ChildJourney:
    """The journey events one child's 903 rows give, with our own checks as findings."""
    findings: list[Finding] = []
    events: list[tuple[rules.EventFact, Source]] = []

    def add(kind: K, day: date, row: Row, name: str, **details) -> None:
        events.append((rules.EventFact(kind, day, len(events) + 1, details), Source(row.file, row.table, row.row,
                                                                                   name)))

    h = c.header
    dob = h.date("DOB") if h else None
    sex = T.SEX.get(h.values.get("SEX", ""), "U") if h else "U"
    eth = (h.values.get("ETHNIC") or "NOBT") if h else "NOBT"
    eps = c.episode_rows()
    if h is None:
        first = eps[0] if eps else (c.ad1[1] if c.ad1 else next(iter(c.placed.values()))[1])
        findings.append(_find(first, f"Child {c.child} has no row in the Header table.", "CHILD"))
    if not eps:
        any_row = c.ad1[1] if c.ad1 else (next(iter(c.placed.values()))[1] if c.placed else h)
        findings.append(_find(any_row, f"Child {c.child} has no episodes, so their journey cannot be dated; "
                                       "the row is not imported.", "CHILD", WARNING))
        return ChildJourney(c.child, dob, sex, eth, [], [], findings)

    # Our own checks on the episodes: order, overlaps, dates.
    for i, ep in enumerate(eps):
        decom, dec = ep.date("DECOM"), ep.date("DEC")
        year = c.episodes[decom][0]
        start, end = T.year_bounds(year)
        if dec and dec < decom:
            findings.append(_find(ep, f"The episode ends ({dec:%d/%m/%Y}) before it starts ({decom:%d/%m/%Y}).",
                                  "DEC"))
        if decom > end:
            findings.append(_find(ep, f"DECOM {decom:%d/%m/%Y} is after the end of the {T.year_label(year)} "
                                      "collection year.", "DECOM"))
        for name, d in (("DECOM", decom), ("DEC", dec)):
            if d and d > today:
                findings.append(_find(ep, f"{name} {d:%d/%m/%Y} is in the future.", name))
            if d and dob and d < dob:
                findings.append(_find(ep, f"{name} {d:%d/%m/%Y} is before the child's date of birth.", name))
        if i + 1 < len(eps):
            nxt = eps[i + 1].date("DECOM")
            if dec is None and nxt > end:
                # Open at the end of its year, and the next episode held is from a later return: the years
                # between are not held yet, so where this episode ended is not known.
                findings.append(_find(ep, f"The episode from {decom:%d/%m/%Y} was open on 31/03/{year} and the "
                                          f"next episode held starts on {nxt:%d/%m/%Y}: upload the return for "
                                          f"{T.year_label(year + 1)} to say how it ended.", "DEC", WARNING))
            elif dec is None:
                findings.append(_find(ep, f"The episode from {decom:%d/%m/%Y} has no end date but another episode "
                                          f"starts on {nxt:%d/%m/%Y}: episodes overlap.", "DEC"))
            elif dec > nxt:
                findings.append(_find(ep, f"Episodes overlap: this one ends on {dec:%d/%m/%Y}, after the next "
                                          f"starts on {nxt:%d/%m/%Y}.", "DEC"))
        if ep.values.get("REC") and dec is None:
            findings.append(_find(ep, "REC is given but DEC (the end date) is blank.", "DEC"))
    if any(f.severity == ERROR for f in findings):
        return ChildJourney(c.child, dob, sex, eth, [], [], findings)

    # The period of care the adoption plan belongs to (domain.md section 8): a period starts with RNE S and
    # ends with an episode whose REC is anything but X1. The journey is the latest period holding a sign of
    # the adoption plan; earlier periods stay in the returns held, as history.
    periods, chosen = journey_period(c, eps)
    begin, stop = periods[chosen]
    if eps[begin].values["RNE"] != "S":
        findings.append(_find(eps[begin], "No episode in the returns held starts this period of care (RNE S): "
                                          "entering care is dated from the earliest date held. Upload the "
                                          "earlier years' returns to date it properly.", "RNE", WARNING))
    period_start = eps[begin].date("DECOM")
    period_end = eps[stop].date("DEC") if eps[stop].values.get("REC") not in ("", "X1") else None
    starts = [begin] if eps[begin].values["RNE"] == "S" else []
    first_e1 = next((i for i, e in enumerate(eps[begin:stop + 1]) if e.values["LS"] == "E1"), None)
    eps = eps[begin:stop + 1]
    add(K.ENTERED_CARE, eps[0].date("DECOM"), eps[0], "DECOM")

    def in_period(d: date | None) -> bool:
        return d is not None and d >= period_start and (period_end is None or d <= period_end)

    ad1 = c.ad1[1] if c.ad1 else None
    # Should-be-placed decisions (AD1 DATE_INT and PlacedAdoption DATE_PLACED) and plan changes.
    decisions: dict[date, tuple[Row, str]] = {}
    placed = {d: v for d, v in c.placed.items() if in_period(d)}
    if ad1 is not None and not any(in_period(ad1.date(n)) for n in ("DATE_INT", "DATE_MATCH")) and \
            not any(e.values.get("REC") in T.ADOPTED_REC for e in eps):
        ad1 = None  # the AD1 row is about another period of care's adoption
    for d, (_, row) in sorted(placed.items()):
        decisions[d] = (row, "DATE_PLACED")
    if ad1 and ad1.date("DATE_INT"):
        decisions.setdefault(ad1.date("DATE_INT"), (ad1, "DATE_INT"))
        if placed and ad1.date("DATE_INT") not in placed:
            findings.append(_find(ad1, "DATE_INT differs from every PlacedAdoption DATE_PLACED for this child.",
                                  "DATE_INT", WARNING))
    for d, (row, name) in sorted(decisions.items()):
        add(K.SHOULD_BE_PLACED, d, row, name)
    for _, (_, row) in sorted(placed.items()):
        ceased, reason = row.date("DATE_PLACED_CEASED"), row.values.get("REASON_PLACED_CEASED", "")
        if ceased and reason in rules.PLAN_CHANGE_REASONS:
            add(K.PLAN_CHANGED, ceased, row, "DATE_PLACED_CEASED", reason=reason)
        elif ceased and not reason:
            findings.append(_find(row, "DATE_PLACED_CEASED is given without REASON_PLACED_CEASED.",
                                  "REASON_PLACED_CEASED"))
        elif reason and not ceased:
            findings.append(_find(row, "REASON_PLACED_CEASED is given without DATE_PLACED_CEASED.",
                                  "DATE_PLACED_CEASED"))

    # Legal status: placement orders and their revocation.
    in_po = False
    adopted = False
    for ep in eps:
        if adopted:
            break
        if ep.values["LS"] == "E1" and not in_po:
            add(K.PLACEMENT_ORDER, ep.date("DECOM"), ep, "LS")
            in_po = True
        elif ep.values["LS"] != "E1" and in_po:
            add(K.PO_REVOKED, ep.date("DECOM"), ep, "LS")
            in_po = False
        if ep.values.get("REC") in T.ADOPTED_REC:
            adopted = True
    if ad1 and ad1.date("DATE_MATCH") and first_e1 is None:
        findings.append(_find(ad1, "There is a match date but no placement order (no episode with LS E1).",
                              "DATE_MATCH"))

    # Early permanence and adoptive placements.
    runs: list[tuple[int, int]] = []  # (first, last) episode index of each run of A3–A6 episodes
    i = 0
    while i < len(eps):
        if eps[i].values["PLACE"] in T.ADOPTIVE_PLACEMENTS:
            j = i
            while j + 1 < len(eps) and eps[j + 1].values["PLACE"] in T.ADOPTIVE_PLACEMENTS and \
                    eps[j + 1].values["RNE"] in T.SAME_CARER_RNE:
                j += 1
            runs.append((i, j))
            i = j + 1
        else:
            i += 1
    first_run = runs[0][0] if runs else len(eps)
    ep_ep = next((e for e in eps[:first_run] if e.values["PLACE"] in T.EARLY_PERMANENCE_PLACEMENTS), None)
    if ep_ep is not None:
        # U2/U5 say who the carers are, not whether it is FfA or concurrent planning: a person records that.
        add(K.EARLY_PERMANENCE, ep_ep.date("DECOM"), ep_ep, "PLACE", placement_type=rules.EP_NOT_RECORDED,
            carer=T.EARLY_PERMANENCE_PLACEMENTS[ep_ep.values["PLACE"]])
    match = ad1.date("DATE_MATCH") if ad1 else None
    foster_flag = bool(ad1 and ad1.values.get("FOSTER_CARE") == "1")
    for n, (a, b) in enumerate(runs):
        first, last = eps[a], eps[b]
        start = first.date("DECOM")
        final = n == len(runs) - 1
        if final and match is not None:
            add(K.MATCH_DECISION, match, ad1, "DATE_MATCH")
            match = None
        else:
            add(K.MATCH_DECISION, start, first, "PLACE", **{INFERRED: True})
            findings.append(_find(first, f"The return holds no match date for the adoptive placement from "
                                         f"{start:%d/%m/%Y} (AD1 is only returned after adoption): the match is "
                                         "recorded on the move-in date, marked as inferred.", "PLACE", WARNING))
        details = {}
        prev = eps[a - 1] if a > 0 else None
        same_carers = first.values["RNE"] in T.SAME_CARER_RNE and prev is not None
        if first.values["PLACE"] in T.FOSTER_CARER_ADOPTION_PLACEMENTS and (foster_flag and final or same_carers):
            k = a
            while k > 0 and eps[k].values["RNE"] in T.SAME_CARER_RNE:
                k -= 1
            began = eps[k]
            if k < a:  # the foster carers' or early permanence carers' placement began there (A10)
                details = {"by_foster_carers": True, "moved_in_with_carers": began.date("DECOM").isoformat()}
        add(K.PLACED, start, first, "DECOM", **details)
        if last.values.get("REC") in T.ADOPTED_REC:
            add(K.ADOPTION_ORDER, last.date("DEC"), last, "DEC")
        elif b + 1 < len(eps):
            add(K.DISRUPTION, eps[b + 1].date("DECOM"), eps[b + 1], "DECOM", reason=DISRUPTION_REASON)
    if match is not None:
        add(K.MATCH_DECISION, match, ad1, "DATE_MATCH")
    adopted_ep = next((e for e in eps if e.values.get("REC") in T.ADOPTED_REC), None)
    if adopted_ep is not None and not any(e.kind is K.ADOPTION_ORDER for e, _ in events):
        findings.append(_find(adopted_ep, "The episode ends in adoption (REC E11/E12) but the child was not placed "
                                          "for adoption (no A3–A6 episode).", "REC"))

    if not starts:  # the care began before these files: no later than anything they record
        first = min(e.date for e, _ in events)
        events[0] = (rules.EventFact(K.ENTERED_CARE, first, 0), events[0][1])
    for fact, src in events:
        if fact.date > today:
            findings.append(Finding(ERROR, f"{src.field} {fact.date:%d/%m/%Y} is in the future.", file=src.file,
                                    table=src.table, row=src.row, field=src.field, child=c.child))
    ordered = sorted(events, key=lambda x: x[0].sort_key)
    facts = [rules.EventFact(e.kind, e.date, i + 1, e.details) for i, (e, _) in enumerate(ordered)]
    sources = [s for _, s in ordered]
    try:
        rules.replay(facts)
    except rules.TransitionRefused as refused:
        src = sources[facts.index(refused.event)]
        findings.append(Finding(ERROR, f"{rules.KIND_LABELS[refused.event.kind]} on {refused.event.date:%d/%m/%Y} "
                                       f"does not fit the journey: {refused.message}", file=src.file,
                                table=src.table, row=src.row, field=src.field, child=c.child))
    return ChildJourney(c.child, dob, sex, eth, facts, sources, findings)


# ---------------------------------------------------------------------------------------------
# What of a journey a return carries (used by the writer's tests and the round trip)


def project(events: list[rules.EventFact]) -> list[rules.EventFact]:
    """The events a 903 return written from `events` gives back when imported (see the module docstring)."""
    ordered = rules.sort_events(events)
    if not any(e.kind is K.ENTERED_CARE for e in ordered):
        return []
    ao = next((e for e in ordered if e.kind is K.ADOPTION_ORDER), None)
    final_match = None
    if ao is not None:
        final_match = [e for e in ordered if e.kind is K.MATCH_DECISION and e.date <= ao.date][-1:]
        final_match = final_match[0] if final_match else None
    out: list[rules.EventFact] = []
    seen_shobpa = False
    seen_ep = False
    placed_seen = 0
    n_placed = sum(e.kind is K.PLACED for e in ordered)
    for e in ordered:
        k = e.kind
        if k in (K.ENTERED_CARE, K.PLACEMENT_ORDER, K.PO_REVOKED, K.ADOPTION_ORDER):
            out.append(rules.EventFact(k, e.date))
        elif k is K.SHOULD_BE_PLACED:
            seen_shobpa = True
            out.append(rules.EventFact(k, e.date))
        elif k is K.PLAN_CHANGED and seen_shobpa:
            out.append(rules.EventFact(k, e.date, details={"reason": e.details.get("reason")}))
        elif k is K.EARLY_PERMANENCE and not seen_ep and not placed_seen:
            seen_ep = True
            out.append(rules.EventFact(k, e.date, details={"placement_type": rules.EP_NOT_RECORDED,
                                                           "carer": e.details.get("carer") or "other"}))
        elif k is K.MATCH_DECISION and e is final_match:
            out.append(rules.EventFact(k, e.date))
        elif k is K.PLACED:
            placed_seen += 1
            if not (placed_seen == n_placed and final_match is not None):
                out.append(rules.EventFact(K.MATCH_DECISION, e.date, details={INFERRED: True}))
            details = {}
            if e.details.get("by_foster_carers") and e.details.get("moved_in_with_carers"):
                details = {"by_foster_carers": True, "moved_in_with_carers": e.details["moved_in_with_carers"]}
            out.append(rules.EventFact(k, e.date, details=details))
        elif k is K.DISRUPTION:
            out.append(rules.EventFact(k, e.date, details={"reason": DISRUPTION_REASON}))
    out = rules.sort_events(out)
    return [rules.EventFact(e.kind, e.date, i + 1, e.details) for i, e in enumerate(out)]


def comparable(events: list[rules.EventFact]) -> list[tuple]:
    """Events as (kind, date, details) tuples, for comparing journeys."""
    return [(e.kind.value, e.date, tuple(sorted((k, str(v)) for k, v in e.details.items())))
            for e in rules.sort_events(events)]
