"""Every write to adoption support's cases: validate, save in a transaction, audit.

A support case is a journey on the write skeleton (journeys/services.JourneyWriter: `WRITER` below). A referral
creates the case and records its first event (referral received); every later step is `record_event`. The support
plan itself is `support_fund`'s: its service records the case's "support plan agreed" through `record_event`.

Audit entries about a support case are never filed under the child (`child_id` None): the child's LA reads the
child's audit trail, and sees nothing of a support case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.core import audit
from permanence.core.clock import today
from permanence.journeys import services as journey_services
from permanence.journeys.services import actor_or_none as _actor
from permanence.support import rules
from permanence.support.models import SupportCase, SupportEvent, SupportSettings
from permanence.timescales.selectors import timescales_in_force

SNAPSHOT_FIELDS = ("stage", "stage_since", "duty_outcome", "requested_on", "worker_id", "started_on", "completed_on",
                   "plan_agreed_on", "interim_offers", "last_activity_on", "next_due_date", "next_due_label",
                   "closed_on", "closed_reason")


def snapshot_values(state: rules.SupportState, timescales) -> dict:
    due = rules.due_actions(state, timescales)
    return {
        "stage": state.stage.value, "stage_since": state.stage_since, "duty_outcome": state.duty_outcome or "",
        "requested_on": state.requested, "worker_id": int(state.worker) if state.worker else None,
        "started_on": state.started, "completed_on": state.completed, "plan_agreed_on": state.plan_agreed,
        "interim_offers": len(state.interim_offers), "last_activity_on": state.last_activity,
        "next_due_date": due[0].due if due else None, "next_due_label": due[0].label if due else "",
        "closed_on": state.closed, "closed_reason": state.closed_reason or "",
    }


@dataclass(frozen=True)
class SnapshotContext:
    on: date
    timescales: list


class SupportJourney(journey_services.JourneyWriter):
    """The support case's journey (support.rules) on the write skeleton (journeys/services.py)."""

    event_model = SupportEvent
    fk = "case"
    snapshot_fields = SNAPSHOT_FIELDS
    audit_prefix = "support_event"
    lock_related = ("raa",)
    nothing_changed = "Nothing has changed: change the date or the details, or withdraw the step."

    def today(self) -> date:
        return today()

    def context(self, cases, on: date) -> SnapshotContext:
        return SnapshotContext(on, list(timescales_in_force(on, rules.SUBJECT)))

    def snapshot(self, case: SupportCase, facts, context: SnapshotContext) -> dict:
        return snapshot_values(rules.replay(facts), context.timescales)

    def recording_refusal(self, actor, case: SupportCase, kind, day: date) -> str | None:
        return access.support_event_refusal(actor, case, kind)

    def correction_refusal(self, actor, case: SupportCase, kind, day: date) -> str | None:
        return self.recording_refusal(actor, case, kind, day) if _actor(actor) else None

    def check_correctable(self, actor, case: SupportCase, event: SupportEvent) -> None:
        if rules.Kind(event.kind) is rules.Kind.REFERRAL_RECEIVED:
            raise ValidationError("The referral opened the case: it stays as it is (close the case instead).")

    def audit_child(self, case: SupportCase) -> None:
        return None  # never under the child: the child's LA reads the child's audit trail


WRITER = SupportJourney()


def correctable_steps(case: SupportCase, events) -> set[int]:
    out = set()
    for event in events:
        try:
            WRITER.check_correctable(None, case, event)
        except ValidationError:
            continue
        out.add(event.pk)
    return out


def event_facts(case: SupportCase) -> list[rules.EventFact]:
    return WRITER.facts(case)


def state_of(case: SupportCase, *, until: date | None = None) -> rules.SupportState:
    return rules.replay(event_facts(case), until=until)


def refresh_snapshot(case: SupportCase, *, on: date | None = None) -> SupportCase:
    WRITER.refresh_snapshots([case], on=on)
    return case


def refresh_all_snapshots(*, on: date | None = None) -> tuple[int, int]:
    """Every support case recalculated (what is due moves with the timescales): (changed, seen)."""
    fields = [f.removesuffix("_id") for f in SNAPSHOT_FIELDS]
    cases = list(SupportCase.objects.only("pk", *fields))
    return WRITER.refresh_snapshots(cases, on=on, only_changed=True), len(cases)


# ---------------------------------------------------------------------------------------------
# Settings


def settings_for(raa) -> SupportSettings:
    """The RAA's support settings (the defaults when none are saved)."""
    found = SupportSettings.objects.filter(raa=raa).first()
    return found or SupportSettings(raa=raa)


@transaction.atomic
def save_settings(*, actor, raa, offers_special_guardianship: bool, placing_la_years: int) -> SupportSettings:
    if not access.can_change_support_settings(actor, raa):
        raise ValidationError("Only the RAA's team manager or head of service changes its support settings.")
    if not 1 <= placing_la_years <= 10:
        raise ValidationError({"placing_la_years": "Enter a number of years between 1 and 10."})
    current = settings_for(raa)
    before = {"offers_special_guardianship": current.offers_special_guardianship,
              "placing_la_years": current.placing_la_years} if current.pk else None
    current.offers_special_guardianship = offers_special_guardianship
    current.placing_la_years = placing_la_years
    current.updated_by = _actor(actor)
    current.save()
    audit.record_change(actor=actor, action="support_settings.changed", instance=current, before=before,
                        after={"offers_special_guardianship": offers_special_guardianship,
                               "placing_la_years": placing_la_years})
    return current


