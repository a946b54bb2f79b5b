"""Writes to the measures' configuration: each validated, saved in a transaction and audited."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.core import audit
from permanence.organisations.models import Organisation
from permanence.performance import rules
from permanence.performance.models import (
    AdoptionDays,
    DailyCostOfCare,
    LocalTarget,
    NationalFigure,
    RAAMembership,
    Threshold,
)

IDS_PER_QUERY = 2000


class _Event(NamedTuple):
    kind: str
    date: date
    details: dict


def refresh_adoption_days(child_ids: Iterable[int]) -> int:
    """The comparisons' per-child days (AdoptionDays) of these children, again from their events in force: one query
    for the events of those of up to 2,000 children who have an adoption order, aggregated as the measures' milestone query aggregates them
    (rules.aggregate_milestones, its Python twin), their old rows deleted and the new ones written. Called by the
    child journey's writer whenever these children's events change, in its transaction. Returns the rows written."""
    from permanence.children.models import JourneyEvent

    ids = sorted(set(child_ids))
    written = 0
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start:start + IDS_PER_QUERY]
        events: dict[int, list[_Event]] = {}
        la_of: dict[int, int] = {}
        adopted = JourneyEvent.objects.filter(child_id__in=chunk, kind="adoption_order", superseded=False)
        for child_id, la_id, kind, day, details in (
                JourneyEvent.objects.filter(child_id__in=adopted.values("child_id"), superseded=False,
                                            kind__in=rules.MILESTONE_KINDS)
                .order_by().values_list("child_id", "child__la_id", "kind", "date", "details")):
            events.setdefault(child_id, []).append(_Event(kind, day, details))
            la_of[child_id] = la_id
        rows = []
        for child_id, facts in events.items():
            m = rules.aggregate_milestones(child_id, la_of[child_id], facts, date.max)
            if m is None or m.adoption_order is None:
                continue
            days = rules.child_days(m)
            rows.append(AdoptionDays(child_id=child_id, la_id=m.la_id, adopted_on=m.adoption_order,
                                     a1=days.a1, a10=days.a10, a2=days.a2))
        AdoptionDays.objects.filter(child_id__in=chunk).delete()
        AdoptionDays.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


def rebuild_adoption_days() -> int:
    """Every child's AdoptionDays again (after a migration, or to check nothing drifted): the rows written."""
    from permanence.children.models import Child

    with transaction.atomic():
        AdoptionDays.objects.all().delete()
        return refresh_adoption_days(Child.objects.filter(events__kind="adoption_order").values_list("pk", flat=True))


@transaction.atomic
def record_raa_membership(*, actor, la: Organisation, raa: Organisation, valid_from: date | None,
                          valid_to: date | None = None, source: str = "") -> RAAMembership:
    """Record that `la` belonged to `raa` from `valid_from` to `valid_to` (inclusive; None: open). Periods of one
    LA may not overlap. Once an LA has any row, its rows alone decide which RAA its children count for."""
    if la.kind != Organisation.Kind.LA or raa.kind != Organisation.Kind.RAA:
        raise ValidationError("A membership joins a local authority to a regional adoption agency.")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": "The end cannot be before the start."})
    for other in RAAMembership.objects.select_for_update().filter(la=la):
        if (other.valid_to is None or valid_from is None or other.valid_to >= valid_from) and \
                (valid_to is None or other.valid_from is None or valid_to >= other.valid_from):
            raise ValidationError(f"{la} already belongs to {other.raa} in part of that period.")
    membership = RAAMembership.objects.create(la=la, raa=raa, valid_from=valid_from, valid_to=valid_to,
                                              source=source)
    audit.record_change(actor=actor, action="performance.raa_membership.created", instance=membership,
                        after=audit.snapshot(membership))
    return membership


