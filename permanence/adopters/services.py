"""Every write to enquiries, households, capacity profiles and panels: validate, save in a transaction, audit."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.adopters import panel_rules, rules, selectors
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
    PanelMemberView,
    PanelPaper,
)
from permanence.children import rules as child_rules
from permanence.children import services as child_services
from permanence.children.models import NeedCategory, NeedLevel
from permanence.core import audit, dates
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


def _check_applicants(applicants: list[dict], *, enquired_on: date) -> None:
    """One or two named applicants, each 18 to 100 on the date of enquiry (core.dates.age_problem, the rule the
    page and the API share by calling this)."""
    if not 1 <= len(applicants) <= 2:
        raise ValidationError("A household has one or two applicants.")
    for i, a in enumerate(applicants, start=1):
        if not (a.get("first_name") or "").strip() or not (a.get("last_name") or "").strip():
            raise ValidationError(f"Enter applicant {i}'s first and last name.")
        dob = a.get("date_of_birth")
        if dob and dob > today():
            raise ValidationError(f"Applicant {i}'s date of birth cannot be in the future.")
        if problem := dates.age_problem(dob, enquired_on, who=f"Applicant {i}"):
            raise ValidationError(problem)


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
    _check_applicants(applicants, enquired_on=enquiry.received_on if enquiry is not None else roi_date)
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


def _room_or_refuse(panel: Panel) -> None:
    """A full panel refuses another item, naming the next panel with room."""
    booked = panel.items.filter(withdrawn=False).count()
    if booked >= panel.capacity:
        nxt = next_panel_with_room(panel.raa, panel.date)
        hint = (f" The next panel with room is on {nxt.date:%d/%m/%Y}." if nxt else
                " No later panel has room: add a panel first.")
        raise ValidationError(f"The panel on {panel.date:%d/%m/%Y} is full ({panel.capacity} items).{hint}")


@transaction.atomic
def book_item(*, actor, panel: Panel, household: Household | None = None, child=None,
              kind: str = PanelItem.Kind.APPROVAL, children=None, on: date | None = None) -> PanelItem:
    """Book an item on a panel's agenda: a household's approval, or a match (book_match_item, with `child` or
    the `children` of a sibling group). Refused beyond the panel's capacity, naming the next panel with room."""
    if kind == PanelItem.Kind.MATCH:
        return book_match_item(actor=actor, panel=panel, household=household, on=on,
                               children=list(children) if children else [child] if child is not None else [])
    if kind != PanelItem.Kind.APPROVAL:
        raise ValidationError({"kind": "Choose what the panel considers: an approval or a match."})
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if household is None or household.raa_id != panel.raa_id:
        raise ValidationError("Choose a household of this RAA.")
    if PanelItem.objects.filter(household=household, kind=kind, withdrawn=False, recommendation="").exists():
        raise ValidationError(f"{household.name} is already booked on a panel awaiting its recommendation.")
    if household.stage not in (rules.Stage.STAGE_2, rules.Stage.AWAITING_PANEL):
        raise ValidationError(f"{household.name} is not in stage 2 or awaiting panel, so cannot be booked for "
                              "approval.")
    _room_or_refuse(panel)
    item = PanelItem.objects.create(panel=panel, kind=kind, household=household, booked_by=_actor(actor))
    audit.record_change(actor=actor, action="panel_item.booked", instance=item, after=audit.snapshot(item))
    return item


