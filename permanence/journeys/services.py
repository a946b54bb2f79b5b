"""The one write skeleton of every journey: record, correct, withdraw, bulk-apply and refresh the snapshot.

Each journey gives a small adapter, a `JourneyWriter` subclass (its event model, the foreign key to its record,
how a record is locked, what the snapshot columns are and how they are computed from the events, who may record
or correct, the audit entry), and its services.py calls the adapter's `record`, `correct`, `withdraw`,
`bulk_apply` and `refresh_snapshots` inside its own functions. The importer and the demo loaders write events
and snapshots through `bulk_apply` and `refresh_snapshots` too, so there is one way of doing each.

The steps below the writer (details cleaned, a correction's reason, the superseded check and lock, the
withdrawal check, superseding) are the pieces it is made of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from permanence.core import audit, bulk, clock
from permanence.journeys import registry
from permanence.journeys.kernel import EventFact, TransitionRefused

NEW_SEQ = 2**62  # a new event replays after every stored event of its kind on its day (stored ones sort by id)
PERMANENCE = "permanence"  # the source of what a person records in Permanence
CHUNK = 5000  # records whose events are read in one query


def clean_details(details: dict | None) -> dict:
    """The details kept: empty values are dropped."""
    return {k: v for k, v in (details or {}).items() if v not in (None, "")}


def correction_reason(reason: str) -> str:
    """A correction or withdrawal needs a reason; the stripped reason."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Give a reason for the correction."})
    return reason.strip()


def lock_for_correction(model, event):
    """The event, locked; refused if a correction has already superseded it."""
    event = model.objects.select_for_update().get(pk=event.pk)
    if event.superseded:
        raise ValidationError("This event has already been corrected; correct the latest version instead.")
    return event


def check_withdrawal(replay: Callable[[Iterable[EventFact]], object], others: list[EventFact]) -> None:
    """Withdrawing an event leaves `others`: refused when the journey would be impossible without it."""
    try:
        replay(others)
    except TransitionRefused as refused:
        raise ValidationError(f"Withdrawing this event would leave the journey impossible: {refused.message}") from None


def supersede(event) -> None:
    """Mark the event replaced or withdrawn (the only change ever made to a stored event)."""
    type(event).objects.filter(pk=event.pk).update(superseded=True)


def actor_or_none(actor):
    """The person behind a write, or None for the system."""
    return actor if getattr(actor, "pk", None) else None


@dataclass(slots=True)  # not frozen: a frozen dataclass is five times slower to make, and a national load makes 600,000
class NewEvent:
    """An event for `bulk_apply` to write: the fact, the record it belongs to and how it came to be recorded."""

    record: Any
    fact: EventFact
    source: str
    recorded_at: datetime
    recorded_by_id: int | None = None
    note: str = ""
    corrects_id: int | None = None
    correction_reason: str = ""


_EVENT_COLUMNS = ("kind", "date", "details", "note", "source", "recorded_by", "recorded_at", "corrects",
                  "correction_reason", "superseded")