@transaction.atomic
def add_threshold(*, actor, key: str, value, unit: str, valid_from: date, source: str,
                  valid_to: date | None = None) -> Threshold:
    if not source.strip():
        raise ValidationError({"source": "Say where the threshold comes from."})
    threshold = Threshold.objects.create(key=key, value=Decimal(str(value)), unit=unit, valid_from=valid_from,
                                         valid_to=valid_to, source=source.strip())
    audit.record_change(actor=actor, action="performance.threshold.created", instance=threshold,
                        after=audit.snapshot(threshold))
    return threshold


@transaction.atomic
def add_local_target(*, actor, organisation: Organisation, key: str, value, valid_from: date, source: str,
                     valid_to: date | None = None, amber_margin_percent: int = 10) -> LocalTarget:
    """The organisation's own target for a measure from a date (figures whose period ends on or after it). A
    newer target for the same measure takes over from its own date; history is kept."""
    errors = {}
    measure = rules.MEASURES.get(key)
    if key not in rules.targetable_keys():
        errors["key"] = "Choose a measure that has a direction (an average or a percentage)."
    if organisation.kind not in (Organisation.Kind.RAA, Organisation.Kind.LA):
        errors["organisation"] = "Targets are set for a regional adoption agency or a local authority."
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        amount = None
    if amount is None or amount < 0 or (measure is not None and measure.kind == "percent" and amount > 100):
        errors["value"] = "Enter a target of 0 or more (a percentage is at most 100)."
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = "The end cannot be before the start."
    if not (source or "").strip():
        errors["source"] = "Say who set the target and when, for example 'Board, 12 March 2026'."
    if not 0 <= amber_margin_percent <= 100:
        errors["amber_margin_percent"] = "The amber margin is a percentage from 0 to 100."
    if not errors and LocalTarget.objects.filter(organisation=organisation, key=key, valid_from=valid_from).exists():
        errors["valid_from"] = f"{organisation} already has a {key} target from {valid_from:%d/%m/%Y}: choose another date."
    if errors:
        raise ValidationError(errors)
    target = LocalTarget.objects.create(organisation=organisation, key=key, value=amount, valid_from=valid_from,
                                        valid_to=valid_to, source=source.strip(),
                                        amber_margin_percent=amber_margin_percent)
    audit.record_change(actor=actor, action="performance.local_target.created", instance=target,
                        after=audit.snapshot(target))
    return target


@transaction.atomic
def set_daily_cost_of_care(*, actor, amount, valid_from: date, source: str,
                           organisation: Organisation | None = None) -> DailyCostOfCare:
    """A daily cost of care from a date, for an RAA or an LA (its own figure), or with no organisation the
    installation's default. Figures are added, never changed."""
    if Decimal(str(amount)) <= 0:
        raise ValidationError({"amount": "A day in care costs more than nothing."})
    if not source.strip():
        raise ValidationError({"source": "Say where the figure comes from."})
    if organisation is not None and organisation.kind not in (Organisation.Kind.RAA, Organisation.Kind.LA):
        raise ValidationError("A daily cost of care is set for a regional adoption agency or a local authority.")
    if DailyCostOfCare.objects.filter(organisation=organisation, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": f"A daily cost already applies from {valid_from:%-d %B %Y}. "
                                             "Figures are added, not changed: choose another date"})
    cost = DailyCostOfCare.objects.create(organisation=organisation, amount=Decimal(str(amount)),
                                          valid_from=valid_from, source=source.strip())
    audit.record_change(actor=actor, action="performance.daily_cost.created", instance=cost,
                        after=audit.snapshot(cost))
    return cost


# ---------------------------------------------------------------------------------------------
# Performance surgeries: actions agreed about a child or a household, who owns them and by when.

from django.utils import timezone  # noqa: E402

from permanence import access  # noqa: E402
from permanence.performance.models import SurgeryAction  # noqa: E402

SURGERY_ACTION_FIELDS = ["text", "owner", "due_by", "agreed_on", "status", "escalated_to", "escalated_on",
                         "escalation_reason", "closed_on", "outcome"]
