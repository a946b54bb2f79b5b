"""How the pages and the API reach one journey's records and events, and write them.

Each journey app declares one `JourneyRecords` (in its `journey.py`): how to get the record for a user and one
of its events (both through `permanence.access`: missing and not-yours are the same 404), and its services
module, whose `record_event(<subject>=record, …)` and `correct_event(event=…, …)` write its events (the
subject is the journey's: `child=`, `household=`). The event pages (`journeys.views`) and the API's event endpoints
(`api.journey_events`) are built from it, so no journey writes them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from permanence.core import audit
from permanence.journeys import kernel


@dataclass(frozen=True)
class JourneyRecords:
    journey: kernel.Journey
    services: ModuleType  # the journey's services: record_event and correct_event
    get_record: Callable[[Any, Any], Any]  # (user, pk) -> the record (a child, a household), or Http404
    get_event: Callable[[Any, Any, Any], Any]  # (user, record, pk) -> one of its events, or Http404
    child_id: Callable[[Any], int | None] = lambda record: None  # the child an audit entry is about, if any

    def record_event(self, record, **kw):
        """kind=, date=, actor=, details=, note=: the event recorded (or ValidationError saying why not)."""
        return self.services.record_event(**{self.journey.subject: record}, **kw)

    def correct_event(self, **kw):
        """event=, actor=, reason=, date=, withdraw= (and details= where a correction may change them): the
        replacement, or None for a withdrawal."""
        return self.services.correct_event(**kw)

    def log_view(self, user, record, path: str) -> None:
        audit.record_view(viewer=user, instance=record, path=path, child_id=self.child_id(record))