def _match_children_refusal(children, panel: Panel, actor) -> str | None:
    if not children:
        return "Choose the child, or the sibling group placed together, the match is for."
    for c in children:
        if c.la.raa_id != panel.raa_id or (actor is not None and not access.sees_child(actor, c)):
            return "Choose a child of one of this RAA's local authorities."
        if c.stage not in panel_rules.MATCHABLE_CHILD_STAGES:
            return (f"{c.full_name} cannot be matched: their stage is \u201c{c.stage_label.lower()}\u201d. A match "
                    "is for a child who should be placed for adoption or holds a placement order, and is not yet "
                    "matched.")
    groups = {}
    for c in children:
        if c.sibling_group_id and c.sibling_group_id not in groups:
            g = c.sibling_group
            groups[g.pk] = panel_rules.SiblingGroupFact(g.name, g.plan, frozenset(g.children.values_list("pk",
                                                                                                       flat=True)))
    return panel_rules.sibling_refusal(
        [panel_rules.MatchChild(c.pk, c.full_name, c.sibling_group_id) for c in children], groups)


@transaction.atomic
def book_match_item(*, actor, panel: Panel, children, household: Household | None,
                    on: date | None = None) -> PanelItem:
    """Book a match on a panel: one child, or a sibling group placed together (`children`), with one of the RAA's
    approved households. Refused for a panel that has already met, a child or household already booked for a
    match awaiting its decision, a child who cannot be matched (not yet to be placed, already matched, placed or
    adopted), a household not approved and waiting, and a full panel. The family-finding link that led here
    keeps the item it booked (this function returns it)."""
    if actor is not None and not access.can_book_match_items(actor):
        raise ValidationError("Your role cannot book a match on a panel.")
    panel = Panel.objects.select_for_update().select_related("raa").get(pk=panel.pk)
    children = list(children)
    errors = {}
    if household is None:
        errors["household"] = "Choose the approved household the match is with."
    elif household.raa_id != panel.raa_id:
        errors["household"] = "Choose one of this RAA's approved households."
    elif household.stage != rules.Stage.APPROVED:
        errors["household"] = (f"{household.name} cannot be matched: their stage is "
                               f"\u201c{household.stage_label.lower()}\u201d. A match is with a household approved "
                               "and waiting to be matched.")
    refusal = _match_children_refusal(children, panel, actor)
    if refusal:
        errors["children"] = refusal
    if errors:
        raise ValidationError(errors)
    if panel.date < (on or today()):
        raise ValidationError(f"The panel on {panel.date:%d/%m/%Y} has already met: book the match on a later "
                              "panel.")
    booked = selectors.open_match_items().select_related("panel")
    for c in children:
        clash = booked.filter(children=c).first()
        if clash:
            raise ValidationError(f"{c.full_name} is already booked for a match on the panel on "
                                  f"{clash.panel.date:%d/%m/%Y}, awaiting its decision.")
    clash = booked.filter(household=household).first()
    if clash:
        raise ValidationError(f"{household.name} is already booked for a match on the panel on "
                              f"{clash.panel.date:%d/%m/%Y}, awaiting its decision.")
    _room_or_refuse(panel)
    item = PanelItem.objects.create(panel=panel, kind=PanelItem.Kind.MATCH, household=household, child=children[0],
                                    booked_by=_actor(actor))
    item.children.set(children)
    audit.record_change(actor=actor, action="panel_item.booked", instance=item,
                        after=audit.snapshot(item) | {"children": [c.pk for c in children]})
    return item


def _lock_item(item: PanelItem) -> PanelItem:
    return (PanelItem.objects.select_for_update(of=("self",)).select_related("panel", "household", "child")
            .get(pk=item.pk))


def _refuse_withdrawn(item: PanelItem) -> None:
    if item.withdrawn:
        raise ValidationError("This item was withdrawn from the panel.")


