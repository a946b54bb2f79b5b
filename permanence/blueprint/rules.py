"""The blueprint review's arithmetic: mean and mode per domain, honestly (pure: no Django, no clock).

A domain's summary counts only the reviews that scored it (n). Nobody scored it: n=0, no mean, no mode ("Not
scored"). Several scores equally most common: every one of them is the mode ("1 and 2"). Means are rounded half
up to two places, as the seed 001 report prints them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

SCORES = (0, 1, 2, 3)
SCORE_LABELS = {0: "Not present", 1: "Partially present", 2: "Matches exemplar services",
                3: "Exceeds exemplar services"}
TWO_PLACES = Decimal("0.01")


def mean_of(scores: Sequence[int]) -> Decimal | None:
    if not scores:
        return None
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def modes_of(scores: Sequence[int]) -> tuple[int, ...]:
    """Every most common score, lowest first (empty when nothing was scored)."""
    if not scores:
        return ()
    counts = Counter(scores)
    top = max(counts.values())
    return tuple(sorted(s for s, c in counts.items() if c == top))


def and_list(values: Sequence) -> str:
    words = [str(v) for v in values]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


@dataclass(frozen=True)
class DomainSummary:
    n: int
    mean: Decimal | None
    modes: tuple[int, ...]
    counts: tuple[int, int, int, int]

    @property
    def scored(self) -> bool:
        return self.n > 0

    @property
    def mean_label(self) -> str:
        return "Not scored" if self.mean is None else f"{self.mean:.2f}"

    @property
    def mode_label(self) -> str:
        return "Not scored" if not self.modes else and_list(self.modes)


def summarise(scores: Iterable[int | None]) -> DomainSummary:
    """One domain across the chosen reviews; None (left unscored) is not counted."""
    given = [s for s in scores if s is not None]
    for s in given:
        if s not in SCORES:
            raise ValueError(f"A blueprint score is 0, 1, 2 or 3, not {s!r}")
    counts = Counter(given)
    return DomainSummary(n=len(given), mean=mean_of(given), modes=modes_of(given),
                         counts=tuple(counts.get(s, 0) for s in SCORES))


def summarise_domains(domains: Sequence[int], reviews: Sequence[dict[int, int | None]]) -> dict[int, DomainSummary]:
    """Each domain (by number) across reviews given as {domain number: score or None}."""
    return {d: summarise(r.get(d) for r in reviews) for d in domains}


@dataclass(frozen=True)
class ReviewKey:
    id: int
    raa: str  # who was reviewed (an organisation's id or an anonymised comparison name)
    reviewed_on: date


def chosen(reviews: Iterable[ReviewKey], *, start: date | None = None, end: date | None = None,
           latest_only: bool = True) -> list[ReviewKey]:
    """The reviews in the date range (inclusive); with latest_only, each RAA's latest in it (the higher id
    breaks a tie on the same day)."""
    inside = [r for r in reviews if (start is None or r.reviewed_on >= start) and (end is None or r.reviewed_on <= end)]
    if not latest_only:
        return sorted(inside, key=lambda r: (r.reviewed_on, r.id))
    latest: dict[str, ReviewKey] = {}
    for r in inside:
        held = latest.get(r.raa)
        if held is None or (r.reviewed_on, r.id) > (held.reviewed_on, held.id):
            latest[r.raa] = r
    return sorted(latest.values(), key=lambda r: (r.reviewed_on, r.id))


def previous_of(reviews: Iterable[ReviewKey], review: ReviewKey) -> ReviewKey | None:
    """The same RAA's review just before this one, if any."""
    earlier = [r for r in reviews if r.raa == review.raa and (r.reviewed_on, r.id) < (review.reviewed_on, review.id)]
    return max(earlier, key=lambda r: (r.reviewed_on, r.id)) if earlier else None


@dataclass(frozen=True)
class ComparisonRow:
    domain: int
    score: int | None
    others: DomainSummary
    previous: int | None

    @property
    def against_mean(self) -> Decimal | None:
        """This RAA's score less the others' mean (None when either is missing)."""
        if self.score is None or self.others.mean is None:
            return None
        return Decimal(self.score) - self.others.mean

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def change_label(self) -> str:
        if self.score is None:
            return "Not scored this time"
        if self.previous is None:
            return "Not scored last time"
        c = self.change
        return "No change" if c == 0 else (f"Up {c}" if c > 0 else f"Down {-c}")


def compare(domains: Sequence[int], own: dict[int, int | None], others: Sequence[dict[int, int | None]],
            previous: dict[int, int | None] | None) -> list[ComparisonRow]:
    """One RAA's review against the other RAAs' chosen reviews (aggregates only) and its own previous review."""
    summaries = summarise_domains(domains, others)
    return [ComparisonRow(domain=d, score=own.get(d), others=summaries[d],
                          previous=(previous or {}).get(d)) for d in domains]


def bar_percent(value: Decimal | int | None) -> int:
    """A bar's length as a percentage of the scale's top (3)."""
    if value is None:
        return 0
    return int((Decimal(value) * 100 / 3).quantize(Decimal(1), rounding=ROUND_HALF_UP))
