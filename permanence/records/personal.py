"""Which fields of which tables hold a person's data: one registry, used by disposal (what to blank), the subject
access export (what to include and what is a third party's) and their completeness tests.

A record's tables are found through Django's `_meta.related_objects` (records_of): every table reached from a
child, a household or an enquiry must be named in PERSONAL or NO_PERSONAL, or the tests fail – so a table added
later cannot be forgotten by disposal or by subject access.

How a field is disposed of:
  BLANK  an empty string            MARK   "[disposed]" (the record's name, so lists still read)
  YEAR   a date of birth: null (the year is kept in the DisposedRecord stub)
  ID     an identifier unique in its table: "disposed-<pk>"
  JSON   an empty JSON value (of the same type)
Journey events (JourneyEventBase) keep their kind and date; their note and correction reason are blanked and
their details keep only the values the journey's table lists as choices (codes), booleans and numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from permanence.journeys.models import JourneyEventBase

BLANK, MARK, YEAR, ID, JSON = "blank", "mark", "year", "id", "json"
DISPOSED = "[disposed]"
EVENT = {"note": BLANK, "correction_reason": BLANK}

PERSONAL: dict[str, dict[str, str]] = {
    "children.child": {
        "first_name": MARK,
        "last_name": BLANK,
        "la_child_id": ID,
        "date_of_birth": YEAR,
        "expected_date_of_birth": YEAR,
        "disabilities": BLANK,
        "health_needs": BLANK,
    },
    "children.childneed": {"note": BLANK},
    "children.journeyevent": EVENT,
    "performance.surgeryaction": {"text": BLANK, "escalation_reason": BLANK, "outcome": BLANK},
    "adopters.panelitem": {"recommendation_reasons": BLANK, "minutes": BLANK},
    "adopters.panelmemberview": {"reasons": BLANK},
    "family_finding.childmatchingprofile": {
        "avoid_places": JSON,
        "reference_district": BLANK,
        "religion": BLANK,
        "languages": BLANK,
        "notes": BLANK,
    },
    "family_finding.shortlist": {"explanation": JSON},
    "family_finding.shortlistentry": {"profile": JSON},
    "family_finding.linkevent": EVENT,
    "interchange.importconflict": {"ours": JSON, "theirs": JSON, "message": BLANK},
    "support.supportcase": {
        "family_name": BLANK,
        "referrer_name": BLANK,
        "referrer_relationship": BLANK,
        "reason": BLANK,
        "child_name": BLANK,
        "child_date_of_birth": YEAR,
    },
    "support.supportevent": EVENT,
    "support_fund.supportplan": {"summary": BLANK, "family_feedback": BLANK},
    "support_fund.fundapplication": {"description": BLANK, "over_limit_reason": BLANK},
    "complaints.complaint": {"summary": BLANK, "lessons_learned": BLANK},
    "complaints.feedbackresponse": {"answers": JSON},
    "audits.caseaudit": {"notes": BLANK},
    "disruptions.learningreview": {"description": BLANK, "findings": BLANK},
    "disruptions.recommendation": {"text": BLANK},
    "contact.contactplan": {"notes": BLANK},
    "contact.contactarrangement": {"with_name": BLANK, "notes": BLANK},
    "contact.contactreview": {"changes": BLANK},
    "contact.birthrelativeoffer": {"relative_name": BLANK, "notes": BLANK},
    "contact.birthrelativesession": {"notes": BLANK},
    "contact.letterboxexchange": {"redaction_reason": BLANK, "notes": BLANK},
    "audits.criterionscore": {"evidence": BLANK, "override_reason": BLANK, "note": BLANK},
    "audits.sectionanswer": {"evidence": BLANK, "override_reason": BLANK, "notes": BLANK},
    "support_fund.planservice": {"description": BLANK},
    "adopters.household": {"name": MARK, "address": BLANK, "postcode": BLANK},
    "adopters.enquiry": {
        "first_name": MARK,
        "last_name": BLANK,
        "email": BLANK,
        "phone": BLANK,
        "residence_area": BLANK,
        "signpost_reason": BLANK,
    },
    "adopters.applicant": {
        "first_name": MARK,
        "last_name": BLANK,
        "date_of_birth": YEAR,
        "religion": BLANK,
        "languages": BLANK,
    },
    "adopters.householdmember": {"name": MARK, "relationship": BLANK, "date_of_birth": YEAR},
    "adopters.householdevent": EVENT,
    "adopters.capacityprofile": {"religion_openness": BLANK, "languages": BLANK, "on_hold_reason": BLANK},
}
# Tables reached from a record that hold no personal data beyond keys, codes and dates (with why).
NO_PERSONAL: dict[str, str] = {
    "adopters.panelpaper": "which paper arrived when",
    "adopters.capacityneed": "a need category and level",
    "family_finding.link": "stages, dates and end-reason codes (its events hold the notes)",
    "audits.sampleentry": "a sampled child's stratum, group and adoption order date",
    "complaints.complaintstage": "a complaint's stage and its dates",
}

# Third parties' data by rule: when one person's data is exported, these fields of rows that are not that
# person's are shown as "[redacted]" (a household's other members; another applicant of the household).
THIRD_PARTY: dict[str, tuple[str, ...]] = {
    "adopters.applicant": ("first_name", "last_name", "date_of_birth", "religion", "languages"),
    "adopters.householdmember": ("name", "relationship", "date_of_birth"),
    "contact.birthrelativeoffer": ("relative_name",),
    "contact.contactarrangement": ("with_name",),
    "support.supportcase": ("child_name", "child_date_of_birth", "referrer_name"),
}
REDACTED = "[redacted]"

DEPTH = 3  # the record, the rows that point at it, those that point at them, and one step further


@dataclass(frozen=True)
class Table:
    """A table reached from a record: the model, and each path of foreign keys from it to the record (a table may
    reach the record more than one way: a link names its child and its household's shortlist entry)."""

    model: type[models.Model]
    paths: tuple[
        str, ...
    ]  # lookups from the table to the record, e.g. ("household", "shortlist_entry__household")

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows(self, root: models.Model):
        match = Q(pk__in=[])
        for path in self.paths:
            match |= Q(**{path: root})
        return self.model._base_manager.filter(match).distinct().order_by("pk")


def tables_of(root: type[models.Model], depth: int = DEPTH) -> list[Table]:
    """Every table that points at `root` (one-to-many and one-to-one), those that point at them, and so on to
    `depth`, breadth first, with every path found. Many-to-many links are left out (their rows are pairs of keys).
    Tables that point back at the root's own kind (a correction's `corrects`) are not followed again."""
    paths: dict[type[models.Model], list[str]] = {}
    frontier: list[tuple[type[models.Model], str]] = [(root, "")]
    for _level in range(depth):
        reached: list[tuple[type[models.Model], str]] = []
        for model, prefix in frontier:
            for rel in model._meta.related_objects:
                related = rel.related_model
                if rel.many_to_many or related is root or related is model:
                    continue
                path = f"{rel.field.name}__{prefix}" if prefix else rel.field.name
                first = related not in paths
                paths.setdefault(related, []).append(path)
                if first:
                    reached.append((related, path))
        frontier = reached
    return [Table(model, tuple(found)) for model, found in paths.items()]


def unclassified(root: type[models.Model]) -> set[str]:
    """Tables reached from `root` that neither registry names (disposal refuses while any is left)."""
    return {t.label for t in tables_of(root)} - set(PERSONAL) - set(NO_PERSONAL)


def rows_of(root: models.Model) -> Iterator[tuple[Table, models.Model]]:
    """The rows of every table reached from this record."""
    for table in tables_of(type(root)):
        for row in table.rows(root):
            yield table, row


def _event_details(row: JourneyEventBase) -> dict:
    """An event's details, keeping only codes the journey's table lists, booleans and numbers."""
    journey = getattr(row.rules, "JOURNEY", None)
    transition = None
    if journey is not None:
        try:
            transition = journey.transitions.get(row.rules.Kind(row.kind))
        except ValueError:
            transition = None
    choices = {c.name: set(c.values) for c in (transition.accepts if transition else ())}
    kept = {}
    for key, value in (row.details or {}).items():
        if isinstance(value, bool | int | float) or value is None:
            kept[key] = value
        elif isinstance(value, str) and value in choices.get(key, ()):
            kept[key] = value
    return kept


def scrub(row: models.Model) -> tuple[list[str], list[int]]:
    """Blank this row's personal fields in memory, as the registry says. Returns the fields changed and the years
    of birth kept."""
    rule = PERSONAL.get(row._meta.label_lower, {})
    changed: list[str] = []
    years: list[int] = []
    for name, how in rule.items():
        value = getattr(row, name)
        if how == BLANK:
            new = ""
        elif how == MARK:
            new = DISPOSED
        elif how == ID:
            new = f"disposed-{row.pk}"
        elif how == YEAR:
            if value is not None:
                years.append(value.year)
            new = None
        elif how == JSON:
            new = [] if isinstance(value, list) else {}
        else:  # pragma: no cover - the registry's own test names every kind
            raise ValueError(how)
        if new != value:
            setattr(row, name, new)
            changed.append(name)
    if isinstance(row, JourneyEventBase):
        details = _event_details(row)
        if details != row.details:
            row.details = details
            changed.append("details")
    return changed, years