@transaction.atomic
def record_papers(*, actor, item: PanelItem, received: dict[str, date | None]) -> PanelItem:
    """Record papers as present with the date each arrived (those left out or None stay as they are). A date
    already recorded can be corrected: the audit entry keeps the one before."""
    item = _lock_item(item)
    _refuse_withdrawn(item)
    needed = panel_rules.PAPERS_BY_KIND[item.kind]
    given = {code: d for code, d in received.items() if d is not None}
    errors = {}
    for code, d in given.items():
        label = panel_rules.PAPERS.get(code, code)
        if code not in needed:
            errors[code] = f"An item of this kind does not need the {label}."
        elif d > today():
            errors[code] = f"The date the {label} was received cannot be in the future."
        elif d > item.panel.date:
            errors[code] = f"The date the {label} was received cannot be after the panel."
    if not given and not errors:
        errors[needed[0] if len(needed) == 1 else "__all__"] = "Enter the date the papers were received."
    if errors:
        raise ValidationError(errors)
    before = selectors.papers_received(item)
    if item.kind == PanelItem.Kind.APPROVAL:
        item.papers_received_on = given["par"]
    else:
        for code, d in given.items():
            PanelPaper.objects.update_or_create(item=item, paper=code,
                                                defaults={"received_on": d, "recorded_by": _actor(actor)})
        item.papers_received_on = panel_rules.all_papers_in(item.kind, before | given)
    item.save(update_fields=["papers_received_on"])
    audit.record_change(actor=actor, action="panel_item.papers_received", instance=item,
                        before={k: v for k, v in before.items() if k in given and v is not None} or None,
                        after=given)
    return item


@transaction.atomic
def record_member_view(*, actor, item: PanelItem, member_name: str, member_role: str, view: str,
                       reasons: str = "") -> PanelMemberView:
    """A panel member's view on the item (recommend, not recommend, abstain) with their reasons."""
    item = _lock_item(item)
    _refuse_withdrawn(item)
    name, reasons = (member_name or "").strip(), (reasons or "").strip()
    errors = {}
    if not name:
        errors["member_name"] = "Enter the panel member's name."
    elif item.member_views.filter(member_name__iexact=name).exists():
        errors["member_name"] = f"A view from {name} is already recorded for this item."
    if member_role not in panel_rules.MEMBER_ROLES:
        errors["member_role"] = "Choose the panel member's role."
    if view not in panel_rules.MEMBER_VIEWS:
        errors["view"] = "Choose the panel member's view: recommend, not recommend, or abstain."
    elif view in panel_rules.VIEWS_NEEDING_REASONS and not reasons:
        errors["reasons"] = "Give the panel member's reasons for their view."
    if errors:
        raise ValidationError(errors)
    if item.panel.date > today():
        raise ValidationError("Panel members give their views at the panel: it has not met yet.")
    if item.decision:
        raise ValidationError("The agency decision is recorded: the panel's views can no longer be added.")
    member_view = PanelMemberView.objects.create(item=item, member_name=name, member_role=member_role, view=view,
                                                 reasons=reasons, recorded_by=_actor(actor))
    audit.record_change(actor=actor, action="panel_item.member_view", instance=item,
                        after={"member_name": name, "member_role": member_role, "view": view, "reasons": reasons})
    return member_view


def _on_child_journeys(item: PanelItem, record) -> None:
    """Record an event on each of the match's children's journeys (children.services), saying whose journey
    refused it."""
    for c in item.children.select_related("la").order_by("pk"):
        try:
            record(c)
        except ValidationError as refused:
            raise ValidationError([f"{c.full_name}: {m}" for m in refused.messages]) from None


