"""Writing the audit trail. Called by services inside their transaction."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from permanence.core.models import AuditEvent, RecordView


def _plain(value: Any) -> Any:
    """A value as the logs' JSON keeps it. A NUL character (typed into a query string, say) is dropped: PostgreSQL's
    JSON cannot hold one, and a log that cannot be written would fail the page it logs."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
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
    event = _event(actor, action, instance, before, after, reason, child_id)
    event.save()
    return event


def record_changes(*, actor, action: str, changes: list[tuple[models.Model, dict | None, dict | None]],
                   reason: str = "") -> list[AuditEvent]:
    """One entry per (instance, before, after), as record_change writes each, in one insert (a bulk load)."""
    return AuditEvent.objects.bulk_create(
        [_event(actor, action, instance, before, after, reason, None) for instance, before, after in changes])


def _event(actor, action, instance, before, after, reason, child_id) -> AuditEvent:
    return AuditEvent(
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
        path=bare_path(path),
    )


# Query parameters that carry what somebody typed to find a person: never stored in clear (keyed_hash).
SEARCH_PARAMS = frozenset({"q", "search", "name", "surname", "query", "term"})
# Paging is not a filter: which page was asked is in the log's path-free row as `page` only.
_NOT_FILTERS = frozenset({"csrfmiddlewaretoken"})


def keyed_hash(text: str) -> str:
    """A search term as the log keeps it: an HMAC (SHA-256, keyed with SECRET_KEY) of the term, trimmed and
    case-folded. An auditor checks "did anyone search for X" by hashing X (`permanence` shell:
    audit.keyed_hash("X")) and looking for it; the log itself never holds the name."""
    normalised = " ".join(str(text).split()).casefold()
    digest = hmac.new(settings.SECRET_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()
    return f"hmac:{digest}"


def safe_filters(params: Mapping | None) -> dict:
    """Filters (a dict, a QueryDict, a form's cleaned_data) ready for a log: search terms hashed, blanks and
    paging dropped, values made JSON-ready."""
    if not params:
        return {}
    out: dict[str, Any] = {}
    items = params.lists() if hasattr(params, "lists") else params.items()
    for key, value in items:
        key = _plain(key)  # a NUL in the key goes first, so "q\x00" is still a search term
        if key in _NOT_FILTERS:
            continue
        if isinstance(value, list) and len(value) == 1 and hasattr(params, "lists"):
            value = value[0]  # a query string's one value, not a list
        if value in (None, "", [], False):
            continue
        if key in SEARCH_PARAMS:
            value = [keyed_hash(v) for v in value] if isinstance(value, list) else keyed_hash(value)
        out[key] = _plain(value)
    return out


def bare_path(path: str) -> str:
    """A path without its query string (which can carry a search term)."""
    return path.split("?", 1)[0][:300]


def record_list(*, viewer, what: str, path: str, filters: Mapping | None = None, row_count: int | None = None,
                instance: models.Model | None = None, child_id: int | None = None) -> RecordView:
    """Somebody was shown a list or a search result (a page's list, an API list, a printed agenda): what it
    was, its filters (search terms hashed) and how many records matched. Written before the list is sent."""
    return RecordView.objects.create(
        at=timezone.now(),
        viewer=viewer,
        object_type=instance._meta.label_lower if instance is not None else "",
        object_id=str(instance.pk) if instance is not None else "",
        child_id=child_id,
        path=bare_path(path),
        what=what[:80],
        filters=safe_filters(filters),
        row_count=row_count,
    )


def viewed(request, instance: models.Model, child_id: int | None = None) -> RecordView | None:
    """A page bound to a record (its edit form, a step's form, its audit trail) was shown: a view of the record.
    Only for reads (GET): a POST that saves is in the change log."""
    if request.method not in ("GET", "HEAD"):
        return None
    if child_id is None and instance._meta.label_lower == "children.child":
        child_id = instance.pk
    return record_view(viewer=request.user, instance=instance, path=request.path, child_id=child_id)


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
