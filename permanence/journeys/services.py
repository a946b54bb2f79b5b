"""The steps every journey's record / correct / withdraw services share (each journey's services.py calls them
inside its own transaction, with its own access checks, snapshot refresh and audit entry)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError

from permanence.journeys.kernel import EventFact, TransitionRefused

NEW_SEQ = 2**62  # a new event replays after every stored event of its kind on its day (stored ones sort by id)


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