@transaction.atomic
def record_recommendation(*, actor, item: PanelItem, recommendation: str, reasons: str = "",
                          minutes: str = "") -> PanelItem:
    """The panel's recommendation, in its kind's words, with its reasons (a match's are required). It lands on
    the household's journey for an approval, on each child's journey (a matching panel event) for a match."""
    item = _lock_item(item)
    _refuse_withdrawn(item)
    reasons = (reasons or "").strip()
    errors = {}
    if recommendation not in item.recommendation_choices:
        errors["recommendation"] = "Choose the panel's recommendation."
    if panel_rules.recommendation_needs_reasons(item.kind) and not reasons:
        errors["reasons"] = "Give the panel's reasons for its recommendation."
    if errors:
        raise ValidationError(errors)
    if item.recommendation:
        raise ValidationError("The panel's recommendation is already recorded for this item.")
    if item.panel.date > today():
        raise ValidationError("The panel has not met yet.")
    item.recommendation, item.recommendation_reasons, item.minutes = recommendation, reasons, minutes
    item.save(update_fields=["recommendation", "recommendation_reasons", "minutes"])
    if item.kind == PanelItem.Kind.APPROVAL and item.household_id:
        record_event(household=item.household, kind=rules.Kind.PANEL_RECOMMENDATION, date=item.panel.date,
                     actor=actor, details={"recommendation": recommendation, "panel_item": item.pk},
                     check_role=False)
    elif item.kind == PanelItem.Kind.MATCH and panel_rules.goes_to_decision(recommendation):
        _on_child_journeys(item, lambda c: child_services.record_event(
            child=c, kind=child_rules.Kind.MATCHING_PANEL, date=item.panel.date, actor=actor,
            details={"recommendation": recommendation, "panel_item": item.pk}, check_role=actor is not None))
    audit.record_change(actor=actor, action="panel_item.recommendation", instance=item,
                        after={"recommendation": recommendation, "reasons": reasons, "minutes": minutes})
    return item


@transaction.atomic
def record_decision(*, actor, item: PanelItem, decision: str, on: date) -> PanelItem:
    """The agency decision maker's decision after the panel. An approval lands on the household's journey. A
    match agreed lands on each child's journey (the match decision, which the LA's policy says which side's ADM
    records) and on the household's (matched); a match not agreed changes neither: the link ends on the
    child's journey with its reason."""
    if actor is not None and getattr(actor, "role", None) != Role.AGENCY_DECISION_MAKER:
        raise ValidationError("Only the agency decision maker records the decision.")
    item = _lock_item(item)
    _refuse_withdrawn(item)
    if decision not in item.decision_choices:
        raise ValidationError({"decision": "Choose the decision."})
    if not panel_rules.goes_to_decision(item.recommendation):
        raise ValidationError("The decision follows the panel's recommendation: record that first.")
    if item.decision:
        raise ValidationError("The decision is already recorded.")
    if on is None:
        raise ValidationError({"on": "Enter the date of the decision."})
    if on < item.panel.date:
        raise ValidationError({"on": "The decision cannot be before the panel."})
    if on > today():
        raise ValidationError({"on": "The date of the decision cannot be in the future."})
    item.decision, item.decision_on, item.decided_by = decision, on, _actor(actor)
    item.save(update_fields=["decision", "decision_on", "decided_by"])
    if item.kind == PanelItem.Kind.APPROVAL and item.household_id:
        record_event(household=item.household, kind=rules.Kind.ADM_DECISION, date=on, actor=actor,
                     details={"decision": decision, "panel_item": item.pk}, check_role=False)
    elif item.kind == PanelItem.Kind.MATCH and decision == panel_rules.POSITIVE_DECISION[item.kind]:
        _on_child_journeys(item, lambda c: child_services.record_event(
            child=c, kind=child_rules.Kind.MATCH_DECISION, date=on, actor=actor,
            details={"panel_item": item.pk, "household": item.household.reference}, check_role=actor is not None))
        children = [c.reference for c in item.children.order_by("pk")]
        try:
            # The household's journey follows the decision made on the child's side (whose ADM the LA's policy
            # named, checked above): it is not the household's worker's step to check here.
            record_event(household=item.household, kind=rules.Kind.MATCHED, date=on, actor=actor,
                         details={"panel_item": item.pk, "children": ", ".join(children)}, check_role=False)
        except ValidationError as refused:
            raise ValidationError([f"{item.household.name}: {m}" for m in refused.messages]) from None
    audit.record_change(actor=actor, action="panel_item.decision", instance=item,
                        after={"decision": decision, "on": on})
    return item
