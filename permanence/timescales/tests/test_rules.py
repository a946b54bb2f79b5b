from datetime import date

import pytest

from permanence.timescales.rules import (
    add_months,
    add_period,
    add_working_days,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # A plain fortnight: Monday + 10 working days = Monday two weeks later.
        (date(2025, 3, 3), 10, date(2025, 3, 17)),
        # Over Easter 2025 (Good Friday 18 April, Easter Monday 21 April): two extra days.
        (date(2025, 4, 14), 10, date(2025, 4, 30)),
        # Over Christmas 2024: 25, 26 December and 1 January are bank holidays.
        (date(2024, 12, 20), 10, date(2025, 1, 8)),
        # From a Saturday: the count starts on Monday.
        (date(2025, 3, 1), 1, date(2025, 3, 3)),
        # Early May bank holiday 2025 (5 May).
        (date(2025, 5, 2), 1, date(2025, 5, 6)),
        # ROI decision, 5 working days from Friday 23 May 2025 over the spring bank holiday (26 May).
        (date(2025, 5, 23), 5, date(2025, 6, 2)),
        # n = 0: the first working day on or after the start.
        (date(2025, 12, 25), 0, date(2025, 12, 29)),
        # Leap year: 28 Feb 2024 (Wednesday) + 2 working days = Friday 1 March.
        (date(2024, 2, 28), 2, date(2024, 3, 1)),
        # The King's coronation bank holiday (8 May 2023) and early May (1 May 2023).
        (date(2023, 4, 28), 5, date(2023, 5, 9)),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2025, 8, 25))  # summer bank holiday (England)
    assert is_working_day(date(2025, 8, 4))  # Scotland's summer holiday is not England's
    assert not is_working_day(date(2025, 3, 8))  # Saturday
    assert is_working_day(date(2025, 3, 17))  # St Patrick's day is not a bank holiday in England


def test_working_days_between_round_trips():
    start = date(2024, 12, 20)
    end = add_working_days(start, 10)
    assert working_days_between(start, end) == 10
    assert working_days_between(end, start) == -10


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 11, 15), 4, date(2026, 3, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_add_period_units():
    assert add_period(date(2025, 1, 1), 121, "days") == date(2025, 5, 2)
    assert add_period(date(2025, 1, 1), 2, "weeks") == date(2025, 1, 15)
    assert add_period(date(2025, 1, 1), 2, "months") == date(2025, 3, 1)
    assert add_period(date(2025, 1, 1), 1, "working_days") == date(2025, 1, 2)
