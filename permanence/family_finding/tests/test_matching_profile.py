"""The child's matching profile through its service: each rule with its GOV.UK message, the audit entries, and a
saved profile changing the next shortlist's exclusions (and not a shortlist already saved)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.children import services as child_services
from permanence.children.models import SiblingGroup
from permanence.core.models import AuditEvent
from permanence.family_finding import profiles, services
from permanence.family_finding.models import ChildMatchingProfile
from permanence.organisations.models import Role

from .conftest import AT_PO, approved_household


def save(world, actor=None, child=None, **values):
    return services.save_matching_profile(actor=actor or world.user(Role.RAA_FAMILY_FINDER),
                                          child=child or world.child_at_po, values=values)


def errors_of(world, **values) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        save(world, **values)
    return caught.value.message_dict


def test_creating_then_changing_a_profile_is_audited_with_before_and_after(world):
    ff = world.user(Role.RAA_FAMILY_FINDER)
    profile = save(world, avoid_birth_family_la=True, birth_family_la=world.la_keeps, avoid_places="ls6, BD  ls6",
                   reference_district="ls6 3ab", max_distance_miles=40, letterbox_contact=True)
    assert profile.avoid_places == ["LS6", "BD"] and profile.reference_district == "LS6"  # the district only
    created = AuditEvent.objects.get(action="matching_profile.created")
    assert created.child_id == world.child_at_po.pk and created.actor == ff and created.before is None
    assert created.after["birth_family_la"] == "902" and created.after["max_distance_miles"] == 40
    assert created.after["letterbox_contact"] is True and created.after["direct_contact"] is None
    save(world, max_distance_miles=60, avoid_las=[world.other_la])
    updated = AuditEvent.objects.get(action="matching_profile.updated")
    assert updated.before == {"max_distance_miles": 40, "avoid_las": []}
    assert updated.after == {"max_distance_miles": 60, "avoid_las": ["903"]}
    profile.refresh_from_db()
    assert profile.avoid_places == ["LS6", "BD"] and profile.letterbox_contact is True  # untouched fields stay
    save(world, max_distance_miles=60)  # nothing changed: no entry
    assert AuditEvent.objects.filter(action__startswith="matching_profile").count() == 2
    assert ChildMatchingProfile.objects.count() == 1


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"avoid_places": "LS6, ZZ9"}, "avoid_places",
     "Enter a real postcode district or area, like LS6 or BD (ZZ9 is not one)."),
    ({"avoid_places": "QQ, XY1"}, "avoid_places",
     "Enter real postcode districts or areas, like LS6 or BD (QQ, XY1 are not)."),
    ({"avoid_places": "LS6 3AB"}, "avoid_places",
     "Enter a real postcode district or area, like LS6 or BD (3AB is not one)."),
    ({"reference_district": "ZZ9", "max_distance_miles": 20}, "reference_district",
     "Enter a real postcode district in Great Britain, like LS6."),
    ({"reference_district": "BT1", "max_distance_miles": 20}, "reference_district",
     "Enter a real postcode district in Great Britain, like LS6."),
    ({"max_distance_miles": 30}, "reference_district",
     "Enter the postcode district distances are measured from, like LS6."),
    ({"min_distance_miles": 30}, "reference_district",
     "Enter the postcode district distances are measured from, like LS6."),
    ({"reference_district": "LS6", "max_distance_miles": 30, "min_distance_miles": 30}, "min_distance_miles",
     "The minimum distance must be less than the maximum distance."),
    ({"reference_district": "LS6", "max_distance_miles": 0}, "max_distance_miles",
     "The maximum distance must be a whole number of miles from 1 to 1000."),
    ({"reference_district": "LS6", "min_distance_miles": 5000}, "min_distance_miles",
     "The minimum distance must be a whole number of miles from 1 to 1000."),
    ({"require_known_distance": True}, "require_known_distance",
     "Enter a maximum or minimum distance, or do not ask for the distance to be known."),
    ({"letterbox_contact": "maybe"}, "letterbox_contact", "Choose yes, no or not recorded."),
    ({"early_permanence": "soon"}, "early_permanence",
     "Choose whether early permanence is needed, possible or not considered."),
    ({"religion": "x" * 101}, "religion", "Religion must be 100 characters or fewer."),
])
def test_each_rule_says_what_to_put_right_on_its_field(world, values, field, message):
    assert errors_of(world, **values) == {field: [message]}
    assert not ChildMatchingProfile.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="matching_profile").exists()


def test_the_las_must_be_las(world):
    assert errors_of(world, birth_family_la=world.raa) == {
        "birth_family_la": ["Choose a local authority for the birth family's LA."]}
    assert errors_of(world, avoid_las=[world.la_keeps, world.other_raa]) == {
        "avoid_las": ["Choose local authorities only for the LAs the child must not be placed in."]}
    assert errors_of(world, avoid_las=[999999]) == {
        "avoid_las": ["Choose local authorities only for the LAs the child must not be placed in."]}
    assert list(save(world, avoid_las=[world.la_keeps.pk]).avoid_las.all()) == [world.la_keeps]


def test_real_districts_areas_and_places_outside_great_britain_are_accepted(world):
    profile = save(world, avoid_places=["w1", "W1D", "bd", "BT1", "bt"], reference_district="BS1",
                   max_distance_miles=50, min_distance_miles=5, require_known_distance=True)
    assert profile.avoid_places == ["W1", "W1D", "BD", "BT1", "BT"]
    assert (profile.max_distance_miles, profile.min_distance_miles) == (50, 5)


def test_several_errors_at_once_are_each_on_their_field(world):
    assert set(errors_of(world, avoid_places="ZZ9", max_distance_miles=10, min_distance_miles=20,
                         birth_family_la=world.raa)) == {"avoid_places", "reference_district",
                                                         "min_distance_miles", "birth_family_la"}


def test_unknown_fields_are_refused(world):
    with pytest.raises(ValidationError, match="Not part of a matching profile: colour"):
        save(world, colour="blue")


@pytest.mark.parametrize(("role", "org", "allowed"), [
    (Role.RAA_FAMILY_FINDER, "raa", True), (Role.RAA_TEAM_MANAGER, "raa", True),
    (Role.LA_SOCIAL_WORKER, "la", True), (Role.LA_TEAM_MANAGER, "la", True),
    (Role.RAA_ASSESSING_SOCIAL_WORKER, "raa", False), (Role.PANEL_ADVISER, "raa", False),
    (Role.DATA_OFFICER, "la", False), (Role.RAA_FAMILY_FINDER, "other_raa", False),
    (Role.LA_SOCIAL_WORKER, "other_la", False),
])
def test_who_may_change_a_profile(world, role, org, allowed):
    actor = world.user(role, getattr(world, org))
    if allowed:
        assert save(world, actor=actor, religion="Christian").religion == "Christian"
    else:
        with pytest.raises(ValidationError, match="Only the child's family finder"):
            save(world, actor=actor, religion="Christian")
        assert not ChildMatchingProfile.objects.exists()


def test_a_maximum_distance_leaves_the_far_household_out_of_the_next_shortlist(world):
    far = approved_household(world.raa, "Farrow", postcode="BS1 4DJ")
    near = approved_household(world.raa, "Nearby", postcode="LS7 3AB")
    before = services.shortlist(child=world.child_at_po, actor=None, spread=False, check_role=False)
    assert not before.entries.get(household=far).excluded and not before.entries.get(household=near).excluded
    save(world, reference_district="LS6", max_distance_miles=50)
    after = services.shortlist(child=world.child_at_po, actor=None, spread=False, check_role=False)
    entry = after.entries.get(household=far)
    assert entry.excluded and entry.rank is None
    assert [(r["rule"], r["reason"]) for r in entry.reasons] == [
        ("location", "169 miles from LS6; the child's plan allows at most 50")]
    assert not after.entries.get(household=near).excluded
    assert after.explanation["subject"]["max_distance_miles"] == 50
    assert not before.entries.get(household=far).excluded  # the saved shortlist keeps its answer


def test_avoided_places_and_the_birth_familys_la_leave_households_out(world):
    leeds = approved_household(world.raa, "Leeds", postcode="LS6 2AA")
    save(world, avoid_places="LS")
    entry = services.shortlist(child=world.child_at_po, actor=None, spread=False,
                               check_role=False).entries.get(household=leeds)
    assert entry.excluded and entry.reasons[0]["reason"] == "lives in LS6, and the child must not be placed in LS"
    save(world, avoid_places="", avoid_birth_family_la=True)
    assert profiles.child_profile(world.child_at_po, date(2025, 9, 1)).not_in_las == frozenset({"901"})
    save(world, birth_family_la=world.other_la)
    assert profiles.child_profile(world.child_at_po, date(2025, 9, 1)).not_in_las == frozenset({"903"})


def test_a_sibling_group_placed_together_is_matched_on_the_profiles_combined(world):
    group = child_services.create_sibling_group(actor=None, la=world.la, name="The Testcase siblings",
                                                plan=SiblingGroup.Plan.TOGETHER)
    older = world.child(events=AT_PO, sibling_group=group, dob=date(2020, 5, 1))
    younger = world.child(events=AT_PO, sibling_group=group, dob=date(2023, 1, 9))
    save(world, child=older, reference_district="LS6", max_distance_miles=80)
    save(world, child=younger, reference_district="LS6", max_distance_miles=30, avoid_places="BD")
    combined = profiles.child_profile(younger, date(2025, 9, 1))
    assert combined.max_distance_miles == 30 and combined.not_in_places == frozenset({"BD"})
