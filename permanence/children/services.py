"""Every write to a child's record: validate, save inside one transaction, audit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.children import rules
from permanence.children.models import Child, ChildNeed, JourneyEvent, NeedCategory, SiblingGroup
from permanence.core import audit
from permanence.core.clock import today  # noqa: F401 (services.today: the one clock)
from permanence.journeys import services as journey_services
from permanence.organisations.models import LAPolicy, Organisation
from permanence.timescales.selectors import timescales_in_force

CHILD_FIELDS = [
    "la_child_id", "first_name", "last_name", "date_of_birth", "expected_date_of_birth", "sex", "ethnicity",
    "has_disability", "disabilities", "health_needs", "sibling_group", "la_social_worker", "family_finder",
]


def policies_for(la: Organisation) -> list[rules.PolicyFact]:
    return [p.as_fact() for p in la.policies.all()]


def event_facts(child: Child) -> list[rules.EventFact]:
    """The child's events in force, as the rules see them."""
    return WRITER.facts(child)


@dataclass(frozen=True)
class Derived:
    state: rules.JourneyState
    periods: list[rules.HolderPeriod]
    due: list[rules.DueAction]


def derive(
    events: list[rules.EventFact],
    policies: list[rules.PolicyFact],
    dob: date | None,
    timescales: Iterable,
) -> Derived:
    state = rules.replay(events)
    return Derived(
        state=state,
        periods=rules.holder_periods(events, policies, dob),
        due=rules.due_actions(state, timescales),
    )


def snapshot_values(child: Child, derived: Derived) -> dict:
    side = derived.periods[-1].side if derived.periods else None
    holder = child.la_id if side == rules.LA else child.la.raa_id if side == rules.RAA else None
    nxt = derived.due[0] if derived.due else None
    return {
        "stage": derived.state.stage.value,
        "case_holder_id": holder,
        "entered_care_date": derived.state.entered_care,
        "po_date": derived.state.po_date,
        "next_due_date": nxt.due if nxt else None,
        "next_due_label": nxt.label if nxt else "",
        "last_event_date": derived.state.last_event,
    }


SNAPSHOT_FIELDS = ("stage", "case_holder_id", "entered_care_date", "po_date", "next_due_date", "next_due_label",
                   "last_event_date")


@dataclass(frozen=True)
class SnapshotContext:
    """What a child's snapshot needs besides the child and its events: its LA's policies and the timescales."""

    policies: dict[int, list[rules.PolicyFact]]  # by LA id
    timescales: list


class ChildJourney(journey_services.JourneyWriter):
    """The child's journey on the write skeleton (journeys/services.py)."""

    event_model = JourneyEvent
    fk = "child"
    snapshot_fields = SNAPSHOT_FIELDS
    audit_prefix = "event"
    derived_name = "children"
    lock_related = ("la", "la__raa")

    def today(self) -> date:
        return today()

    def context(self, children, on: date) -> SnapshotContext:
        policies: dict[int, list[rules.PolicyFact]] = {}
        for p in LAPolicy.objects.filter(la_id__in={c.la_id for c in children}):
            policies.setdefault(p.la_id, []).append(p.as_fact())
        return SnapshotContext(policies, list(timescales_in_force(on)))

    def snapshot(self, child: Child, facts: list[rules.EventFact], context: SnapshotContext) -> dict:
        return snapshot_values(child, derive(facts, context.policies.get(child.la_id, []), child.date_of_birth,
                                             context.timescales))

    def problems(self, child: Child, facts, new, *, on: date) -> list[str]:
        return rules.check_new_event(facts, new, today=on, dob=child.date_of_birth)

    def recording_refusal(self, actor, child: Child, kind: rules.Kind, day: date) -> str | None:
        return access.event_refusal(actor, child, kind, rules.policy_on(policies_for(child.la), day))

    correction_refusal = recording_refusal

    def record(self, record, kind, day, *, actor, details=None, check_role: bool = True, **kw):
        """As every journey records (journeys.services), after the placement's own checks: the early permanence
        household, and what a person must say that an import cannot (placement_problems)."""
        kind = self.kind(kind)
        person = journey_services.actor_or_none(actor) is not None
        if check_role and person:
            refusal = self.recording_refusal(actor, record, kind, day)
            if refusal:
                raise ValidationError(refusal)
        problems = placement_problems(record, kind, journey_services.clean_details(details), person=person)
        if problems:
            raise ValidationError(problems)
        return super().record(record, kind, day, actor=actor, details=details, check_role=check_role, **kw)

    def correct(self, event, *, actor, reason, day=None, details=None, **kw):
        """A correction that names another early permanence household is checked as a new one would be."""
        if details is not None and event.kind == rules.Kind.EARLY_PERMANENCE:
            new, old = details.get("household"), (event.details or {}).get("household")
            if new not in (None, "") and str(new) != str(old or ""):
                why = household_refusal(event.child, new)
                if why:
                    raise ValidationError({"household": [why]})
        return super().correct(event, actor=actor, reason=reason, day=day, details=details, **kw)

    def audit_child(self, child: Child) -> int:
        return child.pk


