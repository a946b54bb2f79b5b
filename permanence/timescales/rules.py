"""Working days and timescale arithmetic. Pure Python: no Django, no clock.

Working days exclude weekends and the bank holidays of England, taken from the maintained
`holidays` library (never a hand-written list).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


UNIT_LABELS = {
    Unit.WORKING_DAYS: "working days",
    Unit.DAYS: "days",
    Unit.WEEKS: "weeks",
    Unit.MONTHS: "months",
}


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def bank_holiday_name(day: date) -> str | None:
    names = holidays.country_holidays("GB", subdiv="ENG", years=day.year)
    return names.get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, n: int) -> date:
    """The date n working days after `start` (the start day itself is not counted).

    Ten working days after a Friday adoption order is the Friday two weeks later, moved on by
    any bank holiday in between. n = 0 gives the first working day on or after `start`.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    if n == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_months(start: date, months: int) -> date:
    """Calendar months; a day that does not exist in the target month falls back to its last day
    (31 January + 1 month = 28 or 29 February)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_period(start: date, amount: int, unit: Unit | str) -> date:
    unit = Unit(unit)
    if unit is Unit.WORKING_DAYS:
        return add_working_days(start, amount)
    if unit is Unit.DAYS:
        return start + timedelta(days=amount)
    if unit is Unit.WEEKS:
        return start + timedelta(weeks=amount)
    return add_months(start, amount)


def describe_period(amount: int, unit: Unit | str) -> str:
    label = UNIT_LABELS[Unit(unit)]
    if amount == 1:
        label = label[:-1]
    return f"{amount} {label}"


@dataclass(frozen=True)
class TimescaleFact:
    """A timescale in force: `end_events` are due `amount unit` after `start_event`."""

    key: str
    label: str
    start_event: str
    end_events: tuple[str, ...]
    amount: int
    unit: str
    source: str = ""

    def due_from(self, start: date) -> date:
        return add_period(start, self.amount, self.unit)
