"""Every write to family finding: validate, save in a transaction, audit.

A link is a journey on the write skeleton (journeys/services.JourneyWriter: `WRITER` below). Its steps land on
the two other journeys through THEIR services (never by writing their events here): the link agreed is the
child's LINKED event; the panel's recommendation its MATCHING_PANEL; the match decision the child's
MATCH_DECISION and the household's MATCHED; the placement the child's PLACED; a link that ends after it was
agreed the child's LINK_ENDED (and, once matched, the household's MATCH_ENDED). A match ends the child's other
open links with the reason "another link was chosen", each audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.adopters import rules as household_rules
from permanence.adopters import services as household_services
from permanence.adopters.models import Household
from permanence.children import rules as child_rules
from permanence.children import services as child_services
from permanence.children.models import Child, SiblingGroup
from permanence.core import audit
from permanence.core.clock import today  # noqa: F401 (services.today: the one clock)
from permanence.family_finding import matching, postcodes, profiles, rankings, rules, selectors
from permanence.family_finding.models import (
    ChildMatchingProfile,
    InterAgencyFee,
    Link,
    LinkEvent,
    MatchingWeights,
    Shortlist,
    ShortlistEntry,
)
from permanence.journeys import services as journey_services
from permanence.journeys.services import actor_or_none as _actor
from permanence.organisations.models import Organisation
from permanence.timescales.selectors import timescales_in_force

LINKABLE_HOUSEHOLD_STAGES = frozenset({household_rules.Stage.APPROVED.value, household_rules.Stage.MATCHED.value})
SNAPSHOT_FIELDS = ("stage", "stage_since", "last_activity_on", "activity_due", "stale", "ended_on", "ended_reason")
# Steps that land on the child's or the household's journey (and an end after the link was agreed): correcting
# them here would leave those journeys disagreeing with the link.
MIRRORED = frozenset({rules.Kind.LINK_AGREED, rules.Kind.PANEL_RECOMMENDATION, rules.Kind.MATCH_DECISION,
                      rules.Kind.PLACED})


def children_matched_with(child: Child) -> list[Child]:
    """The children matched together with this one: its sibling group when the plan is to place them together,
    else the child alone."""
    group = child.sibling_group
    if group is not None and group.plan == SiblingGroup.Plan.TOGETHER:
        return list(group.children.order_by("date_of_birth", "pk"))
    return [child]


def policy_on(link: Link, day: date):
    """The child's LA's policy on `day` (who makes the match decision)."""
    return child_rules.policy_on(child_services.policies_for(link.la), day)


# ---------------------------------------------------------------------------------------------
# The link's journey on the write skeleton


def snapshot_values(state: rules.LinkState, on: date, timescales) -> dict:
    action = rules.stale_action(state, timescales)
    return {
        "stage": state.stage.value, "stage_since": state.stage_since, "last_activity_on": state.last_activity,
        "activity_due": action.due if action else None, "stale": bool(action and action.overdue_on(on)),
        "ended_on": state.ended, "ended_reason": state.ended_reason or "",
    }


@dataclass(frozen=True)
class SnapshotContext:
    on: date
    timescales: list


class LinkJourney(journey_services.JourneyWriter):
    """The link's journey (family_finding.rules) on the write skeleton (journeys/services.py)."""

    event_model = LinkEvent
    fk = "link"
    snapshot_fields = SNAPSHOT_FIELDS
    audit_prefix = "link_event"
    lock_related = ("la", "raa", "household", "child")
    nothing_changed = "Nothing has changed: change the date or the details, or withdraw the step."

    def today(self) -> date:
        return today()

    def context(self, links, on: date) -> SnapshotContext:
        return SnapshotContext(on, list(timescales_in_force(on, "link")))

    def snapshot(self, link: Link, facts, context: SnapshotContext) -> dict:
        return snapshot_values(rules.replay(facts), context.on, context.timescales)

    def recording_refusal(self, actor, link: Link, kind, day: date) -> str | None:
        return access.link_event_refusal(actor, link, kind, policy_on(link, day))

    def correction_refusal(self, actor, link: Link, kind, day: date) -> str | None:
        return self.recording_refusal(actor, link, kind, day) if _actor(actor) else None

    def check_correctable(self, actor, link: Link, event: LinkEvent) -> None:
        kind = rules.Kind(event.kind)
        others = [e.as_fact() for e in self.in_force(link).exclude(pk=event.pk)]
        if kind in MIRRORED or (kind is rules.Kind.ENDED and rules.replay(others).was_agreed):
            raise ValidationError("This step is also on the child's journey (and, once matched, the household's), "
                                  "so it cannot be corrected here without them disagreeing.")
        if kind is rules.Kind.SHORTLISTED:
            raise ValidationError("The shortlisting opened the link: it stays as it is (end the link instead, "
                                  "with a reason).")

    def audit_child(self, link: Link) -> int:
        return link.child_id


