"""Every write to enquiries, households, capacity profiles and panels: validate, save in a transaction, audit."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.adopters import rules
from permanence.adopters.models import (
    Applicant,
    CapacityNeed,
    CapacityProfile,
    Enquiry,
    EnquirySource,
    Household,
    HouseholdEvent,
    HouseholdMember,
    Panel,
    PanelItem,
)
from permanence.children.models import NeedCategory, NeedLevel
from permanence.core import audit
from permanence.core.clock import today  # noqa: F401 (services.today: the one clock)
from permanence.journeys import services as journey_services
from permanence.organisations.models import Organisation, Role
from permanence.timescales.selectors import timescales_in_force

_actor = journey_services.actor_or_none


# ---------------------------------------------------------------------------------------------
# Enquiries


@transaction.atomic
def record_enquiry(*, actor, raa: Organisation, received_on: date, source: EnquirySource, first_name: str,
                   last_name: str, email: str = "", phone: str = "", residence_la: Organisation | None = None,
                   residence_area: str = "") -> Enquiry:
    errors = {}
    if raa.kind != Organisation.Kind.RAA:
        errors["raa"] = "Enquiries are made to an RAA."
    if not received_on:
        errors["received_on"] = "Enter the date the enquiry was received."
    elif received_on > today():
        errors["received_on"] = "The date the enquiry was received cannot be in the future."
    if not (first_name or "").strip():
        errors["first_name"] = "Enter the enquirer's first name."
    if not (last_name or "").strip():
        errors["last_name"] = "Enter the enquirer's last name."
    if source is None:
        errors["source"] = "Choose where the enquiry came from."
    if residence_la is not None and residence_la.raa_id != raa.pk:
        errors["residence_la"] = "Choose one of the RAA's member LAs, or give the area instead."
    if errors:
        raise ValidationError(errors)
    enquiry = Enquiry.objects.create(
        raa=raa, received_on=received_on, source=source, first_name=first_name.strip(), last_name=last_name.strip(),
        email=email.strip(), phone=phone.strip(), residence_la=residence_la, residence_area=residence_area.strip(),
        recorded_by=_actor(actor))
    audit.record_change(actor=actor, action="enquiry.created", instance=enquiry, after=audit.snapshot(enquiry))
    return enquiry


@transaction.atomic
def set_enquiry_outcome(*, actor, enquiry: Enquiry, outcome: str, on: date, signpost_reason: str = "") -> Enquiry:
    if outcome not in Enquiry.Outcome.values or outcome in (Enquiry.Outcome.OPEN, Enquiry.Outcome.ROI_RECEIVED):
        raise ValidationError({"outcome": "Choose an outcome. To record a registration of interest, use "
                                          "'Registration of interest received'."})
    if enquiry.household_id:
        raise ValidationError("This enquiry already led to a registration of interest.")
    if outcome == Enquiry.Outcome.SIGNPOSTED and not signpost_reason.strip():
        raise ValidationError({"signpost_reason": "Say where they were signposted and why."})
    if on < enquiry.received_on or on > today():
        raise ValidationError({"on": "The outcome date must be on or after the enquiry and not in the future."})
    before = audit.snapshot(enquiry, ["outcome", "outcome_on", "signpost_reason"])
    enquiry.outcome, enquiry.outcome_on, enquiry.signpost_reason = outcome, on, signpost_reason.strip()
    enquiry.save(update_fields=["outcome", "outcome_on", "signpost_reason"])
    audit.record_change(actor=actor, action="enquiry.outcome", instance=enquiry, before=before,
                        after=audit.snapshot(enquiry, ["outcome", "outcome_on", "signpost_reason"]))
    return enquiry


# ---------------------------------------------------------------------------------------------
# Households


def _check_applicants(applicants: list[dict]) -> None:
    if not 1 <= len(applicants) <= 2:
        raise ValidationError("A household has one or two applicants.")
    for i, a in enumerate(applicants, start=1):
        if not (a.get("first_name") or "").strip() or not (a.get("last_name") or "").strip():
            raise ValidationError(f"Enter applicant {i}'s first and last name.")
        dob = a.get("date_of_birth")
        if dob and dob > today():
            raise ValidationError(f"Applicant {i}'s date of birth cannot be in the future.")


@transaction.atomic
def register_interest(*, actor, raa: Organisation, name: str, applicants: list[dict], roi_date: date,
                      enquiry: Enquiry | None = None, relationship: str = Household.Relationship.SINGLE,
                      residence_la: Organisation | None = None, address: str = "", postcode: str = "",
                      previous_adopters: bool = False, approved_foster_carers: bool = False,
                      assessing_social_worker=None, members: list[dict] | None = None) -> Household:
    """A registration of interest: creates the household and its first event."""
    if actor is not None and not access.can_write_households(actor):
        raise ValidationError("Your role cannot register households.")
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the household."})
    if residence_la is not None and residence_la.raa_id != raa.pk:
        raise ValidationError({"residence_la": "Choose one of the RAA's member LAs."})
    _check_applicants(applicants)
    if relationship == Household.Relationship.SINGLE and len(applicants) != 1:
        raise ValidationError({"relationship": "A single applicant household has one applicant."})
    if relationship != Household.Relationship.SINGLE and len(applicants) != 2:
        raise ValidationError({"relationship": "A couple applies together: enter both applicants."})
    if enquiry is not None and (enquiry.raa_id != raa.pk or enquiry.household_id):
        raise ValidationError("That enquiry belongs to another RAA or has already become a registration.")
    if enquiry is not None and roi_date < enquiry.received_on:
        raise ValidationError({"roi_date": "The registration of interest cannot be before the enquiry."})
    if assessing_social_worker is not None and (assessing_social_worker.organisation_id != raa.pk or
                                                assessing_social_worker.role not in access.HOUSEHOLD_WRITE_ROLES):
        raise ValidationError({"assessing_social_worker": "Choose an assessing social worker of this RAA."})
    household = Household.objects.create(
        raa=raa, name=name.strip(), relationship=relationship, residence_la=residence_la, address=address,
        postcode=postcode, previous_adopters=previous_adopters, approved_foster_carers=approved_foster_carers,
        assessing_social_worker=assessing_social_worker)
    for a in applicants:
        Applicant.objects.create(household=household, **{k: v for k, v in a.items() if v is not None})
    for m in members or []:
        HouseholdMember.objects.create(household=household, **m)
    CapacityProfile.objects.create(household=household)
    if enquiry is not None:
        enquiry.household = household
        enquiry.outcome, enquiry.outcome_on = Enquiry.Outcome.ROI_RECEIVED, roi_date
        enquiry.save(update_fields=["household", "outcome", "outcome_on"])
    audit.record_change(actor=actor, action="household.created", instance=household,
                        after=audit.snapshot(household))
    record_event(household=household, kind=rules.Kind.ROI_RECEIVED, date=roi_date, actor=actor, check_role=False)
    household.refresh_from_db()
    return household


HOUSEHOLD_FIELDS = ["name", "relationship", "address", "postcode", "residence_la", "previous_adopters",
                    "approved_foster_carers", "assessing_social_worker"]


@transaction.atomic
def update_household(*, actor, household: Household, **values) -> Household:
    values = {k: v for k, v in values.items() if k in HOUSEHOLD_FIELDS}
    if "name" in values and not values["name"].strip():
        raise ValidationError({"name": "Enter a name for the household."})
    la = values.get("residence_la")
    if la is not None and la.raa_id != household.raa_id:
        raise ValidationError({"residence_la": "Choose one of the RAA's member LAs."})
    worker = values.get("assessing_social_worker")
    if worker is not None and (worker.organisation_id != household.raa_id or
                               worker.role not in access.HOUSEHOLD_WRITE_ROLES):
        raise ValidationError({"assessing_social_worker": "Choose an assessing social worker of this RAA."})
    before = audit.snapshot(household, list(values))
    for k, v in values.items():
        setattr(household, k, v)
    if "previous_adopters" in values or "approved_foster_carers" in values:
        # Fast track changes what the journey allows: re-check it.
        try:
            rules.replay(event_facts(household), fast_track=household.fast_track)
        except rules.TransitionRefused as refused:
            raise ValidationError(f"That change would make the recorded journey impossible: {refused.message}") \
                from None
    household.save(update_fields=list(values))
    after = audit.snapshot(household, list(values))
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit.record_change(actor=actor, action="household.updated", instance=household,
                            before={k: before[k] for k in changed}, after=changed)
    refresh_snapshot(household)
    return household


@transaction.atomic
def set_target_panel_date(*, actor, household: Household, target: date, reason: str = "") -> Household:
    """Set the target panel date at the start of the assessment; moving it needs a reason (audited)."""
    if target is None:
        raise ValidationError({"target": "Enter the target panel date."})
    state = rules.replay(event_facts(household), fast_track=household.fast_track)
    if state.roi and target < state.roi:
        raise ValidationError({"target": "The target panel date cannot be before the registration of interest."})
    if household.target_panel_date and household.target_panel_date != target and not reason.strip():
        raise ValidationError({"reason": "Give a reason for moving the target panel date."})
    if household.target_panel_date == target:
        raise ValidationError({"target": "That is already the target panel date."})
    before = household.target_panel_date
    household.target_panel_date = target
    household.save(update_fields=["target_panel_date"])
    audit.record_change(actor=actor, action="household.target_panel_date", instance=household,
                        before={"target_panel_date": before}, after={"target_panel_date": target},
                        reason=reason.strip())
    return household


def suggested_target_panel_date(household: Household, start: date) -> date:
    """The first panel with room on or after the statutory end of the assessment from `start`: stage 1 then
    stage 2 as the timescales in force give them (stage 2 alone for a fast-track household)."""
    from permanence.timescales.rules import add_months

    timescales = {t.key: t for t in timescales_in_force(start, "household")}
    target = start
    steps = [("household_stage_2", 4)] if household.fast_track else [("household_stage_1", 2), ("household_stage_2", 4)]
    for key, default_months in steps:
        target = timescales[key].due_from(target) if key in timescales else add_months(target, default_months)
    panel = next_panel_with_room(household.raa, target)
    return panel.date if panel else target


# ---------------------------------------------------------------------------------------------
# The assessment journey


def event_facts(household: Household) -> list[rules.EventFact]:
    """The household's events in force, as the rules see them."""
    return WRITER.facts(household)