WRITER = ChildJourney()


def household_refusal(child: Child, household_id) -> str | None:
    """Why this household cannot be the child's early permanence carers (None if it can): it must be one of the
    child's RAA's approved households whose capacity profile says it is approved for early permanence."""
    from permanence.adopters import selectors as adopter_selectors

    return adopter_selectors.early_permanence_refusal(child.la.raa, household_id)


def placement_problems(child: Child, kind: rules.Kind, details: dict, *, person: bool) -> dict[str, list[str]]:
    """What is wrong with an early permanence placement's household or a disruption's cause, by detail.

    A household named is always checked. A person must name the household and choose the disruption's cause; an
    import (SSDA903 says neither) and the system need not.
    """
    problems: dict[str, list[str]] = {}
    if kind is rules.Kind.EARLY_PERMANENCE:
        household = details.get("household")
        if household in (None, ""):
            if person:
                problems["household"] = ["Select the household the child is placed with"]
        elif why := household_refusal(child, household):
            problems["household"] = [why]
    if kind is rules.Kind.DISRUPTION and person and details.get("cause") in (None, "", rules.DISRUPTION_NOT_RECORDED):
        problems["cause"] = ["Select why the placement disrupted"]
    return problems


def refresh_snapshot(child: Child, *, on: date | None = None) -> Child:
    """Recompute the derived columns on Child from its events and its LA's policies."""
    WRITER.refresh_snapshots([child], on=on)
    return child


def refresh_all_snapshots() -> tuple[int, int]:
    """Every child of every LA recalculated (the `refresh-snapshots` command): (changed, seen)."""
    changed = 0
    for la in Organisation.objects.filter(kind=Organisation.Kind.LA):
        changed += refresh_snapshots_for_la(la)
    return changed, Child.objects.count()


def refresh_snapshots_for_la(la: Organisation, *, on: date | None = None) -> int:
    """After an LA's policy changes: recompute every child of that LA (the changed ones written)."""
    return WRITER.refresh_snapshots(Child.objects.filter(la=la).select_related("la"), on=on, only_changed=True)


# ---------------------------------------------------------------------------------------------


def _check_child_fields(values: dict, *, la: Organisation, instance: Child | None = None) -> None:
    errors: dict[str, str] = {}
    if not (values.get("first_name") or "").strip():
        errors["first_name"] = "Enter the child's first name (for an unborn child, a working name such as 'Baby')."
    if not (values.get("last_name") or "").strip():
        errors["last_name"] = "Enter the child's last name."
    if not (values.get("la_child_id") or "").strip():
        errors["la_child_id"] = "Enter the child's ID in the LA's case system."
    dob, edob = values.get("date_of_birth"), values.get("expected_date_of_birth")
    if not dob and not edob:
        errors["date_of_birth"] = "Enter a date of birth, or an expected date of birth for an unborn child."
    if dob and dob > today():
        errors["date_of_birth"] = "The date of birth cannot be in the future. For an unborn child, enter the expected date of birth."
    if values.get("ethnicity") and values["ethnicity"] not in rules.ETHNICITIES:
        errors["ethnicity"] = "Choose an ethnicity from the DfE list."
    group = values.get("sibling_group")
    if group is not None and group.la_id != la.pk:
        errors["sibling_group"] = "A sibling group belongs to one LA: choose one of this LA's groups."
    la_child_id = (values.get("la_child_id") or "").strip()
    if la_child_id:
        clash = Child.objects.filter(la=la, la_child_id=la_child_id)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["la_child_id"] = f"{la.name} already has a child with ID {la_child_id}."
    for person_field in ("la_social_worker", "family_finder"):
        person = values.get(person_field)
        if person is None:
            continue
        if person_field == "la_social_worker" and person.organisation_id != la.pk:
            errors[person_field] = "The LA social worker must work for the child's LA."
        if person_field == "family_finder" and person.organisation_id != la.raa_id:
            errors[person_field] = "The family finder must work for the LA's RAA."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_child(*, actor, la: Organisation, needs: dict[str, str] | None = None, **values) -> Child:
    if actor is not None and not access.can_create_child_in(actor, la):
        raise ValidationError("You cannot add children to this LA.")
    values = {k: v for k, v in values.items() if k in CHILD_FIELDS}
    _check_child_fields(values, la=la)
    child = Child.objects.create(la=la, **values)
    if needs:
        set_needs(actor=actor, child=child, levels=needs, audit_it=False)
    audit.record_change(actor=actor, action="child.created", instance=child, after=audit.snapshot(child),
                        child_id=child.pk)
    refresh_snapshot(child)
    return child


