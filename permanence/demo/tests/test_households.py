"""Demo adopters: a deterministic simulator whose household journeys all replay, and their loading."""

import io
import re
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from permanence.adopters import rules, services
from permanence.adopters.models import CapacityNeed, Enquiry, Household, HouseholdEvent, Panel, PanelItem
from permanence.core.models import AuditEvent
from permanence.demo import households
from permanence.demo.management.commands.demo import ASPIRE_HOUSEHOLDS
from permanence.organisations.models import Role

TODAY = date(2026, 3, 1)
K = rules.Kind
AW_LAS = ["800", "801", "802", "803", "916", "865"]


def _as_tuples(raas):
    return [
        (h.key, h.target, h.name, h.relationship, h.residence_la_code, h.fast_track, h.target_panel_date,
         tuple(tuple(sorted(a.items())) for a in h.applicants), tuple(sorted(h.capacity_needs.items())),
         tuple((e.kind, e.date, e.seq, tuple(sorted(e.details.items()))) for e in h.events),
         tuple((i.panel_date, i.recommendation, i.decision, i.decision_on) for i in h.panel_items))
        for raa in raas for h in raa.households
    ] + [(e.key, e.received_on, e.source, e.outcome, e.outcome_on, e.household_key) for raa in raas
         for e in raa.enquiries]


@pytest.fixture(scope="module")
def demo_raa():
    return households.generate(2026, TODAY, [("AW", AW_LAS, 60, 120)])[0]


def test_simulator_is_deterministic():
    args = [("AW", AW_LAS, 40, 70), ("AS", ["839", "835"], 10, 20)]
    first = households.generate(5, TODAY, args)
    assert _as_tuples(first) == _as_tuples(households.generate(5, TODAY, args))
    assert _as_tuples(first) != _as_tuples(households.generate(6, TODAY, args))
    alone = households.generate(5, TODAY, args[1:])
    assert _as_tuples(alone) == _as_tuples(first[1:])


def test_every_household_replays_and_nothing_is_in_the_future(demo_raa):
    panels = set(households.HouseholdSimulator(2026, TODAY).panel_dates("AW"))
    for h in demo_raa.households:
        state = rules.replay(h.events, fast_track=h.fast_track)  # raises TransitionRefused if not
        assert all(e.date <= TODAY for e in h.events), h.key
        assert rules.sort_events(h.events) == h.events
        assert h.events[0].kind is K.ROI_RECEIVED
        assert 1 <= len(h.applicants) <= 2
        assert (len(h.applicants) == 1) == (h.relationship == "single")
        assert all(a["date_of_birth"] < h.events[0].date for a in h.applicants)
        # Panel items agree with the events: a recommendation on each panel date, the ADM decision after it.
        recs = [e for e in h.events if e.kind is K.PANEL_RECOMMENDATION]
        heard = [i for i in h.panel_items if i.recommendation]
        assert [(e.date, e.details["recommendation"]) for e in recs] == [(i.panel_date, i.recommendation)
                                                                          for i in heard]
        assert all(i.panel_date in panels for i in h.panel_items)
        for item in heard:
            assert item.papers_received_on is not None and item.papers_received_on <= item.panel_date
            adm = [e for e in h.events if e.kind is K.ADM_DECISION]
            if item.decision:
                assert (adm[0].date, adm[0].details["decision"]) == (item.decision_on, item.decision)
                assert item.decision_on >= item.panel_date
        for item in h.panel_items:
            if not item.recommendation:  # a booking: only on a future panel, while awaiting panel
                assert item.panel_date > TODAY and state.stage is rules.Stage.AWAITING_PANEL
        if h.fast_track:
            assert K.STAGE_1_STARTED not in {e.kind for e in h.events}
        if state.stage in (rules.Stage.APPROVED, rules.Stage.MATCHED):
            assert h.capacity and 1 <= h.capacity["children_min"] <= h.capacity["children_max"] <= 4
            assert set(h.capacity_needs) == set(households.NEED_CODES)
    for e in demo_raa.enquiries:
        assert e.received_on <= TODAY and (e.outcome_on is None or e.received_on <= e.outcome_on <= TODAY)
        assert (e.outcome == "signposted") == bool(e.signpost_reason)
    # Panels are monthly, with a few months ahead for bookings.
    assert 36 <= len([p for p in demo_raa.panels if p.date <= TODAY]) <= 42
    assert all((p.date - p.papers_due).days == 10 and p.capacity == 6 for p in demo_raa.panels)
    assert max(Counter(i.panel_date for h in demo_raa.households for i in h.panel_items).values()) <= 6