# A surgery sets the next step, not next year's: a due date beyond this is almost always a typing slip.
SURGERY_ACTION_MAX_DAYS = 366
SURGERY_TEXT_MAX = 500


def _surgery_today(today: date | None) -> date:
    return today or timezone.localdate()


def _action_snapshot(action: SurgeryAction) -> dict:
    return audit.snapshot(action, SURGERY_ACTION_FIELDS)


def _audit_action(*, actor, what: str, action: SurgeryAction, before: dict | None, reason: str = "") -> None:
    audit.record_change(actor=actor, action=f"performance.surgery_action.{what}", instance=action, before=before,
                        after=_action_snapshot(action), reason=reason, child_id=action.child_id)


def _subject_name(child, household) -> str:
    return str(child) if child is not None else f"the {household} household"


@transaction.atomic
def agree_action(*, actor, child=None, household=None, text: str, owner, due_by: date | None,
                 agreed_on: date | None, team=None, organisation: Organisation | None = None,
                 today: date | None = None) -> SurgeryAction:
    """Record an action agreed at a surgery about one child or one household.

    The action belongs to the actor's organisation (or `organisation`, for loaders that pass actor=None). The
    owner must work for that organisation and be able to see the child or household; the due date cannot be
    before the surgery, and the surgery cannot be in the future."""
    today = _surgery_today(today)
    if (child is None) == (household is None):
        raise ValidationError("An action is about one child or one household.")
    organisation = organisation or getattr(actor, "organisation", None)
    if organisation is None:
        raise ValidationError("Say whose surgery agreed the action.")
    if actor is not None:
        if not access.can_agree_surgery_action(actor) or actor.organisation_id != organisation.pk:
            raise ValidationError("Only a team manager or the head of service can agree actions at a surgery.")
        visible = (access.children_visible_to(actor).filter(pk=child.pk) if child is not None
                   else access.households_visible_to(actor).filter(pk=household.pk))
        if not visible.exists():
            raise ValidationError("You do not have access to this record.")
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": "The team must belong to the organisation whose surgery this is."})
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter the action agreed, for example 'Send the CPR to the LA's ADM'."
    elif len(text) > SURGERY_TEXT_MAX:
        errors["text"] = f"The action must be {SURGERY_TEXT_MAX} characters or fewer; put the detail in the case notes."
    if owner is None:
        errors["owner"] = "Choose who owns the action."
    elif owner.organisation_id != organisation.pk:
        errors["owner"] = f"The owner must work for {organisation.name}, whose surgery agreed the action."
    elif not access.can_own_surgery_action(owner, child=child, household=household):
        errors["owner"] = f"{owner} cannot see {_subject_name(child, household)}'s record, so cannot own this action."
    if agreed_on is None:
        errors["agreed_on"] = "Enter the date of the surgery."
    elif agreed_on > today:
        errors["agreed_on"] = "The date of the surgery cannot be in the future."
    if due_by is None:
        errors["due_by"] = "Enter the date the action is due by."
    elif agreed_on is not None and due_by < agreed_on:
        errors["due_by"] = "The action cannot be due before the surgery that agreed it."
    elif agreed_on is not None and (due_by - agreed_on).days > SURGERY_ACTION_MAX_DAYS:
        errors["due_by"] = "The action must be due within a year of the surgery; agree the next step instead."
    if not errors:
        same = SurgeryAction.objects.filter(organisation=organisation, status__in=SurgeryAction.OPEN_STATUSES,
                                            text__iexact=text, child=child, household=household)
        if same.exists():
            errors["text"] = "This action is already open for this record. Complete or withdraw it first."
    if errors:
        raise ValidationError(errors)
    action = SurgeryAction.objects.create(
        child=child, household=household, organisation=organisation, team=team, text=text, owner=owner,
        due_by=due_by, agreed_on=agreed_on, agreed_by=actor if getattr(actor, "pk", None) else None)
    _audit_action(actor=actor, what="agreed", action=action, before=None)
    return action


