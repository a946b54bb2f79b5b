"""Plausible dates: the one place that says how far back and forward a date typed into Permanence may be.

Pure (today is a parameter). The GOV.UK date field (core.forms.DateField) and the API's date field
(api.fields.PlausibleDateField) both call date_problem, so a page and the API refuse the same dates with the
same words; services call age_problem for the applicant's age.

Kinds:
- "birth": a date of birth – 1900 to today.
- "expected_birth": an expected date of birth – 1990 to 10 months from today.
- "historic": something that has happened, maybe long ago (an adoption order an adopted adult asks about) –
  1900 to today.
- "record" (the default): an event or record date – 1990 to a year from today.
- "past": something recorded once it has happened (a review held) – 1990 to today.
- "planned": a target, due or planned date – 1990 to 5 years from today.
- "period": one end of a period asked about (reports, filters) – 1990 to 5 years from today.
"""

from __future__ import annotations

from datetime import date

KINDS = ("birth", "expected_birth", "historic", "record", "past", "planned", "period")

# Every date is within these, whatever its kind: years of 4 numbers that date arithmetic a few years either
# side of cannot overflow.
EARLIEST = date(1900, 1, 1)
RECORDS_FROM = date(1990, 1, 1)
EXPECTED_BIRTH_DAYS = 304  # about 10 months
RECORD_AHEAD_DAYS = 366
PLANNED_AHEAD_YEARS = 5

MIN_APPLICANT_AGE = 18
MAX_APPLICANT_AGE = 100


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def bounds(kind: str, today: date) -> tuple[date, date]:
    """The first and last plausible date of this kind."""
    if kind in ("birth", "historic"):
        return EARLIEST, today
    if kind == "past":
        return RECORDS_FROM, today
    if kind == "expected_birth":
        return RECORDS_FROM, date.fromordinal(today.toordinal() + EXPECTED_BIRTH_DAYS)
    if kind == "record":
        return RECORDS_FROM, date.fromordinal(today.toordinal() + RECORD_AHEAD_DAYS)
    if kind in ("planned", "period"):
        return RECORDS_FROM, _years_after(today, PLANNED_AHEAD_YEARS)
    raise ValueError(f"Unknown kind of date {kind!r}: one of {', '.join(KINDS)}")


def date_problem(value: date, *, kind: str = "record", label: str = "The date", today: date) -> str | None:
    """Why `value` is not a plausible date of this kind (a GOV.UK error message naming `label`), or None."""
    first, last = bounds(kind, today)
    label = label[:1].upper() + label[1:]
    if value < first:
        return f"{label} must be in {first.year} or later"
    if value > last:
        if kind in ("birth", "historic", "past"):
            return f"{label} must be today or in the past"
        if kind == "expected_birth":
            return f"{label} must be within 10 months from today"
        if kind == "record":
            return f"{label} must be no more than a year from today"
        return f"{label} must be within {PLANNED_AHEAD_YEARS} years from today"
    return None


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_problem(born: date | None, on: date | None, *, who: str = "The applicant",
                when: str = "on the date of enquiry") -> str | None:
    """Why someone born on `born` cannot be an adoptive applicant on `on` (18 to 100), or None."""
    if born is None or on is None:
        return None
    age = age_on(born, on)
    if age < MIN_APPLICANT_AGE:
        return f"{who} must be at least {MIN_APPLICANT_AGE} {when}"
    if age > MAX_APPLICANT_AGE:
        return f"{who} must be {MAX_APPLICANT_AGE} or younger {when}"
    return None
