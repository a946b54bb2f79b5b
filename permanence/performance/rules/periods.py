"""Periods and the arithmetic of dates that names them: financial years (April to March), their quarters and
halves, the scorecard's three years ending 31 March, and the choices the pages offer.

The one home of period arithmetic: the members' report's half-years, the dashboard's quarters and the cost
page's financial years are defined here and imported where they are used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from permanence.timescales.rules import add_months


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str = ""

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def latest_year_ending(day: date) -> int:
    """The year of the latest 31 March on or before `day`: the last financial year ended, the scorecard in force."""
    return day.year if (day.month, day.day) >= (3, 31) else day.year - 1


def financial_year_of(day: date) -> int:
    """The year the financial year containing `day` starts in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def scorecard_period(year_ending: int, years: int = 3) -> Period:
    """The scorecard's window: `years` years ending 31 March `year_ending` (three by default)."""
    # Wide enough for comparisons with the years before any asked for (2000H1 compares with 1999), narrow
    # enough that no date arithmetic can overflow.
    if not 1900 <= year_ending <= 2100:
        raise ValueError(f"The year ending must be between 1900 and 2100, not {year_ending}")
    if not 1 <= years <= 10:
        raise ValueError(f"The number of years must be 1 to 10, not {years}")
    start = date(year_ending - years, 4, 1)
    end = date(year_ending, 3, 31)
    return Period(start, end, f"{years} year{'s' if years != 1 else ''} ending 31 March {year_ending}")


def parse_quarter(text: str) -> Period:
    """'2025Q1' is April–June 2025: quarters of the financial year that starts in April of the year named,
    as the ASGLB reports them ('2025Q4' is January–March 2026)."""
    text = text.strip().upper()
    try:
        year_text, q_text = text.split("Q")
        year, q = int(year_text), int(q_text)
    except ValueError:
        raise ValueError(f"A quarter is written like 2025Q1, not {text!r}") from None
    if q not in (1, 2, 3, 4):
        raise ValueError(f"A quarter is 1 to 4, not {q}")
    if not 1900 <= year <= 2100:
        raise ValueError(f"No quarter {text!r}: the year must be between 1900 and 2100")
    start = add_months(date(year, 4, 1), 3 * (q - 1))
    end = date.fromordinal(add_months(start, 3).toordinal() - 1)
    return Period(start, end, f"{year}-{(year + 1) % 100:02d} Q{q} ({start:%-d %B %Y} to {end:%-d %B %Y})")


def financial_year(start_year: int) -> Period:
    """April `start_year` to 31 March the year after, labelled like '2019-20'."""
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31), f"{start_year}-{(start_year + 1) % 100:02d}")


def complete_financial_years(today: date, count: int = 5) -> list[Period]:
    """The last `count` financial years that ended before `today`, oldest first."""
    current = financial_year_of(today)
    return [financial_year(y) for y in range(current - count, current)]


def short_label(period: Period) -> str:
    """'2020-21 Q2' for a quarter (parse_quarter's label without its dates), the label itself otherwise."""
    return period.label.split(" (")[0] if period.label else f"{period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}"


def financial_year_ending(year_ending: int) -> Period:
    """The financial year ending 31 March `year_ending` (1 April the year before to 31 March), labelled as the cost
    page names it."""
    return Period(date(year_ending - 1, 4, 1), date(year_ending, 3, 31), f"Financial year {year_ending - 1} to {year_ending}")


def dates_label(start: date, end: date) -> str:
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def year_before(period: Period) -> Period:
    """The default baseline: the year before the period starts (for a financial year, the financial year before)."""
    start = add_months(period.start, -12)
    return Period(start, period.start - timedelta(days=1), dates_label(start, period.start - timedelta(days=1)))


# ---------------------------------------------------------------------------------------------
# Quarters of the financial year (the dashboard's trend, the quarterly report's choices)


def quarter_of(day: date) -> str:
    """The financial-year quarter containing `day`, as parse_quarter spells it."""
    fy = financial_year_of(day)
    return f"{fy}Q{(day.month - 4) % 12 // 3 + 1}"


def last_quarters(today: date, count: int = 12) -> list[Period]:
    """The last `count` complete quarters before `today`, oldest first."""
    out = []
    current = parse_quarter(quarter_of(today))
    day = current.start
    for _ in range(count):
        day = date.fromordinal(day.toordinal() - 1)
        q = parse_quarter(quarter_of(day))
        out.append(q)
        day = q.start
    return list(reversed(out))


# ---------------------------------------------------------------------------------------------
# Half-years of the financial year (the members' report): H1 is April–September, H2 October–March.

_HALF = re.compile(r"^(\d{4})H([12])$")


def parse_half_year(text: str) -> Period:
    """'2025H1' is April–September 2025, '2025H2' October 2025–March 2026 (halves of the financial year that
    starts in April of the year named, as parse_quarter reads quarters)."""
    cleaned = re.sub(r"[\s-]", "", str(text)).upper()
    match = _HALF.match(cleaned)
    if not match:
        raise ValueError(f"A half-year is written like 2025H1 (April to September 2025) or 2025H2 (October 2025 "
                         f"to March 2026), not {text!r}")
    year, half = int(match[1]), int(match[2])
    if not 2000 <= year <= 2100:
        raise ValueError(f"No half-year {text!r}")
    return half_year_period(f"{year}H{half}")


def half_year_period(code: str) -> Period:
    """The period of a half-year code already well formed ('2025H1'), with no check of the year: the half-years a
    report compares with may lie before the earliest one a user may ask for."""
    year, half = int(code[:4]), int(code[-1])
    if half == 1:
        start, end = date(year, 4, 1), date(year, 9, 30)
    else:
        start, end = date(year, 10, 1), date(year + 1, 3, 31)
    which = "first" if half == 1 else "second"
    return Period(start, end, f"{start:%B %Y} to {end:%B %Y} ({which} half of {year}-{(year + 1) % 100:02d})")


def half_year_code(period: Period) -> str:
    return f"{period.start.year}H{1 if period.start.month == 4 else 2}"


def half_year_of(day: date) -> str:
    """The half-year containing `day`."""
    if 4 <= day.month <= 9:
        return f"{day.year}H1"
    return f"{day.year if day.month >= 10 else day.year - 1}H2"


def previous_half_year(code: str) -> str:
    year, half = int(code[:4]), code[-1]
    return f"{year - 1}H2" if half == "1" else f"{year}H1"


def same_half_year_earlier(code: str, years: int = 1) -> str:
    return f"{int(code[:4]) - years}H{code[-1]}"


def last_complete_half_years(today: date, count: int = 8) -> list[str]:
    """The last `count` half-years that ended before `today`, newest first."""
    code = previous_half_year(half_year_of(today))
    out = []
    for _ in range(count):
        out.append(code)
        code = previous_half_year(code)
    return out


def scorecard_year_ending(period: Period) -> int:
    """The latest 31 March on or before the period's end: the scorecard in force then."""
    return latest_year_ending(period.end)


def year_endings(today: date, count: int = 8) -> list[int]:
    """The scorecard years a user may choose, latest first."""
    latest = latest_year_ending(today)
    return list(range(latest, latest - count, -1))
