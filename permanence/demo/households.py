"""A deterministic simulator of adopters: enquiries, households and their assessments, and panels.

Pure Python (no Django, no clock), like journeys.py: every RAA's data comes from `random.Random`
seeded with the run's seed, the RAA code and the household's number, so the same arguments give the
same data. Every household's events replay under `adopters.rules.replay()` (checked here: a journey
that does not is generated again), and no event, enquiry, outcome or decision is dated after `today`.
Panels are scheduled monthly for each RAA from the start of the period to three months after
`today`; the future panels carry only bookings (no recommendation).

A household is generated for a *target*: the stage (or branch, such as closing after adoption) it
should have reached by `today`. Its journey is laid out in days from the registration of interest
(day 0), cut at "today" within the target stage, then anchored in time on a panel date with room
(for households that have been to panel) or slid so that today is where it should be.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from permanence.adopters import rules
from permanence.demo.journeys import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, NEED_CODES, _weighted

K = rules.Kind
S = rules.Stage
DAY = timedelta(days=1)
HORIZON_DAYS = 3 * 365  # enquiries and registrations over the last three years
PANEL_CAPACITY = 6
PAPERS_DUE_DAYS = 10
FUTURE_PANEL_DAYS = 92

# adopters.migrations.0002_reference_data, with rough weights; callers may pass the codes in the database.
SOURCE_WEIGHTS: dict[str, float] = {
    "website": 30, "social_media": 18, "information_event": 14, "la_signpost": 6, "other_agency": 5,
    "word_of_mouth": 15, "advertising": 8, "other": 4,
}
ADULT_NAMES_F = FIRST_NAMES_F + ("Claire", "Emma", "Gemma", "Helen", "Joanne", "Kate", "Laura", "Nicola",
                                 "Rachel", "Sarah", "Priya", "Funmi", "Agnieszka", "Shanice", "Bethan")
ADULT_NAMES_M = FIRST_NAMES_M + ("Andrew", "Chris", "Daniel", "Gareth", "James", "Mark", "Matthew", "Paul",
                                 "Richard", "Stephen", "Tomasz", "Emeka", "Imran", "Dwayne", "Owain")
ADOPTER_ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("WBRI", 80.0), ("WIRI", 1.0), ("WOTH", 5.0), ("WIRT", 0.1), ("WROM", 0.1), ("MWBC", 2.0), ("MWBA", 1.0),
    ("MWAS", 1.5), ("MOTH", 1.5), ("AIND", 1.5), ("APKN", 1.0), ("ABAN", 0.3), ("AOTH", 0.5), ("BCRB", 1.5),
    ("BAFR", 1.5), ("BOTH", 0.3), ("CHNE", 0.4), ("OOTH", 0.5), ("REFU", 0.3),
)
_ETH = tuple(c for c, _ in ADOPTER_ETHNICITIES)
_ETH_CUM = tuple(itertools.accumulate(w for _, w in ADOPTER_ETHNICITIES))
RELIGIONS = (("No religion", 45), ("Christian", 38), ("Muslim", 6), ("Hindu", 2), ("Sikh", 1.5), ("Jewish", 1),
             ("Buddhist", 1), ("", 5.5))
_REL = tuple(r for r, _ in RELIGIONS)
_REL_CUM = tuple(itertools.accumulate(w for _, w in RELIGIONS))
LANGUAGES = {"APKN": "English, Urdu", "ABAN": "English, Bengali", "AIND": "English, Gujarati",
             "BAFR": "English, Yoruba", "CHNE": "English, Cantonese", "WOTH": "English, Polish"}
STREETS = ("Orchard Close", "Mill Lane", "Church Street", "Station Road", "The Green", "Meadow View",
           "Victoria Road", "Park Avenue", "Chapel Row", "Kingsway", "Linden Grove", "Quarry Hill")
SIGNPOST_REASONS = (
    "Lives outside the region: signposted to their local regional adoption agency.",
    "Asked about fostering: signposted to the local authority's fostering team.",
    "Wants to adopt from overseas: signposted to an intercountry adoption agency.",
    "Step-parent adoption: signposted to the local authority's children's services.",
    "Interested in special guardianship for a relative: signposted to the kinship team.",
)
PAUSE_REASONS = ("Bereavement in the family", "House move", "Applicant's health (surgery and recovery)",
                 "Work commitments: asked to pause for three months", "Waiting for a medical report")
MATCH_ENDED_REASONS = ("The match did not proceed after introductions were planned.",
                       "The child's plan changed before placement.")
CHAIRS = ("Dr Helen Marchbank (independent chair)", "Graham Oakes (independent chair)",
          "Yvonne Pettigrew (independent chair)")
MINUTES = {
    "approve": "The panel recommended approval. Strengths noted: {s}.",
    "not_approve": "The panel did not recommend approval: concerns about {c}.",
    "deferred": "The panel deferred its recommendation pending {d}.",
}
STRENGTHS = ("insight into the impact of early trauma", "a strong support network", "reflective parenting style",
             "openness to contact with birth family", "experience of caring for children")
CONCERNS = ("unresolved loss", "the stability of the relationship", "limited support network",
            "understanding of children's needs")
DEFERRALS = ("an updated medical report", "a further reference", "clarification of the support plan")

# Targets: the stage (or branch) a household's journey should have reached by `today`.
TARGETS: dict[str, S] = {
    "roi": S.ROI, "registered": S.REGISTERED, "stage_1": S.STAGE_1, "stage_1_complete": S.STAGE_1_COMPLETE,
    "break": S.BREAK, "stage_2": S.STAGE_2, "awaiting_panel": S.AWAITING_PANEL,
    "awaiting_decision": S.AWAITING_DECISION, "approved": S.APPROVED, "approved_long": S.APPROVED,
    "matched": S.MATCHED, "roi_declined": S.CLOSED, "withdrew": S.CLOSED, "signposted": S.CLOSED,
    "ended": S.CLOSED, "break_too_long": S.CLOSED, "not_approved": S.CLOSED, "adopted": S.CLOSED,
    "paused": S.STAGE_1,  # or stage 2 / awaiting panel: see _expected_stage
    "resumed": S.STAGE_2,  # or later
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "roi": 2, "registered": 4, "stage_1": 8, "stage_1_complete": 2, "break": 4, "stage_2": 10,
    "awaiting_panel": 3, "awaiting_decision": 0.8, "approved": 10, "approved_long": 6, "matched": 6,
    "roi_declined": 4, "withdrew": 12, "signposted": 2, "ended": 3, "break_too_long": 1, "not_approved": 1.5,
    "adopted": 14, "paused": 3, "resumed": 4,
}
# Every RAA gets these (target, fast track) first: at least two households in every stage.
COVERAGE: tuple[tuple[str, bool], ...] = (
    ("stage_2", False), ("approved", False), ("stage_1", False), ("matched", False), ("awaiting_panel", False),
    ("roi", False), ("registered", False), ("stage_2", True), ("adopted", False), ("break", False),
    ("awaiting_decision", False), ("withdrew", False), ("paused", False), ("stage_1_complete", False),
    ("approved_long", False), ("roi_declined", False), ("resumed", False), ("matched", True), ("roi", False),
    ("registered", False), ("stage_1", False), ("stage_1_complete", False), ("break", False),
    ("awaiting_panel", True), ("awaiting_decision", False), ("not_approved", False), ("paused", False),
    ("break_too_long", False), ("signposted", False), ("ended", False),
)
NO_FAST_TRACK = frozenset({"roi", "registered", "roi_declined", "signposted", "stage_1", "stage_1_complete",
                           "break", "break_too_long"})
ENQUIRY_OUTCOMES = (("information_sent", 35), ("invited_to_event", 25), ("signposted", 12),
                    ("no_further_contact", 22), ("open", 6))
_OUT = tuple(o for o, _ in ENQUIRY_OUTCOMES)
_OUT_CUM = tuple(itertools.accumulate(w for _, w in ENQUIRY_OUTCOMES))


@dataclass
class GeneratedPanelItem:
    panel_date: date
    papers_received_on: date | None = None
    recommendation: str = ""
    minutes: str = ""
    decision: str = ""
    decision_on: date | None = None


@dataclass
class GeneratedHousehold:
    key: str  # unique within a run, e.g. "AW-H00017"
    raa_code: str
    number: int
    target: str
    name: str
    relationship: str
    residence_la_code: str | None
    address: str
    previous_adopters: bool
    approved_foster_carers: bool
    applicants: list[dict]
    members: list[dict]
    events: list[rules.EventFact]
    target_panel_date: date | None = None
    target_moves: list[tuple[date, date, date, str]] = field(default_factory=list)  # (on, before, after, why)
    capacity: dict | None = None
    capacity_needs: dict[str, str] = field(default_factory=dict)
    panel_items: list[GeneratedPanelItem] = field(default_factory=list)
    _state: rules.HouseholdState | None = field(default=None, repr=False, compare=False)

    @property
    def fast_track(self) -> bool:
        return self.previous_adopters or self.approved_foster_carers

    def state(self) -> rules.HouseholdState:
        """The replayed journey (computed once: replaying is the costly part of generating)."""
        if self._state is None:
            self._state = rules.replay(self.events, fast_track=self.fast_track)
        return self._state


@dataclass
class GeneratedEnquiry:
    key: str
    raa_code: str
    received_on: date
    source: str
    first_name: str
    last_name: str
    email: str
    phone: str
    residence_la_code: str | None
    residence_area: str
    outcome: str
    outcome_on: date | None
    signpost_reason: str = ""
    household_key: str | None = None


@dataclass
class GeneratedPanel:
    raa_code: str
    date: date
    papers_due: date
    capacity: int
    chair: str


@dataclass
class GeneratedRAA:
    code: str
    households: list[GeneratedHousehold]
    enquiries: list[GeneratedEnquiry]
    panels: list[GeneratedPanel]


class _Timeline:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.items: list[tuple[int, K, dict]] = []
        self.day = 0
        self.marks: dict[str, int] = {}

    def at(self, day: int, kind: K, **details) -> int:
        self.items.append((day, kind, details))
        self.day = max(self.day, day)
        return day

    def after(self, lo: int, hi: int, kind: K, **details) -> int:
        return self.at(self.day + max(1, self.rng.randint(lo, hi)), kind, **details)

    def cut(self, last: int) -> None:
        """Drop everything after day `last` (background steps that had not happened yet)."""
        self.items = [it for it in self.items if it[0] <= last]

    def shift(self, frm: int, by: int) -> None:
        self.items = [(d + by if d >= frm else d, k, det) for d, k, det in self.items]
        self.marks = {m: (d + by if d >= frm else d) for m, d in self.marks.items()}
        self.day = max((d for d, _, _ in self.items), default=0)


class HouseholdSimulator:
    def __init__(self, seed: int, today: date, *, need_codes: Iterable[str] = NEED_CODES,
                 source_codes: Iterable[str] | None = None, weights: dict[str, float] | None = None):
        self.seed = seed
        self.today = today
        self.start = today - timedelta(days=HORIZON_DAYS)
        self.need_codes = tuple(need_codes)
        codes = tuple(source_codes) if source_codes is not None else tuple(SOURCE_WEIGHTS)
        self._sources = codes
        self._source_cum = tuple(itertools.accumulate(SOURCE_WEIGHTS.get(c, 3) for c in codes))
        w = weights or DEFAULT_WEIGHTS
        self._targets = tuple(t for t in TARGETS if w.get(t, 0) > 0)
        self._target_cum = tuple(itertools.accumulate(w[t] for t in self._targets))

    # -- panels ------------------------------------------------------------------------------

    def panel_dates(self, raa_code: str) -> list[date]:
        """One panel a month (the same weekday and week of the month), from four months before the
        period to three months after today."""
        rng = random.Random(f"{self.seed}/{raa_code}/panels")
        weekday, week = rng.randint(0, 4), rng.choice((1, 2, 2, 3))
        first = self.start - timedelta(days=120)
        y, m = first.year, first.month
        end = self.today + timedelta(days=FUTURE_PANEL_DAYS)
        out = []
        while date(y, m, 1) <= end:
            d = date(y, m, 1)
            d += timedelta(days=(weekday - d.weekday()) % 7 + 7 * (week - 1))
            if first <= d <= end:
                out.append(d)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    # -- an RAA ------------------------------------------------------------------------------

    def raa(self, raa_code: str, la_codes: Sequence[str], households: int, enquiries: int, *,
            coverage: bool = True) -> GeneratedRAA:
        panels = self.panel_dates(raa_code)
        booked: dict[date, int] = dict.fromkeys(panels, 0)
        out: list[GeneratedHousehold] = []
        for n in range(households):
            rng = random.Random(f"{self.seed}/{raa_code}/h{n}")
            if coverage and n < len(COVERAGE):
                target, fast = COVERAGE[n]
            else:
                target = _weighted(rng, self._target_cum, self._targets)
                fast = target not in NO_FAST_TRACK and rng.random() < 0.12
            out.append(self.household(rng, raa_code, la_codes, n, target, fast, panels, booked))
        enq = self._enquiries(raa_code, la_codes, out, enquiries)
        prng = random.Random(f"{self.seed}/{raa_code}/chairs")
        chair = prng.choice(CHAIRS)
        gen_panels = [GeneratedPanel(raa_code, d, d - timedelta(days=PAPERS_DUE_DAYS), PANEL_CAPACITY, chair)
                      for d in panels]
        return GeneratedRAA(raa_code, out, enq, gen_panels)

    # -- one household -----------------------------------------------------------------------

    def household(self, rng: random.Random, raa_code: str, la_codes: Sequence[str], number: int, target: str,
                  fast: bool, panels: list[date], booked: dict[date, int]) -> GeneratedHousehold:
        for attempt in range(60):
            # Panels are full when an RAA has far more households than 6 a month: then overbook them.
            room = booked if attempt < 40 else dict.fromkeys(booked, 0)
            made = self._try(rng, raa_code, la_codes, number, target, fast, panels, room)
            if made is not None and self._valid(made):
                for item in made.panel_items:
                    booked[item.panel_date] += 1
                return made
        raise RuntimeError(f"could not generate a valid household for target {target!r}")  # pragma: no cover

    def _valid(self, h: GeneratedHousehold) -> bool:
        try:
            state = h.state()
        except rules.TransitionRefused:
            return False
        if state.stage is not _expected_stage(h.target, h.events):
            return False
        if any(e.date > self.today for e in h.events) or h.events[0].date < self.start - timedelta(days=60):
            return False
        recs = [e.date for e in h.events if e.kind is K.PANEL_RECOMMENDATION]
        return recs == [i.panel_date for i in h.panel_items if i.recommendation]

    def _try(self, rng, raa_code, la_codes, number, target, fast, panels, booked) -> GeneratedHousehold | None:
        tl, last = self._journey(rng, target, fast)
        if tl is None:
            return None
        tl.cut(last)
        # Anchor: households that went to panel sit on panel dates with room, the latest first.
        origin = self.today - timedelta(days=last)
        recs = sorted(d for d, k, _ in tl.items if k is K.PANEL_RECOMMENDATION)
        chosen: list[date] = []
        limit = None
        for i in range(len(recs) - 1, -1, -1):
            rel = sorted(d for d, k, _ in tl.items if k is K.PANEL_RECOMMENDATION)[i]
            planned = origin + timedelta(days=rel)
            ok = [p for p in panels if p <= planned and p <= self.today and (limit is None or p < limit)
                  and booked[p] < PANEL_CAPACITY]
            if not ok:
                return None
            delta = (planned - ok[-1]).days
            if i == len(recs) - 1:
                origin -= timedelta(days=delta)  # the whole journey moves back onto the panel
            else:  # an earlier (deferred) hearing: everything up to it moves back
                tl.items = [(d - delta if d <= rel else d, k, det) for d, k, det in tl.items]
            chosen.insert(0, ok[-1])
            limit = ok[-1]
        events = _facts([(origin + timedelta(days=d), k, det) for d, k, det in tl.items])
        h = self._people(rng, raa_code, la_codes, number, target, fast, events)
        self._panel_items(rng, h, tl, origin, chosen, panels, booked)
        self._target_panel(rng, h, tl, origin, panels)
        if _expected_stage(target, events) in (S.AWAITING_PANEL, S.AWAITING_DECISION, S.APPROVED, S.MATCHED) or (
                target in ("adopted", "not_approved")):
            self._capacity(rng, h)
        return h

    # -- the journey -------------------------------------------------------------------------

    def _journey(self, rng: random.Random, target: str, fast: bool) -> tuple[_Timeline | None, int]:
        """The timeline (days from the ROI) and the day that is `today`."""
        r = rng.random
        tl = _Timeline(rng)
        tl.at(0, K.ROI_RECEIVED)
        if target == "roi":
            return tl, rng.randint(0, 10)
        if target == "roi_declined":
            d = tl.after(1, 11, K.ROI_DECISION, outcome="declined")
            return tl, d + _upto(rng, d, HORIZON_DAYS)
        tl.after(1, 11, K.ROI_DECISION, outcome="accepted")
        if target == "registered":
            return tl, tl.day + rng.randint(0, 40)
        if target == "signposted":
            d = tl.after(5, 60, K.CLOSED, reason="signposted")
            return tl, d + _upto(rng, d, HORIZON_DAYS)

        if target in ("withdrew", "ended"):
            stops = ([S.REGISTERED, S.STAGE_2] if fast else
                     [S.REGISTERED, S.STAGE_1, S.STAGE_1, S.STAGE_1_COMPLETE, S.BREAK, S.STAGE_2, S.STAGE_2])
            if target == "ended":
                stops = [S.STAGE_2] if fast else [S.STAGE_1, S.STAGE_2, S.STAGE_2]
            stop = rng.choice(stops)
        elif target == "break_too_long":
            stop = S.BREAK
        elif target == "paused":
            stop = rng.choice([S.STAGE_2, S.AWAITING_PANEL] if fast else
                              [S.STAGE_1, S.STAGE_1, S.STAGE_2, S.STAGE_2, S.AWAITING_PANEL])
        elif target == "resumed":
            stop = rng.choice((S.STAGE_2, S.AWAITING_PANEL, S.APPROVED, S.APPROVED, S.MATCHED))
        elif target == "not_approved":
            stop = S.AWAITING_DECISION
        elif target == "adopted":
            stop = S.MATCHED
        else:
            stop = TARGETS[target]
        deferred = stop in (S.APPROVED, S.MATCHED) and target != "resumed" and r() < 0.06
        recommendation = "not_approve" if target == "not_approved" and r() < 0.7 else "approve"
        window = self._path(tl, stop, fast, deferred, recommendation)
        start = tl.day if stop is not S.REGISTERED else tl.marks["registered"]
        start = tl.marks.get(stop.value, start)

        if target in ("withdrew", "ended", "break_too_long"):
            if target == "break_too_long":
                close = tl.marks["stage_1_complete"] + rng.randint(184, 215)
            else:
                close = start + rng.randint(1, max(2, window))
            tl.cut(close - 1)
            reason = ("withdrew" if r() < 0.6 else "circumstances") if target == "withdrew" else \
                "break_too_long" if target == "break_too_long" else ("not_suitable" if r() < 0.75 else "other")
            tl.at(close, K.CLOSED, reason=reason)
            return tl, close + _upto(rng, close, 700)
        if target == "not_approved":
            d = tl.after(1, 12, K.ADM_DECISION, decision="not_approved")
            return tl, d + _upto(rng, d, 700)
        if target == "adopted":
            d = tl.after(90, 400, K.CLOSED, reason="adopted")
            return tl, d + _upto(rng, d, 500)
        if target == "paused":
            p = start + rng.randint(3, max(4, min(window, 60)))
            tl.cut(p - 1)
            tl.at(p, K.PAUSED, reason=rng.choice(PAUSE_REASONS))
            return tl, p + rng.randint(5, 120)
        if target == "resumed":
            s1 = tl.marks.get("stage_1")
            s2, par = tl.marks["stage_2"], tl.marks["par"]
            if s1 is not None and r() < 0.4:
                p = s1 + rng.randint(5, 30)
            else:
                p = s2 + rng.randint(10, max(11, par - s2 - 15))
            length = rng.randint(20, 110)
            tl.shift(p, length + 1)
            tl.at(p, K.PAUSED, reason=rng.choice(PAUSE_REASONS))
            tl.at(p + length, K.RESUMED)
            start = tl.marks.get(stop.value, tl.day)
            window = {S.STAGE_2: max(10, tl.marks["par"] - s2 - length), S.AWAITING_PANEL: 30}.get(stop, 200)
            if stop is S.STAGE_2:
                return tl, tl.marks["par"] - rng.randint(1, 14)
            return tl, tl.day + rng.randint(1, window)

        # In progress: today is within the stop stage.
        if stop is S.STAGE_2:
            return tl, tl.marks["par"] - rng.randint(1, max(2, tl.marks["par"] - tl.marks["stage_2"] - 1))
        if stop is S.STAGE_1:
            return tl, tl.marks["stage_1_complete"] - rng.randint(1, max(2, window - 1))
        if stop is S.BREAK:
            # The break: most within six months, some over (red).
            return tl, tl.marks["break"] + rng.randint(5, 150 if r() < 0.85 else 200)
        if stop is S.STAGE_1_COMPLETE:
            return tl, tl.day + rng.randint(0, 30)
        if stop is S.AWAITING_PANEL:
            return tl, tl.day + rng.randint(0, 40)
        if stop is S.AWAITING_DECISION:
            return tl, tl.day  # moved to the latest panel with room by the anchoring
        if target == "approved_long":
            return tl, tl.day + rng.randint(95, 420)
        if stop is S.APPROVED:
            return tl, tl.day + rng.randint(0, 200)
        if stop is S.MATCHED:
            return tl, tl.day + rng.randint(0, 120)
        raise AssertionError(target)  # pragma: no cover

    def _path(self, tl: _Timeline, stop: S, fast: bool, deferred: bool, recommendation: str) -> int:
        """Steps from the ROI decision up to entering `stop`; marks the day each stage began. Returns
        how long a stay in `stop` plausibly lasts (days); background steps of that stage may run on."""
        rng, r = tl.rng, tl.rng.random
        tl.marks["registered"] = tl.day
        if stop is S.REGISTERED:
            return 45
        if fast:
            s2 = tl.after(7, 35, K.STAGE_2_STARTED)
            tl.marks["stage_2"] = s2
            length = rng.randint(60, 95) if r() < 0.85 else rng.randint(96, 140)
            self._checks(tl, s2, cap=s2 + length - 2)
            tl.at(s2 + rng.randint(10, 50), K.TRAINING_COMPLETED)
        else:
            s1 = tl.after(5, 40, K.STAGE_1_STARTED)
            tl.marks["stage_1"] = s1
            length1 = rng.randint(42, 84) if r() < 0.8 else rng.randint(85, 130)
            self._checks(tl, s1)
            tl.at(s1 + rng.randint(14, length1 - 1), K.TRAINING_COMPLETED)
            c1 = s1 + length1
            tl.marks["stage_1_complete"] = c1
            if stop is S.STAGE_1:
                return length1
            tl.at(c1, K.STAGE_1_COMPLETED)
            if stop is S.STAGE_1_COMPLETE:
                return 30
            if stop is S.BREAK or r() < 0.45:
                b = tl.at(c1 + rng.randint(0, 7), K.BREAK_STARTED)
                tl.marks["break"] = b
                if stop is S.BREAK:
                    return 180
                gap = rng.randint(14, 150) if r() < 0.9 else rng.randint(151, 185)
                s2 = tl.at(b + gap, K.STAGE_2_STARTED)
            else:
                s2 = tl.at(c1 + rng.randint(1, 21), K.STAGE_2_STARTED)
            tl.marks["stage_2"] = s2
            length = rng.randint(60, 95) if r() < 0.8 else rng.randint(96, 140)
        par = s2 + length
        tl.marks["par"] = par
        v = s2 + rng.randint(7, 20)
        while v < par - 3:
            tl.at(v, K.HOME_VISIT)
            v += rng.randint(10, 25)
        if stop is S.STAGE_2:
            return length
        tl.at(par, K.PAR_COMPLETED)
        tl.marks[S.AWAITING_PANEL.value] = par
        if stop is S.AWAITING_PANEL:
            return 40
        p = tl.at(par + rng.randint(18, 45), K.PANEL_RECOMMENDATION,
                  recommendation="deferred" if deferred else recommendation)
        if deferred:
            p = tl.at(p + rng.randint(28, 35), K.PANEL_RECOMMENDATION, recommendation="approve")
        tl.marks[S.AWAITING_DECISION.value] = p
        if stop is S.AWAITING_DECISION:
            return 12
        a = tl.at(p + rng.randint(1, 12), K.ADM_DECISION, decision="approved")
        tl.marks[S.APPROVED.value] = a
        if r() < 0.4:
            tl.at(a + rng.randint(20, 120), K.POST_APPROVAL_TRAINING)
        if stop is S.APPROVED:
            return 365
        m = tl.at(tl.day + rng.randint(30, 300), K.MATCHED)
        if r() < 0.08:
            tl.at(m + rng.randint(10, 60), K.MATCH_ENDED, reason=rng.choice(MATCH_ENDED_REASONS))
            m = tl.at(tl.day + rng.randint(30, 150), K.MATCHED)
        tl.marks[S.MATCHED.value] = m
        return 200

    def _checks(self, tl: _Timeline, start: int, cap: int | None = None) -> None:
        """The four statutory checks, requested early and received within weeks (before `cap`)."""
        rng = tl.rng
        for check, lo, hi in (("dbs", 20, 55), ("references", 20, 60), ("medical", 14, 70), ("la_checks", 10, 40)):
            req = start + rng.randint(0, 14)
            tl.at(req, K.CHECK_REQUESTED, check=check)
            got = req + rng.randint(lo, hi)
            tl.at(got if cap is None else max(req + 1, min(got, cap)), K.CHECK_RECEIVED, check=check)

    # -- people, panels, capacity -----------------------------------------------------------

    def _people(self, rng, raa_code, la_codes, number, target, fast, events) -> GeneratedHousehold:
        roi = events[0].date
        r = rng.random()
        relationship = ("single" if r < 0.22 else "married" if r < 0.72 else "civil_partnership" if r < 0.82
                        else "cohabiting")
        same_sex = relationship == "civil_partnership" or (relationship != "single" and rng.random() < 0.12)
        applicants = []
        first_sex = rng.choice("FM") if relationship == "single" or same_sex else "F"
        sexes = [first_sex] if relationship == "single" else [first_sex, first_sex if same_sex else "M"]
        surname = rng.choice(LAST_NAMES)
        for i, sex in enumerate(sexes):
            eth = _weighted(rng, _ETH_CUM, _ETH)
            if i and rng.random() < 0.7:
                eth = applicants[0]["ethnicity"]
            last = surname if i == 0 or rng.random() < 0.55 else rng.choice(LAST_NAMES)
            age_days = rng.randint(28 * 365, 55 * 365)
            applicants.append({
                "first_name": rng.choice(ADULT_NAMES_F if sex == "F" else ADULT_NAMES_M), "last_name": last,
                "date_of_birth": roi - timedelta(days=age_days), "ethnicity": eth,
                "religion": _weighted(rng, _REL_CUM, _REL),
                "languages": LANGUAGES.get(eth, "English") if rng.random() < 0.6 else "English",
            })
        lasts = list(dict.fromkeys(a["last_name"] for a in applicants))
        name = "-".join(lasts) if len(lasts) > 1 and rng.random() < 0.5 else " and ".join(lasts)
        members = []
        if rng.random() < 0.2:
            members.append({"name": f"{rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)} {surname}",
                            "relationship": "Birth child",
                            "date_of_birth": roi - timedelta(days=rng.randint(4 * 365, 16 * 365))})
        previous = approved_fc = False
        if fast:
            previous = rng.random() < 0.55
            approved_fc = not previous
        la = rng.choice(la_codes) if la_codes and rng.random() < 0.9 else None
        return GeneratedHousehold(
            key=f"{raa_code}-H{number:05d}", raa_code=raa_code, number=number, target=target, name=name,
            relationship=relationship, residence_la_code=la,
            address=f"{rng.randint(1, 140)} {rng.choice(STREETS)}", previous_adopters=previous,
            approved_foster_carers=approved_fc, applicants=applicants, members=members, events=events)

    def _panel_items(self, rng, h: GeneratedHousehold, tl: _Timeline, origin: date, chosen: list[date],
                     panels: list[date], booked: dict[date, int]) -> None:
        events = h.events
        par = next((e.date for e in events if e.kind is K.PAR_COMPLETED), None)
        prev = par
        for e in events:
            if e.kind is not K.PANEL_RECOMMENDATION:
                continue
            rec = e.details["recommendation"]
            due = e.date - timedelta(days=PAPERS_DUE_DAYS)
            lo = prev + DAY if prev else e.date - timedelta(days=20)
            hi = due if rng.random() < 0.85 else e.date - DAY
            papers = lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days))) if hi >= lo else lo
            papers = min(papers, e.date)
            text = MINUTES[rec].format(s=rng.choice(STRENGTHS), c=rng.choice(CONCERNS), d=rng.choice(DEFERRALS))
            item = GeneratedPanelItem(e.date, papers, rec, text)
            adm = next((x for x in events if x.kind is K.ADM_DECISION and x.date >= e.date), None)
            if rec != "deferred" and adm is not None:
                item.decision, item.decision_on = adm.details["decision"], adm.date
            h.panel_items.append(item)
            prev = e.date
        state_stage = _expected_stage(h.target, events)
        paused = sum(e.kind is K.PAUSED for e in events) > sum(e.kind is K.RESUMED for e in events)
        if state_stage is S.AWAITING_PANEL and not paused and rng.random() < 0.85:
            # Booked on the first future panel with room that leaves time for the papers.
            ok = [p for p in panels if p > self.today and p >= par + timedelta(days=14)
                  and booked[p] < PANEL_CAPACITY]
            if ok:
                papers = None
                due = ok[0] - timedelta(days=PAPERS_DUE_DAYS)
                if due <= self.today and rng.random() < 0.7:
                    papers = min(self.today, par + timedelta(days=rng.randint(1, 10)))
                h.panel_items.append(GeneratedPanelItem(ok[0], papers))

    def _target_panel(self, rng, h: GeneratedHousehold, tl: _Timeline, origin: date, panels: list[date]) -> None:
        """Set at the start of the assessment (most households): the first panel on or after the statutory
        end of the assessment; moved (with a reason) for some that ran late."""
        starts = [e.date for e in h.events if e.kind in (K.STAGE_1_STARTED, K.STAGE_2_STARTED)]
        if not starts or rng.random() < 0.12:
            return
        start = starts[0]
        from permanence.timescales.rules import add_months

        aim = add_months(start, 4 if h.fast_track else 6)
        first = next((p for p in panels if p >= aim), None)
        if first is None:
            return
        h.target_panel_date = first
        actual = next((i.panel_date for i in reversed(h.panel_items)), None)
        later = [p for p in panels if p > first]
        move_to = None
        if actual is not None and actual > first and rng.random() < 0.75:
            move_to = actual
        elif actual is None and later and rng.random() < 0.15:
            move_to = later[min(len(later) - 1, rng.randint(0, 2))]
        if move_to is not None:
            on = min(self.today, max(start + DAY, first - timedelta(days=rng.randint(7, 40))))
            why = rng.choice(("The medical report was delayed.", "Stage 2 took longer: the applicants asked for "
                              "more time.", "The panel was full; moved to the next with room.",
                              "The assessing social worker was off sick."))
            h.target_moves.append((on, first, move_to, why))
            h.target_panel_date = move_to

    def _capacity(self, rng, h: GeneratedHousehold) -> None:
        r = rng.random()
        most = 1 if r < 0.55 else 2 if r < 0.9 else 3 if r < 0.98 else 4
        fewest = 2 if most >= 2 and rng.random() < 0.3 else 1
        age_min = rng.choice((0, 0, 0, 0, 1, 2, 3))
        age_max = min(17, age_min + rng.randint(2, 7))
        any_heritage = rng.random() < 0.7
        heritages = [] if any_heritage else sorted(
            {a["ethnicity"] for a in h.applicants if a["ethnicity"] not in ("REFU", "NOBT")}
            | set(rng.sample(_ETH[:18], rng.randint(1, 4))))
        h.capacity = {
            "children_min": fewest, "children_max": most, "age_min_years": age_min, "age_max_years": age_max,
            "sibling_groups": most > 1, "sexes": "any" if rng.random() < 0.8 else rng.choice(("M", "F")),
            "heritage_open_to_any": any_heritage, "heritages": heritages,
            "religion_openness": rng.choice(("Open to any faith or none", "Would like to bring a child up in "
                                             "the Christian faith", "Open to any faith or none", "")),
            "languages": h.applicants[0]["languages"], "letterbox_contact": rng.random() < 0.92,
            "direct_contact": rng.random() < 0.3, "sibling_contact": rng.random() < 0.45,
            "early_permanence": rng.random() < 0.15, "max_distance_miles": rng.choice((None, 25, 50, 50, 100, 150)),
        }
        levels = ("none", "mild", "moderate", "significant")
        h.capacity_needs = {code: _weighted(rng, (15, 55, 90, 100), levels) for code in self.need_codes}

    # -- enquiries ---------------------------------------------------------------------------

    def _enquiries(self, raa_code: str, la_codes: Sequence[str], households: list[GeneratedHousehold],
                   count: int) -> list[GeneratedEnquiry]:
        out = []
        for h in households:
            if len(out) >= count:
                break
            rng = random.Random(f"{self.seed}/{raa_code}/eh{h.number}")
            if rng.random() < 0.05:
                continue  # came straight to a registration of interest (previous adopters, say)
            roi = h.events[0].date
            a = h.applicants[0]
            out.append(GeneratedEnquiry(
                key=f"{raa_code}-E{len(out):05d}", raa_code=raa_code,
                received_on=roi - timedelta(days=rng.randint(7, 120)), source=self._source(rng),
                first_name=a["first_name"], last_name=a["last_name"], email=_email(a, rng),
                phone=f"07700 900{rng.randint(0, 999):03d}", residence_la_code=h.residence_la_code,
                residence_area="" if h.residence_la_code else "Outside the region", outcome="roi_received",
                outcome_on=roi, household_key=h.key))
        n = 0
        while len(out) < count:
            rng = random.Random(f"{self.seed}/{raa_code}/e{n}")
            n += 1
            received = self.start + timedelta(days=rng.randint(0, HORIZON_DAYS))
            sex = rng.choice("FFM")
            person = {"first_name": rng.choice(ADULT_NAMES_F if sex == "F" else ADULT_NAMES_M),
                      "last_name": rng.choice(LAST_NAMES)}
            outcome = _weighted(rng, _OUT_CUM, _OUT)
            if (self.today - received).days < 10 and rng.random() < 0.5:
                outcome = "open"
            if outcome == "open" and (self.today - received).days > 60:
                outcome = "no_further_contact"
            outcome_on = None if outcome == "open" else min(self.today, received + timedelta(days=rng.randint(0, 21)))
            la = rng.choice(la_codes) if la_codes and rng.random() < 0.85 else None
            out.append(GeneratedEnquiry(
                key=f"{raa_code}-E{len(out):05d}", raa_code=raa_code, received_on=received, source=self._source(rng),
                first_name=person["first_name"], last_name=person["last_name"], email=_email(person, rng),
                phone=f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.7 else "",
                residence_la_code=la, residence_area="" if la else "Outside the region", outcome=outcome,
                outcome_on=outcome_on,
                signpost_reason=rng.choice(SIGNPOST_REASONS) if outcome == "signposted" else ""))
        return out

    def _source(self, rng: random.Random) -> str:
        return _weighted(rng, self._source_cum, self._sources)


DEMO_EMAIL_DOMAIN = "example.org"


def _upto(rng: random.Random, day: int, most: int) -> int:
    """A dwell of 0..`most` days after `day` that keeps the ROI within the period."""
    return rng.randint(0, max(0, min(most, HORIZON_DAYS - day)))


def _email(person: dict, rng: random.Random) -> str:
    return f"{person['first_name'].lower()}.{person['last_name'].lower()}{rng.randint(1, 99)}@{DEMO_EMAIL_DOMAIN}"


def _expected_stage(target: str, events: Sequence[rules.EventFact]) -> S:
    if target == "paused" or target == "resumed":
        kinds = {e.kind for e in events}
        for kind, stage in ((K.MATCHED, S.MATCHED), (K.ADM_DECISION, S.APPROVED), (K.PAR_COMPLETED, S.AWAITING_PANEL),
                            (K.STAGE_2_STARTED, S.STAGE_2), (K.STAGE_1_STARTED, S.STAGE_1)):
            if kind in kinds:
                return stage
        return S.REGISTERED
    return TARGETS[target]


def _facts(events: list[tuple[date, K, dict]]) -> list[rules.EventFact]:
    ordered = sorted(events, key=lambda x: (x[0], rules.KIND_ORDER[x[1]]))
    return [rules.EventFact(kind=k, date=d, seq=i + 1, details=det) for i, (d, k, det) in enumerate(ordered)]


def generate(seed: int, today: date, raas: Sequence[tuple[str, Sequence[str], int, int]], *, coverage: bool = True,
             need_codes: Iterable[str] = NEED_CODES, source_codes: Iterable[str] | None = None,
             weights: dict[str, float] | None = None) -> list[GeneratedRAA]:
    """For each (RAA code, its LA codes, households, enquiries) in `raas`, in that order."""
    sim = HouseholdSimulator(seed, today, need_codes=need_codes, source_codes=source_codes, weights=weights)
    return [sim.raa(code, list(las), households, enquiries, coverage=coverage)
            for code, las, households, enquiries in raas]