@transaction.atomic
def update_child(*, actor, child: Child, reason: str = "", **values) -> Child:
    values = {k: v for k, v in values.items() if k in CHILD_FIELDS}
    merged = {f: getattr(child, f) for f in CHILD_FIELDS} | values
    _check_child_fields(merged, la=child.la, instance=child)
    before = audit.snapshot(child, list(values))
    for k, v in values.items():
        setattr(child, k, v)
    child.save(update_fields=list(values))
    after = audit.snapshot(child, list(values))
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit.record_change(actor=actor, action="child.updated", instance=child,
                            before={k: before[k] for k in changed}, after=changed, reason=reason, child_id=child.pk)
    if "date_of_birth" in values:
        refresh_snapshot(child)
    return child


@transaction.atomic
def set_needs(*, actor, child: Child, levels: dict[str, str], audit_it: bool = True) -> None:
    categories = {c.code: c for c in NeedCategory.objects.all()}
    unknown = [code for code in levels if code not in categories]
    if unknown:
        raise ValidationError(f"Unknown need categories: {', '.join(sorted(unknown))}.")
    before = {n.category.code: n.level for n in child.needs.select_related("category")}
    for code, level in levels.items():
        ChildNeed.objects.update_or_create(child=child, category=categories[code], defaults={"level": level})
    if audit_it and before != {**before, **levels}:
        audit.record_change(actor=actor, action="child.needs_updated", instance=child, before=before,
                            after={**before, **levels}, child_id=child.pk)


@transaction.atomic
def create_sibling_group(*, actor, la: Organisation, name: str, plan: str = SiblingGroup.Plan.UNDECIDED) -> SiblingGroup:
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the sibling group."})
    if plan not in SiblingGroup.Plan.values:
        raise ValidationError({"plan": "Choose the plan: together, apart or not yet decided."})
    if SiblingGroup.objects.filter(la=la, name=name.strip()).exists():
        raise ValidationError({"name": f"{la.name} already has a sibling group called {name.strip()}."})
    group = SiblingGroup.objects.create(la=la, name=name.strip(), plan=plan)
    audit.record_change(actor=actor, action="sibling_group.created", instance=group, after=audit.snapshot(group))
    return group


@transaction.atomic
def set_sibling_plan(*, actor, group: SiblingGroup, plan: str, reason: str = "") -> SiblingGroup:
    if plan not in SiblingGroup.Plan.values:
        raise ValidationError({"plan": "Choose the plan: together, apart or not yet decided."})
    if plan == group.plan:
        raise ValidationError({"plan": "That is already the plan."})
    before = group.plan
    group.plan = plan
    group.save(update_fields=["plan"])
    audit.record_change(actor=actor, action="sibling_group.plan", instance=group, before={"plan": before},
                        after={"plan": plan}, reason=reason)
    return group


# ---------------------------------------------------------------------------------------------
# The journey


def record_event(
    *,
    child: Child,
    kind: str | rules.Kind,
    date: date,
    actor,
    details: dict | None = None,
    note: str = "",
    source: str = JourneyEvent.Source.PERMANENCE,
    on: date | None = None,
    check_role: bool = True,
) -> JourneyEvent:
    """Add a dated event to the child's journey, or raise ValidationError saying what is wrong.

    Nothing is saved unless the whole journey, replayed with the new event, is valid.
    """
    return WRITER.record(child, kind, date, actor=actor, details=details, note=note, source=source, on=on,
                         check_role=check_role)


def correct_event(
    *,
    event: JourneyEvent,
    actor,
    reason: str,
    date: date | None = None,
    details: dict | None = None,
    withdraw: bool = False,
    on: date | None = None,
) -> JourneyEvent | None:
    """Correct an event's date or details, or withdraw it (recorded in error). A reason is required.

    The original is kept, marked superseded; the correction is a new event pointing at it.
    """
    return WRITER.correct(event, actor=actor, reason=reason, day=date, details=details, on=on, withdraw=withdraw)
