"""Every write to adopted adults' requests: validate, save in a transaction, audit.

A request is a journey on the write skeleton (journeys/services.JourneyWriter: `WRITER` below): recording a
request creates it with its first event (received, with its type); every later step is `record_event`, and a
correction or withdrawal of a step `correct_event`. Each is audited by the skeleton; the request's creation by
`create_request`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.adopted_adults import rules
from permanence.adopted_adults.models import AdultRequest, AdultRequestEvent
from permanence.core import audit
from permanence.core.clock import today  # noqa: F401 (services.today: the one clock)
from permanence.journeys import services as journey_services
from permanence.journeys.services import actor_or_none as _actor
from permanence.organisations.models import Organisation
from permanence.timescales.selectors import timescales_in_force

TIMESCALE_SUBJECT = "adult"  # Timescale.subject of this journey's timescales (rules.CHASE_KEY, INTERVIEW_KEY)
SNAPSHOT_FIELDS = ("stage", "stage_since", "received_on", "priority", "priority_rank", "triaged_on",
                   "first_interview_on", "interview_due", "sessions", "records_outstanding", "chase_due",
                   "last_activity_on", "ended_on", "outcome")


def timescales(on: date) -> list:
    """The adopted adults' timescales in force on `on` (the chase and the target wait; defaults in rules)."""
    return list(timescales_in_force(on, TIMESCALE_SUBJECT))


def snapshot_values(state: rules.RequestState, timescales, received_on: date | None = None) -> dict:
    chases = rules.chases(state, timescales)
    return {
        "stage": state.stage.value, "stage_since": state.stage_since, "received_on": state.received or received_on,
        "priority": state.priority or "", "priority_rank": state.priority_rank, "triaged_on": state.triaged,
        "first_interview_on": state.first_interview, "interview_due": rules.interview_due(state, timescales),
        "sessions": len(state.sessions), "records_outstanding": len(state.outstanding),
        "chase_due": chases[0].due if chases else None, "last_activity_on": state.last_activity,
        "ended_on": state.ended, "outcome": state.outcome or "",
    }


@dataclass(frozen=True)
class SnapshotContext:
    on: date
    timescales: list


class AdultRequestJourney(journey_services.JourneyWriter):
    """An adopted adult's request (adopted_adults.rules) on the write skeleton (journeys/services.py)."""

    event_model = AdultRequestEvent
    fk = "adult_request"
    snapshot_fields = SNAPSHOT_FIELDS
    audit_prefix = "adult_request_event"
    lock_related = ("raa",)

    def today(self) -> date:
        return today()

    def context(self, requests, on: date) -> SnapshotContext:
        return SnapshotContext(on, timescales(on))

    def snapshot(self, request: AdultRequest, facts, context: SnapshotContext) -> dict:
        return snapshot_values(rules.replay(facts), context.timescales, request.received_on)

    def recording_refusal(self, actor, request: AdultRequest, kind, day: date) -> str | None:
        return access.adult_request_event_refusal(actor, request, kind)

    def correction_refusal(self, actor, request: AdultRequest, kind, day: date) -> str | None:
        return self.recording_refusal(actor, request, kind, day) if _actor(actor) else None


WRITER = AdultRequestJourney()


def event_facts(request: AdultRequest) -> list[rules.EventFact]:
    return WRITER.facts(request)


def state_of(request: AdultRequest) -> rules.RequestState:
    return rules.replay(event_facts(request))


def refresh_snapshot(request: AdultRequest, *, on: date | None = None) -> AdultRequest:
    WRITER.refresh_snapshots([request], on=on)
    return request


def refresh_all_snapshots(*, on: date | None = None) -> tuple[int, int]:
    """Every request recalculated (the `refresh-snapshots` command, or a timescale change): (changed, seen)."""
    requests = list(AdultRequest.objects.only("pk", *SNAPSHOT_FIELDS))
    return WRITER.refresh_snapshots(requests, on=on, only_changed=True), len(requests)


# ---------------------------------------------------------------------------------------------
# Recording a request, its steps, corrections


def _check_worker(raa: Organisation, worker) -> None:
    if worker is None:
        return
    if worker.organisation_id != raa.pk or worker.role not in access.SUPPORT_WRITE_ROLES or not worker.is_active:
        raise ValidationError({"worker": "Choose an adoption support worker or team manager of the RAA."})


