"""Support plans and the Adoption and Special Guardianship Support Fund (ASF): pure rules. No Django, no clock
(every date is a parameter).

- Financial years run from 1 April to 31 March; a year is named by the year it starts in (2025 for 2025/26).
- The fair access limit is per child per financial year and is data (`FairAccessLimit` rows, one per year it
  changed, each with its source; a year without a row takes the latest earlier year's). domain.md section 5:
  from 2016/17 £5,000 for therapy plus £2,500 for a specialist assessment (two separate limits); from 2025/26
  £3,000 in all, assessments included, and no match funding.
- What counts against the limit for a child in a year: every approved application (its approved amount) and
  every pending one (submitted, not yet decided: its requested amount), whatever the agency that made it. A
  declined or withdrawn application, and a draft not yet submitted, count nothing.
- An application falls in the financial year of the day it is submitted (a draft: of the day it would be).
- A plan's review is overdue when its review date has passed and the plan has not ended.
- A provider may be chosen for a service when it holds a commission in force on the service's start date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from permanence.timescales import rules as timescale_rules


class Tier(StrEnum):
    UNIVERSAL = "universal"
    TARGETED = "targeted"
    SPECIALIST = "specialist"


TIER_LABELS = {
    Tier.UNIVERSAL: "Universal",
    Tier.TARGETED: "Targeted",
    Tier.SPECIALIST: "Specialist",
}
TIER_HINTS = {
    Tier.UNIVERSAL: "Groups, training, newsletters, letterbox",
    Tier.TARGETED: "Workshops, therapeutic groups",
    Tier.SPECIALIST: "Therapy and assessments, usually through the support fund",
}


class CommissionOutcome(StrEnum):
    ONGOING = "ongoing"
    DELIVERED = "delivered"
    PARTLY_DELIVERED = "partly_delivered"
    NOT_DELIVERED = "not_delivered"


COMMISSION_OUTCOME_LABELS = {
    CommissionOutcome.ONGOING: "Ongoing",
    CommissionOutcome.DELIVERED: "Delivered",
    CommissionOutcome.PARTLY_DELIVERED: "Partly delivered",
    CommissionOutcome.NOT_DELIVERED: "Not delivered",
}


class PlanOutcome(StrEnum):
    NEEDS_MET = "needs_met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    ENDED_EARLY = "ended_early"


PLAN_OUTCOME_LABELS = {
    PlanOutcome.NEEDS_MET: "The needs in the plan were met",
    PlanOutcome.PARTLY_MET: "The needs were partly met",
    PlanOutcome.NOT_MET: "The needs were not met",
    PlanOutcome.ENDED_EARLY: "The family ended the plan early",
}


class ApplicationType(StrEnum):
    THERAPY = "therapy"
    ASSESSMENT = "assessment"


APPLICATION_TYPE_LABELS = {
    ApplicationType.THERAPY: "Therapy",
    ApplicationType.ASSESSMENT: "Specialist assessment",
}


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # pending: submitted, not yet decided
    APPROVED = "approved"
    DECLINED = "declined"
    PAID = "paid"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.SUBMITTED: "Submitted, awaiting a decision",
    Status.APPROVED: "Approved, awaiting payment",
    Status.DECLINED: "Declined",
    Status.PAID: "Paid",
    Status.WITHDRAWN: "Withdrawn",
}


# ---------------------------------------------------------------------------------------------
# Financial years


def financial_year(on: date) -> int:
    """The year the financial year of `on` starts in: 31 March 2026 is in 2025/26, 1 April 2026 in 2026/27."""
    return on.year if on.month >= 4 else on.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


# ---------------------------------------------------------------------------------------------
# The fair access limit


@dataclass(frozen=True)
class LimitFact:
    """The fair access limit from a financial year on. Either one limit for everything (`combined`), or one
    each for therapy and specialist assessments (None: no limit of that kind recorded)."""

    financial_year: int
    combined: Decimal | None = None
    therapy: Decimal | None = None
    assessment: Decimal | None = None
    match_funding: bool = False
    source: str = ""

    def cap_for(self, kind: ApplicationType | str) -> Decimal | None:
        """The limit an application of this type counts against (None: unlimited, not recorded)."""
        if self.combined is not None:
            return self.combined
        return self.therapy if ApplicationType(kind) is ApplicationType.THERAPY else self.assessment

    def counts_together(self, kind: ApplicationType | str, other: ApplicationType | str) -> bool:
        """Whether an application of type `other` uses up the same limit as one of type `kind`."""
        return self.combined is not None or ApplicationType(kind) is ApplicationType(other)

    @property
    def label(self) -> str:
        if self.combined is not None:
            return f"£{self.combined:,.0f} a child a year, specialist assessments included"
        parts = []
        if self.therapy is not None:
            parts.append(f"£{self.therapy:,.0f} for therapy")
        if self.assessment is not None:
            parts.append(f"£{self.assessment:,.0f} for specialist assessment")
        return " and ".join(parts) + " a child a year" if parts else "No limit recorded"


def limit_for(limits: Iterable[LimitFact], year: int) -> LimitFact | None:
    """The limit in force in financial year `year`: that year's row, else the latest earlier year's."""
    fitting = [row for row in limits if row.financial_year <= year]
    return max(fitting, key=lambda row: row.financial_year) if fitting else None


class Decision(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"


DECISION_LABELS = {Decision.APPROVED: "Approved", Decision.DECLINED: "Declined"}


def status_on(*, submitted_on: date | None, decided_on: date | None, decision: str, paid_on: date | None,
              withdrawn_on: date | None, day: date | None = None) -> Status:
    """Where an application stood on `day` (None: as recorded, whatever the dates), from its dates alone."""
    def by(d: date | None) -> bool:
        return d is not None and (day is None or d <= day)

    if by(withdrawn_on):
        return Status.WITHDRAWN
    if not by(submitted_on):
        return Status.DRAFT
    if not by(decided_on) or not decision:
        return Status.SUBMITTED
    if Decision(decision) is Decision.DECLINED:
        return Status.DECLINED
    return Status.PAID if by(paid_on) else Status.APPROVED


@dataclass(frozen=True)
class ApplicationFact:
    """One application as the limit sees it."""

    id: int | None
    child_key: str
    kind: str
    requested: Decimal
    submitted_on: date | None
    decided_on: date | None = None
    decision: str = ""
    approved: Decimal | None = None
    paid_on: date | None = None
    withdrawn_on: date | None = None

    def status(self, day: date | None = None) -> Status:
        return status_on(submitted_on=self.submitted_on, decided_on=self.decided_on, decision=self.decision,
                         paid_on=self.paid_on, withdrawn_on=self.withdrawn_on, day=day)


def counted_amount(app: ApplicationFact, day: date | None = None) -> Decimal:
    """What an application uses of its child's limit (as it stood on `day`): approved or paid -> its approved
    amount, pending -> its requested amount, anything else nothing."""
    status = app.status(day)
    if status in (Status.APPROVED, Status.PAID):
        return Decimal(app.approved if app.approved is not None else app.requested)
    if status is Status.SUBMITTED:
        return Decimal(app.requested)
    return Decimal(0)


@dataclass(frozen=True)
class LimitCheck:
    financial_year: int
    limit: LimitFact | None
    cap: Decimal | None  # the limit this application counts against (None: none recorded)
    used: Decimal  # by the child's other approved and pending applications against the same limit that year
    amount: Decimal  # this application's

    @property
    def headroom(self) -> Decimal | None:
        """What is left of the limit before this application (never below 0); None when no limit applies."""
        return None if self.cap is None else max(Decimal(0), self.cap - self.used)

    @property
    def breaches(self) -> bool:
        return self.cap is not None and self.used + self.amount > self.cap

    @property
    def over_by(self) -> Decimal:
        return max(Decimal(0), self.used + self.amount - self.cap) if self.cap is not None else Decimal(0)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


def check_limit(*, limits: Iterable[LimitFact], applications: Iterable[ApplicationFact], child_key: str, kind: str,
                amount: Decimal, on: date, exclude_id: int | None = None) -> LimitCheck:
    """Whether an application of `kind` for `amount`, submitted on `on` for the child `child_key`, would breach the
    fair access limit of its financial year, counting the child's other approved and pending applications
    submitted in that year (the application itself, `exclude_id`, left out)."""
    year = financial_year(on)
    limit = limit_for(limits, year)
    cap = limit.cap_for(kind) if limit else None
    used = Decimal(0)
    for app in applications:
        if app.child_key != child_key or (exclude_id is not None and app.id == exclude_id):
            continue
        if app.submitted_on is None or financial_year(app.submitted_on) != year:
            continue
        if limit is not None and not limit.counts_together(kind, app.kind):
            continue
        used += counted_amount(app)
    return LimitCheck(financial_year=year, limit=limit, cap=cap, used=used, amount=Decimal(amount))


def child_key(*, child_id: int | None, name: str = "", date_of_birth: date | None = None) -> str:
    """Who the limit is counted for: the child's record when Permanence holds it, else its name and date of
    birth as typed (case and spacing ignored)."""
    if child_id is not None:
        return f"child:{child_id}"
    return f"name:{' '.join(name.lower().split())}|{date_of_birth.isoformat() if date_of_birth else ''}"


def approved_totals(applications: Iterable[ApplicationFact], year: int, *, day: date
                    ) -> dict[str, dict[str, Decimal]]:
    """Each child's approved totals in financial year `year` by application type, as the applications stood on
    `day`: child key -> type -> pounds."""
    out: dict[str, dict[str, Decimal]] = {}
    for a in applications:
        if a.submitted_on is None or financial_year(a.submitted_on) != year:
            continue
        if a.status(day) in (Status.APPROVED, Status.PAID):
            kinds = out.setdefault(a.child_key, {})
            kinds[a.kind] = kinds.get(a.kind, Decimal(0)) + counted_amount(a, day)
    return out


def reached_limit(total_by_kind: dict[str, Decimal], limit: LimitFact | None) -> bool:
    """Whether a child's approved totals in a year (by application type) reached the year's limit: the combined
    limit, or either of the two separate ones."""
    if limit is None:
        return False
    if limit.combined is not None:
        return sum(total_by_kind.values(), Decimal(0)) >= limit.combined
    return any(cap is not None and total_by_kind.get(kind, Decimal(0)) >= cap
               for kind, cap in ((ApplicationType.THERAPY, limit.therapy),
                                 (ApplicationType.ASSESSMENT, limit.assessment)))


# ---------------------------------------------------------------------------------------------
# Timescales, reviews and commissions


def decided_within(submitted_on: date, decided_on: date, amount: int, unit: str) -> bool:
    """Whether a decision came within the fund's timescale of the submission (the due day itself counts)."""
    return decided_on <= timescale_rules.add_period(submitted_on, amount, unit)


def review_overdue(review_on: date | None, ended_on: date | None, today: date) -> bool:
    return review_on is not None and ended_on is None and review_on < today


def in_force(start: date, end: date | None, on: date) -> bool:
    """Whether a commission from `start` to `end` (None: open-ended) is in force on `on`."""
    return start <= on and (end is None or on <= end)


def age_on(born: date | None, on: date) -> int | None:
    """Whole years (the pack shows the child's age, never the date of birth)."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
