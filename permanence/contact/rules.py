"""Contact after the adoption order and birth relatives' independent support: the pure rules (no Django, no clock).

- Letterbox exchanges fall due on the arrangement's pattern (`due_dates`): n times a year from its start, or on
  named months (and a day of the month) each year.
- An exchange is overdue to arrive once its due date plus the grace period has passed without it being received;
  once received it must be read, then (after any redaction, which needs a reason) forwarded within N working
  days of its arrival (timescales.rules.add_working_days: weekends and England's bank holidays excluded).
- Contact arrangements are reviewed one year after the adoption order, then every two years after each review
  (both configurable): `review_due`.
- The date adoption became the plan (`adoption_plan_date`) is the first adoption-plan event of the plan in force:
  the plan for adoption agreed at the child's review, or the ADM's should-be-placed decision if no review plan was
  recorded first; a plan changed away from adoption ends it, and a later plan for adoption starts it again.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from permanence.timescales.rules import add_months, add_working_days


class Kind(StrEnum):
    LETTERBOX = "letterbox"
    DIRECT = "direct"
    SIBLING = "sibling"


KIND_LABELS = {Kind.LETTERBOX: "Letterbox (indirect)", Kind.DIRECT: "Direct contact", Kind.SIBLING: "Sibling contact"}


class Direction(StrEnum):
    FROM_ADOPTERS = "from_adopters"
    FROM_BIRTH_FAMILY = "from_birth_family"


DIRECTION_LABELS = {Direction.FROM_ADOPTERS: "From the adopters", Direction.FROM_BIRTH_FAMILY: "From the birth family"}
LETTERBOX_WAYS = {"from_adopters": "From the adopters only", "from_birth_family": "From the birth family only",
                  "both": "Both ways"}

# How often: times a year that divide the year into whole months.
TIMES_A_YEAR = (1, 2, 3, 4, 6, 12)


class Status(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    AWAITED = "awaited"  # due (or in its grace period), not received
    OVERDUE_TO_ARRIVE = "overdue_to_arrive"
    TO_READ = "to_read"
    TO_FORWARD = "to_forward"
    OVERDUE_TO_FORWARD = "overdue_to_forward"
    FORWARDED = "forwarded"


STATUS_LABELS = {
    Status.NOT_YET_DUE: "Not yet due",
    Status.AWAITED: "Awaited",
    Status.OVERDUE_TO_ARRIVE: "Overdue to arrive",
    Status.TO_READ: "Received, to read",
    Status.TO_FORWARD: "Read, to forward",
    Status.OVERDUE_TO_FORWARD: "Overdue to forward",
    Status.FORWARDED: "Forwarded",
}
OVERDUE = frozenset({Status.OVERDUE_TO_ARRIVE, Status.OVERDUE_TO_FORWARD})


class Response(StrEnum):
    NO_RESPONSE = "no_response"
    ACCEPTED = "accepted"
    DECLINED = "declined"


RESPONSE_LABELS = {Response.NO_RESPONSE: "No response yet", Response.ACCEPTED: "Accepted",
                   Response.DECLINED: "Declined"}

BIRTH_PARENTS = frozenset({"birth_mother", "birth_father"})
RELATIONSHIPS = {"birth_mother": "Birth mother", "birth_father": "Birth father", "grandparent": "Grandparent",
                 "sibling": "Brother or sister", "aunt_uncle": "Aunt or uncle", "other": "Other relative"}

# Defaults (the Timescale rows of this app's data migration override them).
DEFAULT_ARRIVAL_GRACE_DAYS = 14
DEFAULT_FORWARD_WORKING_DAYS = 10
DEFAULT_FIRST_REVIEW_MONTHS = 12
DEFAULT_LATER_REVIEW_MONTHS = 24
DEFAULT_OFFER_DAYS = 28


@dataclass(frozen=True)
class Timescales:
    """The contact timescales in force (from Timescale rows; see selectors.contact_timescales)."""

    arrival_grace_days: int = DEFAULT_ARRIVAL_GRACE_DAYS
    forward_working_days: int = DEFAULT_FORWARD_WORKING_DAYS
    first_review_months: int = DEFAULT_FIRST_REVIEW_MONTHS
    later_review_months: int = DEFAULT_LATER_REVIEW_MONTHS
    offer_days: int = DEFAULT_OFFER_DAYS


# ---------------------------------------------------------------------------------------------
# Due dates of a letterbox arrangement


def parse_months(text: str) -> tuple[int, ...]:
    """'3, 9' -> (3, 9). Raises ValueError for anything not a month number."""
    months = tuple(sorted({int(part) for part in text.replace(" ", "").split(",") if part}))
    if not months or any(m < 1 or m > 12 for m in months):
        raise ValueError("months must be numbers from 1 to 12")
    return months


def _on_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def due_dates(start: date, until: date, *, times_a_year: int | None = None, months: Sequence[int] = (),
              day: int = 1, end: date | None = None) -> list[date]:
    """The due dates from `start` to `until` (and the arrangement's `end`), inclusive.

    With `months`, each named month on `day` (the month's last day when it is shorter); otherwise every
    12 / times_a_year months counted from the start, the first one period after the start."""
    last = min(until, end) if end else until
    out: list[date] = []
    if months:
        for year in range(start.year, last.year + 1):
            for month in sorted(months):
                when = _on_day(year, month, day)
                if start <= when <= last:
                    out.append(when)
        return out
    if times_a_year not in TIMES_A_YEAR:
        raise ValueError(f"times a year must be one of {TIMES_A_YEAR}")
    step = 12 // times_a_year
    n = 1
    while (when := add_months(start, step * n)) <= last:
        out.append(when)
        n += 1
    return out


# ---------------------------------------------------------------------------------------------
# A letterbox exchange's status and its steps


@dataclass(frozen=True)
class ExchangeFacts:
    due_on: date
    received_on: date | None = None
    read_on: date | None = None
    redacted_on: date | None = None
    redaction_reason: str = ""
    forwarded_on: date | None = None


def arrival_overdue_from(due_on: date, grace_days: int) -> date:
    """The first day an exchange not yet received is overdue to arrive."""
    from datetime import timedelta

    return due_on + timedelta(days=grace_days + 1)


def forward_by(received_on: date, working_days: int) -> date:
    """The last day to forward an exchange received on `received_on`: N working days after it arrived."""
    return add_working_days(received_on, working_days)


def status(x: ExchangeFacts, on: date, t: Timescales) -> Status:
    """Where the exchange stands on `on`, counting only the steps dated on or before it."""
    def done(day: date | None) -> bool:
        return day is not None and day <= on

    if done(x.forwarded_on):
        return Status.FORWARDED
    if not done(x.received_on):
        if on < x.due_on:
            return Status.NOT_YET_DUE
        return Status.OVERDUE_TO_ARRIVE if on >= arrival_overdue_from(x.due_on, t.arrival_grace_days) \
            else Status.AWAITED
    if on > forward_by(x.received_on, t.forward_working_days):
        return Status.OVERDUE_TO_FORWARD
    return Status.TO_FORWARD if done(x.read_on) else Status.TO_READ


def forwarded_on_time(x: ExchangeFacts, t: Timescales) -> bool | None:
    """Whether it was forwarded within the timescale of its arrival (None: not forwarded)."""
    if x.forwarded_on is None or x.received_on is None:
        return None
    return x.forwarded_on <= forward_by(x.received_on, t.forward_working_days)


class Step(StrEnum):
    RECEIVED = "received"
    READ = "read"
    REDACTED = "redacted"
    FORWARDED = "forwarded"


STEP_LABELS = {Step.RECEIVED: "received", Step.READ: "read", Step.REDACTED: "redacted", Step.FORWARDED: "forwarded"}


def step_refusal(x: ExchangeFacts, step: Step, on: date, today: date, reason: str = "") -> tuple[str, str] | None:
    """Why this step cannot be recorded on this date, as (field, message); None if it can.

    Steps are in order (received, read, optionally redacted, forwarded), each once, none in the future; reading
    comes before forwarding and a redaction needs a reason."""
    label = STEP_LABELS[step]
    if on > today:
        return "on", f"The date it was {label} must be today or in the past"
    if step is Step.RECEIVED:
        if x.received_on is not None:
            return "on", "The exchange has already been recorded as received"
        return None
    if x.received_on is None:
        return "on", "Record that the exchange was received first"
    if x.forwarded_on is not None:
        return "on", "The exchange has already been forwarded"
    if step is Step.READ:
        if x.read_on is not None:
            return "on", "The exchange has already been recorded as read"
        if on < x.received_on:
            return "on", "The date it was read must be on or after the date it was received"
        return None
    if x.read_on is None:
        return "on", ("Record that the exchange was read before it is redacted" if step is Step.REDACTED
                      else "Record that the exchange was read before it is forwarded")
    if step is Step.REDACTED:
        if x.redacted_on is not None:
            return "on", "The exchange has already been recorded as redacted"
        if not reason.strip():
            return "reason", "Enter the reason for the redaction"
        if on < x.read_on:
            return "on", "The date it was redacted must be on or after the date it was read"
        return None
    after = x.redacted_on or x.read_on
    if on < after:
        return "on", ("The date it was forwarded must be on or after the date it was redacted" if x.redacted_on
                      else "The date it was forwarded must be on or after the date it was read")
    return None


# ---------------------------------------------------------------------------------------------
# Reviews of contact arrangements


def review_due(adoption_order: date, reviews: Iterable[date], t: Timescales) -> date:
    """The next review: `first_review_months` after the adoption order, then `later_review_months` after the
    latest review held (a month without the day falls back to its last day: 29 February + 1 year = 28 February)."""
    held = [r for r in reviews if r >= adoption_order]
    if not held:
        return add_months(adoption_order, t.first_review_months)
    return add_months(max(held), t.later_review_months)


# ---------------------------------------------------------------------------------------------
# Birth relatives' support

PLAN_KINDS = frozenset({"permanence_plan", "should_be_placed"})
PLAN_ENDS = frozenset({"plan_changed"})


def adoption_plan_date(events: Iterable[tuple[str, date]]) -> date | None:
    """The day adoption became the plan in force: the earliest plan-for-adoption or should-be-placed event since
    the latest change of plan away from adoption (None: adoption is not, or no longer, the plan)."""
    start: date | None = None
    for kind, day in sorted(events, key=lambda e: e[1]):
        if kind in PLAN_ENDS:
            start = None
        elif kind in PLAN_KINDS and start is None:
            start = day
    return start


def take_up(responses: Iterable[str]) -> tuple[int, int]:
    """(accepted, offered)."""
    responses = list(responses)
    return sum(1 for r in responses if r == Response.ACCEPTED), len(responses)
