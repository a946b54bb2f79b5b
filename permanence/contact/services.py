"""Every write to contact plans and birth relatives' support: validate, save in a transaction, audit."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from permanence import access
from permanence.children.models import Child
from permanence.contact import rules, selectors
from permanence.contact.models import (
    BirthRelativeOffer,
    BirthRelativeSession,
    ContactArrangement,
    ContactPlan,
    ContactReview,
    ContactSettings,
    LetterboxExchange,
)
from permanence.core import audit
from permanence.core.clock import today  # noqa: F401 (services.today: the one clock)
from permanence.journeys.services import actor_or_none as _actor

SCHEDULE_AHEAD_DAYS = 365  # letterbox exchanges are scheduled this far ahead


def _check(actor, check_role: bool) -> None:
    if check_role and not access.can_record_contact(actor):
        raise PermissionDenied("Only the RAA's support workers and team managers record contact and support.")


def _change(actor, action: str, instance, child_id: int, before=None, reason: str = "") -> None:
    audit.record_change(actor=_actor(actor), action=action, instance=instance, before=before,
                        after=audit.snapshot(instance), reason=reason, child_id=child_id)


def _not_future(on: date | None, field: str, what: str) -> None:
    if on is not None and on > today():
        raise ValidationError({field: f"The date {what} must be today or in the past"})


# ---------------------------------------------------------------------------------------------
# Plans, arrangements and exchanges


def create_plan(*, actor, child: Child, notes: str = "", check_role: bool = True) -> ContactPlan:
    _check(actor, check_role)
    ao = selectors.adoption_order_date(child)
    if ao is None:
        raise ValidationError({"__all__": "A contact plan starts after the adoption order: the child's journey has "
                                          "no adoption order yet"})
    if ContactPlan.objects.filter(child=child).exists():
        raise ValidationError({"__all__": "The child already has a contact plan"})
    t = selectors.contact_timescales(ao, child.la.raa)
    with transaction.atomic():
        plan = ContactPlan.objects.create(child=child, adoption_order_date=ao, notes=notes,
                                          next_review_due=rules.review_due(ao, (), t))
        _change(actor, "contact.plan_created", plan, child.pk)
    return plan


def add_arrangement(*, actor, plan: ContactPlan, kind: str, with_name: str, relationship: str, start_on: date,
                    times_a_year: int | None = None, months: str = "", day_of_month: int = 1,
                    letterbox_ways: str = "both", end_on: date | None = None, notes: str = "",
                    check_role: bool = True, schedule_until: date | None = None) -> ContactArrangement:
    _check(actor, check_role)
    if end_on is not None and end_on < start_on:
        raise ValidationError({"end_on": "The end date must be on or after the start date"})
    if months:
        try:
            months = ",".join(map(str, rules.parse_months(months)))
        except ValueError:
            raise ValidationError({"months": "Enter the months as numbers from 1 to 12, for example 3, 9"}) from None
    elif kind == rules.Kind.LETTERBOX and times_a_year not in rules.TIMES_A_YEAR:
        raise ValidationError({"times_a_year": "Enter how many times a year: 1, 2, 3, 4, 6 or 12, or the months"})
    with transaction.atomic():
        arrangement = ContactArrangement.objects.create(
            plan=plan, kind=kind, with_name=with_name, relationship=relationship, times_a_year=times_a_year,
            months=months, day_of_month=day_of_month, letterbox_ways=letterbox_ways, start_on=start_on,
            end_on=end_on, notes=notes)
        _change(actor, "contact.arrangement_added", arrangement, plan.child_id)
        if kind == rules.Kind.LETTERBOX:
            schedule_exchanges(arrangement, schedule_until or today() + timedelta(days=SCHEDULE_AHEAD_DAYS))
    return arrangement


def exchange_due_dates(arrangement: ContactArrangement, until: date) -> list[date]:
    return rules.due_dates(arrangement.start_on, until, times_a_year=arrangement.times_a_year,
                           months=rules.parse_months(arrangement.months) if arrangement.months else (),
                           day=arrangement.day_of_month, end=arrangement.end_on)


def schedule_exchanges(arrangement: ContactArrangement, until: date) -> list[LetterboxExchange]:
    """Create the arrangement's exchanges due up to `until` that are not there yet (idempotent)."""
    if arrangement.kind != rules.Kind.LETTERBOX:
        return []
    have = set(arrangement.exchanges.values_list("direction", "due_on"))
    new = [LetterboxExchange(arrangement=arrangement, direction=d, due_on=day)
           for day in exchange_due_dates(arrangement, until) for d in arrangement.directions if (d, day) not in have]
    return LetterboxExchange.objects.bulk_create(new)


STEP_FIELDS = {rules.Step.RECEIVED: "received_on", rules.Step.READ: "read_on", rules.Step.REDACTED: "redacted_on",
               rules.Step.FORWARDED: "forwarded_on"}


def record_step(*, actor, exchange: LetterboxExchange, step: str, on: date, reason: str = "", notes: str = "",
                check_role: bool = True) -> LetterboxExchange:
    """Record that the exchange was received, read, redacted (with the reason) or forwarded on `on`."""
    _check(actor, check_role)
    step = rules.Step(step)
    with transaction.atomic():
        exchange = LetterboxExchange.objects.select_for_update().get(pk=exchange.pk)
        refusal = rules.step_refusal(exchange.facts(), step, on, today(), reason)
        if refusal:
            raise ValidationError({refusal[0]: refusal[1]})
        before = audit.snapshot(exchange)
        setattr(exchange, STEP_FIELDS[step], on)
        if step is rules.Step.REDACTED:
            exchange.redaction_reason = reason.strip()
        if notes:
            exchange.notes = f"{exchange.notes}\n{notes}".strip()
        exchange.save()
        _change(actor, f"contact.letterbox_{step.value}", exchange, exchange.arrangement.plan.child_id, before)
    return exchange


