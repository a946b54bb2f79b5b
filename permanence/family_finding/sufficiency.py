"""Sufficiency: do the region's waiting children and waiting households fit each other?

Pure (numpy, no Django, no clock). For every waiting child (or sibling group placed together): how many
of the waiting households could take it under the hard rules of `matching` – the very same evaluation
(`matching._Grid`), run over the whole children × households grid in blocks – and, for a child no
household could take, the rules that alone kept households out (the nearest misses). For every
household: how many children it could take (none: "a household with no child"). Then the children
grouped by age band, sibling group size, highest need and heritage, and the recruitment targets that
follow ("3 more households open to sibling groups of 3").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from permanence.family_finding import matching as m

BLOCK = 256  # children per block of the grid: bounds memory (block × households × need categories)

DIMENSIONS = ("age", "sibling_group", "needs", "heritage")
DIMENSION_LABELS = {"age": "Age band", "sibling_group": "Sibling group size", "needs": "Highest need",
                    "heritage": "Heritage"}
AGE_BANDS = ((0, "Under 1"), (1, "1 to 2"), (3, "3 to 4"), (5, "5 to 9"), (10, "10 and over"))
NEED_BANDS = {0: "No needs above none", 1: "Mild", 2: "Moderate", 3: "Significant"}


def age_band(oldest_months: int | None) -> str:
    """The band of the oldest child's age in whole years."""
    if oldest_months is None:
        return "Age not recorded"
    years = oldest_months // 12
    label = AGE_BANDS[0][1]
    for start, name in AGE_BANDS:
        if years >= start:
            label = name
    return label


def size_band(children: int) -> str:
    return "1 child" if children == 1 else f"{children} children" if children < 4 else "4 or more children"


def needs_band(child: m.ChildProfile) -> str:
    ranks = [r for _, r in child._need_ranks]
    return NEED_BANDS[max(ranks)] if ranks else "Needs not recorded"


def heritage_band(child: m.ChildProfile) -> str:
    groups = sorted({m.HERITAGE_GROUPS.get(e[0], e) for e in child._heritage})
    if not groups:
        return "Heritage not recorded"
    return groups[0] if len(groups) == 1 else "Mixed or more than one group"


NOT_RECORDED_PHRASES = {"Age not recorded": "children whose age is not recorded",
                        "Needs not recorded": "children whose needs are not recorded",
                        "Heritage not recorded": "children whose heritage is not recorded",
                        "No needs above none": "children with no needs above none",
                        "Mixed or more than one group": "children of more than one heritage group"}


def _phrase(dimension: str, band: str) -> str:
    if band in NOT_RECORDED_PHRASES:
        return NOT_RECORDED_PHRASES[band]
    if dimension == "age":
        return "children under 1" if band == "Under 1" else f"children aged {band}"
    if dimension == "sibling_group":
        return "one child" if band == "1 child" else f"sibling groups of {band.removesuffix(' children')}"
    if dimension == "needs":
        return f"children with {band.lower()} needs"
    return f"children of {band} heritage"


@dataclass(frozen=True)
class ChildFit:
    key: str
    households: int  # how many households could take this child under the hard rules
    bands: dict  # {dimension: band}
    nearest: tuple[tuple[str, int], ...]  # (rule, households kept out by that rule alone), most first


@dataclass(frozen=True)
class GroupRow:
    dimension: str
    band: str
    children: int  # waiting children (profiles: a sibling group counts once) in the band
    without_household: int  # of them, those no household could take
    households_open: int  # households that could take at least one child in the band


@dataclass(frozen=True)
class Target:
    dimension: str
    band: str
    households: int  # how many more households it would take, at least: one per child left without one
    text: str  # "3 more households open to sibling groups of 3 (most often kept out by: number of children)"