WRITER = LinkJourney()


def correctable_steps(link: Link, events) -> set[int]:
    """The ids of the steps among `events` a correction may touch: not those also on the child's or the
    household's journey, nor the shortlisting that opened the link (the link's page offers no correction for
    them)."""
    out = set()
    for event in events:
        try:
            WRITER.check_correctable(None, link, event)
        except ValidationError:
            continue
        out.add(event.pk)
    return out


def event_facts(link: Link) -> list[rules.EventFact]:
    return WRITER.facts(link)


def refresh_snapshot(link: Link, *, on: date | None = None) -> Link:
    WRITER.refresh_snapshots([link], on=on)
    return link


def refresh_all_snapshots(*, on: date | None = None) -> tuple[int, int]:
    """Every link recalculated (the `refresh-snapshots` command: a link goes stale with time alone): (changed,
    seen)."""
    links = list(Link.objects.only("pk", *SNAPSHOT_FIELDS))
    return WRITER.refresh_snapshots(links, on=on, only_changed=True), len(links)


# ---------------------------------------------------------------------------------------------
# Opening a link, recording a step, ending, correcting


@transaction.atomic
def open_link(*, actor, child: Child, household: Household, on: date, shortlist_entry=None, family_finder=None,
              note: str = "", check_role: bool = True) -> Link:
    """Shortlist a household for a child (its sibling group when placed together): a new link, at its first step.
    Several open links per child are allowed; a second open link between the same child and household is not."""
    if check_role and not access.can_family_find_for(actor, child):
        raise ValidationError("Only a family finder or team manager of the child's RAA opens links for this child.")
    household = Household.objects.select_for_update().select_related("raa").get(pk=household.pk)
    children = children_matched_with(child)
    if household.stage not in LINKABLE_HOUSEHOLD_STAGES:
        raise ValidationError(f"{household.name} are not approved adopters, so cannot be linked with a child.")
    existing = selectors.open_link_between(children, household)
    if existing is not None:
        raise ValidationError(f"There is already an open link between {household.name} and this child "
                              f"({existing.reference}): record the next step on it.")
    if on > today():
        raise ValidationError({"on": "The date cannot be in the future."})
    if shortlist_entry is not None and (shortlist_entry.household_id != household.pk or shortlist_entry.excluded):
        raise ValidationError("That shortlist entry is not this household put forward.")
    link = Link.objects.create(
        raa_id=child.la.raa_id, la_id=child.la_id, child=child, household=household, shortlist_entry=shortlist_entry,
        sibling_group=child.sibling_group if len(children) > 1 else None, opened_on=on, opened_by=_actor(actor),
        family_finder=family_finder or child.family_finder or _actor(actor))
    link.children.set(children)
    audit.record_change(actor=actor, action="link.opened", instance=link, child_id=child.pk,
                        after={"household": household.pk, "children": [c.pk for c in children], "on": on})
    WRITER.record(link, rules.Kind.SHORTLISTED, on, actor=actor, note=note, check_role=False)
    link.refresh_from_db()
    return link


@transaction.atomic
def record_event(*, link: Link, kind: str | rules.Kind, date: date, actor, details: dict | None = None,
                 note: str = "", on: date | None = None, check_role: bool = True) -> LinkEvent:
    """Add a dated step to the link, with its consequences on the child's and the household's journeys, or raise
    ValidationError saying what is wrong. Nothing is saved unless every journey accepts it."""
    kind = WRITER.kind(kind)
    link = WRITER.lock(link)
    before = rules.replay(event_facts(link))
    event = WRITER.record(link, kind, date, actor=actor, details=details, note=note, on=on, check_role=check_role)
    after = rules.replay(event_facts(link))
    if after.stage is rules.Stage.ENDED and before.stage is not rules.Stage.ENDED:
        audit.record_change(actor=actor, action="link.ended", instance=link, child_id=link.child_id,
                            after={"reason": after.ended_reason, "on": date, "at_stage": before.stage.value,
                                   "household": link.household_id})
    _consequences(link, kind, event, before, after, actor)
    return event