SNAPSHOT_FIELDS = ("stage", "stage_since", "roi_date", "approved_on", "paused", "next_due_date", "next_due_label",
                   "next_due_allowed_days")


def snapshot_values(household: Household, state: rules.HouseholdState, on: date, timescales=None) -> dict:
    """The derived columns kept on Household. Pass `timescales` when refreshing many households at once."""
    if timescales is None:
        timescales = timescales_in_force(on, "household")
    due = rules.due_actions(state, timescales, on)
    nxt = due[0] if due else None
    return {
        "stage": state.stage.value, "stage_since": state.stage_since, "roi_date": state.roi,
        "approved_on": state.approved, "paused": state.paused,
        "next_due_date": nxt.due if nxt else None, "next_due_label": nxt.label if nxt else "",
        "next_due_allowed_days": nxt.allowed_days if nxt else None,
    }


class HouseholdJourney(journey_services.JourneyWriter):
    """The household's assessment on the write skeleton (journeys/services.py)."""

    event_model = HouseholdEvent
    fk = "household"
    snapshot_fields = SNAPSHOT_FIELDS
    audit_prefix = "household_event"
    lock_related = ("raa",)
    nothing_changed = "Nothing has changed: change the date, or withdraw the event."

    def today(self) -> date:
        return today()

    def context(self, households, on: date) -> tuple[list, date]:
        return list(timescales_in_force(on, "household")), on

    def snapshot(self, household: Household, facts, context: tuple[list, date]) -> dict:
        timescales, on = context
        return snapshot_values(household, self.replay(household, facts), on, timescales)

    def replay(self, household: Household, facts) -> rules.HouseholdState:
        return rules.replay(facts, fast_track=household.fast_track)

    def problems(self, household: Household, facts, new, *, on: date) -> list[str]:
        return rules.check_new_event(facts, new, today=on, fast_track=household.fast_track)

    def recording_refusal(self, actor, household: Household, kind: rules.Kind, day: date) -> str | None:
        return access.household_event_refusal(actor, household, kind)

    def check_correctable(self, actor, household: Household, event: HouseholdEvent) -> None:
        if event.details.get("panel_item"):
            raise ValidationError("This was recorded from the panel's agenda, which holds the recommendation and "
                                  "the decision: it cannot be corrected here without the agenda disagreeing.")
        refusal = access.household_role_refusal(actor, rules.Kind(event.kind))
        if refusal:
            raise ValidationError(refusal)

    def correction_source(self, actor, event: HouseholdEvent) -> str:
        return event.source

    def recorded_entry(self, household: Household, event: HouseholdEvent, stage_before) -> dict:
        return {"household": household.pk, "kind": event.kind, "date": event.date, "details": event.details,
                "stage_before": stage_before, "stage_after": household.stage}

    def corrected_entry(self, household: Household, event: HouseholdEvent, replacement, stage_before):
        after = None if replacement is None else {"kind": replacement.kind, "date": replacement.date}
        return {"kind": event.kind, "date": event.date}, after


