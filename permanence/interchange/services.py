"""SSDA903 import and export: every write here validates, saves inside one transaction and audits.

import_903 is all or nothing per upload: the files are read, checked and mapped to journeys first; if
anything is an error, nothing is written (the batch is kept as a record of the refusal).

A year's return holds only what was open that year, so every row received is kept (`ReturnRow`) and a
child's journey is always derived from the union of every return held for the LA: the upload's rows replace
the rows held for the same table and collection year (LAs resubmit corrected returns), a later year's row
corrects the same episode (same child and DECOM) or decision, and the journey is mapped from all of it. The
same returns uploaded in any order, one at a time or all together, give the same journeys.

The derived events are then planned against what Permanence holds and, unless it is a dry run, applied in one
transaction: new children (placeholder names: 903 holds none), new events with source SSDA903, 903 events
the returns now date or describe differently (the old one superseded, never deleted), 903 events the returns
no longer give (withdrawn: superseded with no replacement), and a conflict for a person to decide wherever
the returns differ from an event or a field a person recorded. Importing the same files again changes nothing.
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

from permanence import access
from permanence.children import rules
from permanence.children import services as child_services
from permanence.children.models import Child, JourneyEvent
from permanence.core import audit, db
from permanence.core.models import AuditEvent
from permanence.interchange import dfe_pool, selectors
from permanence.interchange.models import ImportBatch, ImportConflict, ReturnRow
from permanence.interchange.ssda903 import dfe, mapping, parse, writer
from permanence.interchange.ssda903 import tables as T
from permanence.interchange.ssda903.parse import ERROR, WARNING, Finding
from permanence.journeys import services as journey_services
from permanence.journeys.services import NewEvent
from permanence.organisations.models import Organisation

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
    withdraw: list[tuple[Child, JourneyEvent]] = field(default_factory=list)
    fields: list[tuple[Child, dict]] = field(default_factory=list)  # children created by an import
    conflicts: list[dict] = field(default_factory=list)
    unchanged: int = 0
    touched: set[int] = field(default_factory=set)


def _source_text(src: mapping.Source) -> str:
    return f"{src.file}, {src.table} {'record' if src.file.lower().endswith('.xml') else 'row'} {src.row}, {src.field}"


STAGES = {  # what the page and the command line say at each step, and the share of the work done before it
    "read": ("Read {done:,} of {total:,} files", 0, 15),
    "map": ("Checked {done:,} of {total:,} children", 15, 45),
    "validate": ("Ran the DfE validation rules on {done:,} of {total:,} collection years", 45, 75),
    "plan": ("Compared {done:,} of {total:,} children with the records held", 75, 95),
    "write": ("Saving the changes", 95, 100),
}


def progress_text(what: str, done: int, total: int) -> tuple[str, int]:
    """The sentence and the overall percentage for an import's progress step."""
    text, low, high = STAGES.get(what, ("Working", 0, 100))
    share = done / total if total else 0
    return text.format(done=done, total=total), int(low + (high - low) * min(share, 1))


def _file_size(f) -> tuple[str, int]:
    """(name, size) of a (name, bytes), (name, open binary file) or an UploadedFile."""
    if isinstance(f, tuple):
        name, data = f
        if isinstance(data, bytes | bytearray):
            return str(name), len(data)
        if hasattr(data, "size"):
            return str(name), data.size
        pos = data.tell()
        data.seek(0, 2)
        size = data.tell()
        data.seek(pos)
        return str(name), size
    return f.name, f.size


def _file_source(f):
    """What the parser reads a file from: its bytes, a seekable binary file, or a function opening one."""
    data = f[1] if isinstance(f, tuple) else f
    if isinstance(data, tuple):  # (size, a function that opens it): a job's file held in the database
        return data[1]
    if hasattr(data, "seek"):
        data.seek(0)
    return data