def test_every_stage_and_branch_appears(demo_raa):
    states = [h.state() for h in demo_raa.households]
    stages = Counter(s.stage for s in states)
    for stage in rules.Stage:
        if stage is not rules.Stage.NEW:
            assert stages[stage] >= 2, (stage, stages)
    assert sum(s.paused for s in states) >= 2
    assert any(s.pauses and not s.paused for s in states)  # a pause that ended
    fast = [h for h in demo_raa.households if h.fast_track]
    assert len(fast) >= 2 and {h.state().stage for h in fast} - {rules.Stage.CLOSED}
    reasons = {s.close_reason for s in states if s.stage is rules.Stage.CLOSED}
    assert {"roi_declined", "not_approved", "adopted", "break_too_long", "signposted"} <= reasons
    assert reasons & {"withdrew", "circumstances"}
    assert any(s.stage is rules.Stage.APPROVED and (TODAY - s.approved).days > 92 for s in states)
    assert set(Counter(e.kind for h in demo_raa.households for e in h.events)) >= set(rules.Kind) - {
        K.MATCH_ENDED}
    outcomes = Counter(e.outcome for e in demo_raa.enquiries)
    assert {"information_sent", "invited_to_event", "signposted", "no_further_contact", "roi_received"} <= set(
        outcomes)
    assert sum(h.target_panel_date is not None for h in demo_raa.households) > 30
    assert any(h.target_moves for h in demo_raa.households)


@pytest.mark.django_db
def test_demo_command_loads_consistent_households():
    out = io.StringIO()
    call_command("demo", children=20, households=60, today=TODAY.isoformat(), stdout=out)
    aw = Household.objects.filter(raa__code="AW")
    # Besides the 60 (and Aspire's 12), the approved households generated for the demo's links.
    partners = int(re.search(r"with (\d+) approved households for them", out.getvalue()).group(1))
    assert Household.objects.count() == 60 + ASPIRE_HOUSEHOLDS + partners
    assert Household.objects.filter(raa__code="AS").exists()
    # Matched only with a matched child (20 children may have none): demo/tests/test_links.py.
    assert {h.stage for h in aw} >= {s.value for s in rules.Stage if s not in (rules.Stage.NEW, rules.Stage.MATCHED)}
    assert aw.filter(paused=True).count() >= 2
    assert Enquiry.objects.filter(raa__code="AW").count() == 120
    # Stored snapshots equal a recomputation by the services.
    for h in Household.objects.select_related("assessing_social_worker"):
        state = rules.replay(services.event_facts(h), fast_track=h.fast_track)
        expected = services.snapshot_values(h, state, TODAY)
        assert {k: getattr(h, k) for k in expected} == expected, h.name
        if h.assessing_social_worker:
            assert h.assessing_social_worker.organisation_id == h.raa_id
            assert h.assessing_social_worker.role == Role.RAA_ASSESSING_SOCIAL_WORKER
        assert hasattr(h, "capacity")
    assert not HouseholdEvent.objects.exclude(source="demo").exists()
    recorders = HouseholdEvent.objects.filter(kind=K.ADM_DECISION).values_list("recorded_by__role", flat=True)
    assert set(recorders) == {Role.AGENCY_DECISION_MAKER}
    # Panel items agree with the events.
    for item in PanelItem.objects.filter(recommendation__gt="").select_related("panel", "household"):
        ev = item.household.events.get(kind=K.PANEL_RECOMMENDATION, date=item.panel.date)
        assert ev.details["recommendation"] == item.recommendation
        if item.decision:
            assert item.household.events.filter(kind=K.ADM_DECISION, date=item.decision_on,
                                                details__decision=item.decision).exists()
    assert Panel.objects.filter(raa__code="AW").count() >= 36
    assert CapacityNeed.objects.exists()
    assert AuditEvent.objects.filter(action="household.target_panel_date").exists()
    # --reset loads the same households again.
    before = sorted(aw.values_list("name", "stage", "next_due_date"))
    call_command("demo", children=20, households=60, today=TODAY.isoformat(), reset=True, stdout=io.StringIO())
    assert sorted(Household.objects.filter(raa__code="AW").values_list("name", "stage", "next_due_date")) == before
    assert Enquiry.objects.filter(raa__code="AW").count() == 120


@pytest.mark.django_db
def test_generate_small_national_run_has_households():
    call_command("generate", scale="national", children=60, las=4, raas=2, households=80, enquiries=200,
                 today=TODAY.isoformat(), workers=0, stdout=io.StringIO())
    assert Household.objects.count() == 80
    assert Enquiry.objects.count() == 200
    assert set(Household.objects.values_list("raa__code", flat=True)) == {"R01", "R02"}
    assert Household.objects.filter(stage=rules.Stage.APPROVED).exists()
    assert not Household.objects.filter(assessing_social_worker__isnull=True).exclude(
        stage__in=[rules.Stage.ROI, rules.Stage.CLOSED]).exists()
    h = Household.objects.filter(stage=rules.Stage.MATCHED).first()
    state = rules.replay(services.event_facts(h), fast_track=h.fast_track)
    assert services.snapshot_values(h, state, TODAY)["stage"] == h.stage
