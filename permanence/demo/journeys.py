"""A deterministic simulator of children's adoption journeys, for demo and volume data.

Pure Python (no Django, no clock, no Faker): every child comes from `random.Random` seeded with the
run's seed, the LA code and the family's number, so the same arguments always give the same
children whatever order or process they are generated in. Every journey produced replays under
`rules.replay()` and no date is after `today`.

A family (one child, or a sibling group of two or three sharing one journey) is generated for a
*target*: the stage it should have reached by `today` (or a branch such as a disruption). The
journey is first laid out relative to the day the child entered care, cut at the target, then
slid in time so that it has spent a plausible time in its current stage by `today`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from permanence.children import rules

K = rules.Kind
DAY = timedelta(days=1)

# Categories of need (children.migrations.0003_reference_data); callers may pass their own list.
NEED_CODES: tuple[str, ...] = (
    "physical_health", "learning", "emotional_behavioural", "attachment_trauma", "prenatal_exposure",
    "family_history", "abuse_neglect", "sexual_abuse", "birth_family_contact", "uncertain_development",
)
NEED_LEVELS = ("none", "mild", "moderate", "significant")

FIRST_NAMES_F = (
    "Amelia", "Ava", "Bella", "Chloe", "Daisy", "Ella", "Evie", "Freya", "Grace", "Hannah", "Isla", "Ivy",
    "Jasmine", "Lily", "Maisie", "Mia", "Nadia", "Olivia", "Phoebe", "Poppy", "Rosie", "Ruby", "Sienna",
    "Sofia", "Tia", "Willow", "Zara", "Aaliyah", "Leah", "Maya", "Nia", "Imani", "Ayesha", "Kiera", "Esme",
)
FIRST_NAMES_M = (
    "Alfie", "Archie", "Arlo", "Ben", "Charlie", "Dylan", "Ethan", "Finley", "Freddie", "George", "Harry",
    "Isaac", "Jack", "Jacob", "Kai", "Leo", "Logan", "Louie", "Mason", "Max", "Noah", "Oliver", "Oscar",
    "Reggie", "Riley", "Rory", "Sam", "Theo", "Tommy", "Zach", "Kofi", "Ibrahim", "Ravi", "Tyler", "Jayden",
)
LAST_NAMES = (
    "Allard", "Barrow", "Bickley", "Brindle", "Carney", "Chatfield", "Coombe", "Dawlish", "Denham", "Eckersley",
    "Fenwick", "Gadsby", "Gorrie", "Hadlow", "Henshall", "Holroyd", "Inchley", "Jarrold", "Keble", "Kettley",
    "Lanyon", "Lockett", "Marwood", "Medlock", "Nettleton", "Norbury", "Orchard", "Padgett", "Pennock",
    "Quinlan", "Radstock", "Rowcliffe", "Sandell", "Shilton", "Stubbington", "Tarrant", "Thwaite", "Tolley",
    "Underhill", "Vickery", "Wadsworth", "Whitlock", "Wigley", "Yardley", "Okoro", "Mensah", "Hussain",
    "Begum", "Kowalski", "Nowak", "Campbell", "Francis", "McBride", "Duffy", "Ahmed", "Chen",
)

# DfE ethnicity codes with rough weights for children adopted from care in England.
ETHNICITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("WBRI", 70.0), ("WIRI", 0.5), ("WIRT", 0.5), ("WOTH", 4.0), ("WROM", 1.0), ("MWBC", 5.0), ("MWBA", 2.0),
    ("MWAS", 2.5), ("MOTH", 4.0), ("AIND", 0.6), ("APKN", 1.5), ("ABAN", 0.6), ("AOTH", 0.8), ("BCRB", 1.2),
    ("BAFR", 1.8), ("BOTH", 0.8), ("CHNE", 0.2), ("OOTH", 1.0), ("REFU", 0.2), ("NOBT", 1.0),
)
_ETH_CODES = tuple(c for c, _ in ETHNICITY_WEIGHTS)
_ETH_CUM = tuple(itertools.accumulate(w for _, w in ETHNICITY_WEIGHTS))

# Targets: the stage (or branch) a family's journey should have reached by `today`.
TARGETS: tuple[str, ...] = (
    "tracking", "in_care", "identified", "plan", "should_be_placed", "po_waiting", "po_waiting_long",
    "linked", "matched", "placed", "adopted", "plan_changed", "po_revoked",
)
# Relative weights of each target in a generated population.
DEFAULT_WEIGHTS: dict[str, float] = {
    "tracking": 4, "in_care": 7, "identified": 8, "plan": 8, "should_be_placed": 7, "po_waiting": 12,
    "po_waiting_long": 3, "linked": 5, "matched": 5, "placed": 9, "adopted": 15, "plan_changed": 14,
    "po_revoked": 3,
}
# Every LA gets at least one family at each of these before the weighted draw.
COVERAGE: tuple[str, ...] = (
    "tracking", "in_care", "identified", "plan", "should_be_placed", "po_waiting", "po_waiting_long", "linked",
    "matched", "placed", "adopted", "adopted", "plan_changed", "po_revoked",
)
# ... and then one family with each of these cases real 903 returns hold (target, forced features). The same
# features also arise at random, in the proportions set in JourneySimulator._journey and _try_family.
COVERAGE_FEATURES: tuple[tuple[str, dict], ...] = (
    ("adopted", {"ao_on": (3, 31), "foster_carers": True, "early_permanence": None, "match_before_po": False}),
    ("adopted", {"ao_on": (4, 1), "early_permanence": "ffa", "ep_carer": "other", "ep_adopters": "carers",
                 "foster_carers": False, "match_before_po": False}),
    ("adopted", {"ao_on": (2, 29), "earlier_periods": 1}),
    ("adopted", {"early_permanence": "ffa", "ep_carer": "other", "ep_adopters": "others", "foster_carers": False,
                 "match_before_po": False}),
    ("adopted", {"early_permanence": "concurrent", "ep_carer": "connected", "ep_adopters": "carers",
                 "foster_carers": False, "match_before_po": False, "earlier_periods": 2}),
    ("adopted", {"match_before_po": True, "early_permanence": None, "foster_carers": False}),
    ("adopted", {"disruption": True, "early_permanence": None, "foster_carers": False, "match_before_po": False}),
    ("po_waiting", {"earlier_periods": 1}),
    ("plan_changed", {"left_care": True}),
    ("po_revoked", {"left_care": True}),
)
# Why an earlier period of care ended (SSDA903 REC): returned home, to relatives, under a child arrangements
# order. Never X1 (episode continues), never an adoption.
EARLIER_PERIOD_RECS = ("E4A", "E4A", "E4A", "E13", "E4B", "E41")
# How a journey's period of care ended when the child left care after the plan changed or the PO was revoked.
LEFT_CARE_RECS = ("E4A", "E4A", "E13", "E45", "E46", "E41")

DISRUPTION_REASONS = (
    "The placement ended during introductions' follow-up: the adopters could not meet the child's needs.",
    "The adopters' circumstances changed (illness in the family).",
    "The child's behaviour escalated and the adopters asked for the placement to end.",
)
LINK_ENDED_REASONS = (
    "The adopters decided not to proceed after reading the CPR.",
    "The link was not supported at the linking meeting.",
    "Another child was matched with the adopters.",
    "Location: too close to the birth family.",
)


@dataclass
class GeneratedChild:
    key: str  # unique within a run: LA code, family and position, e.g. "801-00017-1"
    la_code: str
    la_child_id: str
    first_name: str
    last_name: str
    dob: date | None
    expected_dob: date | None
    sex: str
    ethnicity: str
    has_disability: bool
    disabilities: str
    needs: dict[str, str]
    events: list[rules.EventFact]
    target: str
    sibling_key: str | None = None
    sibling_plan: str = "undecided"
    extra: dict = field(default_factory=dict)
    # Earlier periods of care, closed before the journey's own (start, end, SSDA903 REC), oldest first. They are
    # history in the 903 returns, not journey events.
    earlier_periods: list[tuple[date, date, str]] = field(default_factory=list)
    # When the journey's own period of care ended other than by adoption (date, REC), e.g. returned home after
    # the plan changed; None while in care or when adopted.
    left_care: tuple[date, str] | None = None


def _weighted(rng: random.Random, cum: Sequence[float], items: Sequence):
    x = rng.random() * cum[-1]
    for i, c in enumerate(cum):
        if x < c:
            return items[i]
    return items[-1]


class _Timeline:
    """Events laid out in days relative to entering care (day 0); strictly increasing for real steps."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.items: list[tuple[int, K, dict]] = []
        self.day = 0

    def at(self, day: int, kind: K, **details) -> int:
        self.items.append((day, kind, details))
        self.day = max(self.day, day)
        return day

    def after(self, lo: int, hi: int, kind: K, **details) -> int:
        """`kind` lo..hi days after the latest step (at least one day later)."""
        return self.at(self.day + max(1, self.rng.randint(lo, hi)), kind, **details)

    def last(self, kind: K) -> int:
        return max(i for i, (_, k, _) in enumerate(self.items) if k is kind)