def _lock_action(action: SurgeryAction) -> SurgeryAction:
    return SurgeryAction.objects.select_for_update(of=("self",)).select_related("owner", "escalated_to").get(pk=action.pk)


def _check_still_open(action: SurgeryAction) -> None:
    if not action.is_open:
        raise ValidationError(f"This action is already {action.get_status_display().lower()}.")


def _check_day(day: date | None, action: SurgeryAction, today: date, field: str, what: str) -> None:
    if day is None:
        raise ValidationError({field: f"Enter the date {what}."})
    if day > today:
        raise ValidationError({field: f"The date {what} cannot be in the future."})
    if day < action.agreed_on:
        raise ValidationError({field: f"The date {what} cannot be before the surgery agreed the action "
                                      f"({action.agreed_on:%d/%m/%Y})."})


@transaction.atomic
def complete_action(*, actor, action: SurgeryAction, on: date | None, outcome: str = "",
                    today: date | None = None) -> SurgeryAction:
    """Mark an open or escalated action done, with what was done."""
    today = _surgery_today(today)
    action = _lock_action(action)
    _check_still_open(action)
    if actor is not None and not access.can_complete_surgery_action(actor, action):
        raise ValidationError("Only a manager, the action's owner or the person it was escalated to can mark it done.")
    _check_day(on, action, today, "on", "it was done")
    if len((outcome or "").strip()) > 2000:
        raise ValidationError({"outcome": "Keep what was done to 2000 characters or fewer."})
    before = _action_snapshot(action)
    action.status, action.closed_on, action.outcome = SurgeryAction.Status.DONE, on, (outcome or "").strip()
    action.closed_by = actor if getattr(actor, "pk", None) else None
    action.save(update_fields=["status", "closed_on", "outcome", "closed_by"])
    _audit_action(actor=actor, what="completed", action=action, before=before)
    return action


@transaction.atomic
def escalate_action(*, actor, action: SurgeryAction, to, reason: str, on: date | None,
                    today: date | None = None) -> SurgeryAction:
    """Escalate an open action (or pass an escalated one on) to a team manager or the head of service of the
    organisation whose surgery agreed it, with the reason."""
    today = _surgery_today(today)
    action = _lock_action(action)
    _check_still_open(action)
    if actor is not None and not access.can_escalate_surgery_action(actor, action):
        raise ValidationError("Only a manager or the action's owner can escalate it.")
    errors: dict[str, str] = {}
    if to is None:
        errors["to"] = "Choose who to escalate the action to."
    elif (to.organisation_id != action.organisation_id or to.role not in access.SURGERY_ESCALATION_ROLES
          or not to.is_active):
        errors["to"] = f"Escalate to a team manager or the head of service of {action.organisation.name}."
    elif actor is not None and to.pk == actor.pk:
        errors["to"] = "You cannot escalate an action to yourself."
    elif to.pk == action.escalated_to_id:
        errors["to"] = f"This action is already escalated to {to}."
    if not (reason or "").strip():
        errors["reason"] = "Say why the action is being escalated, for example what is blocking it."
    if errors:
        raise ValidationError(errors)
    _check_day(on, action, today, "on", "of the escalation")
    before = _action_snapshot(action)
    action.status, action.escalated_to, action.escalated_on = SurgeryAction.Status.ESCALATED, to, on
    action.escalation_reason = reason.strip()
    action.escalated_by = actor if getattr(actor, "pk", None) else None
    action.save(update_fields=["status", "escalated_to", "escalated_on", "escalation_reason", "escalated_by"])
    _audit_action(actor=actor, what="escalated", action=action, before=before, reason=action.escalation_reason)
    return action


