"""The retention schedule: pure rules, no Django.

Each category of record has a period and the recorded event it runs from. The date a record is due for disposal
is always computed – the anchor event's date plus the period in force – and never typed in. The periods below
are the installation's defaults, each with its source; an RAA sets its own in RetentionPeriod rows (records.models)
without a code change. See docs/data-protection.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ADOPTION_CASE = "adoption_case"
CHILD_PLAN_CHANGED = "child_plan_changed"
HOUSEHOLD_ADOPTED = "household_adopted"
HOUSEHOLD_NOT_APPROVED = "household_not_approved"
HOUSEHOLD_NOT_PROCEEDED = "household_not_proceeded"
ENQUIRY_NOT_PROCEEDED = "enquiry_not_proceeded"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    record: str  # "child", "household" or "enquiry"
    runs_from: str  # the event the period runs from, as pages say it
    years: int  # the installation's default period
    source: str
    minimum: int = 1  # the shortest period an RAA may set (the law's floor where there is one)


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category(
            ADOPTION_CASE,
            "Adoption case record (child with an adoption order)",
            "child",
            "Adoption order granted",
            100,
            "Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005: at least 100 "
            "years from the adoption order.",
            minimum=100,
        ),
        Category(
            CHILD_PLAN_CHANGED,
            "Child whose plan changed away from adoption",
            "child",
            "Plan changed away from adoption",
            75,
            "Local default. Mirrors the looked-after child's case record (Care Planning, Placement and Case "
            "Review (England) Regulations 2010, reg 50: until the 75th birthday), counted from the plan change "
            "so it never runs shorter. Set the RAA's own period.",
        ),
        Category(
            HOUSEHOLD_ADOPTED,
            "Adopters who adopted (closed after adopting)",
            "household",
            "Household closed after adopting",
            100,
            "The adopters' records form part of the adoption case record of the child they adopted: kept as "
            "long (100 years).",
            minimum=100,
        ),
        Category(
            HOUSEHOLD_NOT_APPROVED,
            "Prospective adopters not approved",
            "household",
            "Agency decision: not approved",
            6,
            "Local default: six years (the Limitation Act 1980 period for a claim), which also covers "
            "representations and the Independent Review Mechanism. Set the RAA's own period.",
        ),
        Category(
            HOUSEHOLD_NOT_PROCEEDED,
            "Prospective adopters who withdrew or did not proceed",
            "household",
            "Household closed or withdrew",
            2,
            "Local default: domain.md 5a – a shorter, locally set period. Set the RAA's own period.",
        ),
        Category(
            ENQUIRY_NOT_PROCEEDED,
            "Enquiries that did not go on to a registration of interest",
            "enquiry",
            "Enquiry outcome recorded",
            2,
            "Local default: domain.md 5a – a shorter, locally set period. Set the RAA's own period.",
        ),
    )
}


@dataclass(frozen=True)
class Retention:
    """Why a record is kept until when: its category, the event the period runs from and its date, the period
    and the date it is due for disposal."""

    category: str
    anchor_date: date
    years: int
    due_on: date

    @property
    def label(self) -> str:
        return CATEGORIES[self.category].name

    @property
    def runs_from(self) -> str:
        return CATEGORIES[self.category].runs_from

    def is_due(self, today: date) -> bool:
        return self.due_on <= today


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February in a year that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention(category: str, anchor_date: date, years: int) -> Retention:
    return Retention(category, anchor_date, years, add_years(anchor_date, years))


def child_category(
    *, stage: str, adoption_order: date | None, plan_changed: date | None
) -> tuple[str, date] | None:
    """A child's category and the date its period runs from, from its journey events (None while the record is
    still open: the child is neither adopted nor has its plan changed away from adoption)."""
    if adoption_order is not None:
        return ADOPTION_CASE, adoption_order
    if stage == "plan_changed" and plan_changed is not None:
        return CHILD_PLAN_CHANGED, plan_changed
    return None


def household_category(
    *, stage: str, close_reason: str | None, closed: date | None, decision: date | None
) -> tuple[str, date] | None:
    """A household's category and the date its period runs from, from its replayed journey (None while open)."""
    if stage != "closed":
        return None
    if close_reason == "not_approved" and (decision or closed):
        return HOUSEHOLD_NOT_APPROVED, decision or closed
    if closed is None:
        return None
    if close_reason == "adopted":
        return HOUSEHOLD_ADOPTED, closed
    return HOUSEHOLD_NOT_PROCEEDED, closed


def enquiry_category(
    *, outcome: str, outcome_on: date | None, received_on: date, has_household: bool
) -> tuple[str, date] | None:
    """An enquiry that did not become a household, once its outcome is recorded (a household's enquiry is kept
    with the household)."""
    if has_household or outcome in ("open", "roi_received"):
        return None
    return ENQUIRY_NOT_PROCEEDED, outcome_on or received_on


MAX_YEARS = 150


def period_problem(category: Category, years: int) -> str | None:
    """Why an RAA may not set this period for this category (a GOV.UK error message), or None."""
    if years < category.minimum:
        if category.minimum > 1:
            return (f"{category.name} must be kept for at least {category.minimum} years: the law sets that "
                    f"floor. Enter {category.minimum} or more.")
        return "Enter a period of at least 1 year"
    if years > MAX_YEARS:
        return f"Enter a period of {MAX_YEARS} years or fewer"
    return None
