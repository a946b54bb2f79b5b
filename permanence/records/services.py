"""Writes for records: an RAA's own retention periods, and disposing of a record's personal data once it is
past its retention date.

Disposal keeps a stub (records.models.DisposedRecord) and every event's kind and date, so counts and measures
stay right; it blanks the personal fields of the record and of every table reached from it (records.personal),
and blanks the before/after and reason of the audit rows about those rows (core.audit.redact_for_disposal).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from permanence.core import audit
from permanence.core.clock import today  # noqa: F401 (services.today: the one clock)
from permanence.journeys.models import JourneyEventBase
from permanence.records import personal, rules, selectors
from permanence.records.models import DisposedRecord, RetentionPeriod

SAME_DATE = ("A period set by the RAA already starts on that date. Enter another date: the later date's period "
             "replaces the earlier one.")


def _date_taken(category: str, raa, effective_from) -> bool:
    return RetentionPeriod.objects.filter(category=category, raa=raa, effective_from=effective_from).exists()


@transaction.atomic
def set_period(*, actor, raa, category: str, years: int, effective_from, source: str) -> RetentionPeriod:
    """Set the RAA's own period for a category from a date: a new row (rows are never edited; the latest row in
    force applies). Refused below the law's floor, for an unknown category, without a source or on a date that
    already has the RAA's row for the category."""
    if category not in rules.CATEGORIES:
        raise ValidationError("That is not a category of the retention schedule.")
    errors = {}
    if problem := rules.period_problem(rules.CATEGORIES[category], years):
        errors["years"] = problem
    source = source.strip()
    if not source:
        errors["source"] = "Enter where the period comes from, for example the board minute that agreed it"
    if _date_taken(category, raa, effective_from):
        errors["effective_from"] = SAME_DATE
    if errors:
        raise ValidationError(errors)
    before_years, before_source = selectors.period_in_force(raa, category, effective_from)
    try:
        with transaction.atomic():  # two saves at once: the second meets the unique date, as a form error
            row = RetentionPeriod.objects.create(category=category, raa=raa, years=years,
                                                 effective_from=effective_from, source=source, created_by=actor)
    except IntegrityError:
        raise ValidationError({"effective_from": SAME_DATE}) from None
    audit.record_change(actor=actor, action="retention_period.set", instance=row,
                        before={"years": before_years, "source": before_source},
                        after={"category": category, "years": years, "effective_from": effective_from,
                               "source": source})
    return row


def _raa_of(kind: str, record):
    return record.la.raa if kind == "child" else record.raa


@transaction.atomic
def dispose(*, actor, kind: str, record, reason: str, on=None) -> DisposedRecord:
    """Dispose of this record's personal data. Refused before its retention date, twice, or without a reason."""
    on = on or today()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for disposing of this record"})
    model = type(record)
    label = model._meta.label_lower
    if DisposedRecord.objects.filter(object_type=label, object_id=str(record.pk)).exists():
        raise ValidationError("This record has already been disposed of.")
    kept = selectors.retention_of(kind, record, on)
    if kept is None:
        raise ValidationError("This record is still open: it has no retention date yet.")
    if not kept.is_due(on):
        raise ValidationError(
            f"This record is kept until {kept.due_on:%-d %B %Y}: it cannot be disposed of before then."
        )
    missing = personal.unclassified(model)
    if missing:  # a table nobody has said how to dispose of: refuse rather than leave its data behind
        raise ValidationError(f"Disposal does not yet know the tables {', '.join(sorted(missing))}.")

    events: list[dict] = []
    years: list[int] = []
    touched: list[tuple[str, str]] = [(label, str(record.pk))]
    changed, born = personal.scrub(record)
    years += born
    if changed:
        model._base_manager.filter(pk=record.pk).update(**{f: getattr(record, f) for f in changed})
    for table, row in personal.rows_of(record):
        if isinstance(row, JourneyEventBase) and {"child", "household"} & set(table.paths):
            events.append({"kind": row.kind, "date": row.date.isoformat(), "superseded": row.superseded})
        changed, born = personal.scrub(row)
        years += born
        touched.append((table.label, str(row.pk)))
        if changed:
            table.model._base_manager.filter(pk=row.pk).update(**{f: getattr(row, f) for f in changed})
    audit.redact_for_disposal(touched, child_id=record.pk if kind == "child" else None)
    stub = DisposedRecord.objects.create(
        object_type=label,
        object_id=str(record.pk),
        reference=record.reference if kind != "enquiry" else f"E{record.pk:06d}",
        raa=_raa_of(kind, record),
        category=kept.category,
        anchor_date=kept.anchor_date,
        years=kept.years,
        due_on=kept.due_on,
        events=events,
        birth_years=sorted(years),
        disposed_by=actor,
        disposed_at=timezone.now(),
        reason=reason,
    )
    # The audit row says what was disposed of and why – never the personal data it held.
    audit.record_change(
        actor=actor,
        action="record.disposed",
        instance=record,
        before={"personal_data": "[disposed]"},
        after={
            "category": kept.category,
            "anchor_date": kept.anchor_date,
            "due_on": kept.due_on,
            "rows_blanked": len(touched),
            "stub": stub.pk,
        },
        reason=reason,
        child_id=record.pk if kind == "child" else None,
    )
    return stub
