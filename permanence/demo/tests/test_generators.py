"""The demo data: a deterministic simulator whose journeys all replay, and the commands that load it."""

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from permanence.children import rules, services
from permanence.children.models import Child, ChildNeed, JourneyEvent, NeedCategory
from permanence.demo import DEMO_STRUCTURE, journeys
from permanence.organisations.loader import load_structure, read_file
from permanence.organisations.models import LAPolicy, Organisation, Role, Staff
from permanence.timescales.selectors import timescales_in_force

TODAY = date(2026, 3, 1)
K = rules.Kind
DEMO_LAS = [("800", 67), ("801", 67), ("802", 67), ("803", 67), ("916", 66), ("865", 66), ("839", 30), ("835", 30)]


def _as_tuples(children):
    return [
        (c.key, c.la_child_id, c.first_name, c.last_name, c.dob, c.expected_dob, c.sex, c.ethnicity,
         c.has_disability, c.sibling_key, tuple(sorted(c.needs.items())),
         tuple((e.kind, e.date, e.seq, tuple(sorted(e.details.items()))) for e in c.events))
        for c in children
    ]


@pytest.fixture(scope="module")
def demo_set():
    return journeys.generate(2026, TODAY, DEMO_LAS)


def test_simulator_is_deterministic():
    first = journeys.generate(11, TODAY, [("801", 120), ("916", 80)])
    again = journeys.generate(11, TODAY, [("801", 120), ("916", 80)])
    other = journeys.generate(12, TODAY, [("801", 120), ("916", 80)])
    assert _as_tuples(first) == _as_tuples(again)
    assert _as_tuples(first) != _as_tuples(other)
    # An LA's children do not depend on which other LAs are generated with it.
    alone = journeys.generate(11, TODAY, [("916", 80)])
    assert _as_tuples(alone) == _as_tuples(first[120:])


def test_every_journey_replays_and_nothing_is_in_the_future(demo_set):
    for child in demo_set:
        rules.replay(child.events)  # raises TransitionRefused if not
        assert all(e.date <= TODAY for e in child.events), child.key
        assert [e.seq for e in child.events] == sorted(e.seq for e in child.events)
        assert rules.sort_events(child.events) == child.events
        if child.dob is not None:
            assert child.dob <= TODAY
            assert all(e.date >= child.dob for e in child.events if e.kind is not K.IDENTIFIED)
        else:
            assert child.expected_dob > TODAY
            assert [e.kind for e in child.events if e.kind is not K.VISIT] == [K.IDENTIFIED]
        assert set(child.needs) == set(journeys.NEED_CODES)


def test_every_stage_and_branch_appears(demo_set):
    stages = Counter(rules.replay(c.events).stage for c in demo_set)
    for stage in rules.Stage:
        if stage is not rules.Stage.NEW:
            assert stages[stage] >= 8, (stage, stages)
    kinds = Counter(e.kind for c in demo_set for e in c.events)
    assert set(kinds) == set(rules.Kind)
    reasons = {e.details["reason"] for c in demo_set for e in c.events if e.kind is K.PLAN_CHANGED}
    assert reasons == {"RD1", "RD2", "RD3", "RD4"}
    ep_types = {e.details["placement_type"] for c in demo_set for e in c.events if e.kind is K.EARLY_PERMANENCE}
    assert ep_types == {"ffa", "concurrent"}
    states = [rules.replay(c.events) for c in demo_set]
    assert any(s.early_permanence and s.placed_date for s in states)
    assert any(e.details.get("by_foster_carers") for c in demo_set for e in c.events if e.kind is K.PLACED)
    assert any(s.stage is rules.Stage.PLACEMENT_ORDER and (TODAY - s.po_date).days > 548 for s in states)
    assert any(s.match_date and s.po_date and s.match_date < s.po_date for s in states)
    adopted = [s for s in states if s.stage is rules.Stage.ADOPTED]
    with_book = [s for s in adopted if K.LIFE_STORY_BOOK in s.seen]
    assert 0 < len(with_book) < len(adopted)
    # Disrupted placements are followed by a new link.
    for c in demo_set:
        kinds_in_order = [e.kind for e in c.events if e.kind is not K.VISIT]
        if K.DISRUPTION in kinds_in_order:
            assert K.LINKED in kinds_in_order[kinds_in_order.index(K.DISRUPTION):]
    assert any(c.sibling_key for c in demo_set)
    assert 0.05 < sum(c.has_disability for c in demo_set) / len(demo_set) < 0.3
    assert any(c.dob is None and c.expected_dob for c in demo_set)


@pytest.mark.django_db
def test_aw_policies_cover_every_variant():
    load_structure(read_file(DEMO_STRUCTURE))
    aw = LAPolicy.objects.filter(la__raa__code="AW")
    assert set(aw.values_list("case_holding", flat=True)) == {rules.LA_KEEPS, rules.RAA_AT_PO,
                                                              rules.RAA_AT_PO_AGE_LIMIT}
    assert aw.filter(should_be_placed_delegated=True).exists()
    assert aw.filter(match_delegated=True).exists()
    for writer in ("cpr_writer", "lsb_writer", "lll_writer"):
        assert aw.filter(**{writer: rules.RAA}).exists(), writer
        assert aw.filter(**{writer: rules.LA}).exists(), writer
    wiltshire = LAPolicy.objects.filter(la__code="865").order_by("effective_from")
    assert [p.case_holding for p in wiltshire] == [rules.LA_KEEPS, rules.RAA_AT_PO]
    assert all(p.note for p in aw)
    assert Organisation.objects.filter(kind="la", raa__code="AS").count() == 2