def end_link(*, link: Link, reason: str, date: date, actor, why: str = "", note: str = "", on: date | None = None,
             check_role: bool = True) -> LinkEvent:
    """End an open link with a reason (and, for a decline, why in the adopters' or agency's words: it feeds the
    household's next shortlist). Both sides see it ended at once: the boards list it from this moment."""
    return record_event(link=link, kind=rules.Kind.ENDED, date=date, actor=actor,
                        details={"reason": reason, "why": why.strip()}, note=note, on=on, check_role=check_role)


def correct_event(*, event: LinkEvent, actor, reason: str, date: date | None = None, details: dict | None = None,
                  withdraw: bool = False, on: date | None = None) -> LinkEvent | None:
    """Correct a step's date (or details), or withdraw it (recorded in error), with a reason; the original is kept,
    superseded. Steps that landed on the child's or the household's journey are refused: they would disagree."""
    return WRITER.correct(event, actor=actor, reason=reason, day=date, details=details, on=on, withdraw=withdraw)


# ---------------------------------------------------------------------------------------------
# Consequences on the child's and the household's journeys


def _on_child(link: Link, child: Child, kind: child_rules.Kind, event: LinkEvent, actor,
              details: dict | None = None) -> None:
    try:
        child_services.record_event(child=child, kind=kind, date=event.date, actor=actor, check_role=False,
                                    details={"link": link.pk, **(details or {})}, note=f"From link {link.reference}.")
    except ValidationError as refused:
        raise ValidationError(f"{child.full_name}'s journey does not allow it: {' '.join(refused.messages)}") \
            from None


def _on_children(link: Link, kind: child_rules.Kind, event: LinkEvent, actor, details: dict | None = None) -> None:
    for child in link.children.all():
        _on_child(link, child, kind, event, actor, details)


def _on_household(link: Link, kind: household_rules.Kind, event: LinkEvent, actor, details: dict | None = None) -> None:
    try:
        household_services.record_event(household=link.household, kind=kind, date=event.date, actor=actor,
                                        check_role=False, details={"link": link.pk, **(details or {})},
                                        note=f"From link {link.reference}.")
    except ValidationError as refused:
        raise ValidationError(f"The household's journey does not allow it: {' '.join(refused.messages)}") from None


def _consequences(link: Link, kind: rules.Kind, event: LinkEvent, before: rules.LinkState, after: rules.LinkState,
                  actor) -> None:
    if kind is rules.Kind.LINK_AGREED:
        _on_children(link, child_rules.Kind.LINKED, event, actor)
    elif kind is rules.Kind.PANEL_RECOMMENDATION and after.stage is rules.Stage.PANEL_RECOMMENDED:
        _on_children(link, child_rules.Kind.MATCHING_PANEL, event, actor,
                     {"recommendation": event.details["recommendation"]})
    elif kind is rules.Kind.MATCH_DECISION and after.stage is rules.Stage.MATCHED:
        _on_children(link, child_rules.Kind.MATCH_DECISION, event, actor)
        _on_household(link, household_rules.Kind.MATCHED, event, actor)
        _end_other_links(link, event, actor)
    elif kind is rules.Kind.PLACED:
        _on_children(link, child_rules.Kind.PLACED, event, actor)
    if after.stage is rules.Stage.ENDED and before.stage is not rules.Stage.ENDED and before.was_agreed:
        reason = rules.END_REASON_LABELS[after.ended_reason]
        for child in link.children.all():
            if child.stage in (child_rules.Stage.LINKED.value, child_rules.Stage.MATCHED.value):
                _on_child(link, child, child_rules.Kind.LINK_ENDED, event, actor, {"reason": reason})
        link.household.refresh_from_db(fields=["stage"])
        if before.was_matched and link.household.stage == household_rules.Stage.MATCHED.value:
            _on_household(link, household_rules.Kind.MATCH_ENDED, event, actor, {"reason": reason})


