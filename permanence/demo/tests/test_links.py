"""The demo's links agree with the children's and the households' journeys (demo/links.py)."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from permanence.adopters import rules as hrules
from permanence.adopters.models import Household
from permanence.children import rules as crules
from permanence.children.models import Child
from permanence.family_finding import rules, services
from permanence.family_finding.models import ChildMatchingProfile, Link

TODAY = date(2026, 3, 1)
AT = {"linked": {"link_agreed", "panel_booked", "panel_recommended"}, "matched": {"matched", "introductions"},
      "placed": {"placed"}}
ON_CHILD = {rules.Kind.LINK_AGREED: crules.Kind.LINKED, rules.Kind.PANEL_RECOMMENDATION: crules.Kind.MATCHING_PANEL,
            rules.Kind.MATCH_DECISION: crules.Kind.MATCH_DECISION, rules.Kind.PLACED: crules.Kind.PLACED}


@pytest.mark.django_db
def test_demo_links_agree_with_the_childrens_and_households_journeys():
    call_command("demo", children=160, households=40, today=TODAY.isoformat(), stdout=io.StringIO())
    _every_child_at_a_link_step_has_exactly_one_link_at_it()
    _every_links_steps_agree_with_both_journeys()
    _children_not_yet_placed_have_matching_profiles()


def _every_child_at_a_link_step_has_exactly_one_link_at_it():
    checked = 0
    for child in Child.objects.filter(stage__in=AT).prefetch_related("links"):
        at_step = [link for link in child.links.all() if link.stage in AT[child.stage]]
        assert len(at_step) == 1, (child.pk, child.stage, [link.stage for link in child.links.all()])
        checked += 1
    assert checked > 10


def _every_links_steps_agree_with_both_journeys():
    links = list(Link.objects.prefetch_related("children", "events").select_related("household"))
    assert {link.stage for link in links} >= {"shortlisted", "contact", "visit", "interest", "link_agreed",
                                                "matched", "placed", "ended"}
    assert {link.ended_reason for link in links} >= set(rules.END_REASONS)
    assert any(link.stale for link in links) and not all(link.stale for link in links if link.is_open)
    matched_households = set()
    for link in links:
        facts = services.event_facts(link)
        state = rules.replay(facts)
        for child in link.children.all():
            child_events = {(e.kind, e.date) for e in child.events.filter(superseded=False)}
            for f in facts:
                if f.kind in ON_CHILD:
                    assert (ON_CHILD[f.kind].value, f.date) in child_events, (link.pk, f.kind, child.pk)
            if state.stage is rules.Stage.ENDED and state.was_agreed:
                assert (crules.Kind.LINK_ENDED.value, state.ended) in child_events, link.pk
        household_events = {(e.kind, e.date) for e in link.household.events.filter(superseded=False)}
        assert link.household.stage in ("approved", "matched", "closed")
        if state.matched:
            assert (hrules.Kind.MATCHED.value, state.matched) in household_events, link.pk
            matched_households.add(link.household_id)
        # The stored snapshot is the journey's.
        before = {k: getattr(link, k) for k in services.SNAPSHOT_FIELDS}
        services.refresh_snapshot(link, on=TODAY)
        assert {k: getattr(link, k) for k in services.SNAPSHOT_FIELDS} == before
    # Every household at matched is matched through a link.
    assert set(Household.objects.filter(stage="matched").values_list("pk", flat=True)) <= matched_households


def _children_not_yet_placed_have_matching_profiles():
    waiting = Child.objects.filter(stage__in=("placement_order", "should_be_placed", "linked"))
    assert waiting.exists()
    assert not waiting.filter(matching_profile__isnull=True).exists()
    assert ChildMatchingProfile.objects.filter(avoid_birth_family_la=True).exists()
    assert ChildMatchingProfile.objects.exclude(max_distance_miles=None).exists()
