"""Writing the audit trail. Called by services inside their transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from permanence.core.models import AuditEvent, RecordView


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values, as JSON-ready data."""
    out: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        out[f.name] = _plain(getattr(instance, f.attname))
    return out


def record_change(
    *,
    actor,
    action: str,
    instance: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    child_id: int | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        child_id=child_id,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        reason=reason,
    )


def record_view(*, viewer, instance: models.Model, path: str, child_id: int | None = None) -> RecordView:
    return RecordView.objects.create(
        at=timezone.now(),
        viewer=viewer,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        child_id=child_id,
        path=path[:300],
    )


def redact_for_disposal(objects: list[tuple[str, str]], *, child_id: int | None = None) -> int:
    """Blank the before/after and reason of the audit rows about these (object_type, object_id) rows (and, for a
    child, every row filed under the child): the one sanctioned change to the append-only log, made only by
    records.services.dispose when a record's personal data is disposed of after its retention date. The rows
    themselves stay: who did what to which record, and when. Returns how many rows were blanked."""
    from django.db.models import Q

    if not objects and child_id is None:
        return 0
    match = Q()
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in by_type.items():
        match |= Q(object_type=object_type, object_id__in=ids)
    if child_id is not None:
        match |= Q(child_id=child_id)
    rows = AuditEvent._base_manager.filter(match).exclude(action="record.disposed")
    return models.QuerySet.update(rows, before=None, after=None, reason="")
