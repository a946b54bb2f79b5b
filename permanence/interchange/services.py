"""SSDA903 import and export: every write here validates, saves inside one transaction and audits.

import_903 is all or nothing per upload: the files are read, checked and mapped to journeys first; if
anything is an error, nothing is written (the batch is kept as a record of the refusal). Otherwise the
changes are planned against what Permanence holds and, unless it is a dry run, applied in one transaction:
new children (placeholder names: 903 holds none), new events with source SSDA903, 903 events updated by a
later return (the old one superseded, never deleted), and a conflict for a person to decide wherever the
return differs from an event or a field a person recorded. Importing the same files again changes nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from permanence.children import rules
from permanence.children import services as child_services
from permanence.children.models import Child, JourneyEvent
from permanence.core import access, audit
from permanence.core.models import AuditEvent
from permanence.interchange.models import ImportBatch, ImportConflict
from permanence.interchange.ssda903 import dfe, mapping, parse, writer
from permanence.interchange.ssda903 import tables as T
from permanence.interchange.ssda903.parse import ERROR, WARNING, Finding
from permanence.organisations.models import Organisation
from permanence.timescales.selectors import timescales_in_force

K = rules.Kind
SSDA903 = JourneyEvent.Source.SSDA903
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_FILES = 60
STORED_FINDINGS = 5000
PLACEHOLDER_FIRST_NAME = "Child"
HEADER_FIELDS = {"date_of_birth": "Date of birth", "sex": "Sex", "ethnicity": "Ethnicity"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "SSDA903_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def size_label(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    return f"{n / 1024 / 1024:,.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:,.0f} KB"


@dataclass
class ImportResult:
    batch: ImportBatch
    findings: list[Finding]
    summary: dict
    changes: list[dict]

    @property
    def ok(self) -> bool:
        return self.batch.status != ImportBatch.Status.REFUSED

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


@dataclass
class _Plan:
    create: list[mapping.ChildJourney] = field(default_factory=list)
    add: list[tuple[Child, rules.EventFact, mapping.Source]] = field(default_factory=list)
    supersede: list[tuple[Child, JourneyEvent, rules.EventFact, mapping.Source]] = field(default_factory=list)
    fields: list[tuple[Child, dict]] = field(default_factory=list)  # children created by an import
    conflicts: list[dict] = field(default_factory=list)
    unchanged: int = 0
    touched: set[int] = field(default_factory=set)


def _source_text(src: mapping.Source) -> str:
    return f"{src.file}, {src.table} {'record' if src.file.lower().endswith('.xml') else 'row'} {src.row}, {src.field}"


def import_903(*, files: Iterable[tuple[str, bytes]] | Iterable, la: Organisation, actor, dry_run: bool = False,
               year: int | None = None, validate: bool = True, via: str = "web", on: date | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> ImportResult:
    """Import one LA's 903 files (CSV tables and/or XML, one or more collection years).

    `files`: (name, bytes) pairs, or Django UploadedFile objects. `actor` None means the system (command line
    without --user). Raises PermissionDenied if the actor may not import for this LA.
    """
    if actor is not None and not access.can_import_for(actor, la):
        raise PermissionDenied("You cannot import 903 files for this local authority.")
    on = on or child_services.today()
    step = progress or (lambda what, done, total: None)
    findings: list[Finding] = []
    limit = max_upload_bytes()
    raw: list[tuple[str, bytes]] = []
    listed = []
    total = 0
    files = list(files)
    if len(files) > MAX_FILES:
        findings.append(Finding(ERROR, f"{len(files)} files were given: upload at most {MAX_FILES} at a time."))
        files = []
    if not files and not findings:
        findings.append(Finding(ERROR, "Choose at least one 903 file (CSV tables or XML)."))
    for f in files:
        name, size = (f[0], len(f[1])) if isinstance(f, tuple) else (f.name, f.size)
        total += size
        listed.append({"name": str(name)[:200], "size": size})
    if total > limit:
        findings.append(Finding(ERROR, f"The files come to {size_label(total)}, over the {size_label(limit)} limit. "
                                       "Upload fewer years at a time."))
    if not findings:
        for f in files:
            raw.append(f if isinstance(f, tuple) else (f.name, f.read()))
    step("read", 1, 4)
    parsed = parse.parse_files(raw)
    mapping.assign_years(parsed, year=year)
    findings += parsed.findings
    by_file = {}
    for tf in parsed.tables:
        by_file.setdefault(tf.file, []).append({"table": tf.table, "year": tf.year, "rows": len(tf.rows)})
    for item in listed:
        item["tables"] = by_file.get(item["name"], [])
    years = sorted({tf.year for tf in parsed.tables if tf.year is not None})
    if parsed.tables and not any(tf.table == "Episodes" for tf in parsed.tables):
        findings.append(Finding(ERROR, "There is no Episodes table: the journey is dated from the episodes, so "
                                       "upload the Episodes table with the others."))
    notes: list[str] = []
    journeys: list[mapping.ChildJourney] = []
    if not any(f.severity == ERROR for f in findings):
        step("map", 2, 4)
        seen = len(parsed.findings)
        gathered = mapping.gather(parsed)
        findings += parsed.findings[seen:]
        for c in gathered.values():
            j = mapping.map_child(c, today=on)
            findings += j.findings
            journeys.append(j)
        if validate:
            step("validate", 3, 4)
            notes += _run_dfe(parsed, years, la, findings)
    errors = any(f.severity == ERROR for f in findings)
    plan = _Plan()
    if not errors:
        step("plan", 4, 4)
        plan = _plan(la, [j for j in journeys if j.events], on=on)
    summary = {
        "children_in_files": len(journeys),
        "children_created": len(plan.create),
        "children_updated": len({c.pk for c, *_ in plan.add} | {c.pk for c, *_ in plan.supersede}
                                | {c.pk for c, _ in plan.fields}),
        "events_added": len(plan.add) + sum(len(j.events) for j in plan.create),
        "events_updated": len(plan.supersede),
        "conflicts": len(plan.conflicts),
        "unchanged_children": plan.unchanged,
        "errors": sum(f.severity == ERROR for f in findings),
        "warnings": sum(f.severity == WARNING for f in findings),
    }
    changes = _describe(plan)
    status = (ImportBatch.Status.REFUSED if errors else ImportBatch.Status.DRY_RUN if dry_run
              else ImportBatch.Status.APPLIED)
    ordered = sorted(findings, key=lambda f: (f.severity != ERROR, f.child, f.file, f.row or 0, f.field))
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            la=la, actor=actor if getattr(actor, "pk", None) else None, created_at=timezone.now(), status=status,
            via=via, files=listed, years=years, summary=summary,
            findings=[f.as_dict() for f in ordered[:STORED_FINDINGS]], findings_total=len(findings),
            changes=changes[:20000], notes=notes)
        if status == ImportBatch.Status.APPLIED:
            _apply(plan, batch, la, actor, on)
        audit.record_change(actor=actor, action=f"ssda903.import.{status}", instance=batch,
                            after={"la": la.code, "files": [f["name"] for f in listed], "summary": summary})
    return ImportResult(batch=batch, findings=ordered, summary=summary, changes=changes)


def _run_dfe(parsed: parse.Parsed, years: list[int], la: Organisation, findings: list[Finding]) -> list[str]:
    if not dfe.available():
        return ["The DfE validator (csc-validator-be-903) is not installed here: only Permanence's own checks ran."]
    by_year: dict[int, dict[str, list]] = {}
    for tf in parsed.tables:
        if tf.year is not None:
            by_year.setdefault(tf.year, {}).setdefault(tf.table, []).extend(tf.rows)
    notes = []
    for y in years:
        try:
            found, note = dfe.validate_year(by_year.get(y, {}), by_year.get(y - 1), y, la.code)
        except Exception as exc:  # noqa: BLE001 - the validator must never turn bad input into a traceback
            notes.append(f"{T.year_label(y)}: the DfE validator could not run on these tables ({type(exc).__name__}).")
            continue
        findings += found
        notes.append(f"{T.year_label(y)}: {note}: {len(found)} findings.")
    return notes


def _event_label(kind: K) -> str:
    return rules.KIND_LABELS[kind]


def _plan(la: Organisation, journeys: list[mapping.ChildJourney], *, on: date) -> _Plan:
    plan = _Plan()
    ids = [j.child for j in journeys]
    existing = {c.la_child_id: c for c in Child.objects.filter(la=la, la_child_id__in=ids).select_related("la")}
    events: dict[int, list[JourneyEvent]] = {}
    for e in JourneyEvent.objects.filter(child__in=existing.values(), superseded=False).order_by("date", "id"):
        events.setdefault(e.child_id, []).append(e)
    decided = {(c.child_id, c.key, _key(c.theirs)) for c in ImportConflict.objects.filter(child__in=existing.values())}
    for j in journeys:
        child = existing.get(j.child)
        if child is None:
            plan.create.append(j)
            continue
        before = len(plan.add) + len(plan.supersede) + len(plan.fields) + len(plan.conflicts)
        _plan_fields(plan, child, j, decided)
        _plan_events(plan, child, j, events.get(child.pk, []), decided)
        if len(plan.add) + len(plan.supersede) + len(plan.fields) + len(plan.conflicts) == before:
            plan.unchanged += 1
    return plan


def _key(value) -> str:
    return repr(sorted(value.items())) if isinstance(value, dict) else repr(value)


def _is_placeholder(child: Child) -> bool:
    return child.first_name == PLACEHOLDER_FIRST_NAME and child.last_name == child.la_child_id


def _plan_fields(plan: _Plan, child: Child, j: mapping.ChildJourney, decided: set) -> None:
    theirs = {"date_of_birth": j.dob, "sex": j.sex, "ethnicity": j.ethnicity}
    differ = {k: v for k, v in theirs.items() if v not in (None, "") and getattr(child, k) != v}
    if not differ:
        return
    if _is_placeholder(child):
        plan.fields.append((child, differ))
        return
    for name, value in differ.items():
        key = f"field:{name}"
        their = {"value": value.isoformat() if isinstance(value, date) else value}
        if (child.pk, key, _key(their)) in decided:
            continue
        ours = getattr(child, name)
        plan.conflicts.append({
            "child": child, "key": key, "label": HEADER_FIELDS[name],
            "ours": {"value": ours.isoformat() if isinstance(ours, date) else ours}, "theirs": their,
            "ours_event": None, "message": "The return's Header table differs from the child's record.",
            "source": "Header table"})


def _plan_events(plan: _Plan, child: Child, j: mapping.ChildJourney, existing: list[JourneyEvent],
                 decided: set) -> None:
    by_kind: dict[K, list[JourneyEvent]] = {}
    for e in existing:
        by_kind.setdefault(K(e.kind), []).append(e)
    wanted: dict[K, list[tuple[rules.EventFact, mapping.Source]]] = {}
    for fact, src in zip(j.events, j.sources, strict=True):
        wanted.setdefault(fact.kind, []).append((fact, src))
    adds: list[tuple[rules.EventFact, mapping.Source]] = []
    updates: list[tuple[JourneyEvent, rules.EventFact, mapping.Source]] = []
    conflicts: list[dict] = []
    for kind, items in wanted.items():
        have = by_kind.get(kind, [])
        for i, (fact, src) in enumerate(items):
            ours = have[i] if i < len(have) else None
            if ours is None:
                adds.append((fact, src))
            elif ours.date == fact.date:
                continue
            elif fact.details.get(mapping.INFERRED):
                continue  # an inferred match never displaces a recorded one
            elif ours.source == SSDA903:
                updates.append((ours, fact, src))
            else:
                conflicts.append(_event_conflict(child, kind, i, ours, fact, src,
                                                 "The return dates this differently from the event recorded in "
                                                 "Permanence."))
    # Keep only changes under which the journey still replays; the rest go to a person.
    current = {e.pk: e.as_fact() for e in existing}
    fresh = itertools.count(-1, -1)
    for ours, fact, src in sorted(updates, key=lambda u: u[1].sort_key):
        trial = {**current}
        trial.pop(ours.pk)
        trial[next(fresh)] = rules.EventFact(fact.kind, fact.date, 2**62, fact.details)
        problem = _replay_problem(trial.values())
        if problem:
            i = by_kind[fact.kind].index(ours)
            conflicts.append(_event_conflict(child, fact.kind, i, ours, fact, src, problem))
        else:
            current = trial
            plan.supersede.append((child, ours, fact, src))
    for fact, src in sorted(adds, key=lambda a: a[0].sort_key):
        trial = {**current, next(fresh): rules.EventFact(fact.kind, fact.date, 2**62, fact.details)}
        problem = _replay_problem(trial.values())
        if problem:
            i = len(by_kind.get(fact.kind, []))
            conflicts.append(_event_conflict(child, fact.kind, i, None, fact, src, problem))
        else:
            current = trial
            plan.add.append((child, fact, src))
    for c in conflicts:
        if (child.pk, c["key"], _key(c["theirs"])) not in decided:
            plan.conflicts.append(c)


def _replay_problem(facts: Iterable[rules.EventFact]) -> str | None:
    try:
        rules.replay(list(facts))
    except rules.TransitionRefused as refused:
        return f"With the return's events the journey does not replay: {refused.message}"
    return None


def _event_conflict(child, kind, i, ours, fact, src, message) -> dict:
    return {"child": child, "key": f"event:{kind.value}:{i}", "label": _event_label(kind),
            "ours": {"date": ours.date.isoformat(), "details": ours.details, "source": ours.source} if ours else None,
            "theirs": {"date": fact.date.isoformat(), "details": fact.details}, "ours_event": ours,
            "message": message, "source": _source_text(src)}


def _describe(plan: _Plan) -> list[dict]:
    out = []
    for j in plan.create:
        out.append({"child": j.child, "action": "create child", "detail": f"born {j.dob:%d/%m/%Y}" if j.dob else ""})
        for e in j.events:
            out.append({"child": j.child, "action": "add event", "detail": f"{_event_label(e.kind)} on {e.date:%d/%m/%Y}"})
    for child, fields in plan.fields:
        out.append({"child": child.la_child_id, "action": "update child",
                    "detail": ", ".join(f"{HEADER_FIELDS[k]}: {v}" for k, v in fields.items())})
    for child, fact, _ in plan.add:
        out.append({"child": child.la_child_id, "action": "add event",
                    "detail": f"{_event_label(fact.kind)} on {fact.date:%d/%m/%Y}"})
    for child, ours, fact, _ in plan.supersede:
        out.append({"child": child.la_child_id, "action": "update event",
                    "detail": f"{_event_label(fact.kind)}: {ours.date:%d/%m/%Y} → {fact.date:%d/%m/%Y}"})
    for c in plan.conflicts:
        their = c["theirs"].get("date") or c["theirs"].get("value")
        ours = (c["ours"] or {}).get("date") or (c["ours"] or {}).get("value") or "none"
        out.append({"child": c["child"].la_child_id, "action": "conflict to decide",
                    "detail": f"{c['label']}: Permanence {ours}, the return {their}"})
    return out


def _note(src: mapping.Source, batch: ImportBatch, fact: rules.EventFact) -> str:
    note = f"SSDA903 import {batch.pk}: {_source_text(src)}."
    if fact.details.get(mapping.INFERRED):
        note += " The return holds no match date for this placement: dated on the move-in, inferred."
    return note


def _apply(plan: _Plan, batch: ImportBatch, la: Organisation, actor, on: date) -> None:
    now = timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    new_children = [Child(la=la, la_child_id=j.child, first_name=PLACEHOLDER_FIRST_NAME, last_name=j.child,
                          date_of_birth=j.dob, sex=j.sex, ethnicity=j.ethnicity) for j in plan.create]
    policies = child_services.policies_for(la)
    timescales = list(timescales_in_force(on))
    for child, j in zip(new_children, plan.create, strict=True):  # snapshots from the events about to be written
        values = child_services.snapshot_values(child, child_services.derive(j.events, policies, j.dob, timescales))
        for k, v in values.items():
            setattr(child, k, v)
    Child.objects.bulk_create(new_children, batch_size=1000)
    rows: list[JourneyEvent] = []
    for child, j in zip(new_children, plan.create, strict=True):
        for fact, src in zip(j.events, j.sources, strict=True):
            rows.append(JourneyEvent(child=child, kind=fact.kind.value, date=fact.date, details=fact.details,
                                     note=_note(src, batch, fact), source=SSDA903, recorded_by=who, recorded_at=now))
    for child, fact, src in plan.add:
        rows.append(JourneyEvent(child=child, kind=fact.kind.value, date=fact.date, details=fact.details,
                                 note=_note(src, batch, fact), source=SSDA903, recorded_by=who, recorded_at=now))
    if plan.supersede:
        JourneyEvent.objects.filter(pk__in=[ours.pk for _, ours, _, _ in plan.supersede]).update(superseded=True)
    for child, ours, fact, src in plan.supersede:
        rows.append(JourneyEvent(child=child, kind=fact.kind.value, date=fact.date, details=fact.details,
                                 note=_note(src, batch, fact), source=SSDA903, recorded_by=who, recorded_at=now,
                                 corrects=ours, correction_reason=f"Updated by SSDA903 import {batch.pk}."))
    JourneyEvent.objects.bulk_create(rows, batch_size=500)
    for child, values in plan.fields:
        Child.objects.filter(pk=child.pk).update(**values)
        for k, v in values.items():
            setattr(child, k, v)
    ImportConflict.objects.bulk_create([
        ImportConflict(batch=batch, child=c["child"], key=c["key"], label=c["label"], ours=c["ours"],
                       theirs=c["theirs"], ours_event=c["ours_event"], message=c["message"], source=c["source"])
        for c in plan.conflicts])
    touched = {c.pk: c for c in new_children}
    existing = {}
    for child, *_ in plan.add + plan.supersede:
        existing[child.pk] = child
    for child, _ in plan.fields:
        existing[child.pk] = child
    _refresh(la, list(existing.values()), on)
    touched.update(existing)
    changes_by_child: dict[int, list[dict]] = {}
    for e in rows:
        changes_by_child.setdefault(e.child_id, []).append({"kind": e.kind, "date": e.date, "corrects": e.corrects_id})
    audits = [AuditEvent(at=now, actor=who, action="ssda903.child_imported", object_type="children.child",
                         object_id=str(pk), child_id=pk,
                         after=audit._plain({"import": batch.pk, "created": pk in {c.pk for c in new_children},
                                             "events": changes_by_child.get(pk, [])}))
              for pk in touched]
    AuditEvent.objects.bulk_create(audits, batch_size=2000)


def _refresh(la: Organisation, children: list[Child], on: date) -> None:
    """Snapshot columns for the touched children, from all their events (as services.refresh_snapshot)."""
    if not children:
        return
    policies = child_services.policies_for(la)
    timescales = list(timescales_in_force(on))
    facts: dict[int, list[rules.EventFact]] = {}
    ids = [c.pk for c in children]
    for start in range(0, len(ids), 5000):
        for e in JourneyEvent.objects.filter(child_id__in=ids[start:start + 5000], superseded=False).only(
                "id", "child_id", "kind", "date", "details"):
            facts.setdefault(e.child_id, []).append(e.as_fact())
    for c in children:
        c.la = la
        values = child_services.snapshot_values(
            c, child_services.derive(facts.get(c.pk, []), policies, c.date_of_birth, timescales))
        Child.objects.filter(pk=c.pk).update(**values)
        for k, v in values.items():
            setattr(c, k, v)


# ---------------------------------------------------------------------------------------------
# Conflicts: a person decides


@transaction.atomic
def resolve_conflict(*, conflict: ImportConflict, actor, accept: bool, reason: str = "") -> ImportConflict:
    """Accept the return's value (recorded as an SSDA903 event or field change) or keep Permanence's."""
    if not access.can_import_for(actor, conflict.child.la):
        raise PermissionDenied("You cannot decide 903 conflicts for this local authority.")
    conflict = ImportConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ImportConflict.Status.OPEN:
        raise ValidationError("This conflict has already been decided.")
    child = Child.objects.select_for_update(of=("self",)).select_related("la", "la__raa").get(pk=conflict.child_id)
    if accept:
        if conflict.key.startswith("field:"):
            name = conflict.key.split(":", 1)[1]
            value = conflict.theirs["value"]
            if name == "date_of_birth":
                value = date.fromisoformat(value)
            child_services.update_child(actor=actor, child=child, reason=reason or "Accepted the SSDA903 value.",
                                        **{name: value})
        else:
            _accept_event(conflict, child, actor, reason)
    conflict.status = ImportConflict.Status.ACCEPTED if accept else ImportConflict.Status.KEPT
    conflict.decided_by = actor
    conflict.decided_at = timezone.now()
    conflict.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record_change(actor=actor, action="ssda903.conflict_accepted" if accept else "ssda903.conflict_kept",
                        instance=conflict, child_id=child.pk, before=conflict.ours, after=conflict.theirs,
                        reason=reason)
    return conflict


def _accept_event(conflict: ImportConflict, child: Child, actor, reason: str) -> None:
    kind = K(conflict.key.split(":")[1])
    new_date = date.fromisoformat(conflict.theirs["date"])
    details = conflict.theirs.get("details") or {}
    ours = conflict.ours_event
    if ours is not None:
        ours = JourneyEvent.objects.select_for_update().get(pk=ours.pk)
        if ours.superseded:
            raise ValidationError("The event in Permanence has been corrected since: look at the journey again.")
    others = [e.as_fact() for e in child.events.filter(superseded=False) if ours is None or e.pk != ours.pk]
    new = rules.EventFact(kind=kind, date=new_date, seq=2**62, details=details)
    problems = rules.check_new_event(others, new, today=child_services.today(), dob=child.date_of_birth)
    if problems:
        raise ValidationError(problems)
    if ours is not None:
        JourneyEvent.objects.filter(pk=ours.pk).update(superseded=True)
    JourneyEvent.objects.create(
        child=child, kind=kind.value, date=new_date, details=details, source=SSDA903, recorded_by=actor,
        recorded_at=timezone.now(), corrects=ours, note=f"SSDA903 import {conflict.batch_id}: {conflict.source}.",
        correction_reason=(reason or "Accepted the SSDA903 value.") if ours is not None else "")
    child_services.refresh_snapshot(child)


# ---------------------------------------------------------------------------------------------
# Export


def records_for_la(la: Organisation) -> list[writer.ChildRecord]:
    facts: dict[int, list[rules.EventFact]] = {}
    for e in JourneyEvent.objects.filter(child__la=la, superseded=False).only("id", "child_id", "kind", "date",
                                                                               "details"):
        facts.setdefault(e.child_id, []).append(e.as_fact())
    return [writer.ChildRecord(c.la_child_id, c.date_of_birth, c.sex, c.ethnicity, facts.get(c.pk, []))
            for c in Child.objects.filter(la=la).order_by("la_child_id")]


def export_903(*, la: Organisation, actor, years: list[int] | None = None, on: date | None = None,
               fmt: str = "csv") -> dict[str, bytes]:
    """The journeys Permanence holds for an LA as 903 files: {file name: content}, one set per year."""
    if actor is not None and not access.can_import_for(actor, la):
        raise PermissionDenied("You cannot export 903 files for this local authority.")
    on = on or child_services.today()
    records = records_for_la(la)
    years = years or writer.years_covering(records, on)
    out: dict[str, bytes] = {}
    rows = 0
    for y in years:
        tables = writer.tables_for_year(records, y, today=on)
        rows += sum(len(r) for r in tables.values())
        tag = f"{la.code}_{y - 1}-{str(y)[2:]}"
        if fmt == "xml":
            out[f"{tag}.xml"] = writer.to_xml(tables, year=y)
        else:
            for table, table_rows in tables.items():
                out[f"{tag}_{table}.csv"] = writer.to_csv(table, table_rows)
    audit.record_change(actor=actor, action="ssda903.exported", instance=la,
                        after={"la": la.code, "years": years, "format": fmt, "rows": rows})
    return out
