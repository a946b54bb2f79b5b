"""The family-finding matching engine: which households could meet a child's needs, best first, and why.

Pure Python (with numpy): no Django, no database, no clock (the date is a parameter). The profiles below
are the contract with the rest of Permanence: `family_finding` adapts a Child (or a sibling group placed
together) into a `ChildProfile` and a Household with its CapacityProfile into a `HouseholdProfile`; this
module does the rest. A blank (None, "" or an empty collection where the field says so) always means
"not recorded": it is shown as such and is never a mismatch.

* Hard rules (`ALL_RULES`, a tuple of named rules, each callable on a `Pair` and returning None or a
  reason) exclude a household with words a social worker can defend ("approved for up to 2 children;
  this is a sibling group of 3").
* Soft fit (`FACTORS`) ranks the rest: every factor gives ABSOLUTE points from this child and this
  household alone (never relative to who else is in the pool), within ± the factor's weight.
* One pair evaluation underneath everything: `_evaluate` works on a grid of children × households
  (numpy, broadcasting), and `assess_pair` (one pair), `rank_households` (one child × the pool),
  `rank_children` (the pool × one household), `first_place_counts` and `sufficiency` all call it, so
  a pair gets the same exclusions and the same points whichever way it is looked at. The words (the
  reasons) are built in plain Python, only for what is shown.
* Ties go to the longest-waiting household (or child), then the key. Deterministic.

docs/family-finding.md explains the rules, the factors, the default weights and how to read an explanation.
"""

from __future__ import annotations

import itertools
import math
import struct
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import numpy as np

from permanence.family_finding import postcodes

# -- vocabulary ----------------------------------------------------------------------------------------

LEVELS = ("none", "mild", "moderate", "significant")
LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}

# The need categories Permanence ships (children.migrations.0003_reference_data), as short phrases for
# the reasons; any other category code works too and is shown as its code with spaces.
NEED_NAMES = {
    "physical_health": "physical health or disability",
    "learning": "learning difficulties or developmental delay",
    "emotional_behavioural": "emotional and behavioural needs",
    "attachment_trauma": "attachment difficulties and trauma",
    "prenatal_exposure": "exposure to alcohol or drugs before birth",
    "family_history": "family history of mental illness or inherited conditions",
    "abuse_neglect": "history of abuse or neglect",
    "sexual_abuse": "known or suspected sexual abuse",
    "birth_family_contact": "contact with the birth family",
    "uncertain_development": "uncertainty about future development",
}
_STD = tuple(NEED_NAMES)

CONTACT_KINDS = ("letterbox", "direct", "sibling")
CONTACT_NAMES = {"letterbox": "letterbox contact", "direct": "direct contact with the birth family",
                 "sibling": "contact with brothers or sisters"}

# DfE ethnicity codes; REFU (refused) and NOBT (not yet obtained) are "not recorded". The first letter
# is the broad group.
UNRECORDED_ETHNICITIES = frozenset({"", "REFU", "NOBT"})
HERITAGE_GROUPS = {"W": "White", "M": "Mixed", "A": "Asian or Asian British", "B": "Black or Black British",
                   "C": "Chinese", "O": "any other ethnic group"}

STATUSES = ("approved", "on_hold", "paused")  # anything else is "not approved" (e.g. "assessment", "closed")
AGENCY_KINDS = ("own_raa", "other_raa", "vaa")
EARLY_PERMANENCE = ("", "possible", "needed")
NOT_RECORDED = "not recorded"


def need_name(code: str) -> str:
    return NEED_NAMES.get(code, code.replace("_", " "))


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 if `end` is before `start`)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(0, months)


def years_months(months: int) -> str:
    y, m = divmod(months, 12)
    parts = [f"{y} year{'s' if y != 1 else ''}"] if y else []
    if m or not y:
        parts.append(f"{m} month{'s' if m != 1 else ''}")
    return " ".join(parts)


def long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


# Process-wide interning of strings and signatures to small ints (ids are only ever compared for equality).
_IDS: dict = {}
_NEXT = itertools.count()


def _id(value) -> int:
    if value == "" or value is None:
        return -1
    got = _IDS.get(value)
    if got is None:
        got = _IDS.setdefault(value, next(_NEXT))
    return got


def _ymd(d: date | None) -> tuple[int, int, int]:
    return (d.year, d.month, d.day) if d else (-1, -1, -1)


def _pack(row: tuple) -> bytes:
    """A row of numbers as packed float64s: a batch of profiles becomes one array with one join."""
    return struct.pack(f"<{len(row)}d", *row)


def _norm_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v and v.strip())


def _ranks(levels: Mapping[str, str]) -> dict[str, int]:
    """{category: level} -> {category: rank}, leaving out blank levels ("" is not recorded)."""
    out = {}
    for code, level in levels.items():
        if level == "":
            continue
        if level not in LEVEL_RANK:
            raise ValueError(f"unknown need level {level!r} for {code}")
        out[code] = LEVEL_RANK[level]
    return out


def _derived():
    """A field worked out in __post_init__ for the engine: not an argument, not shown, not compared."""
    return field(init=False, repr=False, compare=False)


# -- the contract: profiles ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Decline:
    """A household (or its agency) said no to a child: it feeds back into later shortlists."""

    on: date
    reason: str  # in plain words, e.g. "travel distance"
    child_key: str = ""  # the ChildProfile.key declined, if known
    children: int = 1  # how many children were to be placed together
    age_months: int | None = None  # the youngest child's age in months on the day of the decline
    by: str = "adopters"  # "adopters" or "agency"


class _Derives:
    """Profiles work out engine fields (interned ids among them) in __post_init__: a copy or an unpickled
    profile works them out again in its own process instead of carrying them over."""

    def __getstate__(self):
        return {name: getattr(self, name) for name, f in self.__dataclass_fields__.items() if f.init}

    def __setstate__(self, state):
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()


