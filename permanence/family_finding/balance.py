"""Each RAA's inter-agency balance: the placements it bought (its children placed with another agency's adopters:
it pays the fee) and sold (its adopters took another agency's child: it is paid), by financial year, with the
fees from the fee table (fees.py; domain.md section 4). Pure: no Django, no clock.

A fee whose rate is not recorded (a sibling rate not yet agreed, a year before the first rate) is unknown: the
year says how many placements have no fee, and its totals are of the known fees only – never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from permanence.family_finding import fees

BOUGHT, SOLD = "bought", "sold"


@dataclass(frozen=True)
class Placement:
    """One inter-agency placement seen from one RAA."""

    link_id: int
    reference: str
    placed_on: date
    children: int
    direction: str  # BOUGHT or SOLD
    other_agency: str  # the agency on the other side
    fee: int | None  # whole pounds; None: a rate it needs is not recorded

    @property
    def financial_year(self) -> int:
        return fees.financial_year(self.placed_on)


@dataclass(frozen=True)
class YearBalance:
    financial_year: int
    bought: int = 0
    paid: int = 0  # the known fees of the placements bought
    bought_without_fee: int = 0
    sold: int = 0
    received: int = 0
    sold_without_fee: int = 0

    @property
    def label(self) -> str:
        return fees.financial_year_label(self.financial_year)

    @property
    def net(self) -> int:
        """Received less paid (negative: the RAA paid out more than it was paid)."""
        return self.received - self.paid

    @property
    def complete(self) -> bool:
        return not (self.bought_without_fee or self.sold_without_fee)


def by_year(placements: Iterable[Placement]) -> list[YearBalance]:
    """One row per financial year with a placement, the latest first."""
    years: dict[int, dict] = {}
    for p in placements:
        row = years.setdefault(p.financial_year, {"financial_year": p.financial_year})
        count, money, unknown = (("bought", "paid", "bought_without_fee") if p.direction == BOUGHT
                                 else ("sold", "received", "sold_without_fee"))
        row[count] = row.get(count, 0) + 1
        if p.fee is None:
            row[unknown] = row.get(unknown, 0) + 1
        else:
            row[money] = row.get(money, 0) + p.fee
    return [YearBalance(**years[y]) for y in sorted(years, reverse=True)]