@dataclass(frozen=True)
class Sufficiency:
    on: date
    cap: int | None
    children: tuple[ChildFit, ...]  # in the order given
    household_counts: dict  # {household key: how many of the children it could take}
    households_without_child: tuple[str, ...]
    groups: tuple[GroupRow, ...]
    targets: tuple[Target, ...]

    @property
    def children_without_household(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.children if not c.households)

    def rows(self) -> list[dict]:
        """The groups as flat rows (for a table or a CSV)."""
        return [{"dimension": DIMENSION_LABELS[g.dimension], "band": g.band, "children": g.children,
                 "without_household": g.without_household, "households_open": g.households_open}
                for g in self.groups]


def sufficiency(children: Sequence[m.ChildProfile], households: Sequence[m.HouseholdProfile], on: date, *,
                rules: Sequence[m.Rule] = m.ALL_RULES, cap: int | None = None) -> Sufficiency:
    """Which waiting children no waiting household could take (and which households no child), grouped."""
    children, households = list(children), list(households)
    names = [m.rule_name(r) for r in rules]
    cats = m._categories(children, households)
    homes = m._Homes(households, on, cats)
    per_household = np.zeros(len(households), dtype=np.int64)
    fits: list[ChildFit] = []
    bands = [_bands(c, on) for c in children]
    band_keys = sorted({(d, b[d]) for b in bands for d in DIMENSIONS})
    open_in_band = {k: np.zeros(len(households), dtype=bool) for k in band_keys}
    for start in range(0, len(children), BLOCK):
        block = children[start:start + BLOCK]
        g = m._Grid(block, households, m.DEFAULT_WEIGHTS, on, rules, cap, score=False,
                    kids=m._Kids(block, on, cats), homes=homes)
        eligible = g.eligible
        per_household += eligible.sum(axis=0)
        counts = eligible.sum(axis=1).tolist()
        only_one = g.fails.sum(axis=0) == 1
        alone = (g.fails & only_one[None]).sum(axis=2)  # (rules, block): households kept out by that rule only
        for i, c in enumerate(block):
            b = bands[start + i]
            for d in DIMENSIONS:
                open_in_band[(d, b[d])] |= eligible[i]
            nearest = ()
            if not counts[i]:
                nearest = tuple(sorted(((names[r], int(alone[r, i])) for r in range(len(names)) if alone[r, i]),
                                       key=lambda x: (-x[1], x[0])))
            fits.append(ChildFit(c.key, counts[i], b, nearest))
    counts_by_key = {h.key: int(n) for h, n in zip(households, per_household.tolist(), strict=True)}
    groups, targets = [], []
    for d in DIMENSIONS:
        for band in sorted({b[d] for b in bands}, key=lambda x: _band_order(d, x)):
            members = [f for f in fits if f.bands[d] == band]
            without = [f for f in members if not f.households]
            groups.append(GroupRow(d, band, len(members), len(without), int(open_in_band[(d, band)].sum())))
            if without:
                blocking = Counter(f.nearest[0][0] for f in without if f.nearest)
                text = (f"{len(without)} more household{'s' if len(without) != 1 else ''} open to "
                        f"{_phrase(d, band)}")
                if blocking:
                    rule = min(blocking, key=lambda r: (-blocking[r], r))
                    label = next(m.rule_label(x) for x in rules if m.rule_name(x) == rule)
                    text += f" (most often kept out by: {label.lower()})"
                targets.append(Target(d, band, len(without), text))
    return Sufficiency(on, cap, tuple(fits), counts_by_key,
                       tuple(sorted(k for k, n in counts_by_key.items() if not n)), tuple(groups), tuple(targets))


def _bands(c: m.ChildProfile, on: date) -> dict:
    ages = c.ages_on(on)
    return {"age": age_band(max(ages) if ages else None), "sibling_group": size_band(c.children),
            "needs": needs_band(c), "heritage": heritage_band(c)}


def _band_order(dimension: str, band: str):
    if dimension == "age":
        names = [n for _, n in AGE_BANDS]
        return (names.index(band) if band in names else len(names), band)
    if dimension == "sibling_group":
        return (int(band.split()[0]) if band[0].isdigit() else 99, band)
    if dimension == "needs":
        names = list(NEED_BANDS.values())
        return (names.index(band) if band in names else len(names), band)
    return (band.endswith("not recorded"), band)
