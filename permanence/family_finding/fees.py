"""Inter-agency fees: what placing a child with another agency's adopters costs. Pure Python: no Django, no
clock (the date is a parameter). The rates are data (`InterAgencyFee` rows, one per financial year and kind of
agency pair, each with its source); this module only does the sums.

domain.md section 4 (CoramBAAF, fees 2025/26): a VAA's placement of one child £39,245; LA/RAA to LA/RAA £27,000
(the 2011 rate); agencies in London +10%; a monthly fee past 12 months placed without an adoption order. The
sibling rates and the monthly fee are agreed nationally each year: a rate not recorded makes the fee unknown
(None), never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

VAA = "vaa"  # placing with a voluntary adoption agency's adopters
LA_RAA = "la_raa"  # placing with another LA's or RAA's adopters
AGENCY_PAIRS = {VAA: "With a VAA's adopters", LA_RAA: "Between LAs and RAAs"}

# Postcode areas of London (the outward code's letters), for the London weighting when the providing agency's
# own address is not recorded: the household's area stands in for its agency's.
LONDON_AREAS = frozenset({"E", "EC", "N", "NW", "SE", "SW", "W", "WC"})


def financial_year(on: date) -> int:
    """The year a financial year starts in (2025 for 2025/26: 1 April 2025 to 31 March 2026)."""
    return on.year if on.month >= 4 else on.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class FeeRate:
    financial_year: int
    agencies: str  # VAA or LA_RAA
    first_child: int  # whole pounds
    each_additional_child: int | None = None  # None: not recorded
    london_uplift_percent: Decimal = Decimal("0")
    monthly_after_12_months: int | None = None  # per month placed beyond 12 without an adoption order
    source: str = ""


def fee(rate: FeeRate, children: int = 1, *, london: bool = False, months_without_order: int = 0) -> int | None:
    """The fee in whole pounds for placing `children` together, or None when a rate it needs is not recorded.

    The London weighting applies to the placement fee; the monthly fee runs for each whole month placed beyond
    12 without an adoption order."""
    if children < 1:
        raise ValueError("a placement is of at least one child")
    if children > 1 and rate.each_additional_child is None:
        return None
    total = Decimal(rate.first_child + (children - 1) * (rate.each_additional_child or 0))
    if london:
        total += total * rate.london_uplift_percent / 100
    beyond = max(0, months_without_order - 12)
    if beyond:
        if rate.monthly_after_12_months is None:
            return None
        total += beyond * rate.monthly_after_12_months
    return int(total.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def rate_for(rates: list[FeeRate], agencies: str, on: date) -> FeeRate | None:
    """The rate for this kind of agency pair in the financial year of `on` (the latest earlier year's if that
    year has none recorded yet)."""
    year = financial_year(on)
    fitting = [r for r in rates if r.agencies == agencies and r.financial_year <= year]
    return max(fitting, key=lambda r: r.financial_year) if fitting else None