@dataclass(frozen=True)
class ChildProfile(_Derives):
    """One child, or a sibling group to be placed together (then every field covers all of them).

    `needs` is {need category code: level}, levels none < mild < moderate < significant; for a sibling
    group give the highest level of any of the children in each category. A level "" is not recorded."""

    key: str
    children: int = 1
    dates_of_birth: tuple[date, ...] = ()  # a date after `on` (an unborn baby) counts as age 0
    ages_months: tuple[int, ...] = ()  # ages in months on the date, for children with no date of birth
    sexes: tuple[str, ...] = ()  # "M", "F" or "U" (not known) per child
    ethnicities: tuple[str, ...] = ()  # DfE codes (WBRI, MWBC…); REFU/NOBT are not recorded
    religion: str = ""  # e.g. "Christian", "Muslim", "No religion"
    languages: tuple[str, ...] = ()  # e.g. ("English", "Polish")
    needs: Mapping[str, str] = field(default_factory=dict)
    contact: frozenset[str] | None = None  # what the plan needs, from CONTACT_KINDS; None = not recorded
    early_permanence: str = ""  # "needed" (a hard rule), "possible" (scored) or ""
    not_in_las: frozenset[str] = frozenset()  # LA codes the child must not be placed in
    not_in_places: frozenset[str] = frozenset()  # postcode districts ("LS6") or areas ("BD") to avoid
    max_distance_miles: float | None = None  # from reference_district
    min_distance_miles: float | None = None  # from reference_district
    require_known_distance: bool = False  # with a max/min: exclude households whose distance is not known
    reference_district: str = ""  # the postcode district distances are measured from
    la: str = ""  # the child's LA code
    raa: str = ""  # the RAA family-finding for the child
    waiting_since: date | None = None  # e.g. the placement order, or the should-be-placed decision

    # Worked out once, for the engine: the needs as ranks, and one packed row of numbers (_row, see _Kids).
    _need_ranks: tuple = _derived()
    _extra: dict = _derived()
    _centroid: tuple | None = _derived()
    _heritage: frozenset = _derived()
    _las: tuple = _derived()
    _places: tuple = _derived()
    _row: bytes = _derived()

    def __post_init__(self):
        if self.children < 1:
            raise ValueError("a child profile covers at least one child")
        if self.early_permanence not in EARLY_PERMANENCE:
            raise ValueError(f"early_permanence must be one of {EARLY_PERMANENCE}")
        ranks = _ranks(self.needs)
        put = object.__setattr__
        put(self, "_need_ranks", tuple(sorted(ranks.items())))
        put(self, "_extra", {c: r for c, r in ranks.items() if c not in NEED_NAMES})
        centroid = postcodes.centroid(self.reference_district)
        put(self, "_centroid", centroid)
        put(self, "_heritage", frozenset(self.ethnicities) - UNRECORDED_ETHNICITIES)
        put(self, "_las", tuple(_id(x.strip()) for x in sorted(self.not_in_las) if x.strip()))
        put(self, "_places", tuple(_id(x.strip().upper()) for x in sorted(self.not_in_places) if x.strip()))
        nan = math.nan
        dobs = sorted(self.dates_of_birth)
        first, last, ws = (dobs[0] if dobs else None), (dobs[-1] if dobs else None), self.waiting_since
        row = (
            self.children, "M" in self.sexes, "F" in self.sexes, EARLY_PERMANENCE.index(self.early_permanence),
            nan if self.max_distance_miles is None else float(self.max_distance_miles),
            nan if self.min_distance_miles is None else float(self.min_distance_miles),
            self.require_known_distance, centroid[0] if centroid else nan, centroid[1] if centroid else nan,
            *_ymd(first), *_ymd(last),
            max(self.ages_months) if self.ages_months else -1, min(self.ages_months) if self.ages_months else -1,
            *_ymd(ws),
            *(ranks.get(c, -1) for c in _STD),
            _id(("heritage", self._heritage)),
            _id(("religion", self.religion.strip().lower())),
            _id(("language", _norm_set(self.languages))),
            _id(("contact", self.contact)),
            _id(("early_permanence", self.early_permanence)),
            _id(("experience", self._need_ranks)),
        )
        put(self, "_row", _pack(row))

    def ages_on(self, on: date) -> tuple[int, ...]:
        """Each child's age in whole months on `on` (from the dates of birth, then the given ages)."""
        return tuple(months_between(d, on) for d in self.dates_of_birth) + tuple(self.ages_months)


@dataclass(frozen=True)
class HouseholdProfile(_Derives):
    """A household as family finding sees it: its approval, its capacity profile and its links.

    `needs_accepted` is {need category code: the highest level accepted}; a category missing from it is
    not recorded. `heritages` None means open to any heritage."""

    key: str
    agency_code: str = ""  # the agency that approved them (an RAA's or a VAA's code)
    agency_kind: str = "own_raa"  # "own_raa", "other_raa" or "vaa", seen from the searching RAA
    inter_agency_fee: int | None = None  # whole pounds, when placing with them costs an inter-agency fee
    status: str = "approved"  # "approved", "on_hold", "paused"; anything else is not approved
    approved_on: date | None = None  # waiting since
    children_min: int = 1
    children_max: int = 1
    age_min_years: int = 0
    age_max_years: int = 4
    sibling_groups: bool = False
    sexes: str = "any"  # "any", "M" or "F"
    heritages: frozenset[str] | None = None  # DfE codes they are open to; None = any
    ethnicities: tuple[str, ...] = ()  # the applicants' own
    religions: tuple[str, ...] = ()  # the applicants' own
    religion_openness: str = ""  # "any" (any faith or none), a faith they would bring a child up in, or ""
    languages: tuple[str, ...] = ()  # spoken at home
    contact: frozenset[str] | None = None  # contact they will support, from CONTACT_KINDS; None = not recorded
    early_permanence_willing: bool | None = None  # None = not recorded
    early_permanence_approved: bool = False  # approved as foster carers for early permanence (FfA/concurrency)
    needs_accepted: Mapping[str, str] = field(default_factory=dict)
    district: str = ""  # postcode district (or a full postcode: only its district is used)
    la: str = ""  # the LA code of where they live
    max_travel_miles: int | None = None  # how far they said they would travel for introductions
    open_links: int = 0  # open links (shortlisted up to link agreed) with any child
    open_link_children: frozenset[str] = frozenset()  # the ChildProfile keys of those links, if known
    linked_matched: int = 0  # children linked (agreed), matched or placed with them, not yet adopted
    capacity: int = 1  # how many such children they can take at once
    previous_adopters: bool = False
    needs_parented: frozenset[str] = frozenset()  # need categories they have parented a child with
    declines: tuple[Decline, ...] = ()

    # Worked out once, for the engine (see _Homes).
    _accepts: dict = _derived()
    _extra: dict = _derived()
    _district: str = _derived()
    _centroid: tuple | None = _derived()
    _languages: frozenset = _derived()
    _religions: frozenset = _derived()
    _row: bytes = _derived()

    def __post_init__(self):
        if self.agency_kind not in AGENCY_KINDS:
            raise ValueError(f"agency_kind must be one of {AGENCY_KINDS}")
        if self.sexes not in ("any", "M", "F"):
            raise ValueError("sexes must be 'any', 'M' or 'F'")
        accepts = _ranks(self.needs_accepted)
        put = object.__setattr__
        put(self, "_accepts", accepts)
        put(self, "_extra", {c: r for c, r in accepts.items() if c not in NEED_NAMES})
        district = postcodes.district_of(self.district)
        put(self, "_district", district)
        centroid = postcodes.centroids().get(district) if district else None
        put(self, "_centroid", centroid)
        put(self, "_languages", _norm_set(self.languages))
        put(self, "_religions", _norm_set(self.religions))
        parent = district[:-1] if district and district[-1].isalpha() else ""
        nan = math.nan
        row = (
            self.children_min, self.children_max, self.sibling_groups, self.age_min_years, self.age_max_years,
            ("any", "M", "F").index(self.sexes),
            STATUSES.index(self.status) if self.status in STATUSES else len(STATUSES),
            self.linked_matched, self.capacity, self.open_links, self.early_permanence_approved,
            _id(self.la.strip()), _id(district), _id(postcodes.area_of(district)), _id(parent),
            centroid[0] if centroid else nan, centroid[1] if centroid else nan,
            nan if self.max_travel_miles is None else float(self.max_travel_miles),
            *_ymd(self.approved_on),
            *(accepts.get(c, -1) for c in _STD),
            _id(("heritage", frozenset(self.ethnicities) - UNRECORDED_ETHNICITIES, self.heritages)),
            _id(("religion", self._religions, self.religion_openness.strip().lower())),
            _id(("language", self._languages)),
            _id(("contact", self.contact)),
            _id(("early_permanence", self.early_permanence_approved, self.early_permanence_willing)),
            _id(("experience", self.previous_adopters, self.needs_parented)),
        )
        put(self, "_row", _pack(row))

    @property
    def inter_agency(self) -> bool:
        return self.agency_kind != "own_raa"


