"""The RAA's matching weights: a new version each time (never an edit), each rule with its GOV.UK message,
audited; the next shortlist scores with the version in force and a shortlist already saved keeps its own."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.core.models import AuditEvent
from permanence.family_finding import matching, profiles, services
from permanence.family_finding.models import MatchingWeights
from permanence.organisations.models import Role

from .conftest import TODAY

ZERO = dict.fromkeys(matching.FACTORS, 0)


def set_weights(world, values=None, *, source="Matching panel, 4 August 2025", valid_from=TODAY, actor=None,
                **kwargs):
    return services.set_matching_weights(actor=actor or world.user(Role.RAA_TEAM_MANAGER), raa=world.raa,
                                         values=ZERO if values is None else values, source=source,
                                         valid_from=valid_from, **kwargs)


def errors_of(world, values=None, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        set_weights(world, values, **kwargs)
    return caught.value.message_dict


def test_a_new_version_is_numbered_for_the_raa_and_audited(world):
    manager = world.user(Role.RAA_TEAM_MANAGER)
    first = set_weights(world, {**ZERO, "needs_margin": 30}, source="  Matching panel,\n 4 August 2025 ", cap=3)
    assert (first.version, first.raa, first.created_by, first.cap) == ("NR-1", world.raa, manager, 3)
    assert first.source == "Matching panel, 4 August 2025" and first.weights["needs_margin"] == 30
    assert first.scales == matching.DEFAULT_SCALES
    entry = AuditEvent.objects.get(action="matching_weights.created")
    assert entry.actor == manager and entry.object_id == str(first.pk)
    assert entry.before["version"] == "permanence-default-1" and entry.before["weights"]["needs_margin"] == 20
    assert entry.after["version"] == "NR-1" and entry.after["weights"]["needs_margin"] == 30
    assert entry.after["valid_from"] == "2025-09-01" and entry.after["cap"] == 3
    second = set_weights(world, {**ZERO, "heritage": 12.5}, valid_from=date(2025, 10, 1))
    assert second.version == "NR-2" and second.cap == 3  # the cap in force carries over unless given
    assert second.weights["heritage"] == 12.5
    first.refresh_from_db()
    assert first.weights["needs_margin"] == 30  # never edited
    assert MatchingWeights.objects.filter(raa=world.raa).count() == 2


def test_the_version_in_force_is_the_latest_on_the_date(world):
    set_weights(world, {**ZERO, "heritage": 1})
    set_weights(world, {**ZERO, "heritage": 2}, valid_from=date(2025, 10, 1))
    assert profiles.weights_for(world.raa, TODAY).weights.version == "NR-1"
    assert profiles.weights_for(world.raa, date(2025, 10, 1)).weights.version == "NR-2"
    assert profiles.weights_for(world.other_raa, TODAY).weights.version == "permanence-default-1"


@pytest.mark.parametrize(("values", "kwargs", "field", "message"), [
    ({**ZERO, "heritage": 51}, {}, "heritage", "The points for heritage must be a number from 0 to 50."),
    ({**ZERO, "decline": -1}, {}, "decline", "The points for earlier decline must be a number from 0 to 50."),
    ({**ZERO, "contact": "lots"}, {}, "contact", "The points for contact must be a number from 0 to 50."),
    ({k: v for k, v in ZERO.items() if k != "distance"}, {}, "distance", "Enter the points for distance."),
    ({**ZERO, "colour": 3}, {}, "__all__", "Not a matching factor: colour."),
    (ZERO, {"source": "  "}, "source",
     "Enter the source of these weights, for example the matching panel that agreed them."),
    (ZERO, {"source": "x" * 501}, "source", "The source must be 500 characters or fewer."),
    (ZERO, {"valid_from": None}, "valid_from", "Enter the date the weights apply from."),
    (ZERO, {"valid_from": date(2025, 8, 31)}, "valid_from",
     "The date the weights apply from must be today or in the future."),
    (ZERO, {"cap": 0}, "cap", "The cap must be a whole number from 1 to 20, or left blank."),
])
def test_each_rule_says_what_to_put_right(world, values, kwargs, field, message):
    assert errors_of(world, values, **kwargs) == {field: [message]}
    assert not MatchingWeights.objects.filter(raa=world.raa).exists()
    assert not AuditEvent.objects.filter(action="matching_weights.created").exists()


def test_a_new_version_cannot_apply_before_the_latest(world):
    set_weights(world, valid_from=date(2025, 10, 1))
    assert errors_of(world, valid_from=date(2025, 9, 15)) == {"valid_from": [
        "The date the weights apply from must be on or after 1 October 2025, when version NR-1 applies from."]}
    assert set_weights(world, valid_from=date(2025, 10, 1)).version == "NR-2"  # the same day is allowed


@pytest.mark.parametrize(("role", "org", "allowed"), [
    (Role.RAA_TEAM_MANAGER, "raa", True), (Role.RAA_HEAD_OF_SERVICE, "raa", True),
    (Role.RAA_FAMILY_FINDER, "raa", False), (Role.DATA_OFFICER, "raa", False),
    (Role.RAA_TEAM_MANAGER, "other_raa", False), (Role.LA_TEAM_MANAGER, "la", False),
])
def test_who_may_set_the_weights(world, role, org, allowed):
    actor = world.user(role, getattr(world, org))
    if allowed:
        assert set_weights(world, actor=actor).version == "NR-1"
    else:
        with pytest.raises(ValidationError, match="Only the RAA's team managers and heads of service"):
            set_weights(world, actor=actor)
        assert not MatchingWeights.objects.filter(raa=world.raa).exists()


def run(world):
    return services.shortlist(child=world.child_at_po, actor=None, spread=False, check_role=False)


def test_a_new_version_changes_the_next_shortlists_scores_and_not_an_old_ones(world):
    old = run(world)
    old_scores = dict(old.entries.values_list("household_id", "score"))
    assert old.weights_version == "permanence-default-1" and all(old_scores.values())
    # Only the two waiting factors: the households were approved on 27 June 2025 (2 whole months by 1 September:
    # 24 × 2/24 = 2.0) and the child's placement order was on 2 September 2024 (11 months: 12 × 11/24 = 5.5).
    row = set_weights(world, {**ZERO, "household_waiting": 24, "child_waiting": 12})
    new = run(world)
    assert new.weights == row and new.weights_version == "NR-1"
    assert new.explanation["weights"]["version"] == "NR-1"
    assert dict(new.entries.values_list("household_id", "score")) == {world.household.pk: 7.5,
                                                                      world.second.pk: 7.5}
    old.refresh_from_db()
    assert old.weights_version == "permanence-default-1"
    assert dict(old.entries.values_list("household_id", "score")) == old_scores
    assert old.explanation["weights"]["points"]["needs_margin"] == 20


def test_a_version_from_a_later_date_does_not_change_todays_shortlist(world):
    set_weights(world, {**ZERO, "household_waiting": 24}, valid_from=date(2025, 9, 2))
    shortlist = run(world)
    assert shortlist.weights_version == "permanence-default-1"


def test_the_spread_cap_is_the_versions(world):
    row = set_weights(world, cap=1)
    assert profiles.weights_for(world.raa, TODAY).cap == 1 and run(world).explanation["cap"] == 1
    assert row.cap == 1
