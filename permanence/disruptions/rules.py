"""Disruption learning reviews: pure logic (no database).

- current_list: which version of the contributing factors list is in force on a day.
- factor_themes: contributing factors counted across reviews held in a period, in total and by LA.
- recommendation_counts: recommendations open, overdue (open and past due) and done.
- parse_factor_list: a new version of the list, from YAML text (the loader command), checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

OPEN, DONE = "open", "done"

# Version 1 of the contributing factors (seed 002 section 9.1 and its aims 1f: matching, preparation and adoption
# support; domain.md section 9). Loaded by the app's first data migration; later versions are data.
DEFAULT_FACTORS: tuple[tuple[str, str], ...] = (
    ("needs_underestimated", "The child's needs were underestimated or not known"),
    ("matching", "Matching: the match did not fit the child's needs or the adopters' capacity"),
    ("preparation", "Preparation of the adopters or the child (including introductions)"),
    ("support_not_provided", "Adoption support was not provided, or came too late"),
    ("adopter_circumstances", "The adopters' circumstances changed (health, relationship, family)"),
    ("information_sharing", "Information about the child was not shared or was incomplete"),
    ("delay", "Delay in the child's journey"),
    ("other", "Another factor (say which in the findings)"),
)


@dataclass(frozen=True)
class ListVersion:
    version: int
    valid_from: date


def current_list(versions: Iterable[ListVersion], on: date) -> ListVersion | None:
    """The version in force on `on`: the latest valid_from on or before it (the higher version on a tie)."""
    valid = [v for v in versions if v.valid_from <= on]
    return max(valid, key=lambda v: (v.valid_from, v.version)) if valid else None


@dataclass(frozen=True)
class ReviewFact:
    la: str
    review_date: date
    factors: tuple[str, ...]  # the labels the review chose (from whichever version it used)


@dataclass(frozen=True)
class FactorRow:
    factor: str
    total: int
    by_la: dict[str, int]


@dataclass(frozen=True)
class Themes:
    reviews: int
    las: tuple[str, ...]
    rows: tuple[FactorRow, ...]  # most chosen first, then by label


def factor_themes(reviews: Iterable[ReviewFact], start: date | None = None, end: date | None = None) -> Themes:
    """Count each factor over the reviews held from `start` to `end` (both inclusive; None: unbounded).

    A review counts a factor once. LAs are those of the reviews in the period, by name."""
    held = [r for r in reviews if (start is None or r.review_date >= start) and (end is None or r.review_date <= end)]
    totals: Counter[str] = Counter()
    by_la: dict[str, Counter[str]] = {}
    for r in held:
        for f in set(r.factors):
            totals[f] += 1
            by_la.setdefault(f, Counter())[r.la] += 1
    las = tuple(sorted({r.la for r in held}))
    rows = tuple(FactorRow(f, n, {la: by_la[f].get(la, 0) for la in las})
                 for f, n in sorted(totals.items(), key=lambda item: (-item[1], item[0])))
    return Themes(len(held), las, rows)


@dataclass(frozen=True)
class RecommendationFact:
    status: str
    due_date: date | None


@dataclass(frozen=True)
class RecommendationCounts:
    open: int  # every open one, overdue or not
    overdue: int  # open and due before today
    done: int


def is_overdue(status: str, due_date: date | None, today: date) -> bool:
    return status == OPEN and due_date is not None and due_date < today


def recommendation_counts(recs: Iterable[RecommendationFact], today: date) -> RecommendationCounts:
    recs = list(recs)
    return RecommendationCounts(open=sum(r.status == OPEN for r in recs),
                                overdue=sum(is_overdue(r.status, r.due_date, today) for r in recs),
                                done=sum(r.status == DONE for r in recs))


def parse_factor_list(data) -> tuple[int, date, str, list[tuple[str, str]]]:
    """A list version from loaded YAML: {version, valid_from, source, factors: [{code, label}]}. ValueError if not."""
    if not isinstance(data, dict):
        raise ValueError("The file must be a mapping with version, valid_from and factors.")
    try:
        version = int(data["version"])
        valid_from = data["valid_from"]
        if not isinstance(valid_from, date):
            valid_from = date.fromisoformat(str(valid_from))
        factors: Sequence = data["factors"]
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"The file needs version, valid_from (YYYY-MM-DD) and factors: {err}") from None
    pairs = []
    for item in factors or ():
        if not isinstance(item, dict) or not item.get("code") or not item.get("label"):
            raise ValueError("Each factor needs a code and a label.")
        pairs.append((str(item["code"]), str(item["label"])))
    if not pairs:
        raise ValueError("A list needs at least one factor.")
    if len({c for c, _ in pairs}) != len(pairs):
        raise ValueError("Each factor's code must be different.")
    return version, valid_from, str(data.get("source") or ""), pairs