def _end_other_links(link: Link, event: LinkEvent, actor) -> None:
    """A match ends the children's other open links: "another link was chosen", audited."""
    for other in selectors.other_open_links(link).order_by("pk"):
        ended = record_event(link=other, kind=rules.Kind.ENDED, date=event.date, actor=actor, check_role=False,
                             details={"reason": "another_link", "why": f"Matched through link {link.reference}."})
        audit.record_change(actor=actor, action="link.ended_automatically", instance=other,
                            child_id=other.child_id, after={"because_of": link.pk, "event": ended.pk})


# ---------------------------------------------------------------------------------------------
# Shortlists: the engine run for a child, saved with its explanation


@transaction.atomic
def shortlist(*, child: Child, actor, on: date | None = None, include_inter_agency: bool = False,
              spread: bool = True, check_role: bool = True) -> Shortlist:
    """Rank the approved households for this child (its sibling group when placed together) on `on` and save the
    ranking: one entry per household considered, ranked with each factor's points and why, or excluded with the
    rules that left it out; the inputs (the child's profile, the weights and their version, the rules, the cap)
    on the shortlist. With `spread`, each ranked household shows how many of the RAA's waiting children it
    ranks first for."""
    on = on or today()
    if check_role and not access.can_family_find_for(actor, child):
        raise ValidationError("Only a family finder or team manager of the child's RAA runs its shortlist.")
    if on > today():
        raise ValidationError({"on": "The date cannot be in the future."})
    raa = child.la.raa
    run = rankings.households_for_child(child, on, include_inter_agency=include_inter_agency, spread=spread)
    force, explained = run.force, run.explanation()
    by_key = {p.key: p for p in run.pool}
    children = children_matched_with(child)
    saved = Shortlist.objects.create(
        raa=raa, child=child, sibling_group=child.sibling_group if len(children) > 1 else None, on=on,
        created_by=_actor(actor), weights=force.row, weights_version=force.weights.version,
        include_inter_agency=include_inter_agency,
        explanation={k: v for k, v in explained.items() if k not in ("ranked", "excluded")})
    saved.children.set(children)
    entries = [ShortlistEntry(
        shortlist=saved, household_id=profiles.key_id(r["key"]), rank=r["position"], score=r["score"],
        reasons=r["contributions"], inter_agency=r["inter_agency"], fee=r["fee"],
        profile={**matching.profile_summary(by_key[r["key"]]), "distance_miles": r["distance_miles"],
                 "first_places": r["first_places"]}) for r in explained["ranked"]]
    entries += [ShortlistEntry(
        shortlist=saved, household_id=profiles.key_id(e["key"]), excluded=True, reasons=e["rules_failed"],
        inter_agency=by_key[e["key"]].inter_agency, fee=by_key[e["key"]].inter_agency_fee,
        profile=matching.profile_summary(by_key[e["key"]])) for e in explained["excluded"]]
    ShortlistEntry.objects.bulk_create(entries, batch_size=500)
    audit.record_change(actor=actor, action="shortlist.created", instance=saved, child_id=child.pk,
                        after={"on": on, "weights": force.weights.version, **explained["counts"]})
    return saved


# ---------------------------------------------------------------------------------------------
# The child's matching profile


PROFILE_FIELDS = ("avoid_birth_family_la", "birth_family_la", "avoid_las", "avoid_places", "reference_district",
                  "max_distance_miles", "min_distance_miles", "require_known_distance", "letterbox_contact",
                  "direct_contact", "sibling_contact", "early_permanence", "religion", "languages", "notes")
MAX_MILES = 1000
# Postcode areas outside Great Britain: real, but with no centroid in the table (Northern Ireland, the Channel
# Islands, the Isle of Man). A place there may be avoided; distances cannot be measured from it.
AREAS_OUTSIDE_GB = frozenset({"BT", "GY", "JE", "IM"})


def _profile_state(profile: ChildMatchingProfile) -> dict:
    """The profile as plain data, for the audit trail (LAs by code)."""
    state = audit.snapshot(profile, [f for f in PROFILE_FIELDS if f not in ("birth_family_la", "avoid_las")])
    state["birth_family_la"] = profile.birth_family_la.code if profile.birth_family_la_id else None
    state["avoid_las"] = sorted(profile.avoid_las.values_list("code", flat=True)) if profile.pk else []
    return state