# ---------------------------------------------------------------------------------------------
# The referral, the steps, corrections


def adoption_order_of(child) -> date | None:
    """The date of the child's adoption order, from its journey (None if not recorded)."""
    from permanence.children.models import JourneyEvent
    from permanence.children.rules import Kind

    return (JourneyEvent.objects.filter(child=child, kind=Kind.ADOPTION_ORDER.value, superseded=False)
            .order_by("-date").values_list("date", flat=True).first())


REFERRAL_FIELDS = ("referrer_type", "referred_on", "family_name", "referrer_name", "referrer_relationship", "reason",
                   "urgency", "safeguarding", "safeguarding_la", "safeguarding_told_on", "child", "child_name",
                   "child_date_of_birth", "adoption_order_date", "placing_la", "family_la")


def referral_problems(raa, data: dict, *, on: date) -> dict[str, str]:
    """What is wrong with a referral's details, field by field (empty if fine)."""
    problems: dict[str, str] = {}
    if data.get("referrer_type") == rules.SPECIAL_GUARDIANSHIP and not settings_for(raa).offers_special_guardianship:
        problems["referrer_type"] = "This RAA does not take referrals from special guardianship families."
    referred = data.get("referred_on")
    if referred and referred > on:
        problems["referred_on"] = "The date the referral was made must be today or in the past."
    if data.get("safeguarding"):
        if not data.get("safeguarding_la"):
            problems["safeguarding_la"] = "Select the LA told of the safeguarding concern."
        if not data.get("safeguarding_told_on"):
            problems["safeguarding_told_on"] = "Enter the date the LA was told."
        elif data["safeguarding_told_on"] > on:
            problems["safeguarding_told_on"] = "The date the LA was told must be today or in the past."
    if not data.get("child") and not (data.get("child_name") or "").strip():
        problems["child_name"] = "Enter the adopted child's name, or choose the child's record."
    return problems


@transaction.atomic
def create_referral(*, actor, raa, on: date | None = None, note: str = "", check_role: bool = True,
                    source: str = journey_services.PERMANENCE, **data) -> SupportCase:
    """Record a referral: a new support case, its first event the referral received. The child's LA and the
    date of its adoption order come from the child's record when Permanence holds it."""
    on = on or today()
    if check_role and not access.can_record_support_for(actor, raa):
        raise ValidationError("Only the RAA's adoption support workers and team managers record referrals.")
    unknown = set(data) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown referral fields: {sorted(unknown)}")
    problems = referral_problems(raa, data, on=on)
    if problems:
        raise ValidationError(problems)
    child = data.get("child")
    if child is not None:
        data["placing_la"] = child.la  # the placing LA is the child's LA
        data["adoption_order_date"] = adoption_order_of(child) or data.get("adoption_order_date")
        data["child_name"] = data.get("child_name") or ""
    if not data.get("safeguarding"):
        data["safeguarding_la"], data["safeguarding_told_on"] = None, None
    case = SupportCase.objects.create(raa=raa, created_by=_actor(actor), **data)
    audit.record_change(actor=actor, action="support_case.referred", instance=case,
                        after={"referrer_type": case.referrer_type, "urgency": case.urgency,
                               "safeguarding": case.safeguarding, "child": case.child_id,
                               "safeguarding_la": case.safeguarding_la_id, "referred_on": case.referred_on})
    WRITER.record(case, rules.Kind.REFERRAL_RECEIVED, case.referred_on, actor=actor, note=note, check_role=False,
                  on=on, source=source)
    case.refresh_from_db()
    return case


def record_event(*, case: SupportCase, kind: str | rules.Kind, date: date, actor, details: dict | None = None,
                 note: str = "", on: date | None = None, check_role: bool = True,
                 source: str = journey_services.PERMANENCE) -> SupportEvent:
    """Add a dated step to the case, or raise ValidationError saying what is wrong."""
    details = dict(details or {})
    if WRITER.kind(kind) is rules.Kind.ALLOCATED and details.get("worker"):
        worker = access.support_workers_for(case.raa).filter(pk=str(details["worker"])).first()
        if worker is None:
            raise ValidationError({"worker": "Choose a worker in the RAA's adoption support team."})
        details["worker"] = str(worker.pk)
        details.setdefault("worker_name", worker.get_full_name() or worker.username)
    return WRITER.record(case, kind, date, actor=actor, details=details, note=note, on=on, check_role=check_role,
                         source=source)


def correct_event(*, event: SupportEvent, actor, reason: str, date: date | None = None, details: dict | None = None,
                  withdraw: bool = False, on: date | None = None) -> SupportEvent | None:
    return WRITER.correct(event, actor=actor, reason=reason, day=date, details=details, on=on, withdraw=withdraw)