@pytest.mark.django_db
def test_demo_command_loads_consistent_data():
    call_command("demo", children=120, today=TODAY.isoformat(), stdout=io.StringIO())
    children = list(Child.objects.select_related("la", "la__raa"))
    assert len(children) == 120 + 18
    assert {c.stage for c in children} == {s.value for s in rules.Stage if s is not rules.Stage.NEW}
    timescales = timescales_in_force(TODAY)
    columns = ["stage", "case_holder_id", "entered_care_date", "po_date", "next_due_date", "next_due_label",
               "last_event_date"]
    for child in children:
        derived = services.derive(services.event_facts(child), services.policies_for(child.la),
                                  child.date_of_birth, timescales)
        expected = services.snapshot_values(child, derived)
        assert {k: getattr(child, k) for k in columns} == expected, child.la_child_id
        assert child.la_social_worker.organisation_id == child.la_id
        if child.family_finder_id:
            assert child.family_finder.organisation_id == child.la.raa_id
    assert not JourneyEvent.objects.exclude(source=JourneyEvent.Source.DEMO).exists()
    assert ChildNeed.objects.count() == len(children) * NeedCategory.objects.count()
    # A demo user for every role, all able to sign in.
    demo_users = Staff.objects.filter(organisation__code__in=["AW", "AS", "800", "801", "802", "803", "916",
                                                              "865", "839", "835"])
    assert set(demo_users.values_list("role", flat=True)) == set(Role.values)
    assert all(u.check_password("demo-password-2026") for u in demo_users.filter(username__in=["ff.amara",
                                                                                                "sw.bristol"]))
    # Both RAAs have children, in every one of their LAs.
    assert {c.la.code for c in children} == {"800", "801", "802", "803", "916", "865", "839", "835"}
    # A second run refuses; --reset loads the same data again.
    with pytest.raises(CommandError, match="already has demo children"):
        call_command("demo", children=120, today=TODAY.isoformat(), stdout=io.StringIO())
    before = sorted((c.la.code, c.la_child_id, c.first_name, c.stage) for c in children)
    call_command("demo", children=120, today=TODAY.isoformat(), reset=True, stdout=io.StringIO())
    after = sorted((c.la.code, c.la_child_id, c.first_name, c.stage) for c in Child.objects.select_related("la"))
    assert before == after


@pytest.mark.django_db
def test_generate_small_national_run():
    call_command("generate", scale="national", children=300, las=6, raas=2, today=TODAY.isoformat(), workers=0,
                 stdout=io.StringIO())
    assert Organisation.objects.filter(kind="raa").count() == 2
    assert Organisation.objects.filter(kind="la").count() == 6
    assert Child.objects.count() == 300
    assert JourneyEvent.objects.filter(source=JourneyEvent.Source.DEMO).count() > 300 * 5
    assert Staff.objects.get(username="tm.r01").check_password("demo-password-2026")
    assert not Staff.objects.get(username="ff.r01.1").has_usable_password()
    child = Child.objects.filter(stage=rules.Stage.ADOPTED).select_related("la").first()
    derived = services.derive(services.event_facts(child), services.policies_for(child.la), child.date_of_birth,
                              timescales_in_force(TODAY))
    assert services.snapshot_values(child, derived)["stage"] == child.stage
    with pytest.raises(CommandError, match="already has children"):
        call_command("generate", scale="national", children=30, las=2, raas=1, today=TODAY.isoformat(),
                     workers=0, stdout=io.StringIO())


def test_the_cases_real_903_returns_hold(demo_set):
    """Earlier periods of care, leaving care, early permanence carers who adopt or not, foster carers who adopt,
    adoption orders on 31 March, 1 April and 29 February – in every LA, in plausible proportions."""
    for code, _ in DEMO_LAS:
        la = [c for c in demo_set if c.la_code == code]
        aos = {e.date for c in la for e in c.events if e.kind is K.ADOPTION_ORDER}
        assert {(d.month, d.day) for d in aos} >= {(3, 31), (4, 1), (2, 29)}, code
        assert any(c.earlier_periods for c in la) and any(c.left_care for c in la), code
    with_earlier = [c for c in demo_set if c.earlier_periods]
    assert 0.05 < len(with_earlier) / len(demo_set) < 0.3
    assert any(len(c.earlier_periods) == 2 for c in demo_set)
    for c in with_earlier:
        entered = next(e.date for e in c.events if e.kind is K.ENTERED_CARE)
        ends = [c.dob]
        for start, end, rec in c.earlier_periods:
            assert ends[-1] <= start < end < entered, c.key
            assert rec in {"E4A", "E4B", "E13", "E41"}, c.key
            ends.append(end)
    for c in demo_set:
        if c.left_care:
            last = max(e.date for e in c.events if e.kind is not K.VISIT)
            assert last < c.left_care[0] <= TODAY and c.target in ("plan_changed", "po_revoked"), c.key
    eps = [e for c in demo_set for e in c.events if e.kind is K.EARLY_PERMANENCE]
    assert {e.details["carer"] for e in eps} == {"connected", "other"}
    by = Counter()
    for c in demo_set:
        ep = next((e for e in c.events if e.kind is K.EARLY_PERMANENCE), None)
        placed = [e for e in c.events if e.kind is K.PLACED]
        if ep and placed:
            carers = placed[-1].details.get("by_foster_carers")
            by["carers" if carers else "others"] += 1
            if carers:  # A10 counts from the early permanence placement
                assert placed[-1].details["moved_in_with_carers"] == ep.date.isoformat(), c.key
    assert by["carers"] > by["others"] > 0
    fosterers = [e for c in demo_set for e in c.events if e.kind is K.PLACED and e.details.get("by_foster_carers")
                 and not any(x.kind is K.EARLY_PERMANENCE for x in c.events)]
    assert fosterers and all(date.fromisoformat(e.details["moved_in_with_carers"]) < e.date for e in fosterers)