def _places(value) -> list[str]:
    """Districts or areas from a list or from text separated by commas, spaces or new lines: upper case, once."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(str(x).strip().upper() for x in items if str(x).strip()))


def place_problem(place: str) -> str | None:
    """Why `place` is not a postcode district or area Permanence knows (None when it is one)."""
    table = postcodes.centroids()
    if postcodes.district_of(place) == place:
        if place in table or postcodes.area_of(place) in AREAS_OUTSIDE_GB:
            return None
    elif re.fullmatch(r"[A-Z]{1,2}", place):
        if place in AREAS_OUTSIDE_GB or any(postcodes.area_of(d) == place for d in table):
            return None
    return f"Enter a real postcode district or area, like LS6 or BD ({place} is not one)."


def _organisations(value) -> list[Organisation]:
    items = list(value or [])
    pks = [x.pk if isinstance(x, Organisation) else x for x in items]
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=[p for p in pks if isinstance(p, int)])}
    return [found.get(p) for p in pks]


def _miles(value, label: str, errors: dict, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MILES:
        errors[field] = f"The {label} must be a whole number of miles from 1 to {MAX_MILES}."
        return None
    return value


def _clean_profile(merged: dict, errors: dict) -> dict:
    out = dict(merged)
    for name in ("avoid_birth_family_la", "require_known_distance"):
        out[name] = bool(merged[name])
    for name in ("letterbox_contact", "direct_contact", "sibling_contact"):
        if merged[name] not in (True, False, None):
            errors[name] = "Choose yes, no or not recorded."
    la = merged["birth_family_la"]
    if la is not None and not isinstance(la, Organisation):
        la = _organisations([la])[0]
    if la is not None and la.kind != Organisation.Kind.LA:
        errors["birth_family_la"] = "Choose a local authority for the birth family's LA."
    out["birth_family_la"] = la
    avoided = _organisations(merged["avoid_las"])
    if any(o is None or o.kind != Organisation.Kind.LA for o in avoided):
        errors["avoid_las"] = "Choose local authorities only for the LAs the child must not be placed in."
    out["avoid_las"] = [o for o in avoided if o is not None]
    places = _places(merged["avoid_places"])
    problems = [p for p in map(place_problem, places) if p]
    if problems:
        errors["avoid_places"] = problems[0] if len(problems) == 1 else \
            "Enter real postcode districts or areas, like LS6 or BD (" + ", ".join(
                p for p in places if place_problem(p)) + " are not)."
    out["avoid_places"] = places
    reference = " ".join(str(merged["reference_district"] or "").upper().split())
    district = postcodes.district_of(reference)
    if reference and (not district or district not in postcodes.centroids()):
        errors["reference_district"] = "Enter a real postcode district in Great Britain, like LS6."
    out["reference_district"] = district or reference
    out["max_distance_miles"] = _miles(merged["max_distance_miles"], "maximum distance", errors,
                                       "max_distance_miles")
    out["min_distance_miles"] = _miles(merged["min_distance_miles"], "minimum distance", errors,
                                       "min_distance_miles")
    most, least = out["max_distance_miles"], out["min_distance_miles"]
    if most is not None and least is not None and least >= most:
        errors["min_distance_miles"] = "The minimum distance must be less than the maximum distance."
    if (most is not None or least is not None) and not reference and "reference_district" not in errors:
        errors["reference_district"] = "Enter the postcode district distances are measured from, like LS6."
    if out["require_known_distance"] and most is None and least is None and not (
            {"max_distance_miles", "min_distance_miles"} & set(errors)):
        errors["require_known_distance"] = ("Enter a maximum or minimum distance, or do not ask for the distance "
                                            "to be known.")
    if merged["early_permanence"] not in ChildMatchingProfile.EarlyPermanence.values:
        errors["early_permanence"] = "Choose whether early permanence is needed, possible or not considered."
    for name, label, most_chars in (("religion", "Religion", 100), ("languages", "Languages", 200)):
        out[name] = " ".join(str(merged[name] or "").split())
        if len(out[name]) > most_chars:
            errors[name] = f"{label} must be {most_chars} characters or fewer."
    out["languages"] = ", ".join(dict.fromkeys(x.strip() for x in out["languages"].split(",") if x.strip()))
    out["notes"] = str(merged["notes"] or "").strip()
    return out


@transaction.atomic
def save_matching_profile(*, actor, child: Child, values: dict, check_role: bool = True) -> ChildMatchingProfile:
    """Create or change the child's matching profile (only the fields in `values`; the rest stay as they are), or
    raise ValidationError keyed by field with what to put right. Audited with the fields before and after."""
    if check_role and not access.can_edit_matching_profile(actor, child):
        raise ValidationError("Only the child's family finder's side (an RAA family finder or team manager) or its "
                              "LA's social workers change the child's matching profile.")
    unknown = sorted(set(values) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError(f"Not part of a matching profile: {', '.join(unknown)}.")
    profile = ChildMatchingProfile.objects.select_for_update().filter(child=child).first() or \
        ChildMatchingProfile(child=child)
    before = _profile_state(profile) if profile.pk else None
    current = {f: getattr(profile, f) for f in PROFILE_FIELDS if f not in ("avoid_las", "birth_family_la")}
    current["birth_family_la"] = profile.birth_family_la
    current["avoid_las"] = list(profile.avoid_las.all()) if profile.pk else []
    errors: dict[str, str] = {}
    cleaned = _clean_profile(current | values, errors)
    if errors:
        raise ValidationError(errors)
    for name in PROFILE_FIELDS:
        if name != "avoid_las":
            setattr(profile, name, cleaned[name])
    profile.save()
    profile.avoid_las.set(cleaned["avoid_las"])
    after = _profile_state(profile)
    if before is None:
        audit.record_change(actor=actor, action="matching_profile.created", instance=profile, child_id=child.pk,
                            after=after)
    elif before != after:
        audit.record_change(actor=actor, action="matching_profile.updated", instance=profile, child_id=child.pk,
                            before={k: v for k, v in before.items() if after[k] != v},
                            after={k: v for k, v in after.items() if before[k] != v})
    return profile


# ---------------------------------------------------------------------------------------------
# The RAA's matching weights: a new version each time, never an edit

WEIGHT_RANGE = (0, 50)
CAP_RANGE = (1, 20)
KEEP = object()  # set_matching_weights(cap=KEEP): the cap of the version in force carries over


def latest_weights(raa: Organisation) -> MatchingWeights | None:
    """The RAA's newest version (by the date it applies from), whether in force yet or not."""
    return MatchingWeights.objects.filter(raa=raa).order_by("-valid_from", "-id").first()