@transaction.atomic
def withdraw_action(*, actor, action: SurgeryAction, on: date | None, reason: str,
                    today: date | None = None) -> SurgeryAction:
    """Withdraw an action that is no longer needed (the plan changed, it was agreed in error), with the reason."""
    today = _surgery_today(today)
    action = _lock_action(action)
    _check_still_open(action)
    if actor is not None and not access.can_withdraw_surgery_action(actor, action):
        raise ValidationError("Only a team manager or the head of service can withdraw an action.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the action is no longer needed."})
    _check_day(on, action, today, "on", "it was withdrawn")
    before = _action_snapshot(action)
    action.status, action.closed_on, action.outcome = SurgeryAction.Status.WITHDRAWN, on, reason.strip()
    action.closed_by = actor if getattr(actor, "pk", None) else None
    action.save(update_fields=["status", "closed_on", "outcome", "closed_by"])
    _audit_action(actor=actor, what="withdrawn", action=action, before=before, reason=reason.strip())
    return action


# ---------------------------------------------------------------------------------------------
# Published England figures


# The published England figures the seeds quote (seed 003 tables 1 and 2, the 2012–15 scorecard), as a file to load.
SEED_003_ENGLAND = Path(__file__).parent / "data" / "england_2012_15_seed003.csv"


class NationalFiguresRefused(ValidationError):
    """A national figures file that was not loaded, with every problem, each naming its line."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class NationalLoad:
    added: tuple[NationalFigure, ...]
    replaced: tuple[NationalFigure, ...]
    unchanged: tuple[NationalFigure, ...]


def read_national_figures(text: str) -> list[rules.NationalRow]:
    """A national figures CSV (measure, period, value, source; n optional), checked line by line: its rows, or
    NationalFiguresRefused with every problem."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as err:
        raise NationalFiguresRefused([f"Line {reader.line_num}: the file is not readable as CSV ({err})"]) from None
    parsed, problems = rules.parse_national_figures(rows, reader.fieldnames)
    if problems:
        raise NationalFiguresRefused(problems)
    return parsed


@transaction.atomic
def load_national_figures(*, actor, text: str, replace: bool = False) -> NationalLoad:
    """Load published England figures from a CSV, all or nothing. A figure for a measure and period already loaded
    with the same value, n and source is left as it is (loading the same file twice changes nothing); one with a
    different value, n or source is refused unless `replace`, when it is replaced and the audit log keeps the
    old one. Each figure added or replaced is audited."""
    rows = read_national_figures(text)
    existing = {(f.measure, f.period_start, f.period_end): f for f in NationalFigure.objects.select_for_update()
                .filter(measure__in={r.measure for r in rows})}
    problems, added, replaced, unchanged = [], [], [], []
    plan = []
    for r in rows:
        old = existing.get((r.measure, r.period.start, r.period.end))
        if old is None:
            plan.append((r, None))
        elif (old.value, old.n, old.source) == (r.value, r.n, r.source):
            unchanged.append(old)
        elif not replace:
            problems.append(f"Line {r.line}: England {r.measure} for {r.period_text} is already loaded as "
                            f"{rules._num(old.value)} ({old.source}); to replace it, load the file with --replace")
        else:
            plan.append((r, old))
    if problems:
        raise NationalFiguresRefused(problems)
    for r, old in plan:
        fields = dict(period=r.period_text, value=r.value, n=r.n, source=r.source)
        if old is None:
            fig = NationalFigure.objects.create(measure=r.measure, period_start=r.period.start,
                                                period_end=r.period.end, added_by=_staff(actor), **fields)
            audit.record_change(actor=actor, action="performance.national_figure.created", instance=fig,
                                after=audit.snapshot(fig))
            added.append(fig)
        else:
            before = audit.snapshot(old)
            for name, value in fields.items():
                setattr(old, name, value)
            old.added_by, old.added_at = _staff(actor), timezone.now()
            old.save()
            audit.record_change(actor=actor, action="performance.national_figure.replaced", instance=old,
                                before=before, after=audit.snapshot(old))
            replaced.append(old)
    return NationalLoad(tuple(added), tuple(replaced), tuple(unchanged))


def _staff(actor):
    return actor if actor is not None and getattr(actor, "pk", None) else None
