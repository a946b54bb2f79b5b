"""Links through the services: opening, every step with the person allowed to record it, the consequences on the
child's and the household's journeys (through their services), ending with a reason, stale links and declines."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from permanence.adopters.models import HouseholdEvent
from permanence.children import services as child_services
from permanence.children.models import JourneyEvent, SiblingGroup
from permanence.core.models import AuditEvent
from permanence.family_finding import selectors, services
from permanence.family_finding.models import Link, LinkEvent
from permanence.organisations import services as org_services
from permanence.organisations.models import Role

from .conftest import AT_PO, approved_household

D = date(2025, 7, 1)


def day(n):
    return D + timedelta(days=n)


def step(link, kind, n, actor, **details):
    return services.record_event(link=link, kind=kind, date=day(n), actor=actor, details=details)


def child_kinds(child):
    return [e.kind for e in JourneyEvent.objects.filter(child=child, superseded=False).order_by("date", "id")]


def household_kinds(household):
    return [e.kind for e in HouseholdEvent.objects.filter(household=household, superseded=False)
            .order_by("date", "id")]


def to_agreed(w, link):
    ff, sw = w.user(Role.RAA_FAMILY_FINDER), w.user(Role.RAA_ASSESSING_SOCIAL_WORKER)
    step(link, "contact", 1, ff)
    step(link, "visit", 5, sw)
    step(link, "interest", 6, sw, by="adopters")
    step(link, "link_agreed", 10, w.user(Role.LA_SOCIAL_WORKER, link.la))


def to_matched(w, link):
    to_agreed(w, link)
    adviser = w.user(Role.PANEL_ADVISER)
    step(link, "panel_booked", 11, adviser, panel_date="2025-08-14")
    step(link, "panel_recommendation", 44, adviser, recommendation="match")
    step(link, "match_decision", 46, w.user(Role.AGENCY_DECISION_MAKER, w.la), decision="agreed")


def open_for(w, child=None, household=None, n=0):
    return services.open_link(actor=w.user(Role.RAA_FAMILY_FINDER), child=child or w.child_at_po,
                              household=household or w.household, on=day(n))


def test_opening_a_link_shortlists_the_household(world):
    link = open_for(world)
    assert link.stage == "shortlisted" and link.opened_on == D and link.last_activity_on == D
    assert list(link.children.all()) == [world.child_at_po] and link.raa == world.raa and link.la == world.la
    assert link.family_finder == world.user(Role.RAA_FAMILY_FINDER)
    assert link.activity_due == D + timedelta(days=28) and link.stale  # today is 1 September
    assert [e.kind for e in link.events.all()] == ["shortlisted"]
    assert AuditEvent.objects.filter(action="link.opened", object_id=str(link.pk)).exists()


def test_several_open_links_per_child_but_one_per_child_and_household(world):
    first = open_for(world)
    open_for(world, household=world.second)
    with pytest.raises(ValidationError, match=rf"already an open link between Okafor-Reid and this child "
                                              rf"\({first.reference}\)"):
        open_for(world, n=2)
    services.end_link(link=first, reason="agency_declined", date=day(3), actor=world.user(Role.RAA_FAMILY_FINDER))
    open_for(world, n=4)  # once the first has ended, a new link may open
    assert Link.objects.filter(children=world.child_at_po).count() == 3


def test_who_may_open_a_link(world):
    for actor in (world.user(Role.LA_SOCIAL_WORKER), world.user(Role.RAA_ASSESSING_SOCIAL_WORKER),
                  world.user(Role.RAA_FAMILY_FINDER, world.other_raa)):
        with pytest.raises(ValidationError, match="Only a family finder or team manager of the child's RAA"):
            services.open_link(actor=actor, child=world.child_at_po, household=world.household, on=D)
    services.open_link(actor=world.user(Role.RAA_TEAM_MANAGER), child=world.child_at_po,
                       household=world.household, on=D)


def test_only_approved_adopters_are_linked(world):
    from permanence.adopters import services as household_services

    waiting = household_services.register_interest(actor=None, raa=world.raa, name="Early", roi_date=date(2025, 8, 1),
                                                   applicants=[{"first_name": "A", "last_name": "Early"}])
    with pytest.raises(ValidationError, match="Early are not approved adopters"):
        open_for(world, household=waiting)


def test_the_whole_link_lands_on_the_child_and_the_household(world):
    link = open_for(world)
    other = open_for(world, household=world.second)
    to_matched(world, link)
    link.refresh_from_db()
    child, household = world.child_at_po, world.household
    child.refresh_from_db()
    household.refresh_from_db()
    assert link.stage == "matched" and child.stage == "matched" and household.stage == "matched"
    assert child_kinds(child)[-3:] == ["linked", "matching_panel", "match_decision"]
    assert household_kinds(household)[-1] == "matched"
    linked = JourneyEvent.objects.get(child=child, kind="linked")
    assert linked.date == day(10) and linked.details == {"link": link.pk}
    assert JourneyEvent.objects.get(child=child, kind="matching_panel").details["recommendation"] == "match"
    # The child's other open link ended at once, audited, with the reason "another link was chosen".
    other.refresh_from_db()
    assert other.stage == "ended" and other.ended_reason == "another_link" and other.ended_on == day(46)
    assert AuditEvent.objects.filter(action="link.ended_automatically", object_id=str(other.pk)).exists()
    step(link, "introductions", 50, world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    step(link, "placed", 60, world.user(Role.RAA_FAMILY_FINDER))
    link.refresh_from_db()
    child.refresh_from_db()
    assert link.stage == "placed" and child.stage == "placed" and not link.stale and link.activity_due is None
    assert JourneyEvent.objects.get(child=child, kind="placed_for_adoption").date == day(60)


def test_each_step_is_recorded_only_by_those_allowed(world):
    link = open_for(world)
    with pytest.raises(ValidationError, match="Your role cannot record"):
        step(link, "contact", 1, world.user(Role.PANEL_ADVISER))
    with pytest.raises(ValidationError, match="do not have access to this link"):
        step(link, "contact", 1, world.user(Role.LA_SOCIAL_WORKER, world.la_keeps))
    with pytest.raises(ValidationError, match="do not have access to this link"):
        step(link, "contact", 1, world.user(Role.RAA_FAMILY_FINDER, world.other_raa))
    to_agreed(world, link)
    step(link, "panel_booked", 11, world.user(Role.PANEL_ADVISER), panel_date="2025-08-14")
    step(link, "panel_recommendation", 44, world.user(Role.PANEL_ADVISER), recommendation="match")
    with pytest.raises(ValidationError, match="belongs to the LA's agency decision maker"):
        step(link, "match_decision", 46, world.user(Role.AGENCY_DECISION_MAKER, world.raa), decision="agreed")
    step(link, "match_decision", 46, world.user(Role.AGENCY_DECISION_MAKER, world.la), decision="agreed")


def test_a_delegated_match_decision_is_the_raas_adm(world):
    org_services.set_policy(actor=None, la=world.la_keeps, effective_from=date(2021, 1, 1),
                            case_holding="la_keeps", match_delegated=True)
    child = world.child(world.la_keeps, events=AT_PO)
    link = open_for(world, child=child)
    to_agreed(world, link)
    step(link, "panel_booked", 11, world.user(Role.PANEL_ADVISER), panel_date="2025-08-14")
    step(link, "panel_recommendation", 44, world.user(Role.PANEL_ADVISER), recommendation="match")
    with pytest.raises(ValidationError, match="belongs to the RAA's agency decision maker"):
        step(link, "match_decision", 46, world.user(Role.AGENCY_DECISION_MAKER, world.la_keeps), decision="agreed")
    step(link, "match_decision", 46, world.user(Role.AGENCY_DECISION_MAKER, world.raa), decision="agreed")
    child.refresh_from_db()
    assert child.stage == "matched"


def test_ending_an_agreed_link_ends_the_childs_link(world):
    link = open_for(world)
    to_agreed(world, link)
    services.end_link(link=link, reason="adopters_declined", why="travel distance", date=day(12),
                      actor=world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    child = world.child_at_po
    child.refresh_from_db()
    assert child.stage == "placement_order" and child_kinds(child)[-2:] == ["linked", "link_ended"]
    assert JourneyEvent.objects.get(child=child, kind="link_ended").details == {
        "link": link.pk, "reason": "The adopters declined"}
    assert household_kinds(world.household)[-1] == "adm_decision"  # never matched: nothing on the household
    entry = AuditEvent.objects.get(action="link.ended", object_id=str(link.pk))
    assert entry.after["reason"] == "adopters_declined" and entry.after["at_stage"] == "link_agreed"


def test_ending_a_matched_link_ends_the_match_on_both_journeys(world):
    link = open_for(world)
    to_matched(world, link)
    services.end_link(link=link, reason="plan_changed", date=day(48), actor=world.user(Role.LA_SOCIAL_WORKER))
    child, household = world.child_at_po, world.household
    child.refresh_from_db()
    household.refresh_from_db()
    assert child.stage == "placement_order" and household.stage == "approved"
    assert household_kinds(household)[-2:] == ["matched", "match_ended"]
    assert HouseholdEvent.objects.get(household=household, kind="match_ended").details["reason"] == (
        "The child's plan changed")


def test_a_match_not_agreed_ends_the_link_and_the_childs_link(world):
    link = open_for(world)
    to_agreed(world, link)
    step(link, "panel_booked", 11, world.user(Role.PANEL_ADVISER), panel_date="2025-08-14")
    step(link, "panel_recommendation", 44, world.user(Role.PANEL_ADVISER), recommendation="not_match")
    step(link, "match_decision", 46, world.user(Role.AGENCY_DECISION_MAKER, world.la), decision="not_agreed")
    link.refresh_from_db()
    world.child_at_po.refresh_from_db()
    assert link.stage == "ended" and link.ended_reason == "match_not_agreed"
    assert world.child_at_po.stage == "placement_order"


def test_a_step_the_childs_journey_refuses_leaves_nothing(world):
    early = world.child(events=AT_PO[:3])  # a plan for adoption, no should-be-placed decision yet
    link = open_for(world, child=early)
    step(link, "contact", 1, world.user(Role.RAA_FAMILY_FINDER))
    step(link, "interest", 2, world.user(Role.RAA_FAMILY_FINDER), by="agency")
    before = (LinkEvent.objects.count(), JourneyEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="journey does not allow it: .*should-be-placed decision"):
        step(link, "link_agreed", 10, world.user(Role.LA_SOCIAL_WORKER))
    assert (LinkEvent.objects.count(), JourneyEvent.objects.count(), AuditEvent.objects.count()) == before
    link.refresh_from_db()
    assert link.stage == "interest"


def test_a_sibling_group_placed_together_is_linked_as_one(world):
    group = child_services.create_sibling_group(actor=None, la=world.la, name="The Testcase siblings",
                                                plan=SiblingGroup.Plan.TOGETHER)
    older = world.child(events=AT_PO, sibling_group=group, dob=date(2020, 5, 1))
    younger = world.child(events=AT_PO, sibling_group=group, dob=date(2023, 1, 9))
    link = open_for(world, child=younger)
    assert link.sibling_group == group and set(link.children.all()) == {older, younger}
    with pytest.raises(ValidationError, match="already an open link"):
        open_for(world, child=older)
    to_agreed(world, link)
    for child in (older, younger):
        child.refresh_from_db()
        assert child.stage == "linked"


def test_a_link_goes_stale_and_the_selectors_say_so(world, today):
    link = open_for(world)
    step(link, "contact", 3, world.user(Role.RAA_FAMILY_FINDER))
    fresh = open_for(world, household=world.second, n=40)
    visible = Link.objects.all()
    assert list(selectors.stale_links(visible, today)) == [link]  # last activity 4 July, due 1 August
    link.refresh_from_db()
    assert link.stale and link.activity_due == date(2025, 8, 1)  # back-dated: stale as soon as recorded
    assert services.refresh_all_snapshots(on=date(2025, 8, 1)) == (1, 2)  # not yet stale on its due date
    link.refresh_from_db()
    assert not link.stale
    assert services.refresh_all_snapshots(on=today) == (1, 2)  # time alone makes it stale again
    link.refresh_from_db()
    fresh.refresh_from_db()
    assert link.stale and not fresh.stale
    board = selectors.links_board(visible, today=today, filters=selectors.BoardFilters(stale=True))
    assert list(board) == [link]


def test_ended_links_stay_on_both_sides_boards_and_declines_feed_back(world, today):
    link = open_for(world)
    services.end_link(link=link, reason="adopters_declined", why="travel distance", date=day(20),
                      actor=world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    for user in (world.user(Role.RAA_ASSESSING_SOCIAL_WORKER), world.user(Role.LA_SOCIAL_WORKER)):
        from permanence import access

        board = selectors.links_board(access.links_visible_to(user), today=day(30))
        assert [(b.pk, b.stage, b.ended_reason) for b in board] == [(link.pk, "ended", "adopters_declined")]
    assert not selectors.links_board(Link.objects.all(), today=day(60)).exists()  # ended more than 28 days ago
    (decline,) = selectors.household_declines(world.household, since=D)
    assert (decline.on, decline.reason, decline.by, decline.children) == (day(20), "travel distance", "adopters", 1)
    assert decline.youngest_dob == world.child_at_po.date_of_birth
    assert selectors.household_declines(world.household, since=day(21)) == []


def test_mine_on_the_board_is_the_family_finders_and_the_household_workers(world, today):
    link = open_for(world)
    open_for(world, household=world.second)
    all_links = Link.objects.all()
    mine = selectors.BoardFilters(mine=True)
    assert selectors.links_board(all_links, user=world.user(Role.RAA_FAMILY_FINDER), filters=mine,
                                 today=today).count() == 2
    assert list(selectors.links_board(all_links, user=world.user(Role.RAA_ASSESSING_SOCIAL_WORKER), filters=mine,
                                      today=today)) == [link]
    assert not selectors.links_board(all_links, user=world.user(Role.RAA_TEAM_MANAGER), filters=mine,
                                     today=today).exists()


def test_another_agencys_household_worker_records_steps_on_its_households_link(world):
    south = approved_household(world.other_raa, "Southgate")
    link = open_for(world, household=south)
    with pytest.raises(ValidationError, match="Only the household's own agency's assessing workers"):
        step(link, "contact", 1, world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    with pytest.raises(ValidationError, match="Only the household's worker records steps on another agency's"):
        step(link, "contact", 1, world.user(Role.RAA_FAMILY_FINDER, world.other_raa))
    step(link, "contact", 1, world.user(Role.RAA_ASSESSING_SOCIAL_WORKER, world.other_raa))


def test_corrections_and_withdrawals_of_steps_on_the_link_alone(world):
    ff = world.user(Role.RAA_FAMILY_FINDER)
    link = open_for(world)
    contact = step(link, "contact", 3, ff)
    visit = step(link, "visit", 8, world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    fixed = services.correct_event(event=contact, actor=ff, reason="Typed the wrong day", date=day(2))
    assert fixed.corrects == contact and fixed.date == day(2)
    contact.refresh_from_db()
    assert contact.superseded
    with pytest.raises(ValidationError, match="already been corrected"):
        services.correct_event(event=contact, actor=ff, reason="Again", date=day(1))
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.correct_event(event=fixed, actor=ff, reason="Same", date=day(2))
    assert services.correct_event(event=visit, actor=ff, reason="Recorded on the wrong link", withdraw=True) is None
    link.refresh_from_db()
    assert link.stage == "contact" and link.last_activity_on == day(2)
    assert AuditEvent.objects.filter(action="link_event.withdrawn", object_id=str(visit.pk)).exists()
    with pytest.raises(ValidationError, match="end the link instead"):
        services.correct_event(event=link.events.get(kind="shortlisted"), actor=ff, reason="No", withdraw=True)
    with pytest.raises(ValidationError, match="Give a reason"):
        services.correct_event(event=fixed, actor=ff, reason=" ", date=day(1))


def test_steps_on_the_childs_journey_are_not_corrected_on_the_link_alone(world):
    link = open_for(world)
    to_agreed(world, link)
    agreed = link.events.get(kind="link_agreed")
    with pytest.raises(ValidationError, match="also on the child's journey"):
        services.correct_event(event=agreed, actor=world.user(Role.RAA_FAMILY_FINDER), reason="Wrong", date=day(9))
    ended = services.end_link(link=link, reason="agency_declined", date=day(12), actor=world.user(Role.LA_SOCIAL_WORKER))
    with pytest.raises(ValidationError, match="also on the child's journey"):
        services.correct_event(event=ended, actor=world.user(Role.LA_SOCIAL_WORKER), reason="Wrong", withdraw=True)
