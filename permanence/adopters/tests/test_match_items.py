"""Match items on the panels, through the services: booking, papers, members' views, the recommendation and the
agency decision, and what lands on the child's and the household's journeys."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.adopters import services
from permanence.adopters.models import PanelItem
from permanence.adopters.tests.match_world import BOOKED_ON, PANEL_DATE, PAPERS_DUE
from permanence.children import services as child_services
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role


def book(w, children=None, household=None, **kw):
    return services.book_match_item(actor=kw.pop("actor", None), panel=kw.pop("panel", w.panel),
                                    children=children or [w.child], household=household or w.household, **kw)


def recommended(w, item, recommendation="match"):
    w.clock.set(PANEL_DATE)
    return services.record_recommendation(actor=None, item=item, recommendation=recommendation,
                                          reasons="The panel was unanimous.")


def messages(err) -> str:
    return " ".join(err.value.messages)


# ---------------------------------------------------------------------------------------------
# Booking


def test_a_match_is_booked_with_its_child_and_household_and_audited(match_world):
    w = match_world
    item = book(w, actor=w.region.staff[("NR", Role.RAA_FAMILY_FINDER)])
    assert item.kind == PanelItem.Kind.MATCH and item.child == w.child and list(item.children.all()) == [w.child]
    entry = AuditEvent.objects.get(action="panel_item.booked", object_id=str(item.pk))
    assert entry.after["children"] == [w.child.pk] and entry.after["household"] == w.household.pk
    assert entry.actor == w.region.staff[("NR", Role.RAA_FAMILY_FINDER)]


def test_a_sibling_group_placed_together_is_one_match(match_world):
    w = match_world
    item = book(w, children=w.siblings)
    assert set(item.children.all()) == set(w.siblings)
    assert str(item) == "Match: Mia, Leo with Okafor"


@pytest.mark.parametrize(("case", "message"), [
    ("no household", "Choose the approved household the match is with."),
    ("household not approved", "Stillassessing cannot be matched: their stage is"),
    ("another RAA's household", "Choose one of this RAA's approved households."),
    ("no child", "Choose the child, or the sibling group placed together, the match is for."),
    ("another RAA's child", "Choose a child of one of this RAA's local authorities."),
    ("one of a group placed together", "Mia Reed is one of Reed siblings, to be placed together"),
    ("two children not a group", "Children are matched together only as a sibling group"),
])
def test_booking_refusals(match_world, case, message):
    w = match_world
    from permanence.adopters.tests.conftest import make_household
    from permanence.adopters.tests.match_world import APPROVED, LINKED

    kwargs = {
        "no household": {"household": None},
        "household not approved": {"household": w.waiting},
        "another RAA's household": {"household": make_household(w.region.other_raa, "Faraway", events=APPROVED)},
        "no child": {"children": []},
        "another RAA's child": {"children": [w.region.child(w.region.other_la, events=LINKED)]},
        "one of a group placed together": {"children": w.siblings[:1]},
        "two children not a group": {"children": [w.child, w.keepham_child]},
    }[case]
    with pytest.raises(ValidationError) as refused:
        services.book_match_item(actor=None, panel=w.panel, **({"children": [w.child], "household": w.household}
                                                              | kwargs))
    assert message in messages(refused)
    assert not w.panel.items.exists()


def test_a_match_for_a_placed_or_adopted_child_is_refused(match_world):
    w = match_world
    placed = w.region.child(w.region.la, first_name="Placed", last_name="Already", events=[
        *w.child.events.values_list("kind", "date"), ("match_decision", date(2025, 8, 10)),
        ("placed_for_adoption", date(2025, 8, 20))])
    with pytest.raises(ValidationError) as refused:
        book(w, children=[placed])
    assert "Placed Already cannot be matched: their stage is \u201cplaced for adoption\u201d" in messages(refused)
    child_services.record_event(child=placed, kind="adoption_order", date=date(2025, 8, 28), actor=None,
                                check_role=False)
    placed.refresh_from_db()
    with pytest.raises(ValidationError, match="their stage is \u201cadopted\u201d"):
        book(w, children=[placed])


def test_a_panel_in_the_past_is_refused_unless_the_booking_was_made_before_it(match_world):
    w = match_world
    past = services.create_panel(actor=None, raa=w.region.raa, date=date(2025, 8, 20))
    with pytest.raises(ValidationError, match="The panel on 20/08/2025 has already met: book the match on a later"):
        book(w, panel=past)
    assert book(w, panel=past, on=date(2025, 8, 1)).panel == past  # a booking recorded late, dated when made


def test_the_same_match_is_not_booked_twice(match_world):
    w = match_world
    first = book(w)
    later = services.create_panel(actor=None, raa=w.region.raa, date=date(2025, 10, 15))
    with pytest.raises(ValidationError, match="Ava Marsh is already booked for a match on the panel on 17/09/2025"):
        book(w, panel=later)
    with pytest.raises(ValidationError, match="Okafor is already booked for a match on the panel on 17/09/2025"):
        book(w, panel=later, children=[w.keepham_child])
    # Deferred, the match goes to a later panel.
    recommended(w, first, "deferred")
    w.clock.set(BOOKED_ON)
    assert book(w, panel=later).panel == later


def test_a_full_panel_names_the_next_panel_with_room(match_world):
    w = match_world
    small = services.create_panel(actor=None, raa=w.region.raa, date=date(2025, 9, 24), capacity=1)
    services.create_panel(actor=None, raa=w.region.raa, date=date(2025, 10, 22))
    book(w, panel=small)
    with pytest.raises(ValidationError, match="is full \\(1 items\\). The next panel with room is on 22/10/2025"):
        book(w, panel=small, children=[w.keepham_child], household=w.other_household)


def test_a_role_that_cannot_book_is_refused(match_world):
    w = match_world
    with pytest.raises(ValidationError, match="Your role cannot book a match on a panel."):
        book(w, actor=w.region.staff[("NR", Role.AGENCY_DECISION_MAKER)])


def test_book_item_with_kind_match_books_a_match(match_world):
    w = match_world
    item = services.book_item(actor=None, panel=w.panel, kind="match", children=w.siblings, household=w.household)
    assert item.kind == "match" and item.children.count() == 2


# ---------------------------------------------------------------------------------------------
# Papers and members' views


def test_papers_are_recorded_with_their_dates_and_the_last_completes_them(match_world):
    w = match_world
    item = book(w)
    w.clock.set(date(2025, 9, 12))
    services.record_papers(actor=None, item=item, received={"apr": date(2025, 9, 8), "cpr": date(2025, 9, 9)})
    item.refresh_from_db()
    assert item.papers_received_on is None  # the PAR is still awaited
    services.record_papers(actor=None, item=item, received={"par": date(2025, 9, 11), "apr": None})
    item.refresh_from_db()
    assert item.papers_received_on == date(2025, 9, 11)
    from permanence.adopters import selectors

    row = selectors.agenda(w.panel, date(2025, 9, 12))[0]
    assert [(p.code, p.received_on, p.status) for p in row.papers] == [
        ("apr", date(2025, 9, 8), "on_time"), ("cpr", date(2025, 9, 9), "on_time"), ("par", date(2025, 9, 11), "late")]
    # A correction keeps the date before in the audit trail.
    services.record_papers(actor=None, item=item, received={"apr": date(2025, 9, 5)})
    entry = AuditEvent.objects.filter(action="panel_item.papers_received").order_by("-id").first()
    assert entry.before == {"apr": "2025-09-08"} and entry.after == {"apr": "2025-09-05"}


def test_missing_papers_show_once_the_papers_are_due(match_world):
    from permanence.adopters import selectors

    w = match_world
    book(w)
    assert {p.status for p in selectors.agenda(w.panel, PAPERS_DUE)[0].papers} == {"awaited"}
    assert {p.status for p in selectors.agenda(w.panel, date(2025, 9, 11))[0].papers} == {"missing"}


@pytest.mark.parametrize(("received", "field", "message"), [
    ({"apr": date(2025, 9, 2)}, "apr", "The date the Adoption placement report (APR) was received cannot be in the "
                                      "future."),
    ({}, "__all__", "Enter the date the papers were received."),
    ({"xyz": date(2025, 8, 1)}, "xyz", "An item of this kind does not need the xyz."),
])
def test_paper_refusals(match_world, received, field, message):
    w = match_world
    item = book(w)
    with pytest.raises(ValidationError) as refused:
        services.record_papers(actor=None, item=item, received=received)
    assert refused.value.message_dict[field] == [message]


def test_a_paper_after_the_panel_is_refused(match_world):
    w = match_world
    item = book(w)
    w.clock.set(date(2025, 9, 20))
    with pytest.raises(ValidationError, match="cannot be after the panel"):
        services.record_papers(actor=None, item=item, received={"cpr": date(2025, 9, 18)})


def test_members_views_with_reasons(match_world):
    w = match_world
    item = book(w)
    view = dict(member_name="Dr Rowe", member_role="chair", view="recommend", reasons="Needs well met.")
    with pytest.raises(ValidationError, match="it has not met yet"):
        services.record_member_view(actor=None, item=item, **view)
    w.clock.set(PANEL_DATE)
    services.record_member_view(actor=None, item=item, **view)
    with pytest.raises(ValidationError) as refused:
        services.record_member_view(actor=None, item=item, **view | {"member_name": "dr rowe"})
    assert refused.value.message_dict["member_name"] == ["A view from dr rowe is already recorded for this item."]
    with pytest.raises(ValidationError) as refused:
        services.record_member_view(actor=None, item=item, member_name="Ms Kaur", member_role="independent",
                                    view="not_recommend")
    assert refused.value.message_dict["reasons"] == ["Give the panel member's reasons for their view."]
    services.record_member_view(actor=None, item=item, member_name="Ms Kaur", member_role="independent",
                                view="abstain")
    assert [(v.member_name, v.view) for v in item.member_views.all()] == [("Dr Rowe", "recommend"),
                                                                          ("Ms Kaur", "abstain")]
    assert AuditEvent.objects.filter(action="panel_item.member_view", object_id=str(item.pk)).count() == 2


# ---------------------------------------------------------------------------------------------
# The recommendation, on the child's journey


def test_a_matches_recommendation_needs_its_reasons(match_world):
    w = match_world
    item = book(w)
    w.clock.set(PANEL_DATE)
    with pytest.raises(ValidationError) as refused:
        services.record_recommendation(actor=None, item=item, recommendation="approve", reasons="")
    assert refused.value.message_dict == {"recommendation": ["Choose the panel's recommendation."],
                                          "reasons": ["Give the panel's reasons for its recommendation."]}


def test_the_recommendation_lands_on_each_childs_journey(match_world):
    w = match_world
    item = book(w, children=w.siblings)
    w.clock.set(PANEL_DATE)
    services.record_recommendation(actor=w.region.staff[("NR", Role.PANEL_ADVISER)], item=item,
                                   recommendation="match", reasons="Together, as planned.")
    for child in w.siblings:
        event = child.events.get(kind="matching_panel")
        assert event.date == PANEL_DATE and event.details == {"recommendation": "match", "panel_item": item.pk}
        assert event.recorded_by == w.region.staff[("NR", Role.PANEL_ADVISER)]
    entry = AuditEvent.objects.get(action="panel_item.recommendation", object_id=str(item.pk))
    assert entry.after["reasons"] == "Together, as planned."


def test_a_recommendation_the_childs_journey_refuses_saves_nothing(match_world):
    w = match_world
    item = book(w, children=[w.unlinked])
    w.clock.set(PANEL_DATE)
    with pytest.raises(ValidationError) as refused:
        services.record_recommendation(actor=None, item=item, recommendation="match", reasons="Good match.")
    assert messages(refused).startswith("Noah Unlinked: Matching panel recommendation on 17/09/2025 cannot be "
                                        "recorded")
    assert "record the link first" in messages(refused)
    item.refresh_from_db()
    assert item.recommendation == "" and not w.unlinked.events.filter(kind="matching_panel").exists()


def test_a_deferral_leaves_the_childs_journey_alone(match_world):
    w = match_world
    item = recommended(w, book(w), "deferred")
    assert item.recommendation == "deferred" and not w.child.events.filter(kind="matching_panel").exists()
    with pytest.raises(ValidationError, match="record that first"):
        services.record_decision(actor=None, item=item, decision="agreed", on=PANEL_DATE)


# ---------------------------------------------------------------------------------------------
# The decision, on the child's and the household's journeys, by the ADM the LA's policy names


def test_the_raas_adm_agrees_a_delegated_match(match_world):
    w = match_world
    item = recommended(w, book(w, children=w.siblings))
    adm = w.region.staff[("NR", Role.AGENCY_DECISION_MAKER)]
    w.clock.set(date(2025, 9, 24))
    services.record_decision(actor=adm, item=item, decision="agreed", on=date(2025, 9, 23))
    item.refresh_from_db()
    assert item.get_decision_display() == "Match agreed" and item.decided_by == adm
    for child in w.siblings:
        child.refresh_from_db()
        assert child.stage == "matched"
        assert child.events.get(kind="match_decision").details == {"panel_item": item.pk,
                                                                   "household": w.household.reference}
    w.household.refresh_from_db()
    assert w.household.stage == "matched"
    matched = w.household.events.get(kind="matched")
    assert matched.date == date(2025, 9, 23) and matched.details["panel_item"] == item.pk
    assert matched.details["children"] == ", ".join(c.reference for c in sorted(w.siblings, key=lambda c: c.pk))


def test_the_raas_adm_cannot_decide_a_match_the_la_keeps(match_world):
    w = match_world
    item = recommended(w, book(w, children=[w.keepham_child]))
    with pytest.raises(ValidationError) as refused:
        services.record_decision(actor=w.region.staff[("NR", Role.AGENCY_DECISION_MAKER)], item=item,
                                 decision="agreed", on=PANEL_DATE)
    assert messages(refused) == ("Isla Keep: Under this LA's policy the match decision belongs to the LA, so the LA "
                                 "records it.")
    item.refresh_from_db()
    assert item.decision == "" and not w.household.events.filter(kind="matched").exists()
    # Keepham's own ADM decides it.
    services.record_decision(actor=w.region.staff[("902", Role.AGENCY_DECISION_MAKER)], item=item,
                             decision="agreed", on=PANEL_DATE)
    w.keepham_child.refresh_from_db()
    assert w.keepham_child.stage == "matched"


def test_only_the_adm_decides(match_world):
    w = match_world
    item = recommended(w, book(w))
    with pytest.raises(ValidationError, match="Only the agency decision maker records the decision."):
        services.record_decision(actor=w.region.staff[("NR", Role.PANEL_ADVISER)], item=item, decision="agreed",
                                 on=PANEL_DATE)


def test_a_match_not_agreed_changes_neither_journey(match_world):
    w = match_world
    item = recommended(w, book(w))
    events = (w.child.events.count(), w.household.events.count())
    services.record_decision(actor=None, item=item, decision="not_agreed", on=PANEL_DATE)
    assert (w.child.events.count(), w.household.events.count()) == events
    w.child.refresh_from_db()
    assert w.child.stage == "linked"


@pytest.mark.parametrize(("on", "field", "message"), [
    (date(2025, 9, 16), "on", "The decision cannot be before the panel."),
    (date(2025, 9, 18), "on", "The date of the decision cannot be in the future."),
])
def test_decision_date_refusals(match_world, on, field, message):
    w = match_world
    item = recommended(w, book(w))
    with pytest.raises(ValidationError) as refused:
        services.record_decision(actor=None, item=item, decision="agreed", on=on)
    assert refused.value.message_dict[field] == [message]


def test_the_approval_words_are_refused_for_a_match(match_world):
    w = match_world
    item = recommended(w, book(w))
    with pytest.raises(ValidationError) as refused:
        services.record_decision(actor=None, item=item, decision="approved", on=PANEL_DATE)
    assert refused.value.message_dict == {"decision": ["Choose the decision."]}


def test_the_decision_is_due_within_its_timescale(match_world):
    from permanence.adopters import selectors

    w = match_world
    item = recommended(w, book(w))
    due = selectors.agenda(w.panel, date(2025, 9, 26))[0].decision_due
    assert (due.due, due.status) == (date(2025, 9, 26), "due")
    assert "7 working days after the panel" in due.timescale
    overdue = selectors.agenda(w.panel, date(2025, 9, 30))[0].decision_due
    assert (overdue.status, overdue.working_days_late) == ("overdue", 2)
    w.clock.set(date(2025, 9, 30))
    services.record_decision(actor=None, item=item, decision="agreed", on=date(2025, 9, 29))
    late = selectors.agenda(w.panel, date(2025, 9, 30))[0].decision_due
    assert (late.status, late.working_days_late) == ("late", 1)
