"""A subject access export: everything held about one person, as JSON and a readable page (HTML and PDF) in a ZIP.

For an adopter (an applicant of a household): the household's record and every table reached from it
(records.personal.tables_of, so a table added later is in the export without a change here), the audit rows about
any of those rows (who changed what), who viewed them and who exported them. Third parties' data is shown as
"[redacted]": by rule (records.personal.THIRD_PARTY: the household's other members and other applicants), and
any free-text field the member of staff chooses for this export.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.db import models
from django.db.models import Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from permanence.core import audit, exports, pdf
from permanence.core.models import AuditEvent, ExportLog, RecordView
from permanence.records import personal
from permanence.records.personal import REDACTED, THIRD_PARTY


def _tables(household) -> list[tuple[str, type[models.Model], list[models.Model]]]:
    """(label, model, rows) for the household and every table reached from it."""
    out = [(household._meta.label_lower, type(household), [household])]
    by_label: dict[str, tuple[type[models.Model], list]] = {}
    for table in personal.tables_of(type(household)):
        by_label.setdefault(table.label, (table.model, []))
    for table, row in personal.rows_of(household):
        by_label[table.label][1].append(row)
    out += [(label, model, rows) for label, (model, rows) in by_label.items()]
    return out


def _is_subject(row, subject) -> bool:
    return type(row) is type(subject) and row.pk == subject.pk


def _redact(label: str, values: dict, *, third_party: bool, extra: set[str]) -> dict:
    hidden = set(THIRD_PARTY.get(label, ())) if third_party else set()
    hidden |= {path.split(".", 2)[2] for path in extra if path.rsplit(".", 1)[0] == label}
    return {k: (REDACTED if k in hidden and v not in (None, "") else v) for k, v in values.items()}


def free_text_choices(household) -> list[tuple[str, str]]:
    """The free-text fields of the household's tables that a member of staff may choose to redact."""
    choices = []
    for label, model, _rows in _tables(household):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField) and field.name not in THIRD_PARTY.get(label, ()):
                choices.append(
                    (
                        f"{label}.{field.name}",
                        f"{str(model._meta.verbose_name).capitalize()}: {field.verbose_name}",
                    )
                )
    return choices


def build(subject, *, extra=()) -> dict:
    """What is held about this applicant, ready for JSON (dates as ISO strings)."""
    household = subject.household
    extra = set(extra)
    tables = {}
    third_party_rows: set[tuple[str, str]] = set()
    objects: list[tuple[str, str]] = []
    for label, _model, rows in _tables(household):
        out = []
        for row in rows:
            third = label in THIRD_PARTY and not _is_subject(row, subject)
            if third:
                third_party_rows.add((label, str(row.pk)))
            objects.append((label, str(row.pk)))
            out.append(_redact(label, audit.snapshot(row), third_party=third, extra=extra))
        tables[label] = out
    match = Q(pk__in=[])
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in by_type.items():
        match |= Q(object_type=object_type, object_id__in=ids)

    def audit_values(row, values):
        if values is None:
            return None
        third = (row.object_type, row.object_id) in third_party_rows
        return (
            _redact(row.object_type, values, third_party=third, extra=extra)
            if isinstance(values, dict)
            else values
        )

    changes = [
        {
            "at": a.at.isoformat(),
            "by": str(a.actor) if a.actor else "The system",
            "action": a.action,
            "object_type": a.object_type,
            "object_id": a.object_id,
            "before": audit_values(a, a.before),
            "after": audit_values(a, a.after),
            "reason": a.reason,
        }
        for a in AuditEvent.objects.filter(match).select_related("actor").order_by("at", "id")
    ]
    views = [
        {"at": v.at.isoformat(), "by": str(v.viewer), "object_type": v.object_type, "object_id": v.object_id}
        for v in RecordView.objects.filter(match).select_related("viewer").order_by("at", "id")
    ]
    exported = [
        {
            "at": e.at.isoformat(),
            "by": str(e.user),
            "what": e.what,
            "format": e.format,
            "object_type": e.object_type,
            "object_id": e.object_id,
        }
        for e in ExportLog.objects.filter(match).select_related("user").order_by("at", "id")
    ]
    return {
        "subject": {
            "type": "adopter",
            "applicant_id": subject.pk,
            "household": household.reference,
            "name": f"{subject.first_name} {subject.last_name}",
        },
        "generated_at": timezone.now().isoformat(),
        "held_by": household.raa.name,
        "redacted": {"by_rule": {k: list(v) for k, v in THIRD_PARTY.items()}, "chosen": sorted(extra)},
        "tables": tables,
        "changes": changes,
        "views": views,
        "exports": exported,
    }


def response(request, subject, *, extra=()) -> HttpResponse:
    """The export as a ZIP download, logged in the export log."""
    data = build(subject, extra=extra)
    rows = sum(len(v) for v in data["tables"].values())
    context = {"data": data, "tables": [(label, rows_) for label, rows_ in data["tables"].items() if rows_]}
    html = render_to_string("records/subject_access_file.html", context)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", json.dumps(data, indent=2, default=str))
        archive.writestr("subject-access.html", html)
        archive.writestr("subject-access.pdf", pdf.render_pdf("records/subject_access_file.html", context))
    exports.log_export(
        user=request.user,
        what="subject_access.adopter",
        fmt="zip",
        row_count=rows,
        instance=subject,
        path=request.get_full_path(),
    )
    stamped = f"subject-access-{subject.household.reference}-{timezone.localdate():%Y-%m-%d}.zip"
    return exports.attachment(HttpResponse(buffer.getvalue(), content_type="application/zip"), stamped)
