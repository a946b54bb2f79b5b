"""Changing a timescale: a new version valid from a date; the old one ends the day before. Audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.core import audit
from permanence.timescales.models import Timescale
from permanence.timescales.rules import Unit


@transaction.atomic
def set_timescale(*, actor, key: str, amount: int, unit: str, valid_from: date, source: str,
                  label: str | None = None) -> Timescale:
    current = Timescale.objects.filter(key=key).order_by("-valid_from").first()
    if current is None:
        raise ValidationError({"key": f"There is no timescale called {key!r}."})
    errors = {}
    if unit not in Unit.__members__.values():
        errors["unit"] = "The unit must be working_days, days, weeks or months."
    if amount is None or amount < 1:
        errors["amount"] = "The amount must be at least 1."
    if not (source or "").strip():
        errors["source"] = "Say where the new timescale comes from (guidance, regulation, local procedure)."
    if valid_from <= current.valid_from:
        errors["valid_from"] = f"The new version must start after the current one ({current.valid_from:%d/%m/%Y})."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(current)
    Timescale.objects.filter(pk=current.pk).update(valid_to=valid_from - timedelta(days=1))
    new = Timescale.objects.create(key=key, label=label or current.label, subject=current.subject,
                                   start_event=current.start_event, end_events=current.end_events, amount=amount,
                                   unit=unit, source=source.strip(), valid_from=valid_from)
    audit.record_change(actor=actor, action="timescale.changed", instance=new, before=before,
                        after=audit.snapshot(new))
    return new