# -- weights -------------------------------------------------------------------------------------------

FACTORS = ("needs_margin", "heritage", "religion", "language", "contact", "early_permanence", "experience",
           "distance", "household_waiting", "child_waiting", "decline")
FACTOR_LABELS = {
    "needs_margin": "needs margin", "heritage": "heritage", "religion": "religion", "language": "language",
    "contact": "contact", "early_permanence": "early permanence", "experience": "experience",
    "distance": "distance", "household_waiting": "household waiting", "child_waiting": "child waiting",
    "decline": "earlier decline",
}
DEFAULT_SCALES = {
    "waiting_full_months": 24,  # waiting this long (or longer) earns a waiting factor's full points
    "distance_full_miles": 150,  # this far (or further) costs half the distance points
    "decline_window_days": 365,  # declines older than this no longer count
    "similar_age_months": 24,  # a declined child this close in age (and the same group size) is similar
}


@dataclass(frozen=True)
class Weights:
    """An RAA's weights: points per factor (the most a factor can add or take away), versioned with a source.

    A factor missing from `points` scores 0 (it is switched off). `scales` tune how a factor reaches its
    full points (DEFAULT_SCALES)."""

    version: str
    source: str
    valid_from: date
    points: Mapping[str, float]
    scales: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SCALES))

    def __post_init__(self):
        unknown = (set(self.points) - set(FACTORS)) | (set(self.scales) - set(DEFAULT_SCALES))
        if unknown:
            raise ValueError(f"unknown factors or scales: {', '.join(sorted(unknown))}")
        if any(p < 0 for p in self.points.values()):
            raise ValueError("points are the size of a factor's effect: give them as positive numbers")

    def point(self, factor: str) -> float:
        return float(self.points.get(factor, 0))

    def scale(self, name: str) -> float:
        return float(self.scales.get(name, DEFAULT_SCALES[name]))

    def as_dict(self) -> dict:
        return {"version": self.version, "source": self.source, "valid_from": self.valid_from.isoformat(),
                "points": {f: self.point(f) for f in FACTORS},
                "scales": {s: self.scale(s) for s in DEFAULT_SCALES}}


DEFAULT_WEIGHTS = Weights(
    version="permanence-default-1",
    source="Permanence defaults (docs/family-finding.md): needs first, then heritage, contact and experience; "
           "time waiting on both sides (seed 002: the hardest-to-place children wait longest); distance and "
           "earlier declines from the adopters' most common complaints (domain.md section 4). Not statutory: "
           "each RAA should agree its own.",
    valid_from=date(2026, 1, 1),
    points={"needs_margin": 20, "heritage": 10, "religion": 4, "language": 4, "contact": 8,
            "early_permanence": 6, "experience": 8, "distance": 10, "household_waiting": 10,
            "child_waiting": 10, "decline": 12},
)


# -- compiled sides: a batch of profiles as arrays --------------------------------------------------------

def _categories(children: Sequence[ChildProfile], households: Sequence[HouseholdProfile]) -> tuple[str, ...]:
    """The need categories of a batch: Permanence's own, then any others in code order."""
    extra = set()
    for p in itertools.chain(children, households):
        if p._extra:
            extra.update(p._extra)
    return _STD + tuple(sorted(extra))


def _rows(profiles: Sequence, width: int) -> np.ndarray:
    return np.frombuffer(b"".join(p._row for p in profiles), dtype="<f8").reshape(len(profiles), width)


def _need_matrix(std: np.ndarray, profiles: Sequence, cats: tuple[str, ...], attr: str) -> np.ndarray:
    out = std.astype(np.int8)
    if len(cats) > len(_STD):
        more = np.array([[getattr(p, attr).get(c, -1) for c in cats[len(_STD):]] for p in profiles],
                        dtype=np.int8).reshape(len(profiles), len(cats) - len(_STD))
        out = np.hstack([out, more])
    return out


def _month_counts(y: np.ndarray, m: np.ndarray, d: np.ndarray, on: date) -> np.ndarray:
    """Whole months from (y, m, d) to `on`, clipped at 0; -1 where the date is not recorded (y < 0)."""
    y, m, d = (a.astype(np.int64) for a in (y, m, d))
    months = (on.year - y) * 12 + on.month - m - (on.day < d)
    return np.where(y < 0, -1, np.maximum(months, 0))


def _padded(rows: list[tuple[int, ...]]) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), -1, dtype=np.int64)
    if width:
        for i, r in enumerate(rows):
            if r:
                out[i, :len(r)] = r
    return out


_K = len(_STD)
_KID_WIDTH = 20 + _K + 6
_HOME_WIDTH = 21 + _K + 6