WRITER = HouseholdJourney()


def refresh_snapshot(household: Household, *, on: date | None = None) -> Household:
    WRITER.refresh_snapshots([household], on=on)
    return household


def refresh_all_snapshots() -> tuple[int, int]:
    """Every household recalculated (the `refresh-snapshots` command): (changed, seen)."""
    households = list(Household.objects.all())
    return WRITER.refresh_snapshots(households, only_changed=True), len(households)


def record_event(*, household: Household, kind: str | rules.Kind, date: date, actor, details: dict | None = None,
                 note: str = "", on: date | None = None, check_role: bool = True,
                 source: str = "permanence") -> HouseholdEvent:
    return WRITER.record(household, kind, date, actor=actor, details=details, note=note, source=source, on=on,
                         check_role=check_role)


def correct_event(*, event: HouseholdEvent, actor, reason: str, date: date | None = None,
                  withdraw: bool = False, on: date | None = None) -> HouseholdEvent | None:
    return WRITER.correct(event, actor=actor, reason=reason, day=date, on=on, withdraw=withdraw)


# ---------------------------------------------------------------------------------------------
# Capacity profile


CAPACITY_FIELDS = ["children_min", "children_max", "age_min_years", "age_max_years", "sibling_groups", "sexes",
                   "heritage_open_to_any", "heritages", "religion_openness", "languages", "letterbox_contact",
                   "direct_contact", "sibling_contact", "early_permanence", "max_distance_miles", "on_hold",
                   "on_hold_reason", "needs_parented"]