def _next_version(raa: Organisation) -> str:
    taken = set(MatchingWeights.objects.filter(raa=raa).values_list("version", flat=True))
    n = len(taken) + 1
    while f"{raa.code}-{n}" in taken:
        n += 1
    return f"{raa.code}-{n}"


@transaction.atomic
def set_matching_weights(*, actor, raa: Organisation, values: dict, source: str, valid_from: date, cap=KEEP,
                         check_role: bool = True) -> MatchingWeights:
    """A new version of the RAA's matching weights (the points per factor in `values`, every factor given), with
    its source and the date it applies from. Versions are never edited: shortlists saved before keep theirs.
    The scales (and, unless `cap` is given, the spread cap) carry over from the version in force."""
    if check_role and not access.can_set_matching_weights(actor, raa):
        raise ValidationError("Only the RAA's team managers and heads of service set its matching weights.")
    if raa.kind != Organisation.Kind.RAA:
        raise ValidationError("Matching weights belong to an RAA.")
    Organisation.objects.select_for_update().filter(pk=raa.pk).first()  # one new version at a time per RAA
    errors: dict[str, str] = {}
    unknown = sorted(set(values) - set(matching.FACTORS))
    if unknown:
        errors["__all__"] = f"Not a matching factor: {', '.join(unknown)}."
    low, high = WEIGHT_RANGE
    points = {}
    for factor in matching.FACTORS:
        value = values.get(factor)
        label = matching.FACTOR_LABELS[factor]
        if value is None or value == "":
            errors[factor] = f"Enter the points for {label}."
        elif isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            errors[factor] = f"The points for {label} must be a number from {low} to {high}."
        else:
            points[factor] = int(value) if float(value).is_integer() else round(float(value), 1)
    source = " ".join((source or "").split())
    if not source:
        errors["source"] = "Enter the source of these weights, for example the matching panel that agreed them."
    elif len(source) > 500:
        errors["source"] = "The source must be 500 characters or fewer."
    latest = latest_weights(raa)
    if valid_from is None:
        errors["valid_from"] = "Enter the date the weights apply from."
    elif valid_from < today():
        errors["valid_from"] = "The date the weights apply from must be today or in the future."
    elif latest is not None and valid_from < latest.valid_from:
        errors["valid_from"] = (f"The date the weights apply from must be on or after "
                                f"{latest.valid_from.day} {latest.valid_from:%B %Y}, when version {latest.version} "
                                f"applies from.")
    force = profiles.weights_for(raa, today())
    if cap is KEEP:
        cap = force.cap
    elif cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or
                              not CAP_RANGE[0] <= cap <= CAP_RANGE[1]):
        errors["cap"] = f"The cap must be a whole number from {CAP_RANGE[0]} to {CAP_RANGE[1]}, or left blank."
    if errors:
        raise ValidationError(errors)
    row = MatchingWeights.objects.create(
        raa=raa, version=_next_version(raa), source=source, valid_from=valid_from, weights=points,
        scales=dict(force.weights.scales), cap=cap, created_by=_actor(actor))
    audit.record_change(actor=actor, action="matching_weights.created", instance=row,
                        before={"version": force.weights.version, "weights": dict(force.weights.points),
                                "cap": force.cap},
                        after={"version": row.version, "weights": points, "cap": cap, "source": source,
                               "valid_from": valid_from, "scales": row.scales})
    return row