def record_review(*, actor, plan: ContactPlan, held_on: date, outcome: str, changes: str = "",
                  check_role: bool = True) -> ContactReview:
    """Record a review of the plan's arrangements: the next one falls due from it (rules.review_due)."""
    _check(actor, check_role)
    _not_future(held_on, "held_on", "of the review")
    if held_on < plan.adoption_order_date:
        raise ValidationError({"held_on": "The review must be on or after the adoption order"})
    if outcome == "changed" and not changes.strip():
        raise ValidationError({"changes": "Enter what changed"})
    with transaction.atomic():
        before = audit.snapshot(plan)
        review = ContactReview.objects.create(plan=plan, held_on=held_on, outcome=outcome, changes=changes,
                                              recorded_by=_actor(actor))
        refresh_plan(plan)
        _change(actor, "contact.review_recorded", review, plan.child_id)
        _change(actor, "contact.plan_review_due", plan, plan.child_id, before)
    return review


def refresh_plan(plan: ContactPlan) -> ContactPlan:
    """The plan's snapshot: the latest review and the next one due."""
    held = list(plan.reviews.values_list("held_on", flat=True))
    plan.last_reviewed_on = max(held) if held else None
    plan.next_review_due = rules.review_due(plan.adoption_order_date, held,
                                            selectors.contact_timescales(plan.adoption_order_date,
                                                                         plan.child.la.raa))
    plan.save(update_fields=["last_reviewed_on", "next_review_due"])
    return plan


# ---------------------------------------------------------------------------------------------
# Birth relatives' support


def record_offer(*, actor, child: Child, relative_name: str, relationship: str, offered_on: date, offered_by: str,
                 response: str = rules.Response.NO_RESPONSE, response_on: date | None = None, notes: str = "",
                 check_role: bool = True) -> BirthRelativeOffer:
    _check(actor, check_role)
    _not_future(offered_on, "offered_on", "support was offered")
    _check_response(offered_on, response, response_on)
    with transaction.atomic():
        offer = BirthRelativeOffer.objects.create(
            child=child, relative_name=relative_name, relationship=relationship, offered_on=offered_on,
            offered_by=offered_by, response=response, response_on=response_on, notes=notes)
        _change(actor, "contact.birth_relative_offered", offer, child.pk)
    return offer


def _check_response(offered_on: date, response: str, response_on: date | None) -> None:
    if response == rules.Response.NO_RESPONSE:
        if response_on is not None:
            raise ValidationError({"response_on": "Leave the date empty while there is no response"})
        return
    if response_on is None:
        raise ValidationError({"response_on": "Enter the date the relative responded"})
    _not_future(response_on, "response_on", "the relative responded")
    if response_on < offered_on:
        raise ValidationError({"response_on": "The response must be on or after the date support was offered"})


def record_response(*, actor, offer: BirthRelativeOffer, response: str, response_on: date | None,
                    check_role: bool = True) -> BirthRelativeOffer:
    _check(actor, check_role)
    _check_response(offer.offered_on, response, response_on)
    with transaction.atomic():
        before = audit.snapshot(offer)
        offer.response, offer.response_on = response, response_on
        offer.save(update_fields=["response", "response_on"])
        _change(actor, "contact.birth_relative_response", offer, offer.child_id, before)
    return offer


def record_session(*, actor, offer: BirthRelativeOffer, held_on: date, notes: str = "",
                   check_role: bool = True) -> BirthRelativeSession:
    _check(actor, check_role)
    _not_future(held_on, "held_on", "of the session")
    if held_on < offer.offered_on:
        raise ValidationError({"held_on": "The session must be on or after the date support was offered"})
    if offer.response != rules.Response.ACCEPTED:
        raise ValidationError({"held_on": "Record that the relative accepted the offer before a session"})
    with transaction.atomic():
        session = BirthRelativeSession.objects.create(offer=offer, held_on=held_on, notes=notes)
        _change(actor, "contact.birth_relative_session", session, offer.child_id)
    return session


# ---------------------------------------------------------------------------------------------
# The RAA's own review intervals


def set_review_intervals(*, actor, raa, first_review_months: int, later_review_months: int, source: str,
                         check_role: bool = True) -> ContactSettings:
    """Set the RAA's review intervals; every one of its plans' next review due is worked out again."""
    if check_role and not access.can_set_contact_settings(actor, raa):
        raise PermissionDenied("Only the RAA's team managers and head of service set its contact review intervals.")
    if not (1 <= first_review_months <= 60 and 1 <= later_review_months <= 60):
        raise ValidationError({"__all__": "Review intervals must be from 1 to 60 months"})
    with transaction.atomic():
        found = ContactSettings.objects.filter(raa=raa).first()
        before = audit.snapshot(found) if found else None
        settings, _ = ContactSettings.objects.update_or_create(raa=raa, defaults={
            "first_review_months": first_review_months, "later_review_months": later_review_months,
            "source": source})
        audit.record_change(actor=_actor(actor), action="contact.review_intervals_set", instance=settings,
                            before=before, after=audit.snapshot(settings))
        for plan in ContactPlan.objects.filter(child__la__raa=raa).select_related("child__la__raa"):
            refresh_plan(plan)
    return settings