class _Kids:
    """Children as column arrays of shape (n, 1), ready to broadcast against households (1, m)."""

    def __init__(self, children: Sequence[ChildProfile], on: date, cats: tuple[str, ...]):
        self.profiles = children
        self.on = on
        n = len(children)
        a = _rows(children, _KID_WIDTH)
        col = lambda i: a[:, i:i + 1]  # noqa: E731
        self.n = col(0)
        self.has_m, self.has_f = col(1) > 0, col(2) > 0
        self.ep = col(3)
        self.dmax, self.dmin, self.req_known = col(4), col(5), col(6) > 0
        self.lat, self.lon = col(7), col(8)
        # ages in months: the oldest from the earliest date of birth, the youngest from the latest
        oldest = _month_counts(a[:, 9], a[:, 10], a[:, 11], on)
        youngest = _month_counts(a[:, 12], a[:, 13], a[:, 14], on)
        given_max, given_min = a[:, 15].astype(np.int64), a[:, 16].astype(np.int64)
        big = np.iinfo(np.int64).max
        age_max = np.maximum(oldest, given_max)
        age_min = np.minimum(np.where(youngest < 0, big, youngest), np.where(given_min < 0, big, given_min))
        self.has_age = (age_max >= 0).reshape(n, 1)
        self.age_max = np.where(age_max >= 0, age_max // 12, 0).reshape(n, 1)
        self.age_min = np.where(age_max >= 0, age_min // 12, 0).reshape(n, 1)
        self.wait = _month_counts(a[:, 17], a[:, 18], a[:, 19], on).reshape(n, 1)
        self.needs = _need_matrix(a[:, 20:20 + _K], children, cats, "_extra")
        self.sigs = a[:, 20 + _K:].astype(np.int64)
        self.las = _padded([c._las for c in children])
        self.places = _padded([c._places for c in children])
        self._ages: dict[int, tuple[int, ...]] = {}

    def ages(self, i: int) -> tuple[int, ...]:
        got = self._ages.get(i)
        if got is None:
            got = self._ages[i] = self.profiles[i].ages_on(self.on)
        return got


class _Homes:
    """Households as row arrays of shape (1, m)."""

    def __init__(self, households: Sequence[HouseholdProfile], on: date, cats: tuple[str, ...]):
        self.profiles = households
        m = len(households)
        a = _rows(households, _HOME_WIDTH).T.copy()
        row = lambda i: a[i:i + 1, :]  # noqa: E731
        self.n_min, self.n_max, self.sib = row(0), row(1), row(2) > 0
        self.age_min, self.age_max, self.sex, self.status = row(3), row(4), row(5), row(6)
        self.linked, self.capacity, self.open_links, self.ep = row(7), row(8), row(9), row(10) > 0
        ids = a[11:15].astype(np.int64)
        self.la, self.district, self.area, self.parent = ids[0:1], ids[1:2], ids[2:3], ids[3:4]
        self.lat, self.lon, self.travel = row(15), row(16), row(17)
        self.waited = _month_counts(a[18], a[19], a[20], on).reshape(1, m)
        self.accepts = _need_matrix(a[21:21 + _K].T, households, cats, "_extra")
        self.sigs = a[21 + _K:].T.astype(np.int64)
        self.with_declines = [j for j, h in enumerate(households) if h.declines]
        self.with_links = [j for j, h in enumerate(households) if h.open_link_children]


def _round(x):
    """To one decimal place, the same way for a number and an array (so both directions agree exactly)."""
    return np.floor(x * 10 + 0.5) / 10


def _distances(kids: _Kids, homes: _Homes) -> np.ndarray:
    """Great-circle miles between the child's reference district and each household's, to 0.01 mile; NaN
    when either is not known. Every comparison and every point uses this one rounded figure."""
    lat1, lon1, lat2, lon2 = (np.radians(a) for a in (kids.lat, kids.lon, homes.lat, homes.lon))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    d = 2 * postcodes.EARTH_RADIUS_MILES * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return np.floor(d * 100 + 0.5) / 100


class _Env:
    """What the hard rules see for a grid of children × households."""

    def __init__(self, kids: _Kids, homes: _Homes, cap: int | None):
        self.kids, self.homes, self.cap = kids, homes, cap
        self.distance = _distances(kids, homes)
        self.exempt = np.zeros((len(kids.profiles), len(homes.profiles)), dtype=bool)
        if homes.with_links:
            index = {c.key: i for i, c in enumerate(kids.profiles)}
            for j in homes.with_links:
                for key in homes.profiles[j].open_link_children:
                    i = index.get(key)
                    if i is not None:
                        self.exempt[i, j] = True


# -- hard rules ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pair:
    """What a rule's words see: one child profile and one household on a date."""

    child: ChildProfile
    household: HouseholdProfile
    on: date
    ages: tuple[int, ...] = ()
    distance: float | None = None  # miles, to 0.01 (None = not known)
    cap: int | None = None


@dataclass(frozen=True)
class HardRule:
    """A named hard rule: `passes` decides for a grid of pairs (numpy), `words` says why one pair failed.

    Calling the rule on a Pair returns None (passes) or the reason, as a plain rule function would. A plain
    function `f(pair) -> str | None` can stand in the rules tuple too (it is called pair by pair)."""

    name: str
    label: str
    passes: Callable[[_Env], np.ndarray]
    words: Callable[[Pair], str]

    @property
    def __name__(self) -> str:  # so a HardRule and a plain rule function are named alike
        return self.name

    def __call__(self, pair: Pair) -> str | None:
        result = assess_pair(pair.child, pair.household, DEFAULT_WEIGHTS, pair.on, rules=(self,), cap=pair.cap)
        return result.failed[0].reason if result.failed else None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _group_words(n: int) -> str:
    return "one child" if n == 1 else f"a sibling group of {n}"


def _number_passes(e: _Env):
    k, h = e.kids, e.homes
    return (k.n <= h.n_max) & (k.n >= h.n_min) & ((k.n == 1) | h.sib)


def _number_words(p: Pair) -> str:
    h, n = p.household, p.child.children
    if n > h.children_max:
        return f"approved for up to {_plural(h.children_max, 'child', 'children')}; this is {_group_words(n)}"
    if n < h.children_min:
        return f"approved for at least {h.children_min} children placed together; this is {_group_words(n)}"
    return f"not approved for sibling groups; this is {_group_words(n)}"


def _age_passes(e: _Env):
    k, h = e.kids, e.homes
    return ~k.has_age | ((k.age_max <= h.age_max) & (k.age_min >= h.age_min))


def _age_words(p: Pair) -> str:
    h = p.household
    span = f"approved for children aged {h.age_min_years} to {h.age_max_years}"
    oldest, youngest = max(p.ages), min(p.ages)
    one = len(p.ages) == 1
    if oldest // 12 > h.age_max_years:
        return f"{span}; {'the child' if one else 'the oldest child'} is {years_months(oldest)}"
    return f"{span}; {'the child' if one else 'the youngest child'} is {years_months(youngest)}"


def _needs_passes(e: _Env):
    wanted = np.where(e.kids.needs > 0, e.kids.needs, -9)  # levels above none
    limit = np.where(e.homes.accepts >= 0, e.homes.accepts, 9)  # not recorded never excludes
    return (wanted[:, None, :] <= limit[None, :, :]).all(axis=2)


def _needs_words(p: Pair) -> str:
    over = []
    for code, rank in p.child._need_ranks:
        limit = p.household._accepts.get(code)
        if rank and limit is not None and rank > limit:
            over.append(f"{need_name(code)}: {LEVELS[rank]} (they accept up to {LEVELS[limit]})")
    return "needs above the level they accept – " + "; ".join(over)


def _sex_passes(e: _Env):
    k, h = e.kids, e.homes
    return (h.sex == 0) | ((h.sex == 1) & ~k.has_f) | ((h.sex == 2) & ~k.has_m)


def _sex_words(p: Pair) -> str:
    only, other = ("boys", "girl") if p.household.sexes == "M" else ("girls", "boy")
    who = "the child is" if p.child.children == 1 else "the group includes"
    return f"approved for {only} only; {who} a {other}"


def _location_parts(e: _Env):
    k, h = e.kids, e.homes
    la_bad = ((k.las[:, :, None] == h.la[None, :, :]) & (k.las[:, :, None] >= 0)).any(axis=1)
    places = k.places[:, :, None]
    hit = (places == h.district[None]) | (places == h.area[None]) | (places == h.parent[None])
    place_bad = (hit & (places >= 0)).any(axis=1)
    d = e.distance
    unknown = np.isnan(d)
    has_rule = ~np.isnan(k.dmax) | ~np.isnan(k.dmin)
    too_far, too_near = d > k.dmax, d < k.dmin  # False where either is NaN
    return la_bad, place_bad, has_rule & unknown & k.req_known, too_far, too_near


def _location_passes(e: _Env):
    la_bad, place_bad, unknown_bad, too_far, too_near = _location_parts(e)
    return ~(la_bad | place_bad | unknown_bad | too_far | too_near)


def _location_words(p: Pair) -> str:
    c, h, d = p.child, p.household, p.distance
    out = []
    if h.la.strip() and h.la.strip() in {x.strip() for x in c.not_in_las}:
        out.append(f"lives in LA {h.la.strip()}, where the child must not be placed")
    place = postcodes.in_named_places(h._district, c.not_in_places)
    if place:
        out.append(f"lives in {h._district}, and the child must not be placed in {place}")
    if d is None and c.require_known_distance and (c.max_distance_miles is not None
                                                   or c.min_distance_miles is not None):
        out.append(f"the distance from {c.reference_district or 'the child'} is not known and the child's "
                   "plan needs it checked")
    if d is not None and c.max_distance_miles is not None and d > c.max_distance_miles:
        out.append(f"{d:.0f} miles from {c.reference_district}; the child's plan allows at most "
                   f"{c.max_distance_miles:g}")
    if d is not None and c.min_distance_miles is not None and d < c.min_distance_miles:
        out.append(f"{d:.0f} miles from {c.reference_district}; the child's plan needs at least "
                   f"{c.min_distance_miles:g}")
    return "; ".join(out)


def _status_passes(e: _Env):
    return e.homes.status == 0


def _status_words(p: Pair) -> str:
    status = p.household.status
    if status in ("on_hold", "paused"):
        return f"{status.replace('_', ' ')}: not taking links"
    return f"not approved ({status.replace('_', ' ') or 'no status recorded'})"


def _capacity_passes(e: _Env):
    return (e.homes.linked < e.homes.capacity) | e.exempt


def _capacity_words(p: Pair) -> str:
    h = p.household
    return (f"already linked or matched with {_plural(h.linked_matched, 'child', 'children')}; "
            f"can take {h.capacity} at a time")


def _ep_passes(e: _Env):
    return (e.kids.ep != 2) | e.homes.ep


def _ep_words(p: Pair) -> str:
    return "the child needs an early permanence placement; not approved as foster carers for it"


def _cap_passes(e: _Env):
    if e.cap is None:
        return np.ones((len(e.kids.profiles), len(e.homes.profiles)), dtype=bool)
    return (e.homes.open_links < e.cap) | e.exempt


def _cap_words(p: Pair) -> str:
    return f"put forward for {_plural(p.household.open_links, 'child', 'children')} already (the cap is {p.cap})"


number_of_children = HardRule("number_of_children", "Number of children", _number_passes, _number_words)
age_range = HardRule("age_range", "Age range", _age_passes, _age_words)
needs = HardRule("needs", "Needs", _needs_passes, _needs_words)
sex = HardRule("sex", "Sex", _sex_passes, _sex_words)
location = HardRule("location", "Location", _location_passes, _location_words)
approval_status = HardRule("approval_status", "Approval status", _status_passes, _status_words)
link_capacity = HardRule("link_capacity", "Links and matches", _capacity_passes, _capacity_words)
early_permanence = HardRule("early_permanence", "Early permanence", _ep_passes, _ep_words)
spread_cap = HardRule("spread_cap", "Spread cap", _cap_passes, _cap_words)

ALL_RULES: tuple[HardRule, ...] = (number_of_children, age_range, needs, sex, location, approval_status,
                                   link_capacity, early_permanence, spread_cap)

Rule = HardRule | Callable[[Pair], "str | None"]


def rule_name(rule: Rule) -> str:
    return rule.name if isinstance(rule, HardRule) else rule.__name__


def rule_label(rule: Rule) -> str:
    return rule.label if isinstance(rule, HardRule) else getattr(rule, "label", rule.__name__.replace("_", " "))


# -- soft fit ------------------------------------------------------------------------------------------
# Factors that compare categories (heritage, religion, language, contact, early permanence, experience)
# are plain functions of the two profiles, returning (fraction of the factor's points in -1..1, words or
# None for "not recorded"); they are evaluated once per distinct pair of signatures in a grid. The words are
# built only when asked (words=True).

def _heritage_fit(c: ChildProfile, h: HouseholdProfile, words: bool = False):
    heritage = c._heritage
    if not heritage:
        return 0.0, None
    own = set(h.ethnicities) - UNRECORDED_ETHNICITIES
    shared = heritage & own
    if shared:
        return 1.0, words and f"shares the child's heritage ({', '.join(sorted(shared))})"
    groups = {e[0] for e in heritage}
    near = sorted({HERITAGE_GROUPS.get(e[0], e) for e in own if e[0] in groups})
    if near:
        return 0.75, words and f"shares the child's broad heritage ({', '.join(near)})"
    if h.heritages is None:
        return 0.5, words and "open to any heritage"
    if heritage & h.heritages:
        return 0.5, words and "open to the child's heritage"
    return -1.0, words and f"has not said they are open to the child's heritage ({', '.join(sorted(heritage))})"


def _religion_fit(c: ChildProfile, h: HouseholdProfile, words: bool = False):
    religion = c.religion.strip().lower()
    if not religion:
        return 0.0, None
    openness = h.religion_openness.strip().lower()
    if religion in h._religions or (openness not in ("", "any") and openness == religion):
        return 1.0, words and f"shares the child's religion ({c.religion.strip()})"
    if openness == "any":
        return 0.5, words and "open to any faith or none"
    if openness:
        return -0.5, words and (f"would bring a child up in the {h.religion_openness.strip()} faith; the "
                                f"child's religion is {c.religion.strip()}")
    if h._religions:
        return 0.0, words and f"the child's religion is {c.religion.strip()}; theirs is {', '.join(h.religions)}"
    return 0.0, None


def _language_fit(c: ChildProfile, h: HouseholdProfile, words: bool = False):
    wanted = [x.strip() for x in c.languages if x and x.strip()]
    if not wanted or not h._languages:
        return 0.0, None
    shared = [x for x in wanted if x.lower() in h._languages]
    if shared:
        return 1.0, words and f"speaks {', '.join(shared)}"
    return 0.0, words and f"does not speak {', '.join(wanted)}"


def _contact_fit(c: ChildProfile, h: HouseholdProfile, words: bool = False):
    if c.contact is None or h.contact is None:
        return 0.0, None
    needed = [k for k in CONTACT_KINDS if k in c.contact]
    if not needed:
        return 0.0, words and "no contact in the child's plan"
    missing = [k for k in needed if k not in h.contact]
    if not missing:
        return 1.0, words and "willing to support " + " and ".join(CONTACT_NAMES[k] for k in needed)
    return -len(missing) / len(needed), words and "not willing to support " + " or ".join(
        CONTACT_NAMES[k] for k in missing)


def _ep_fit(c: ChildProfile, h: HouseholdProfile, words: bool = False):
    if not c.early_permanence:
        return 0.0, words and "not needed for this child"
    if h.early_permanence_approved:
        return 1.0, words and "approved as foster carers for early permanence"
    if h.early_permanence_willing is None:
        return 0.0, None
    if h.early_permanence_willing:
        return 0.5, words and "willing, not yet approved as foster carers for it"
    return 0.0, words and "not willing to consider early permanence"


def _experience_fit(c: ChildProfile, h: HouseholdProfile, words: bool = False):
    frac, said = 0.0, []
    if h.previous_adopters:
        frac += 0.5
        said.append("have adopted before")
    if h.needs_parented:
        serious = [code for code, rank in c._need_ranks if rank >= 2]
        relevant = [code for code in (serious or [code for code, rank in c._need_ranks if rank >= 1])
                    if code in h.needs_parented]
        if relevant:
            frac += 0.5
            said.append("have parented a child with " + ", ".join(need_name(x) for x in relevant))
    return frac, words and ("; ".join(said) or "no experience of similar children recorded")


_CATEGORICAL = (("heritage", _heritage_fit), ("religion", _religion_fit), ("language", _language_fit),
                ("contact", _contact_fit), ("early_permanence", _ep_fit), ("experience", _experience_fit))


def _recent_decline(c: ChildProfile, h: HouseholdProfile, ages: tuple[int, ...], on: date, w: Weights):
    """The decline that counts against this pair, as (decline, same child?): this child first, then the latest."""
    best = None
    window = w.scale("decline_window_days")
    youngest = min(ages) if ages else None
    for d in h.declines:
        days = (on - d.on).days
        if days < 0 or days > window:
            continue
        same = bool(d.child_key) and d.child_key == c.key
        if not same:
            if d.children != c.children or youngest is None or d.age_months is None:
                continue
            then = youngest - days * 12 // 365  # the child's age on the day of the decline
            if abs(then - d.age_months) > w.scale("similar_age_months"):
                continue
        if best is None or (same, d.on) > (best[1], best[0].on):
            best = (d, same)
    return best


def _categorical_points(fit, col: int, kids: _Kids, homes: _Homes, weight: float) -> np.ndarray:
    uc, c_first, c_inv = np.unique(kids.sigs[:, col], return_index=True, return_inverse=True)
    uh, h_first, h_inv = np.unique(homes.sigs[:, col], return_index=True, return_inverse=True)
    table = np.array([[fit(kids.profiles[i], homes.profiles[j])[0] for j in h_first] for i in c_first],
                     dtype=np.float64).reshape(len(uc), len(uh))
    return weight * table[c_inv.reshape(-1)][:, h_inv.reshape(-1)]


def _points(env: _Env, w: Weights, on: date) -> np.ndarray:
    """Every factor's points for every pair of the grid: shape (len(FACTORS), children, households)."""
    kids, homes = env.kids, env.homes
    shape = (len(kids.profiles), len(homes.profiles))
    out = np.zeros((len(FACTORS),) + shape)
    # needs margin: the headroom between what they accept and what the child needs, capped at two levels
    cn, hn = kids.needs[:, None, :].astype(np.int64), homes.accepts[None, :, :].astype(np.int64)
    both = (cn >= 0) & (hn >= 0)
    total = np.where(both, np.clip(hn - cn, -2, 2), 0).sum(axis=2)
    n = both.sum(axis=2)
    out[0] = np.where(n > 0, w.point("needs_margin") * total / np.maximum(2 * n, 1), 0.0)
    for k, (name, fit) in enumerate(_CATEGORICAL):
        out[1 + k] = _categorical_points(fit, k, kids, homes, w.point(name))
    d = env.distance
    frac = 0.5 * np.minimum(d / w.scale("distance_full_miles"), 1.0) + np.where(d > homes.travel, 0.5, 0.0)
    out[7] = np.where(np.isnan(d), 0.0, -w.point("distance") * frac)
    full = w.scale("waiting_full_months")
    out[8] = np.where(homes.waited >= 0, w.point("household_waiting") * np.minimum(homes.waited / full, 1.0), 0.0)
    out[9] = np.where(kids.wait >= 0, w.point("child_waiting") * np.minimum(kids.wait / full, 1.0), 0.0)
    if homes.with_declines and w.point("decline"):
        for j in homes.with_declines:
            h = homes.profiles[j]
            for i, c in enumerate(kids.profiles):
                dec = _recent_decline(c, h, kids.ages(i), on, w)
                if dec:
                    out[10, i, j] = -w.point("decline") * (1.0 if dec[1] else 0.5)
    return _round(out) + 0.0  # + 0.0 turns -0.0 into 0.0


def _scores(points: np.ndarray) -> np.ndarray:
    total = np.zeros(points.shape[1:])
    for f in range(points.shape[0]):  # left to right, the same order for every pair
        total = total + points[f]
    return _round(total) + 0.0


# -- results -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Contribution:
    factor: str
    points: float
    reason: str

    def __str__(self) -> str:
        return f"{format_points(self.points)} {FACTOR_LABELS.get(self.factor, self.factor)}: {self.reason}"


def format_points(points: float) -> str:
    text = f"{abs(points):.1f}".removesuffix(".0")
    return ("+" if points > 0 else "−" if points < 0 else "±") + text


@dataclass(frozen=True)
class RuleResult:
    rule: str  # the rule's name, e.g. "number_of_children"
    label: str  # e.g. "Number of children"
    reason: str  # plain words, e.g. "approved for up to 2 children; this is a sibling group of 3"


class _Grid:
    """The evaluation of children × households: masks, points and scores, with the words made on demand."""

    def __init__(self, children: Sequence[ChildProfile], households: Sequence[HouseholdProfile],
                 weights: Weights, on: date, rules: Sequence[Rule], cap: int | None, *, score: bool = True,
                 kids: _Kids | None = None, homes: _Homes | None = None):
        self.children, self.households, self.weights, self.on, self.rules, self.cap = (
            list(children), list(households), weights, on, tuple(rules), cap)
        if kids is None or homes is None:  # sides compiled by the caller share their need categories
            cats = _categories(self.children, self.households)
            kids, homes = _Kids(self.children, on, cats), _Homes(self.households, on, cats)
        self.kids, self.homes = kids, homes
        self.env = _Env(self.kids, self.homes, cap)
        if len(self.rules) > 62:
            raise ValueError("at most 62 hard rules")
        shape = (len(self.children), len(self.households))
        self.fails = np.zeros((len(self.rules),) + shape, dtype=bool)
        for r, rule in enumerate(self.rules):
            if isinstance(rule, HardRule):
                self.fails[r] = ~np.broadcast_to(rule.passes(self.env), shape)
            else:  # a plain rule function: pair by pair
                for i in range(shape[0]):
                    for j in range(shape[1]):
                        self.fails[r, i, j] = rule(self.pair(i, j)) is not None
        self.eligible = ~self.fails.any(axis=0)
        if score:
            self.points = _points(self.env, weights, on)
            self.scores = _scores(self.points)

    def distance(self, i: int, j: int) -> float | None:
        d = float(self.env.distance[i, j])
        return None if math.isnan(d) else d

    def pair(self, i: int, j: int) -> Pair:
        return Pair(self.children[i], self.households[j], self.on, self.kids.ages(i), self.distance(i, j), self.cap)

    def failed(self, i: int, j: int) -> tuple[RuleResult, ...]:
        out = []
        for r in np.flatnonzero(self.fails[:, i, j]):
            rule = self.rules[r]
            p = self.pair(i, j)
            reason = rule.words(p) if isinstance(rule, HardRule) else rule(p)
            out.append(RuleResult(rule_name(rule), rule_label(rule), reason or rule_label(rule)))
        return tuple(out)

    def contributions(self, i: int, j: int) -> tuple[Contribution, ...]:
        words = _reasons(self.pair(i, j), self.weights)
        return tuple(Contribution(f, float(p), r) for f, p, r in zip(FACTORS, self.points[:, i, j], words, strict=True))


def _reasons(p: Pair, w: Weights) -> tuple[str, ...]:
    """The words for each factor of a pair, in FACTORS order (NOT_RECORDED for a blank)."""
    c, h, on, d = p.child, p.household, p.on, p.distance
    n = ahead = at_limit = 0
    for code, rank in c._need_ranks:
        limit = h._accepts.get(code)
        if limit is not None:
            n += 1
            ahead += limit > rank
            at_limit += limit == rank
    if n:
        text = f"accepts more than the child needs in {ahead} of {n} areas"
        if at_limit:
            text += f", exactly what the child needs in {at_limit}"
        if n - ahead - at_limit:
            text += f", less than the child needs in {n - ahead - at_limit}"
        out = [text]
    else:
        out = [NOT_RECORDED]
    out += [fit(c, h, True)[1] or NOT_RECORDED for _, fit in _CATEGORICAL]
    if d is None:
        out.append(NOT_RECORDED)
    else:
        text = f"{d:.0f} miles from {c.reference_district}"
        if h.max_travel_miles is not None and d > h.max_travel_miles:
            text += f", beyond the {h.max_travel_miles} they said they would travel"
        out.append(text)
    out.append(f"approved {years_months(months_between(h.approved_on, on))} ago ({long_date(h.approved_on)})"
               if h.approved_on else NOT_RECORDED)
    out.append(f"waiting {years_months(months_between(c.waiting_since, on))} (since {long_date(c.waiting_since)})"
               if c.waiting_since else NOT_RECORDED)
    dec = _recent_decline(c, h, p.ages, on, w) if h.declines else None
    if dec:
        d0, same = dec
        who = "" if d0.by == "adopters" else "their agency "
        out.append(f"{who}declined {'this child' if same else 'a similar child'} on {long_date(d0.on)}: {d0.reason}")
    else:
        out.append("no recent decline of this child or a similar one")
    return tuple(out)


@dataclass(frozen=True)
class PairResult:
    """One child with one household on a date: the hard rules it failed (none: eligible) and its points."""

    child: ChildProfile
    household: HouseholdProfile
    on: date
    score: float
    points: tuple[float, ...]  # per factor, in FACTORS order (worked out for excluded pairs too)
    distance: float | None
    failed: tuple[RuleResult, ...]
    contributions: tuple[Contribution, ...]

    @property
    def eligible(self) -> bool:
        return not self.failed


def assess_pair(child: ChildProfile, household: HouseholdProfile, weights: Weights, on: date, *,
                rules: Sequence[Rule] = ALL_RULES, cap: int | None = None) -> PairResult:
    """One pair, through the same evaluation as the rankings and sufficiency, with all its words."""
    g = _Grid([child], [household], weights, on, rules, cap)
    return PairResult(child, household, on, float(g.scores[0, 0]), tuple(float(x) for x in g.points[:, 0, 0]),
                      g.distance(0, 0), g.failed(0, 0), g.contributions(0, 0))


class Ranked(NamedTuple):
    """A candidate that passed every hard rule: its score, per-factor contributions and spread facts.

    (A named tuple rather than a dataclass only because thousands are made per ranking.)"""

    key: str  # the candidate's key: a household's in rank_households, a child's in rank_children
    score: float
    position: int  # 1 = first
    household: HouseholdProfile
    child: ChildProfile
    distance: float | None  # miles between the child's reference district and the household's
    first_places: int | None  # how many children the household ranks first for (when given)
    grid: _Grid
    at: tuple[int, int]

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        return self.grid.contributions(*self.at)

    @property
    def points(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self.grid.points[(slice(None), *self.at)])

    @property
    def inter_agency(self) -> bool:
        return self.household.inter_agency

    @property
    def fee(self) -> int | None:
        return self.household.inter_agency_fee

    @property
    def open_links(self) -> int:
        return self.household.open_links


class Excluded(NamedTuple):
    """A candidate left out, with every hard rule that left it out."""

    key: str
    rules: tuple[str, ...]  # the names of the rules it failed
    grid: _Grid
    at: tuple[int, int]

    @property
    def reasons(self) -> tuple[RuleResult, ...]:
        return self.grid.failed(*self.at)


@dataclass(frozen=True)
class Ranking:
    direction: str  # "households_for_child" or "children_for_household"
    subject: ChildProfile | HouseholdProfile
    on: date
    weights: Weights
    rules: tuple[str, ...]
    cap: int | None
    ranked: tuple[Ranked, ...]
    excluded: tuple[Excluded, ...]
    skipped_inter_agency: int = 0  # other agencies' households left out because the search did not ask for them


def _waiting_key(d: date | None) -> int:
    return d.toordinal() if d else 10**9


def _split(g: _Grid, along_households: bool, first_places: Mapping[str, int] | None = None):
    """Ranked and excluded candidates of a one-row (or one-column) grid."""
    n = len(g.households) if along_households else len(g.children)
    profiles = g.households if along_households else g.children
    keys = [p.key for p in profiles]
    scores = g.scores.reshape(-1).tolist()
    distances = g.env.distance.reshape(-1).tolist()
    cells = [(0, k) for k in range(n)] if along_households else [(k, 0) for k in range(n)]
    # the rules each candidate failed, as a bit pattern: the same pattern shares one tuple of names
    fails = g.fails.reshape(len(g.rules), n)
    patterns = (fails.astype(np.int64) << np.arange(len(g.rules), dtype=np.int64)[:, None]).sum(axis=0).tolist()
    names = [rule_name(r) for r in g.rules]
    named = {p: tuple(names[r] for r in range(len(names)) if p >> r & 1) for p in set(patterns)}
    since = (lambda p: p.approved_on) if along_households else (lambda p: p.waiting_since)
    ranked = sorted((-scores[k], _waiting_key(since(profiles[k])), keys[k], k) for k in range(n) if not patterns[k])
    out = []
    for pos, (neg, _, key, k) in enumerate(ranked, start=1):
        i, j = cells[k]
        h = g.households[j]
        d = distances[k]
        out.append(Ranked(key, -neg + 0.0, pos, h, g.children[i], None if d != d else d,
                          first_places.get(h.key, 0) if first_places is not None else None, g, cells[k]))
    excluded = [Excluded(key, named[patterns[k]], g, cells[k])
                for key, k in sorted((keys[k], k) for k in range(n) if patterns[k])]
    return tuple(out), tuple(excluded)


def rank_households(child: ChildProfile, households: Iterable[HouseholdProfile], weights: Weights, on: date, *,
                    rules: Sequence[Rule] = ALL_RULES, cap: int | None = None, include_inter_agency: bool = True,
                    first_places: Mapping[str, int] | None = None) -> Ranking:
    """The households that could meet this child's needs, best first, and every household left out with why.

    The RAA's own households always; other agencies' only when `include_inter_agency` (each is marked
    inter-agency with its fee). `first_places` ({household key: children it ranks first for}, from
    `first_place_counts`) is shown on each ranked household when given."""
    pool = list(households)
    considered = pool if include_inter_agency else [h for h in pool if h.agency_kind == "own_raa"]
    g = _Grid([child], considered, weights, on, rules, cap)
    ranked, excluded = _split(g, True, first_places)
    return Ranking("households_for_child", child, on, weights, tuple(rule_name(r) for r in g.rules), cap,
                   ranked, excluded, len(pool) - len(considered))


def rank_children(household: HouseholdProfile, children: Iterable[ChildProfile], weights: Weights, on: date, *,
                  rules: Sequence[Rule] = ALL_RULES, cap: int | None = None) -> Ranking:
    """The waiting children who might fit this household, best first (ties: the longest waiting), and the rest
    with why. The same pairs get the same points and exclusions as in `rank_households`."""
    g = _Grid(list(children), [household], weights, on, rules, cap)
    ranked, excluded = _split(g, False)
    return Ranking("children_for_household", household, on, weights, tuple(rule_name(r) for r in g.rules), cap,
                   ranked, excluded)


def first_place_counts(children: Iterable[ChildProfile], households: Sequence[HouseholdProfile], weights: Weights,
                       on: date, *, rules: Sequence[Rule] = ALL_RULES, cap: int | None = None) -> dict[str, int]:
    """{household key: how many of `children` rank it first}; every household appears (0 when none).

    "First" follows rank_households exactly: the highest score, then the longest waiting, then the key."""
    households = list(households)
    counts = {h.key: 0 for h in households}
    if not households:
        return counts
    waited = np.array([_waiting_key(h.approved_on) for h in households])
    order = np.array(sorted(range(len(households)), key=lambda j: (waited[j], households[j].key)))
    rank_of = np.empty(len(households), dtype=np.int64)
    rank_of[order] = np.arange(len(households))  # tie-break position: longest waiting, then key
    children = list(children)
    cats = _categories(children, households)
    homes = _Homes(households, on, cats)
    for start in range(0, len(children), 64):  # blocks of children, each against every household
        block = children[start:start + 64]
        g = _Grid(block, households, weights, on, rules, cap, kids=_Kids(block, on, cats), homes=homes)
        scores = np.where(g.eligible, g.scores, -np.inf)
        best = scores.max(axis=1, keepdims=True)
        keyed = np.where(g.eligible & (scores == best), rank_of[None, :], len(households))
        winners = keyed.argmin(axis=1)
        for i, j in enumerate(winners.tolist()):
            if g.eligible[i].any():
                counts[households[j].key] += 1
    return counts


# -- explanation ---------------------------------------------------------------------------------------

def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, Decline):
        return profile_summary(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def profile_summary(profile) -> dict:
    """A profile (or a decline) as plain JSON-serialisable data: its public fields."""
    return {name: _plain(getattr(profile, name)) for name in profile.__dataclass_fields__ if not name.startswith("_")}


def explanation(ranking: Ranking) -> dict:
    """Everything needed to show later why each candidate was or was not put forward: JSON-serialisable."""
    for_child = ranking.direction == "households_for_child"
    return {
        "direction": ranking.direction,
        "on": ranking.on.isoformat(),
        "subject": profile_summary(ranking.subject),
        "weights": ranking.weights.as_dict(),
        "rules": list(ranking.rules),
        "cap": ranking.cap,
        "counts": {"ranked": len(ranking.ranked), "excluded": len(ranking.excluded),
                   "skipped_inter_agency": ranking.skipped_inter_agency},
        "ranked": [{
            "position": r.position, "key": r.key, "score": r.score,
            "contributions": [{"factor": c.factor, "points": c.points, "reason": c.reason, "text": str(c)}
                              for c in r.contributions],
            "rules_failed": [],
            "distance_miles": r.distance,
            "inter_agency": r.household.inter_agency, "agency": r.household.agency_code,
            "agency_kind": r.household.agency_kind, "fee": r.household.inter_agency_fee,
            "open_links": r.household.open_links, "first_places": r.first_places,
            "waiting_since": _plain(r.household.approved_on if for_child else r.child.waiting_since),
        } for r in ranking.ranked],
        "excluded": [{
            "key": e.key,
            "rules_failed": [{"rule": x.rule, "label": x.label, "reason": x.reason} for x in e.reasons],
        } for e in ranking.excluded],
    }