class JourneyWriter:
    """One journey's adapter to the write skeleton. Set the class attributes and write `snapshot` (and
    `context` when it needs more than the record and its events); the other hooks have the defaults a journey
    without per-organisation rules would want."""

    event_model: ClassVar[type]  # the journey's event model (a JourneyEventBase); its `rules` is the journey's
    fk: ClassVar[str]  # the event's foreign key to its record: "child", "household"
    snapshot_fields: ClassVar[tuple[str, ...]]  # the record's columns derived from its events
    audit_prefix: ClassVar[str]  # the audit actions are "<prefix>.recorded", ".corrected" and ".withdrawn"
    derived_name: ClassVar[str] = ""  # the name other apps' derived tables are registered under (registry)
    lock_related: ClassVar[tuple[str, ...]] = ()  # select_related when the record is locked
    nothing_changed: ClassVar[str] = "Nothing has changed: change the date or the details, or withdraw the event."

    # --- The journey's side ----------------------------------------------------------------------------------

    @property
    def rules(self):
        return self.event_model.rules

    @property
    def record_model(self):
        return self.event_model._meta.get_field(self.fk).related_model

    def today(self) -> date:
        return clock.today()

    def context(self, records: Sequence, on: date) -> Any:
        """What `snapshot` needs besides a record and its events (policies, timescales…), fetched once for many
        records."""
        return None

    def snapshot(self, record, facts: list[EventFact], context) -> dict:
        """The record's snapshot columns from its events. Replaying them raises TransitionRefused if the journey
        does not allow them."""
        raise NotImplementedError

    def replay(self, record, facts: Iterable[EventFact]):
        return self.rules.replay(facts)

    def problems(self, record, facts: list[EventFact], new: EventFact, *, on: date) -> list[str]:
        """Everything wrong with adding `new` to the record's events (check_new_event)."""
        return self.rules.check_new_event(facts, new, today=on)

    def recording_refusal(self, actor, record, kind, day: date) -> str | None:
        """Why `actor` may not record this kind of event on this record on `day` (None if they may)."""
        return None

    def check_correctable(self, actor, record, event) -> None:
        """Raise ValidationError if this event cannot be corrected or withdrawn at all (checked first)."""

    def correction_refusal(self, actor, record, kind, day: date) -> str | None:
        """Why `actor` may not correct (or withdraw) this kind of event dated `day` (None if they may)."""
        return None

    def correction_source(self, actor, event) -> str:
        """A person's correction is a person's record (an import never overwrites it); the system's keeps the
        source it corrects."""
        return PERMANENCE if actor_or_none(actor) else event.source

    def audit_child(self, record) -> int | None:
        """The child an audit entry about this record is filed under (None if none)."""
        return None

    def recorded_entry(self, record, event, stage_before) -> dict:
        """The audit entry's `after` for a recorded event (the record's snapshot already refreshed)."""
        return {"kind": event.kind, "date": event.date, "details": event.details, "note": event.note,
                "stage_before": stage_before, "stage_after": record.stage}

    def corrected_entry(self, record, event, replacement, stage_before) -> tuple[dict, dict | None]:
        """The audit entry's `before` and `after` for a correction (no replacement: a withdrawal)."""
        before = {"kind": event.kind, "date": event.date, "details": event.details, "stage": stage_before}
        if replacement is None:
            return before, None
        return before, {"kind": replacement.kind, "date": replacement.date, "details": replacement.details,
                        "stage": record.stage, "replacement": replacement.pk}

    # --- The skeleton --------------------------------------------------------------------------------------

    def lock(self, record):
        """The record, locked for the write (its events are appended one writer at a time)."""
        return (self.record_model.objects.select_for_update(of=("self",)).select_related(*self.lock_related)
                .get(pk=record.pk))

    def in_force(self, record):
        """The record's events in force (corrected and withdrawn ones left out)."""
        return self.event_model.objects.filter(**{self.fk: record}, superseded=False)

    def facts(self, record) -> list[EventFact]:
        return [e.as_fact() for e in self.in_force(record)]

    def kind(self, kind):
        try:
            return self.rules.Kind(kind)
        except ValueError:
            raise ValidationError(f"Unknown kind of event: {kind!r}.") from None

    @transaction.atomic
    def record(self, record, kind, day: date, *, actor, details: dict | None = None, note: str = "",
               source: str = PERMANENCE, on: date | None = None, check_role: bool = True):
        """Add a dated event to the record's journey, or raise ValidationError saying what is wrong. Nothing is
        saved unless the whole journey, replayed with the new event, is valid."""
        kind = self.kind(kind)
        record = self.lock(record)
        details = clean_details(details)
        if check_role:
            refusal = self.recording_refusal(actor, record, kind, day)
            if refusal:
                raise ValidationError(refusal)
        new = EventFact(kind=kind, date=day, seq=NEW_SEQ, details=details)
        problems = self.problems(record, self.facts(record), new, on=on or self.today())
        if problems:
            raise ValidationError(problems)
        event = self.event_model.objects.create(
            **{self.fk: record}, kind=kind.value, date=day, details=details, note=note, source=source,
            recorded_by=actor_or_none(actor), recorded_at=timezone.now())
        stage_before = record.stage
        self.refresh_snapshots([record])
        audit.record_change(actor=actor, action=f"{self.audit_prefix}.recorded", instance=event,
                            child_id=self.audit_child(record), after=self.recorded_entry(record, event, stage_before))
        return event

    @transaction.atomic
    def correct(self, event, *, actor, reason: str, day: date | None = None, details: dict | None = None,
                on: date | None = None, withdraw: bool = False):
        """Correct an event's date or details (None keeps them), or withdraw it (recorded in error); a reason is
        required. The original is kept, marked superseded; a correction is a new event pointing at it. Returns
        the correction (None for a withdrawal)."""
        reason = correction_reason(reason)
        record = self.lock(getattr(event, self.fk))
        event = lock_for_correction(self.event_model, event)
        self.check_correctable(actor, record, event)
        kind = self.rules.Kind(event.kind)
        others = [e.as_fact() for e in self.in_force(record).exclude(pk=event.pk)]
        new_date = day or event.date
        new_details = event.details if details is None else clean_details(details)
        if not withdraw and new_date == event.date and new_details == event.details:
            raise ValidationError(self.nothing_changed)
        refusal = self.correction_refusal(actor, record, kind, new_date)
        if refusal:
            raise ValidationError(refusal)
        if withdraw:
            check_withdrawal(lambda facts: self.replay(record, facts), others)
        else:
            new = EventFact(kind=kind, date=new_date, seq=NEW_SEQ, details=new_details)
            problems = self.problems(record, others, new, on=on or self.today())
            if problems:
                raise ValidationError(problems)
        supersede(event)
        replacement = None
        if not withdraw:
            replacement = self.event_model.objects.create(
                **{self.fk: record}, kind=kind.value, date=new_date, details=new_details, note=event.note,
                source=self.correction_source(actor, event), recorded_by=actor_or_none(actor),
                recorded_at=timezone.now(), corrects=event, correction_reason=reason)
        stage_before = record.stage
        self.refresh_snapshots([record])
        before, after = self.corrected_entry(record, event, replacement, stage_before)
        audit.record_change(actor=actor, action=f"{self.audit_prefix}.{'withdrawn' if withdraw else 'corrected'}",
                            instance=event, child_id=self.audit_child(record), before=before, after=after,
                            reason=reason)
        return replacement

    def withdraw(self, event, *, actor, reason: str, on: date | None = None) -> None:
        """Withdraw an event recorded in error (superseded with nothing); refused if the journey would be
        impossible without it."""
        self.correct(event, actor=actor, reason=reason, on=on, withdraw=True)

    # --- In bulk -------------------------------------------------------------------------------------------

    def refresh_snapshots(self, records: Iterable, *, on: date | None = None, only_changed: bool = False) -> int:
        """Recalculate the snapshot columns of `records` from their stored events: one query for the events of
        up to CHUNK records, the journey's context fetched once, the columns written in one statement. Returns
        how many records' columns changed; `only_changed` writes only those (else every record's are written).
        The records' attributes are set to the new values. Raises TransitionRefused if a journey does not
        replay."""
        records = list(records)
        if not records:
            return 0
        context = self.context(records, on or self.today())
        fk_id = f"{self.fk}_id"
        changed, written = 0, []
        for start in range(0, len(records), CHUNK):
            chunk = records[start:start + CHUNK]
            facts: dict[int, list[EventFact]] = {}
            for e in self.event_model.objects.filter(**{f"{fk_id}__in": [r.pk for r in chunk]},
                                                     superseded=False).only("id", fk_id, "kind", "date", "details"):
                facts.setdefault(getattr(e, fk_id), []).append(e.as_fact())
            for record in chunk:
                values = self.snapshot(record, facts.get(record.pk, []), context)
                differs = any(getattr(record, k) != v for k, v in values.items())
                changed += differs
                for k, v in values.items():
                    setattr(record, k, v)
                if differs or not only_changed:
                    written.append(record)
        bulk.update_many(self.record_model, self.snapshot_fields, written)
        if self.derived_name:
            registry.records_changed(self.derived_name, [r.pk for r in records])
        return changed

    def bulk_apply(self, records: Sequence, events: Sequence[NewEvent], *, on: date | None = None,
                   supersede: Sequence[int] = (), snapshots: Sequence[dict] | None = None) -> None:
        """Write many records' events at once, in the order given (so their ids follow it), with the snapshots.

        `records`: every record the write changes. A new one (no pk yet) is created here, its journey being exactly
        its `events`: they are replayed once, which checks the journey allows them and gives its snapshot columns
        (`snapshots`, if given, are the new records' columns already computed from the same events, e.g. in worker
        processes, in the order of the new records). An existing one has the events `supersede` names marked
        superseded and its new events added; then its snapshot is refreshed from everything it holds, which
        replays the whole journey once (a journey that no longer replays raises ValidationError, so the caller's
        transaction writes nothing). Call it inside a transaction."""
        on = on or self.today()
        new = [r for r in records if r.pk is None]
        existing = [r for r in records if r.pk is not None]
        if new:
            if snapshots is None:
                by_record: dict[int, list[EventFact]] = {}
                for e in events:
                    if e.record.pk is None:
                        by_record.setdefault(id(e.record), []).append(e.fact)
                context = self.context(new, on)
                snapshots = [self._replayed(r, by_record.get(id(r), []), context) for r in new]
            for record, values in zip(new, snapshots, strict=True):
                for k, v in values.items():
                    setattr(record, k, v)
            self.record_model.objects.bulk_create(new, batch_size=1000)
        for start in range(0, len(supersede), CHUNK):
            self.event_model.objects.filter(pk__in=supersede[start:start + CHUNK]).update(superseded=True)
        bulk.insert_many(self.event_model, (self.fk, *_EVENT_COLUMNS), self._rows(events))
        if new and self.derived_name:
            registry.records_changed(self.derived_name, [r.pk for r in new])
        if existing:
            try:
                self.refresh_snapshots(existing, on=on)
            except TransitionRefused as refused:
                raise ValidationError(f"The journey does not replay: {refused.message}") from None

    def _replayed(self, record, facts: list[EventFact], context) -> dict:
        try:
            return self.snapshot(record, facts, context)
        except TransitionRefused as refused:
            raise ValidationError(f"The journey does not replay: {refused.message}") from None

    def _rows(self, events: Sequence[NewEvent]) -> list[tuple]:
        ops = connection.ops
        details_field = self.event_model._meta.get_field("details")
        no_details = details_field.get_db_prep_save({}, connection)
        return [(e.record.pk, e.fact.kind.value, ops.adapt_datefield_value(e.fact.date),
                 details_field.get_db_prep_save(e.fact.details, connection) if e.fact.details else no_details,
                 e.note, e.source, e.recorded_by_id, ops.adapt_datetimefield_value(e.recorded_at), e.corrects_id,
                 e.correction_reason, False) for e in events]