# ---------------------------------------------------------------------------------------------
# The inter-agency fee table (domain.md section 4): one rate per financial year and kind of agency pair

FEE_FIELDS = ("first_child", "each_additional_child", "london_uplift_percent", "monthly_after_12_months", "source")


@transaction.atomic
def set_inter_agency_fee(*, actor, financial_year: int, agencies: str, first_child: int,
                         each_additional_child: int | None = None, london_uplift_percent=0,
                         monthly_after_12_months: int | None = None, source: str, check_role: bool = True
                         ) -> InterAgencyFee:
    """Record the rate for a financial year and kind of agency pair, or change the one recorded (a sibling rate
    agreed later, a correction), with its source; audited with what it was before. Placements are priced from
    the table whenever they are shown, so a change applies to every placement of that year."""
    from decimal import Decimal, InvalidOperation

    if check_role and not access.can_set_inter_agency_fees(actor):
        raise ValidationError("Only a system administrator changes the inter-agency fee table.")
    errors = {}
    if agencies not in InterAgencyFee.Agencies.values:
        errors["agencies"] = "Choose the kind of placement the rate is for."
    if not 2000 <= int(financial_year) <= today().year + 1:
        errors["financial_year"] = f"The financial year must start between 2000 and {today().year + 1}."
    if int(first_child) < 1:
        errors["first_child"] = "Enter the fee for the first child, in pounds."
    for name, value in (("each_additional_child", each_additional_child),
                        ("monthly_after_12_months", monthly_after_12_months)):
        if value is not None and int(value) < 0:
            errors[name] = "The fee cannot be less than £0."
    try:
        uplift = Decimal(str(london_uplift_percent or 0))
    except InvalidOperation:
        uplift = Decimal("-1")
    if not Decimal("0") <= uplift <= Decimal("100"):
        errors["london_uplift_percent"] = "The London weighting must be between 0% and 100%."
    if not (source or "").strip():
        errors["source"] = "Enter where the rate comes from (for example, the CoramBAAF fee schedule)."
    if errors:
        raise ValidationError(errors)
    values = {"first_child": int(first_child), "each_additional_child": each_additional_child,
              "london_uplift_percent": uplift, "monthly_after_12_months": monthly_after_12_months,
              "source": source.strip()}
    row = InterAgencyFee.objects.select_for_update().filter(financial_year=financial_year, agencies=agencies).first()
    before = {k: str(getattr(row, k)) for k in FEE_FIELDS} if row else None
    if row is None:
        row = InterAgencyFee.objects.create(financial_year=financial_year, agencies=agencies, **values)
    else:
        for k, v in values.items():
            setattr(row, k, v)
        row.save()
    audit.record_change(actor=actor, action="inter_agency_fee.set", instance=row, before=before,
                        after={k: str(getattr(row, k)) for k in FEE_FIELDS})
    return row
