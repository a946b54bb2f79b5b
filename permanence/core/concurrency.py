"""Optimistic concurrency: an edit is refused when the record changed after its page was opened.

A record's *version token* is a short hash of its concrete field values as the database holds them (no
migration, no version column). The columns a journey derives from its events (a child's stage, next due date…)
are left out: they change when anyone records an event, and nobody types them.

Edit forms mix in `VersionedForm`: it adds a hidden `version` field carrying the token from when the page was
opened, and the view saves inside `with form.saving():`, which locks the row (`select_for_update`), recomputes
the token and raises `VersionConflict` (a ValidationError, so the view's usual `except ValidationError` puts it
at the top of the form) when they differ. The form then knows what differs (`form.version_conflict`), which
`includes/error_summary.html` shows as "Their version" against "Your version"; the hidden version is moved on,
so submitting again after checking goes through. A POST without a version is refused ("out of date").

The API uses the same token as an ETag (`etag_for`; If-Match is checked in api/preconditions.py).
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats

from permanence.core.audit import _plain

CONFLICT_MESSAGE = ("Someone else changed this record since you opened it. Check their changes below, then make "
                    "yours again.")
MISSING_MESSAGE = "This page is out of date. Reload it and make your change again."
FIELD = "version"
NEW = "new"  # the version of a record not yet created, on a page that creates it on its first save


def _derived_fields(model: type[models.Model]) -> frozenset[str]:
    """The columns a journey writes from its events (JourneyWriter.snapshot_fields), by name and attname."""
    from permanence.journeys.services import JourneyWriter

    names: set[str] = set()
    stack = list(JourneyWriter.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        event_model = getattr(cls, "event_model", None)
        if event_model is None or event_model._meta.get_field(cls.fk).related_model is not model:
            continue
        names.update(cls.snapshot_fields)
    return frozenset(names)


def _values(instance: models.Model) -> dict:
    skip = _derived_fields(type(instance))
    return {f.attname: _plain(getattr(instance, f.attname)) for f in instance._meta.concrete_fields
            if f.name not in skip and f.attname not in skip}


def version_token(instance: models.Model, related: tuple[str, ...] = ()) -> str:
    """The record's version: sha256 of its values (and those of its `related` rows), first 20 hex digits."""
    data: list = [instance._meta.label_lower, _values(instance)]
    for name in related:
        data.append(sorted((_values(r) for r in getattr(instance, name).all()), key=lambda v: str(v.get("id"))))
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:20]


def locked(instance: models.Model) -> models.Model:
    """The row again, locked for the rest of the transaction (a no-op lock on SQLite, whose IMMEDIATE
    transactions already hold the write lock)."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def last_change(instance: models.Model):
    """The newest audit entry about the record, or None."""
    from permanence.core.models import AuditEvent

    return (AuditEvent.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk))
            .select_related("actor").order_by("-at", "-id").first())


class VersionConflict(ValidationError):
    def __init__(self, message: str = CONFLICT_MESSAGE):
        super().__init__(message, code="stale")


@dataclass
class Difference:
    label: str
    theirs: str
    yours: str


def _shown(field: forms.Field, value) -> str:
    if value in (None, "", [], ()):
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, models.Model):
        return str(value)
    choices = dict(getattr(field, "choices", None) or ())
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return ", ".join(str(choices.get(v, v)) for v in value) or "Not given"
    if hasattr(value, "isoformat"):
        return formats.date_format(value, "j F Y")
    for key in (value, str(value), getattr(value, "pk", None)):
        if key in choices:
            return str(choices[key])
    return str(value)


class VersionedForm:
    """Mix into a form that changes an existing record (first in the bases): `Form(data, versioned=record)`
    (a ModelForm's saved instance is used when `versioned` is not given). `version_related` names reverse relations
    whose rows are part of the record (a review's scores), so a change to one of them counts too. Save with
    `with form.saving():`.

    `creates=True` is for a page that edits one record which its first save creates (an RAA's settings, a child's
    matching profile): while there is none, the page carries the version NEW, and a save that finds the record
    created since (by someone else) is refused like any stale edit, showing what they saved."""

    version_related: tuple[str, ...] = ()

    def __init__(self, *args, versioned: models.Model | None = None, creates: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if versioned is None and getattr(getattr(self, "instance", None), "pk", None):
            versioned = self.instance
        self.versioned = versioned  # None when the same form adds a record: then it has no version
        self.creates = creates
        self.version_conflict: dict | None = None
        if versioned is not None or creates:
            token = version_token(versioned, self.version_related) if versioned is not None else NEW
            self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, initial=token)

    def clean(self):
        cleaned = super().clean()
        carries = self.versioned is not None or self.creates
        if carries and self.is_bound and not (self.data.get(self.add_prefix(FIELD)) or "").strip():
            raise ValidationError(MISSING_MESSAGE, code="no_version")
        if cleaned is not None:
            cleaned.pop(FIELD, None)  # views pass cleaned_data to services; the version is read from the data
        return cleaned

    @contextmanager
    def saving(self):
        """A transaction in which the record is locked and still as the page showed it; raises VersionConflict
        (after noting what differs and moving the hidden version on) when it is not."""
        if self.versioned is None:  # the form is adding the record (or its first part): nothing to be stale
            with transaction.atomic():
                if self.creates and (self.data.get(self.add_prefix(FIELD)) or "").strip() != NEW:
                    raise VersionConflict(MISSING_MESSAGE)  # opened when the record existed: it has gone since
                yield None
            return
        with transaction.atomic():
            fresh = locked(self.versioned)
            now = version_token(fresh, self.version_related)
            posted = (self.data.get(self.add_prefix(FIELD)) or "").strip()
            if not posted:
                raise VersionConflict(MISSING_MESSAGE)
            if posted != now:
                self._note_conflict(fresh, now)
                raise VersionConflict()
            yield fresh

    def _note_conflict(self, fresh: models.Model, now: str) -> None:
        rows = []
        for name in self.changed_data:
            if name == FIELD:
                continue
            field = self.fields[name]
            rows.append(Difference(str(field.label or name.replace("_", " ").capitalize()),
                                   _shown(field, self.get_initial_for_field(field, name)),
                                   _shown(field, self.cleaned_data.get(name, self.data.get(self.add_prefix(name))))))
        event = last_change(fresh)
        self.version_conflict = {"differences": rows, "at": getattr(event, "at", None),
                                 "by": event.actor.get_full_name() or event.actor.username
                                 if event is not None and event.actor else ""}
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = now


# --- The API: the token as an ETag ----------------------------------------------------------------------------


def etag_for(instance: models.Model, related: tuple[str, ...] = ()) -> str:
    return f'"{version_token(instance, related)}"'