@transaction.atomic
def set_capacity(*, actor, household: Household, needs: dict[str, str] | None = None, **values) -> CapacityProfile:
    values = {k: v for k, v in values.items() if k in CAPACITY_FIELDS}
    profile, _ = CapacityProfile.objects.get_or_create(household=household)
    merged = {f: getattr(profile, f) for f in CAPACITY_FIELDS} | values
    errors = {}
    if not 1 <= merged["children_min"] <= merged["children_max"] <= 4:
        errors["children_max"] = "The number of children must be between 1 and 4, the most at least the fewest."
    if not 0 <= merged["age_min_years"] <= merged["age_max_years"] <= 17:
        errors["age_max_years"] = "The oldest age must be at least the youngest, and 17 at most."
    if merged["children_max"] > 1 and not merged["sibling_groups"]:
        errors["sibling_groups"] = "Adopters offering more than one child are open to sibling groups: tick it."
    bad = [c for c in merged["heritages"] or [] if c not in dict(rules.child_rules.ETHNICITIES)]
    if bad:
        errors["heritages"] = f"Unknown ethnicity codes: {', '.join(bad)}."
    if merged["on_hold"] and not (merged["on_hold_reason"] or "").strip():
        errors["on_hold_reason"] = "Say why the household is on hold."
    codes = set(NeedCategory.objects.values_list("code", flat=True))
    unknown = [c for c in merged["needs_parented"] or [] if c not in codes]
    if unknown:
        errors["needs_parented"] = f"Unknown need categories: {', '.join(unknown)}."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(profile, CAPACITY_FIELDS)
    before["needs"] = {n.category.code: n.level for n in profile.needs.select_related("category")}
    for k, v in values.items():
        setattr(profile, k, v)
    profile.save()
    if needs:
        categories = {c.code: c for c in NeedCategory.objects.all()}
        for code, level in needs.items():
            if code not in categories or level not in NeedLevel.values:
                raise ValidationError(f"Unknown need category or level: {code}={level}.")
            CapacityNeed.objects.update_or_create(profile=profile, category=categories[code],
                                                  defaults={"level": level})
    after = audit.snapshot(profile, CAPACITY_FIELDS)
    after["needs"] = {n.category.code: n.level for n in profile.needs.select_related("category")}
    if before != after:
        audit.record_change(actor=actor, action="capacity.updated", instance=household,
                            before={k: v for k, v in before.items() if after.get(k) != v},
                            after={k: v for k, v in after.items() if before.get(k) != v})
    return profile


# ---------------------------------------------------------------------------------------------
# Panels


def next_panel_with_room(raa: Organisation, on_or_after: date) -> Panel | None:
    from django.db.models import Count, F, Q

    return (Panel.objects.filter(raa=raa, date__gte=on_or_after)
            .annotate(booked=Count("items", filter=Q(items__withdrawn=False)))
            .filter(booked__lt=F("capacity")).order_by("date").first())