class JourneySimulator:
    def __init__(self, seed: int, today: date, *, need_codes: Iterable[str] = NEED_CODES,
                 visit_every: int = 75, weights: dict[str, float] | None = None):
        self.seed = seed
        self.today = today
        self.need_codes = tuple(need_codes)
        self.visit_every = visit_every
        w = weights or DEFAULT_WEIGHTS
        self._targets = tuple(t for t in TARGETS if w.get(t, 0) > 0)
        self._target_cum = tuple(itertools.accumulate(w[t] for t in self._targets))

    # -- populations -------------------------------------------------------------------------

    def children_for_la(self, la_code: str, count: int, *, coverage: bool = True) -> list[GeneratedChild]:
        """`count` children for one LA (sibling groups included), deterministic in (seed, la_code)."""
        out: list[GeneratedChild] = []
        family = 0
        plan = [(t, None) for t in COVERAGE] + list(COVERAGE_FEATURES) if coverage else []
        while len(out) < count:
            rng = random.Random(f"{self.seed}/{la_code}/{family}")
            target, forced = (plan[family] if family < len(plan)
                              else (_weighted(rng, self._target_cum, self._targets), None))
            kids = self.family(rng, la_code, family, target, max_children=count - len(out), forced=forced)
            out.extend(kids)
            family += 1
        return out

    # -- one family --------------------------------------------------------------------------

    def family(self, rng: random.Random, la_code: str, number: int, target: str,
               max_children: int = 3, *, forced: dict | None = None) -> list[GeneratedChild]:
        """One family's children; `forced` sets features (COVERAGE_FEATURES) instead of drawing them."""
        for _attempt in range(50):
            kids = self._try_family(rng, la_code, number, target, max_children, forced or {})
            if all(self._valid(kid) for kid in kids):
                return kids
        raise RuntimeError(f"could not generate a valid journey for target {target!r}")  # pragma: no cover

    def _valid(self, kid: GeneratedChild) -> bool:
        """The journey replays, nothing is dated after today and only IDENTIFIED may precede the birth."""
        try:
            rules.replay(kid.events)
        except rules.TransitionRefused:
            return False
        if kid.dob is not None and (kid.dob > self.today or any(
                e.date < kid.dob for e in kid.events if e.kind is not K.IDENTIFIED)):
            return False
        return all(e.date <= self.today for e in kid.events)

    def _try_family(self, rng, la_code, number, target, max_children, forced=None) -> list[GeneratedChild]:
        today = self.today
        forced = forced or {}
        if target == "tracking":
            return [self._unborn(rng, la_code, number)]
        tl, flags = self._journey(rng, target, forced)
        # Slide the journey: its last step happened `dwell` days before today.
        dwell = self._dwell(rng, target)
        end = max(d for d, _, _ in tl.items)
        origin = today - timedelta(days=dwell + end)  # the date of day 0 (entering care)
        if target == "adopted" and forced.get("ao_on"):
            # The adoption order on a given day of the year (31 March, 1 April, 29 February): the latest one.
            origin = _latest_on(*forced["ao_on"], today - DAY) - timedelta(days=end)
        if target == "adopted":
            origin = self._add_after_ao(rng, tl, origin)
        events_rel = [(origin + timedelta(days=d), k, det) for d, k, det in tl.items]
        events_rel = [(d, k, det) for d, k, det in events_rel if d <= today]
        entered = origin
        # Age at entering care: mostly babies and toddlers, a few up to seven.
        if flags.get("prebirth"):
            age_days = rng.randint(0, 3)
        else:
            r = rng.random()
            age_days = (rng.randint(0, 28) if r < 0.35 else rng.randint(29, 365) if r < 0.55
                        else rng.randint(366, 3 * 365) if r < 0.8 else rng.randint(3 * 365, 5 * 365) if r < 0.95
                        else rng.randint(5 * 365, 7 * 365))
        n_earlier = forced.get("earlier_periods")
        if n_earlier is None:
            r = rng.random()
            n_earlier = 0 if flags.get("prebirth") or age_days < 240 else 1 if r < 0.15 else 2 if r < 0.18 else 0
        elif age_days < 250 * n_earlier + 60:
            age_days = rng.randint(250 * n_earlier + 60, 5 * 365)
        dob = entered - timedelta(days=age_days)
        earlier = self._earlier_periods(rng, n_earlier, dob, entered)
        left_care = None
        if target in ("plan_changed", "po_revoked") and (forced.get("left_care") or rng.random() < 0.4):
            last = max(d for d, k, _ in events_rel if k is not K.VISIT)
            left = last + timedelta(days=rng.randint(14, 200))
            if left <= today:
                left_care = (left, rng.choice(LEFT_CARE_RECS))
        events_rel += self._visits(rng, events_rel, target)
        events_rel += _placement_steps(random.Random(f"{self.seed}/placement/{la_code}-{number}"), events_rel,
                                       today)
        events = _facts(events_rel)
        last_name = rng.choice(LAST_NAMES)
        size = 1
        if target not in ("in_care",) and max_children >= 2:
            r = rng.random()
            size = 3 if r < 0.03 and max_children >= 3 else 2 if r < 0.15 else 1
        eth = _weighted(rng, _ETH_CUM, _ETH_CODES)
        kids = []
        sibling_key = f"{la_code}-{number:05d}" if size > 1 else None
        child_dob = dob
        for pos in range(size):
            sex = rng.choice("MF")
            first = rng.choice(FIRST_NAMES_M if sex == "M" else FIRST_NAMES_F)
            disabled = rng.random() < 0.15
            kids.append(GeneratedChild(
                key=f"{la_code}-{number:05d}-{pos + 1}", la_code=la_code,
                la_child_id=f"{la_code}{number:05d}{pos + 1}", first_name=first, last_name=last_name,
                dob=child_dob, expected_dob=None, sex=sex, ethnicity=eth, has_disability=disabled,
                disabilities=rng.choice(("Cerebral palsy (mild)", "Global developmental delay", "Hearing impairment",
                                         "Foetal alcohol spectrum disorder (suspected)", "Epilepsy"))
                if disabled else "",
                needs=self._needs(rng, disabled, (entered - child_dob).days < 180),
                events=[rules.EventFact(e.kind, e.date, e.seq, dict(e.details)) for e in events] if pos else events,
                target=target, sibling_key=sibling_key,
                sibling_plan=("together" if rng.random() < 0.8 else "apart") if size > 1 else "undecided",
                extra=dict(flags), earlier_periods=list(earlier), left_care=left_care,
            ))
            child_dob = child_dob - timedelta(days=rng.randint(330, 3 * 365))
        return kids

    def _unborn(self, rng, la_code, number) -> GeneratedChild:
        identified = self.today - timedelta(days=rng.randint(0, 120))
        expected = self.today + timedelta(days=rng.randint(7, 150))
        events_rel = [(identified, K.IDENTIFIED, {})]
        events_rel += self._visits(rng, events_rel, "tracking")
        last = rng.choice(LAST_NAMES)
        return GeneratedChild(
            key=f"{la_code}-{number:05d}-1", la_code=la_code, la_child_id=f"{la_code}{number:05d}1",
            first_name="Baby", last_name=last, dob=None, expected_dob=expected, sex="U",
            ethnicity=_weighted(rng, _ETH_CUM, _ETH_CODES), has_disability=False, disabilities="",
            needs=self._needs(rng, False, True), events=_facts(events_rel), target="tracking",
        )

    def _earlier_periods(self, rng, n: int, dob: date, entered: date) -> list[tuple[date, date, str]]:
        """`n` closed periods of care before `entered`, each ending with the child going home (or to relatives)."""
        out = []
        end_before = entered
        for _ in range(n):
            end = end_before - timedelta(days=rng.randint(30, 200))
            start = end - timedelta(days=rng.randint(20, 300))
            if start <= dob:
                start = dob + timedelta(days=rng.randint(0, 5))
            if (end - start).days < 7:
                break
            out.append((start, end, rng.choice(EARLIER_PERIOD_RECS)))
            end_before = start
        return sorted(out)

    # -- the journey -------------------------------------------------------------------------

    def _journey(self, rng: random.Random, target: str, forced: dict | None = None) -> tuple[_Timeline, dict]:
        """Lay out the journey (days from entering care) and cut it at the target."""
        tl = _Timeline(rng)
        adoption_like = target in ("placed", "adopted", "matched", "linked", "po_waiting", "po_waiting_long")
        flags = {
            "prebirth": target != "in_care" and rng.random() < 0.12,
            "early_permanence": (rng.choice(("ffa", "ffa", "concurrent")) if adoption_like and rng.random() < 0.12
                                 else None),
            "foster_carers": False,
            "match_before_po": False,
            "link_ended": target in ("linked", "matched", "placed", "adopted") and rng.random() < 0.1,
            "disruption": target in ("linked", "matched", "placed", "adopted") and rng.random() < 0.05,
        }
        # Early permanence carers: a relative or friend who is an approved adopter (U2) or another foster carer
        # who is (U5); most adopt the child, some children are adopted by others after all.
        flags["ep_carer"] = "connected" if rng.random() < 0.2 else "other"
        flags["ep_adopters"] = "carers" if rng.random() < 0.8 else "others"
        if not flags["early_permanence"] and target in ("placed", "adopted", "matched"):
            r = rng.random()
            flags["foster_carers"] = r < 0.08
            flags["match_before_po"] = 0.08 <= r < 0.16
        if forced:
            flags.update({k: v for k, v in forced.items() if k in flags})
            if forced.get("earlier_periods"):
                flags["prebirth"] = False
        if not flags["early_permanence"]:
            flags["ep_carer"] = flags["ep_adopters"] = None
        if flags["early_permanence"] or flags["foster_carers"] or flags["match_before_po"]:
            flags["disruption"] = False
        ep_by_carers = flags["ep_adopters"] == "carers"

        # 1. Into care; identified (before birth for some); plan; should-be-placed.
        if flags["prebirth"]:
            tl.at(-rng.randint(30, 100), K.IDENTIFIED)
            tl.day = 0
            tl.at(0, K.ENTERED_CARE)
        else:
            tl.at(0, K.ENTERED_CARE)
        if target == "in_care":
            return tl, flags
        if not flags["prebirth"]:
            tl.after(10, 75, K.IDENTIFIED)
        if flags["early_permanence"]:
            tl.after(2, 40, K.EARLY_PERMANENCE, placement_type=flags["early_permanence"], carer=flags["ep_carer"])
        if target == "identified":
            return tl, flags
        tl.at(max(tl.day + 1, rng.randint(100, 140)), K.PERMANENCE_PLAN)
        if target == "plan":
            return tl, flags
        if target == "plan_changed" and rng.random() < 0.3:
            reason = rng.choice(("RD1", "RD4"))
            tl.after(20, 200, K.PLAN_CHANGED, reason=reason)
            return tl, flags
        tl.at(max(tl.day + 1, rng.randint(120, 270)), K.SHOULD_BE_PLACED)
        if target == "should_be_placed":
            return tl, flags
        if target == "plan_changed" and rng.random() < 0.35:
            tl.after(30, 150, K.PLAN_CHANGED, reason=rng.choice(("RD2", "RD2", "RD1", "RD4")))
            return tl, flags

        # 2. Placement order (a match can come first).
        if flags["match_before_po"]:
            tl.after(10, 35, K.LINKED)
            tl.after(20, 45, K.MATCHING_PANEL)
            tl.after(1, 9, K.MATCH_DECISION)
            tl.after(7, 45, K.PLACEMENT_ORDER)
            if target == "matched":
                return tl, flags
            tl.after(7, 30, K.PLACED)
            return self._after_placed(rng, tl, target), flags
        tl.after(30, 90, K.PLACEMENT_ORDER)
        if target == "po_waiting":
            return tl, flags
        if target == "po_waiting_long":
            return tl, flags
        if target == "po_revoked":
            if rng.random() < 0.4:
                tl.after(60, 300, K.LINKED)
            tl.after(150, 450, K.PO_REVOKED)
            return tl, flags
        if target == "plan_changed":
            if rng.random() < 0.5:
                tl.after(365, 700, K.PLAN_CHANGED, reason="RD3")
            else:
                if rng.random() < 0.5:
                    tl.after(60, 300, K.LINKED)
                    tl.after(20, 80, K.LINK_ENDED, reason=rng.choice(LINK_ENDED_REASONS))
                tl.after(30, 400, K.PLAN_CHANGED, reason=rng.choice(("RD1", "RD3", "RD4")))
            return tl, flags

        # 3. Family finding: link (perhaps one that ends first), panel, match, move in.
        if flags["early_permanence"] and ep_by_carers:
            tl.after(20, 120, K.LINKED)  # with the early permanence carers
        else:
            if flags["link_ended"]:
                tl.after(60, 250, K.LINKED)
                tl.after(14, 70, K.LINK_ENDED, reason=rng.choice(LINK_ENDED_REASONS))
            tl.after(90, 450 if rng.random() < 0.85 else 540, K.LINKED)
        if target == "linked" and not flags["disruption"]:
            return tl, flags
        tl.after(20, 55, K.MATCHING_PANEL)
        tl.after(1, 9, K.MATCH_DECISION)
        if target == "matched" and not flags["disruption"]:
            return tl, flags
        if flags["foster_carers"]:
            tl.after(14, 42, K.PLACED, by_foster_carers=True, moved_in_with_carers="?")
        elif flags["early_permanence"] and ep_by_carers:
            # The placement becomes adoptive with the same carers: A10 counts from the early permanence move.
            tl.after(14, 42, K.PLACED, by_foster_carers=True, moved_in_with_carers="early_permanence")
        else:
            tl.after(14, 42, K.PLACED)
        if flags["disruption"]:
            tl.after(30, 150, K.DISRUPTION, reason=rng.choice(DISRUPTION_REASONS))
            tl.after(60, 240, K.LINKED)
            if target == "linked":
                return tl, flags
            tl.after(20, 55, K.MATCHING_PANEL)
            tl.after(1, 9, K.MATCH_DECISION)
            if target == "matched":
                return tl, flags
            tl.after(14, 42, K.PLACED)
        return self._after_placed(rng, tl, target), flags

    def _after_placed(self, rng, tl: _Timeline, target: str) -> _Timeline:
        # Foster-carer adoptions: the carers' care began soon after the child entered care.
        for i, (d, k, det) in enumerate(tl.items):
            if k is K.PLACED and det.get("moved_in_with_carers") == "?":
                tl.items[i] = (d, k, {**det, "moved_in_with_carers": rng.randint(1, 40)})
        placed = tl.day
        if target == "placed":
            if rng.random() < 0.5:
                tl.after(70, 150, K.ADOPTION_APPLICATION)
            return tl
        tl.after(70, 150, K.ADOPTION_APPLICATION)
        tl.at(max(tl.day + 20, placed + rng.randint(120, 365)), K.ADOPTION_ORDER)
        return tl

    def _add_after_ao(self, rng, tl: _Timeline, origin: date) -> date:
        """Life story book and later life letter: most on time, some late, some not yet (overdue)."""
        ao = tl.day
        for kind, p_on_time, p_late in ((K.LIFE_STORY_BOOK, 0.7, 0.15), (K.LATER_LIFE_LETTER, 0.65, 0.15)):
            r = rng.random()
            if r < p_on_time:
                tl.items.append((ao + rng.randint(0, 13), kind, {}))
            elif r < p_on_time + p_late:
                tl.items.append((ao + rng.randint(20, 200), kind, {}))
        return origin

    def _dwell(self, rng, target: str) -> int:
        """Days between the journey's last step and today."""
        return {
            "in_care": lambda: rng.randint(0, 100),
            "identified": lambda: rng.randint(0, 60),
            "plan": lambda: rng.randint(0, 110),
            "should_be_placed": lambda: rng.randint(0, 80),
            "po_waiting": lambda: rng.randint(0, 420),
            "po_waiting_long": lambda: rng.randint(550, 900),
            "linked": lambda: rng.randint(0, 60),
            "matched": lambda: rng.randint(0, 35),
            "placed": lambda: rng.randint(0, 300),
            "adopted": lambda: rng.randint(1, 5 * 365 - 1),
            "plan_changed": lambda: rng.randint(0, 4 * 365),
            "po_revoked": lambda: rng.randint(0, 300),
        }[target]()

    def _visits(self, rng, events: list[tuple[date, K, dict]], target: str) -> list[tuple[date, K, dict]]:
        """Visits to the child from the first step while the case is open (and once or twice after the AO)."""
        if not events:
            return []
        start = min(d for d, _, _ in events)
        closed = [d for d, k, _ in events if k is K.PLAN_CHANGED]
        aos = [d for d, k, _ in events if k is K.ADOPTION_ORDER]
        end = closed[0] - DAY if closed else (aos[0] + timedelta(days=120) if aos else self.today)
        end = min(end, self.today)
        out = []
        day = start + timedelta(days=rng.randint(7, 40))
        while day <= end:
            out.append((day, K.VISIT, {}))
            day += timedelta(days=rng.randint(self.visit_every // 2, self.visit_every * 3 // 2))
        return out

    def _needs(self, rng, disabled: bool, baby: bool) -> dict[str, str]:
        out = {}
        for code in self.need_codes:
            r = rng.random()
            level = "none" if r < 0.58 else "mild" if r < 0.86 else "moderate" if r < 0.97 else "significant"
            if code == "physical_health" and disabled:
                level = rng.choice(("moderate", "significant"))
            if code == "uncertain_development" and baby and level == "none" and rng.random() < 0.5:
                level = "mild"
            out[code] = level
        return out


def _placement_steps(rng, events: list[tuple[date, K, dict]], today: date) -> list[tuple[date, K, dict]]:
    """The steps around a placement, on their own random stream (the rest of the journey is the same without
    them): the adoption placement report a few days before each matching panel, the placement plan on the day of
    each move-in, placement reviews while placed (within 4 weeks, then about 3 and 6 months apart, a few late),
    and the end of some early permanence placements that never became the adoptive placement."""
    ordered = sorted(events, key=lambda x: (x[0], rules.KIND_ORDER[x[1]]))
    out = []
    for i, (d, k, _det) in enumerate(ordered):
        if k is K.MATCHING_PANEL:
            linked = max((dd for dd, kk, _ in ordered[:i] if kk is K.LINKED), default=None)
            if linked is not None and (d - linked).days >= 2:
                out.append((d - timedelta(days=rng.randint(1, min(14, (d - linked).days - 1))), K.APR, {}))
        elif k is K.PLACED:
            out.append((d, K.PLACEMENT_PLAN, {}))
            stop = next((dd for dd, kk, _ in ordered[i + 1:] if kk in (K.ADOPTION_ORDER, K.DISRUPTION)), None)
            last = min(stop - DAY if stop else today, today)
            day, held = d + timedelta(days=rng.randint(14, 27)), 0
            while day <= last:
                out.append((day, K.PLACEMENT_REVIEW, {}))
                held += 1
                gap = 91 if held == 1 else 182
                late = rng.randint(1, 40) if rng.random() < 0.1 else 0
                day += timedelta(days=rng.randint(gap - 35, gap - 5) + late)
    ep = [d for d, k, _ in ordered if k is K.EARLY_PERMANENCE]
    if ep and not any(k in (K.PLACED, K.LINKED) for _, k, _ in ordered) and rng.random() < 0.5:
        day = ep[0] + timedelta(days=rng.randint(60, 300))
        if day <= today:
            out.append((day, K.EARLY_PERMANENCE_ENDED,
                        {"end_reason": rng.choice(("birth_family", "plan_changed", "broke_down", "other"))}))
    return out


def _facts(events: list[tuple[date, K, dict]]) -> list[rules.EventFact]:
    """EventFacts in replay order; seq numbers follow that order (the loader inserts in it too)."""
    ordered = sorted(events, key=lambda x: (x[0], rules.KIND_ORDER[x[1]]))
    out = []
    for i, (d, k, det) in enumerate(ordered):
        if k is K.PLACED and isinstance(det.get("moved_in_with_carers"), int):
            # Foster carers' care began this many days after entering care.
            entered = next(dd for dd, kk, _ in ordered if kk is K.ENTERED_CARE)
            det = {**det, "moved_in_with_carers": (entered + timedelta(days=det["moved_in_with_carers"])).isoformat()}
        elif k is K.PLACED and det.get("moved_in_with_carers") == "early_permanence":
            ep = next(dd for dd, kk, _ in ordered if kk is K.EARLY_PERMANENCE)
            det = {**det, "moved_in_with_carers": ep.isoformat()}
        out.append(rules.EventFact(kind=k, date=d, seq=i + 1, details=det))
    return out


def _latest_on(month: int, day: int, until: date) -> date:
    """The latest `day`/`month` on or before `until` (29 February: in the latest leap year)."""
    year = until.year
    while True:
        try:
            d = date(year, month, day)
        except ValueError:
            d = None
        if d is not None and d <= until:
            return d
        year -= 1


def generate(seed: int, today: date, las: Sequence[tuple[str, int]], *, coverage: bool = True,
             need_codes: Iterable[str] = NEED_CODES, visit_every: int = 75,
             weights: dict[str, float] | None = None) -> list[GeneratedChild]:
    """Children for each (LA code, count) in `las`, in that order."""
    sim = JourneySimulator(seed, today, need_codes=need_codes, visit_every=visit_every, weights=weights)
    out: list[GeneratedChild] = []
    for code, count in las:
        out.extend(sim.children_for_la(str(code), count, coverage=coverage))
    return out