def import_903(*, files: Iterable[tuple[str, bytes]] | Iterable, la: Organisation, actor, dry_run: bool = False,
               year: int | None = None, validate: bool = True, via: str = "web", on: date | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> ImportResult:
    """Import one LA's 903 files (CSV tables and/or XML, one or more collection years).

    `files`: (name, bytes) pairs, (name, open binary file) pairs, (name, (size, function opening the file or
    returning its bytes)) or Django UploadedFile objects; each file is read only when it is parsed, one file at
    a time, and a CSV table row by row from its file (never its whole bytes).
    `actor` None means the system (command line without --user). Raises PermissionDenied if the actor may not
    import for this LA. `progress(step, done, total)` is called as it goes (STAGES names the steps).
    """
    if actor is not None and not access.can_import_for(actor, la):
        raise PermissionDenied("You cannot import 903 files for this local authority.")
    on = on or child_services.today()
    step = progress or (lambda what, done, total: None)
    applied_before = _last_applied(la)  # the plan below is against what the imports up to this one left
    findings: list[Finding] = []
    limit = max_upload_bytes()
    listed = []
    total = 0
    files = list(files)
    if len(files) > MAX_FILES:
        findings.append(Finding(ERROR, f"{len(files)} files were given: upload at most {MAX_FILES} at a time."))
        files = []
    if not files and not findings:
        findings.append(Finding(ERROR, "Choose at least one 903 file (CSV tables or XML)."))
    if year is not None and (problem := T.year_problem(year, on)):
        findings.append(Finding(ERROR, f"{problem}."))
    for f in files:
        if isinstance(f, tuple) and isinstance(f[1], tuple):  # (name, (size, fetch))
            name, size = f[0], f[1][0]
        else:
            name, size = _file_size(f)
        total += size
        listed.append({"name": str(name)[:200], "size": size})
    if total > limit:
        findings.append(Finding(ERROR, f"The files come to {size_label(total)}, over the {size_label(limit)} limit. "
                                       "Upload fewer years at a time."))

    def read_each():
        for i, f in enumerate(files if not findings else []):
            yield (f[0] if isinstance(f, tuple) else f.name), _file_source(f)
            step("read", i + 1, len(files))

    step("read", 0, len(files))
    parsed = parse.parse_files(read_each())
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
    uploaded = [tf for tf in parsed.tables if tf.year is not None and tf.table in T.USED_TABLES]
    replaced = {(tf.table, tf.year) for tf in uploaded}
    held_years: dict[tuple[str, int], list[int]] = {}
    if not any(f.severity == ERROR for f in findings):
        # The DfE rules start now, in their worker processes, and run while the journeys are mapped here.
        validation = _start_dfe(parsed, years, la, notes) if validate else None
        try:
            held, held_years, affected = _held(la, {r.child for tf in uploaded for r in tf.rows}, replaced)
            seen = len(parsed.findings)
            combined = parse.Parsed(tables=held + uploaded, findings=parsed.findings)
            gathered = mapping.gather(combined)
            del combined, held
            findings += parsed.findings[seen:]
            step("map", 0, len(gathered))
            for i, c in enumerate(gathered.values(), start=1):
                if i % 200 == 0:
                    step("map", i, len(gathered))
                j = mapping.map_child(c, today=on)
                # What the rows held from earlier imports say was said when they came in: repeat only its errors.
                findings += [f for f in j.findings if f.severity == ERROR or not f.file.endswith(HELD)]
                journeys.append(j)
            # A child no return held mentions any more (a corrected return left them out): nothing to derive.
            journeys += [mapping.ChildJourney(c, None, "", "", [], [], []) for c in sorted(affected - set(gathered))]
            step("map", len(gathered), len(gathered))
            del gathered
            if validation is not None:
                found, said = validation.results(step)
                findings += found
                notes += said
        finally:
            if validation is not None:
                validation.close()
    for (table, y), batches in sorted(held_years.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        notes.append(f"{T.year_label(y)} {table}: replaces the rows held from import"
                     f"{'s' if len(batches) > 1 else ''} {', '.join(map(str, batches))}.")
    errors = any(f.severity == ERROR for f in findings)
    plan = _Plan()
    if not errors:
        plan = _plan(la, journeys, on=on, step=step)
    summary = {
        "children_in_files": len({r.child for tf in uploaded for r in tf.rows}) if uploaded else len(journeys),
        "children_created": len(plan.create),
        "children_updated": len({c.pk for c, *_ in plan.add} | {c.pk for c, *_ in plan.supersede}
                                | {c.pk for c, _ in plan.fields} | {c.pk for c, _ in plan.withdraw}),
        "events_added": len(plan.add) + sum(len(j.events) for j in plan.create),
        "events_updated": len(plan.supersede),
        "events_withdrawn": len(plan.withdraw),
        "conflicts": len(plan.conflicts),
        "unchanged_children": plan.unchanged,
        "years_replaced": sorted({y for _, y in held_years}),
        "errors": sum(f.severity == ERROR for f in findings),
        "warnings": sum(f.severity == WARNING for f in findings),
    }
    changes = _describe(plan)
    status = (ImportBatch.Status.REFUSED if errors else ImportBatch.Status.DRY_RUN if dry_run
              else ImportBatch.Status.APPLIED)
    step("write", 0, 1)
    with transaction.atomic():
        # One import for an LA at a time: another applied while this one was planned makes the plan stale.
        Organisation.objects.select_for_update().filter(pk=la.pk).first()
        if status == ImportBatch.Status.APPLIED and _last_applied(la) != applied_before:
            status = ImportBatch.Status.REFUSED
            findings.append(Finding(ERROR, f"Another import for {la} was applied while these files were being "
                                           "checked, so what they would change is out of date. Nothing was "
                                           "imported: upload the files again."))
            summary["errors"] += 1
            changes = []
        ordered = sorted(findings, key=lambda f: (f.severity != ERROR, f.child, f.file, f.row or 0, f.field))
        batch = ImportBatch.objects.create(
            la=la, actor=actor if getattr(actor, "pk", None) else None, created_at=timezone.now(), status=status,
            via=via, files=listed, years=years, summary=summary,
            findings=[f.as_dict() for f in ordered[:STORED_FINDINGS]], findings_total=len(findings),
            changes=changes[:20000], notes=notes)
        if status == ImportBatch.Status.APPLIED:
            _keep_rows(batch, la, uploaded, replaced)
            _apply(plan, batch, la, actor, on)
        audit.record_change(actor=actor, action=f"ssda903.import.{status}", instance=batch,
                            after={"la": la.code, "files": [f["name"] for f in listed], "summary": summary})
    if (status == ImportBatch.Status.APPLIED and not transaction.get_connection().in_atomic_block
            and summary["events_added"] + summary["events_updated"] >= db.STATISTICS_AFTER_EVENTS):
        db.refresh_statistics()  # a large load: the planner's row estimates are out of date (issue 17)
    return ImportResult(batch=batch, findings=ordered, summary=summary, changes=changes)


# ---------------------------------------------------------------------------------------------
# The returns held: every row received, per LA, child, table and collection year

HELD = selectors.HELD
_CHUNK = 2000


def row_key(table: str, row: parse.Row) -> str:
    """What makes a row the same row in a later return (tables.ROW_KEYS): an episode's DECOM, a DATE_PLACED."""
    name = T.ROW_KEYS.get(table)
    d = row.date(name) if name else None
    return d.isoformat() if d else ""


def _held(la: Organisation, children: set[str], replaced: set[tuple[str, int]]
          ) -> tuple[list[parse.TableFile], dict[tuple[str, int], list[int]], set[str]]:
    """The rows held for these children, and for every child with rows in a (table, year) the upload replaces,
    less those replaced rows; and, per replaced (table, year) already held, the imports its rows came from."""
    held = ReturnRow.objects.filter(la=la)
    replaced_from: dict[tuple[str, int], list[int]] = {}
    ids = set(children)
    for table, year in sorted(replaced):
        found = list(held.filter(table=table, year=year).values_list("child", "batch_id"))
        if found:
            replaced_from[(table, year)] = sorted({b for _, b in found})
            ids.update(c for c, _ in found)
    rows = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        rows += [r for r in held.filter(child__in=ordered[start:start + _CHUNK]).values_list(
            "table", "year", "child", "values", "file", "row") if (r[0], r[1]) not in replaced]
    return selectors.held_tables(rows, HELD), replaced_from, ids


def _held_year(la: Organisation, year: int) -> dict[str, list[parse.Row]]:
    out: dict[str, list[parse.Row]] = {}
    for tf in selectors.held_tables(ReturnRow.objects.filter(la=la, year=year).values_list(
            "table", "year", "child", "values", "file", "row"), HELD):
        out.setdefault(tf.table, []).extend(tf.rows)
    return out


def _keep_rows(batch: ImportBatch, la: Organisation, uploaded: list[parse.TableFile],
               replaced: set[tuple[str, int]]) -> None:
    """The upload's rows replace the rows held for the same tables and years."""
    for table, year in replaced:
        ReturnRow.objects.filter(la=la, table=table, year=year).delete()
    rows = (ReturnRow(la=la, child=r.child, table=tf.table, year=tf.year, key=row_key(tf.table, r), values=r.values,
                      file=r.file[:200], row=r.row, batch=batch) for tf in uploaded for r in tf.rows)
    while chunk := list(itertools.islice(rows, _CHUNK)):  # a chunk of model instances at a time, not all
        ReturnRow.objects.bulk_create(chunk)


def _last_applied(la: Organisation) -> int | None:
    return ImportBatch.objects.filter(la=la, status=ImportBatch.Status.APPLIED).order_by("-pk").values_list(
        "pk", flat=True).first()


def _start_dfe(parsed: parse.Parsed, years: list[int], la: Organisation,
               notes: list[str]) -> dfe_pool.Validation | None:
    """Each collection year of the upload, with the year before it (from the upload, or the rows held), handed
    to the DfE validator once; it runs beside the import (dfe_pool) and is collected after the mapping."""
    if not dfe.available():
        notes.append("The DfE validator (csc-validator-be-903) is not installed here: only Permanence's own checks "
                     "ran.")
        return None
    by_year: dict[int, dict[str, list]] = {}
    for tf in parsed.tables:
        if tf.year is not None:
            by_year.setdefault(tf.year, {}).setdefault(tf.table, []).extend(tf.rows)
    for y in years:  # the previous year's return, when it is held and not in this upload
        if y - 1 not in by_year:
            prev = _held_year(la, y - 1)
            if prev:
                by_year[y - 1] = prev
    return dfe_pool.start([(y, by_year.get(y, {}), by_year.get(y - 1)) for y in years], la.code)


def _event_label(kind: K) -> str:
    return rules.KIND_LABELS[kind]


def _plan(la: Organisation, journeys: list[mapping.ChildJourney], *, on: date,
          step: Callable[[str, int, int], None] = lambda what, done, total: None) -> _Plan:
    plan = _Plan()
    existing: dict[str, Child] = {}
    ids = [j.child for j in journeys]
    for start in range(0, len(ids), _CHUNK):
        existing.update((c.la_child_id, c) for c in Child.objects.filter(
            la=la, la_child_id__in=ids[start:start + _CHUNK]).select_related("la"))
    events: dict[int, list[JourneyEvent]] = {}
    decided: set = set()
    pks = [c.pk for c in existing.values()]
    for start in range(0, len(pks), _CHUNK):
        chunk = pks[start:start + _CHUNK]
        for e in JourneyEvent.objects.filter(child_id__in=chunk, superseded=False).order_by("date", "id"):
            events.setdefault(e.child_id, []).append(e)
        decided |= {(c.child_id, c.key, _key(c.theirs)) for c in ImportConflict.objects.filter(child_id__in=chunk)}
    step("plan", 0, len(journeys))
    for i, j in enumerate(journeys, start=1):
        if i % 200 == 0:
            step("plan", i, len(journeys))
        child = existing.get(j.child)
        if child is None:
            if j.events:
                plan.create.append(j)
            continue
        before = _size(plan)
        if j.events:
            _plan_fields(plan, child, j, decided)
        _plan_events(plan, child, j, events.get(child.pk, []), decided)
        if _size(plan) == before:
            plan.unchanged += 1
    return plan


def _size(plan: _Plan) -> int:
    return len(plan.add) + len(plan.supersede) + len(plan.withdraw) + len(plan.fields) + len(plan.conflicts)


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


def _same(ours: JourneyEvent, fact: rules.EventFact) -> bool:
    return ours.date == fact.date and (ours.details or {}) == (fact.details or {})


def _plan_events(plan: _Plan, child: Child, j: mapping.ChildJourney, existing: list[JourneyEvent],
                 decided: set) -> None:
    """Bring the child's SSDA903 events to exactly what the returns held give; never touch what a person
    recorded (a difference from it is a conflict for a person to decide)."""
    by_kind: dict[K, list[JourneyEvent]] = {}
    for e in existing:
        by_kind.setdefault(K(e.kind), []).append(e)
    wanted: dict[K, list[tuple[rules.EventFact, mapping.Source]]] = {}
    for fact, src in zip(j.events, j.sources, strict=True):
        wanted.setdefault(fact.kind, []).append((fact, src))
    adds: list[tuple[rules.EventFact, mapping.Source]] = []
    updates: list[tuple[JourneyEvent, rules.EventFact, mapping.Source]] = []
    withdrawals: list[JourneyEvent] = []
    conflicts: list[dict] = []
    for kind in sorted(set(wanted) | set(by_kind), key=rules.KIND_ORDER.get):
        items, have = wanted.get(kind, []), by_kind.get(kind, [])
        # The same event already held pairs with itself; the rest pair in date order.
        left = list(have)
        todo = []
        for fact, src in items:
            same = next((e for e in left if _same(e, fact)), None)
            if same is not None:
                left.remove(same)
            else:
                todo.append((fact, src))
        for i, (fact, src) in enumerate(todo):
            ours = left[i] if i < len(left) else None
            if ours is None:
                adds.append((fact, src))
            elif ours.source == SSDA903:
                updates.append((ours, fact, src))
            elif ours.date == fact.date or fact.details.get(mapping.INFERRED):
                continue  # a person's record of the event stands; an inferred match never displaces one
            else:
                conflicts.append(_event_conflict(child, kind, have.index(ours), ours, fact, src,
                                                 "The return dates this differently from the event recorded in "
                                                 "Permanence."))
        withdrawals += [e for e in left[len(todo):] if e.source == SSDA903]
    current = {e.pk: e.as_fact() for e in existing}
    fresh = itertools.count(-1, -1)
    # Where nothing a person recorded stands in the way, the journey becomes exactly the returns' (already
    # replayed by the mapping); otherwise each change is kept only if the journey still replays.
    whole = {**current}
    for e in withdrawals:
        whole.pop(e.pk)
    for ours, fact, _ in updates:
        whole.pop(ours.pk)
        whole[next(fresh)] = rules.EventFact(fact.kind, fact.date, 2**62, fact.details)
    for fact, _ in adds:
        whole[next(fresh)] = rules.EventFact(fact.kind, fact.date, 2**62, fact.details)
    if _replay_problem(whole.values()) is None:
        plan.withdraw += [(child, e) for e in withdrawals]
        plan.supersede += [(child, ours, fact, src) for ours, fact, src in updates]
        plan.add += [(child, fact, src) for fact, src in adds]
    else:
        for e in withdrawals:
            trial = {k: v for k, v in current.items() if k != e.pk}
            if _replay_problem(trial.values()) is None:
                current = trial
                plan.withdraw.append((child, e))
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
    for child, ours in plan.withdraw:
        out.append({"child": child.la_child_id, "action": "withdraw event",
                    "detail": f"{_event_label(K(ours.kind))} on {ours.date:%d/%m/%Y}: no longer in the returns held"})
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
    who = journey_services.actor_or_none(actor)
    who_id = who.pk if who else None
    new_children = [Child(la=la, la_child_id=j.child, first_name=PLACEHOLDER_FIRST_NAME, last_name=j.child,
                          date_of_birth=j.dob, sex=j.sex, ethnicity=j.ethnicity) for j in plan.create]
    for child, values in plan.fields:
        Child.objects.filter(pk=child.pk).update(**values)
        for k, v in values.items():
            setattr(child, k, v)
    events: list[NewEvent] = []
    for child, j in zip(new_children, plan.create, strict=True):
        for fact, src in zip(j.events, j.sources, strict=True):
            events.append(NewEvent(child, fact, SSDA903, now, who_id, _note(src, batch, fact)))
    for child, fact, src in plan.add:
        events.append(NewEvent(child, fact, SSDA903, now, who_id, _note(src, batch, fact)))
    for child, ours, fact, src in plan.supersede:
        events.append(NewEvent(child, fact, SSDA903, now, who_id, _note(src, batch, fact), corrects_id=ours.pk,
                               correction_reason=f"Updated by SSDA903 import {batch.pk}."))
    existing = {}
    for child, *_ in plan.add + plan.supersede + plan.withdraw:
        existing[child.pk] = child
    for child, _ in plan.fields:
        existing[child.pk] = child
    for child in existing.values():
        child.la = la
    # New children are created with their snapshots from the events written; the others' are refreshed.
    child_services.WRITER.bulk_apply(
        [*new_children, *existing.values()], events, on=on,
        supersede=[ours.pk for _, ours, _, _ in plan.supersede] + [ours.pk for _, ours in plan.withdraw])
    ImportConflict.objects.bulk_create([
        ImportConflict(batch=batch, child=c["child"], key=c["key"], label=c["label"], ours=c["ours"],
                       theirs=c["theirs"], ours_event=c["ours_event"], message=c["message"], source=c["source"])
        for c in plan.conflicts])
    touched = {c.pk: c for c in new_children}
    touched.update(existing)
    changes_by_child: dict[int, list[dict]] = {}
    for e in events:
        changes_by_child.setdefault(e.record.pk, []).append({"kind": e.fact.kind.value, "date": e.fact.date,
                                                             "corrects": e.corrects_id})
    for child, ours in plan.withdraw:
        changes_by_child.setdefault(child.pk, []).append({"kind": ours.kind, "date": ours.date, "withdrawn": ours.pk})
    created = {c.pk for c in new_children}
    audits = (AuditEvent(at=now, actor=who, action="ssda903.child_imported", object_type="children.child",
                         object_id=str(pk), child_id=pk,
                         after=audit._plain({"import": batch.pk, "created": pk in created,
                                             "events": changes_by_child.get(pk, [])}))
              for pk in touched)
    while chunk := list(itertools.islice(audits, _CHUNK)):
        AuditEvent.objects.bulk_create(chunk)


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
        journey_services.supersede(ours)
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
               fmt: str = "csv", path: str = "") -> dict[str, bytes]:
    """The journeys Permanence holds for an LA as 903 files: {file name: content}, one set per year."""
    if actor is not None and not access.can_import_for(actor, la):
        raise PermissionDenied("You cannot export 903 files for this local authority.")
    on = on or child_services.today()
    for y in years or []:
        if problem := T.year_problem(y, on):
            raise ValidationError(problem)
    years = [int(y) for y in years] if years else None
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
    if actor is not None and getattr(actor, "pk", None):
        # The files leave Permanence: an export, in the export log like every other (issue 15).
        from permanence.core import exports

        exports.log_export(user=actor, what="ssda903.export", fmt=fmt, row_count=rows, instance=la,
                           filters={"la": la.code, "years": years}, path=path)
    return out