@transaction.atomic
def create_panel(*, actor, raa: Organisation, date: date, capacity: int = 6, papers_due: date | None = None,
                 chair: str = "") -> Panel:
    errors = {}
    if capacity < 1:
        errors["capacity"] = "A panel hears at least one item."
    if papers_due and papers_due > date:
        errors["papers_due"] = "Papers are due before the panel."
    if Panel.objects.filter(raa=raa, date=date).exists():
        errors["date"] = f"{raa.name} already has a panel on {date:%d/%m/%Y}."
    if errors:
        raise ValidationError(errors)
    panel = Panel.objects.create(raa=raa, date=date, capacity=capacity, papers_due=papers_due, chair=chair.strip())
    audit.record_change(actor=actor, action="panel.created", instance=panel, after=audit.snapshot(panel))
    return panel


@transaction.atomic
def book_item(*, actor, panel: Panel, household: Household | None = None, child=None,
              kind: str = PanelItem.Kind.APPROVAL) -> PanelItem:
    """Book an item on a panel's agenda. Refused beyond the panel's capacity, naming the next panel with room."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if kind == PanelItem.Kind.APPROVAL:
        if household is None or household.raa_id != panel.raa_id:
            raise ValidationError("Choose a household of this RAA.")
        if PanelItem.objects.filter(household=household, kind=kind, withdrawn=False, recommendation="").exists():
            raise ValidationError(f"{household.name} is already booked on a panel awaiting its recommendation.")
        if household.stage not in (rules.Stage.STAGE_2, rules.Stage.AWAITING_PANEL):
            raise ValidationError(f"{household.name} is not in stage 2 or awaiting panel, so cannot be booked for "
                                  "approval.")
    booked = panel.items.filter(withdrawn=False).count()
    if booked >= panel.capacity:
        nxt = next_panel_with_room(panel.raa, panel.date)
        hint = (f" The next panel with room is on {nxt.date:%d/%m/%Y}." if nxt else
                " No later panel has room: add a panel first.")
        raise ValidationError(f"The panel on {panel.date:%d/%m/%Y} is full ({panel.capacity} items).{hint}")
    item = PanelItem.objects.create(panel=panel, kind=kind, household=household, child=child,
                                    booked_by=_actor(actor))
    audit.record_change(actor=actor, action="panel_item.booked", instance=item, after=audit.snapshot(item))
    return item


@transaction.atomic
def record_papers_received(*, actor, item: PanelItem, on: date) -> PanelItem:
    if on > today():
        raise ValidationError({"on": "The date cannot be in the future."})
    item.papers_received_on = on
    item.save(update_fields=["papers_received_on"])
    audit.record_change(actor=actor, action="panel_item.papers_received", instance=item, after={"on": on})
    return item


@transaction.atomic
def record_recommendation(*, actor, item: PanelItem, recommendation: str, minutes: str = "") -> PanelItem:
    if recommendation not in rules.RECOMMENDATIONS:
        raise ValidationError({"recommendation": "Choose the panel's recommendation."})
    if item.recommendation:
        raise ValidationError("The panel's recommendation is already recorded for this item.")
    if item.panel.date > today():
        raise ValidationError("The panel has not met yet.")
    item.recommendation, item.minutes = recommendation, minutes
    item.save(update_fields=["recommendation", "minutes"])
    if item.household_id:
        record_event(household=item.household, kind=rules.Kind.PANEL_RECOMMENDATION, date=item.panel.date,
                     actor=actor, details={"recommendation": recommendation, "panel_item": item.pk},
                     check_role=False)
    audit.record_change(actor=actor, action="panel_item.recommendation", instance=item,
                        after={"recommendation": recommendation, "minutes": minutes})
    return item


@transaction.atomic
def record_decision(*, actor, item: PanelItem, decision: str, on: date) -> PanelItem:
    if actor is not None and getattr(actor, "role", None) != Role.AGENCY_DECISION_MAKER:
        raise ValidationError("Only the agency decision maker records the decision.")
    if decision not in rules.DECISIONS:
        raise ValidationError({"decision": "Choose the decision."})
    if not item.recommendation or item.recommendation == "deferred":
        raise ValidationError("The decision follows the panel's recommendation: record that first.")
    if item.decision:
        raise ValidationError("The decision is already recorded.")
    if on < item.panel.date:
        raise ValidationError({"on": "The decision cannot be before the panel."})
    item.decision, item.decision_on = decision, on
    item.save(update_fields=["decision", "decision_on"])
    if item.household_id:
        record_event(household=item.household, kind=rules.Kind.ADM_DECISION, date=on, actor=actor,
                     details={"decision": decision, "panel_item": item.pk}, check_role=False)
    audit.record_change(actor=actor, action="panel_item.decision", instance=item,
                        after={"decision": decision, "on": on})
    return item