@transaction.atomic
def create_request(*, actor, raa: Organisation, request_type: str, first_name: str, last_name: str,
                   date_of_birth: date, received_on: date, contact_method: str, birth_name: str = "",
                   email: str = "", phone: str = "", address: str = "", adoption_year: int | None = None,
                   adoption_agency: Organisation | None = None, adoption_agency_name: str = "", worker=None,
                   note: str = "", check_role: bool = True, on: date | None = None) -> AdultRequest:
    """Record an adopted adult's request to the RAA: the request and its first step (received, with its type).
    Only the RAA's adoption support workers and team managers record one."""
    if check_role and not (access.can_record_adult_requests(actor) and access.support_raa_for(actor) == raa):
        raise ValidationError("Only the RAA's adoption support workers and team managers record adopted adults' "
                              "requests.")
    on = on or today()
    problems: dict[str, str] = {}
    if request_type not in rules.REQUEST_TYPES:
        problems["request_type"] = "Choose what the adopted adult is asking for."
    if received_on > on:
        problems["received_on"] = "The date the request was received cannot be in the future."
    if date_of_birth >= received_on:
        problems["date_of_birth"] = "The date of birth must be before the date the request was received."
    elif (received_on - date_of_birth).days < 18 * 365:
        problems["date_of_birth"] = "An adopted adult is 18 or over: check the date of birth."
    if adoption_year is not None and not (date_of_birth.year <= adoption_year <= received_on.year):
        problems["adoption_year"] = "The year of the adoption must be between their birth and the request."
    if contact_method not in AdultRequest.Contact.values:
        problems["contact_method"] = "Choose how they contacted the RAA."
    if problems:
        raise ValidationError(problems)
    _check_worker(raa, worker)
    request = AdultRequest.objects.create(
        raa=raa, request_type=request_type, first_name=first_name.strip(), last_name=last_name.strip(),
        birth_name=birth_name.strip(), date_of_birth=date_of_birth, email=email.strip(), phone=phone.strip(),
        address=address.strip(), adoption_year=adoption_year, adoption_agency=adoption_agency,
        adoption_agency_name=adoption_agency_name.strip(), received_on=received_on, contact_method=contact_method,
        worker=worker, created_by=_actor(actor))
    audit.record_change(actor=actor, action="adult_request.created", instance=request,
                        after={"raa": raa.pk, "type": request_type, "received_on": received_on,
                               "worker": worker.pk if worker else None})
    WRITER.record(request, rules.Kind.RECEIVED, received_on, actor=actor, details={"type": request_type},
                  note=note, check_role=False, on=on)
    request.refresh_from_db()
    return request


@transaction.atomic
def allocate(*, actor, request: AdultRequest, worker, check_role: bool = True) -> AdultRequest:
    """Allocate the request to a worker (or none), audited."""
    if check_role and not (access.can_record_adult_requests(actor)
                           and access.adult_requests_visible_to(actor).filter(pk=request.pk).exists()):
        raise ValidationError("Only the RAA's adoption support workers and team managers allocate requests.")
    request = AdultRequest.objects.select_for_update().get(pk=request.pk)
    _check_worker(request.raa, worker)
    before = request.worker_id
    request.worker = worker
    request.save(update_fields=["worker"])
    audit.record_change(actor=actor, action="adult_request.allocated", instance=request, before={"worker": before},
                        after={"worker": worker.pk if worker else None})
    return request


def record_event(*, adult: AdultRequest, kind: str | rules.Kind, date: date, actor, details: dict | None = None,
                 note: str = "", on: date | None = None, check_role: bool = True) -> AdultRequestEvent:
    """Add a dated step to the request, or raise ValidationError saying what is wrong."""
    return WRITER.record(adult, kind, date, actor=actor, details=details, note=note, on=on, check_role=check_role)


def correct_event(*, event: AdultRequestEvent, actor, reason: str, date: date | None = None,
                  details: dict | None = None, withdraw: bool = False, on: date | None = None):
    """Correct a step's date (or details), or withdraw it (recorded in error), with a reason; the original is
    kept, superseded. The receipt opened the request: its date may be corrected, but it is never withdrawn
    (withdraw the request instead)."""
    if withdraw and event.kind == rules.Kind.RECEIVED.value:
        raise ValidationError("The request's receipt cannot be withdrawn: record that the request was withdrawn "
                              "instead, or correct its date.")
    return WRITER.correct(event, actor=actor, reason=reason, day=date, details=details, on=on, withdraw=withdraw)
