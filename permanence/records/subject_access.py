"""A subject access export: everything held about one person, as JSON and a readable page (HTML and PDF) in a ZIP.

Four kinds of person (KINDS): an adopter (an applicant: their household's record), a child (the child's record),
an adopted adult (their request for access to their records) and a birth relative (the support offered to them).
The export holds the person's root record and every table reached from it (records.personal.tables_of, so a table
added later is in the export without a change here), the audit rows about any of those rows (who changed what),
who viewed them and who exported them. Third parties' data is shown as "[redacted]": by rule
(records.personal.THIRD_PARTY, with each kind's own changes: a child's support case names the child, but the
households on a child's shortlist are other people), and any free-text field the member of staff chooses for
this export.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from permanence.core import audit, exports, pdf
from permanence.core.models import AuditEvent, ExportLog, RecordView
from permanence.records import personal
from permanence.records.personal import REDACTED, THIRD_PARTY


@dataclass(frozen=True)
class Kind:
    """A kind of person whose data can be exported: how to reach their record, name them and go back to them."""

    slug: str  # in the URL: /records/subject-access/<slug>/<pk>/
    what: str  # the export log's "subject_access.<what>"
    label: str  # "adopter"
    root: Callable[[models.Model], models.Model]  # the record the export walks from
    name: Callable[[models.Model], str]
    held_by: Callable[[models.Model], object]  # the organisation that holds the record
    back: Callable[[models.Model], tuple[str, str]]  # (url, "Back to …")
    description: str  # what the export holds, for the page
    own: dict[str, tuple[str, ...]] = field(default_factory=dict)  # THIRD_PARTY fields that are this person's
    others: dict[str, tuple[str, ...]] = field(default_factory=dict)  # more fields that are other people's

    def reference(self, subject) -> str:
        return self.root(subject).reference

    def third_party(self) -> dict[str, tuple[str, ...]]:
        rules = {label: tuple(f for f in fields if f not in self.own.get(label, ()))
                 for label, fields in THIRD_PARTY.items()}
        for label, fields in self.others.items():
            rules[label] = (*rules.get(label, ()), *fields)
        return {label: fields for label, fields in rules.items() if fields}


def _full_name(person) -> str:
    return f"{person.first_name} {person.last_name}".strip()


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind(
            slug="adopters",
            what="adopter",
            label="adopter",
            root=lambda applicant: applicant.household,
            name=_full_name,
            held_by=lambda applicant: applicant.household.raa,
            back=lambda applicant: (reverse("adopters:household-detail", args=[applicant.household_id]),
                                    "Back to the household"),
            description="the household's record and every record linked to it, its events, notes, panel papers",
        ),
        Kind(
            slug="children",
            what="child",
            label="child",
            root=lambda child: child,
            name=_full_name,
            held_by=lambda child: child.la,
            back=lambda child: (reverse("children:detail", args=[child.pk]), "Back to the child"),
            description="the child's record and every record linked to it: events, needs, family finding, "
            "links, panels, support, contact, audits and complaints",
            own={"support.supportcase": ("child_name", "child_date_of_birth")},
            # The households considered for the child are other people, though shown without names; so are the
            # birth relatives offered support (their notes and sessions), the letterbox's letters and the family
            # and referrer named on a support case.
            others={"family_finding.shortlistentry": ("profile",), "family_finding.shortlist": ("explanation",),
                    "contact.birthrelativeoffer": ("notes",), "contact.birthrelativesession": ("notes",),
                    "contact.letterboxexchange": ("notes",),
                    "support.supportcase": ("family_name", "referrer_relationship")},
        ),
        Kind(
            slug="adopted-adults",
            what="adopted_adult",
            label="adopted adult",
            root=lambda request: request,
            name=_full_name,
            held_by=lambda request: request.raa,
            back=lambda request: (reverse("adopted_adults:detail", args=[request.pk]), "Back to the request"),
            description="their request for access to their records and each of its steps",
        ),
        Kind(
            slug="birth-relatives",
            what="birth_relative",
            label="birth relative",
            root=lambda offer: offer,
            name=lambda offer: offer.relative_name,
            held_by=lambda offer: offer.child.la.raa or offer.child.la,
            back=lambda offer: (reverse("contact:child", args=[offer.child_id]), "Back to the child's contact"),
            description="the support offered to them, their response and each session",
        ),
    )
}


def kind_of(subject) -> Kind:
    from permanence.adopted_adults.models import AdultRequest
    from permanence.adopters.models import Applicant
    from permanence.children.models import Child
    from permanence.contact.models import BirthRelativeOffer

    slug = {Applicant: "adopters", Child: "children", AdultRequest: "adopted-adults",
            BirthRelativeOffer: "birth-relatives"}[type(subject)]
    return KINDS[slug]


def _tables(root) -> list[tuple[str, type[models.Model], list[models.Model]]]:
    """(label, model, rows) for the root record and every table reached from it."""
    out = [(root._meta.label_lower, type(root), [root])]
    by_label: dict[str, tuple[type[models.Model], list]] = {}
    for table in personal.tables_of(type(root)):
        by_label.setdefault(table.label, (table.model, []))
    for table, row in personal.rows_of(root):
        by_label[table.label][1].append(row)
    out += [(label, model, rows) for label, (model, rows) in by_label.items()]
    return out


def _is_subject(row, subject) -> bool:
    return type(row) is type(subject) and row.pk == subject.pk


def _redact(label: str, values: dict, *, third_party: dict | None, extra: set[str]) -> dict:
    hidden = set(third_party.get(label, ())) if third_party else set()
    hidden |= {path.split(".", 2)[2] for path in extra if path.rsplit(".", 1)[0] == label}
    return {k: (REDACTED if k in hidden and v not in (None, "") else v) for k, v in values.items()}


def free_text_choices(subject) -> list[tuple[str, str]]:
    """The free-text fields (long text, and short text that is not a code) of the subject's tables that a member of
    staff may choose to redact."""
    kind = kind_of(subject)
    rules = kind.third_party()
    choices = []
    for label, model, _rows in _tables(kind.root(subject)):
        for field_ in model._meta.concrete_fields:
            free = isinstance(field_, models.TextField) or (isinstance(field_, models.CharField)
                                                             and not field_.choices)
            if free and field_.name not in rules.get(label, ()):
                choices.append(
                    (
                        f"{label}.{field_.name}",
                        f"{str(model._meta.verbose_name).capitalize()}: {field_.verbose_name}",
                    )
                )
    return choices


def build(subject, *, extra=()) -> dict:
    """What is held about this person, ready for JSON (dates as ISO strings)."""
    kind = kind_of(subject)
    root = kind.root(subject)
    rules = kind.third_party()
    extra = set(extra)
    tables = {}
    third_party_rows: set[tuple[str, str]] = set()
    objects: list[tuple[str, str]] = []
    for label, _model, rows in _tables(root):
        out = []
        for row in rows:
            third = label in rules and not _is_subject(row, subject)
            if third:
                third_party_rows.add((label, str(row.pk)))
            objects.append((label, str(row.pk)))
            out.append(_redact(label, audit.snapshot(row), third_party=rules if third else None, extra=extra))
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
            _redact(row.object_type, values, third_party=rules if third else None, extra=extra)
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
            "type": kind.what,
            "id": subject.pk,
            "record": root._meta.label_lower,
            "reference": root.reference,
            "name": kind.name(subject),
        },
        "generated_at": timezone.now().isoformat(),
        "held_by": kind.held_by(subject).name,
        "redacted": {"by_rule": {k: list(v) for k, v in rules.items()}, "chosen": sorted(extra)},
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
        what=f"subject_access.{kind_of(subject).what}",
        fmt="zip",
        row_count=rows,
        instance=subject,
        path=request.get_full_path(),
    )
    stamped = f"subject-access-{data['subject']['reference']}-{timezone.localdate():%Y-%m-%d}.zip"
    return exports.attachment(HttpResponse(buffer.getvalue(), content_type="application/zip"), stamped)
