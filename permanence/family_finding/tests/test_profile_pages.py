"""The matching-profile and matching-weights pages through the test client: what they show, an invalid form
with its error summary, a valid one saved and redirected with its success message."""

import re
from datetime import date

from django.urls import reverse

from permanence.children import services as child_services
from permanence.children.models import SiblingGroup
from permanence.core.models import AuditEvent
from permanence.family_finding import services
from permanence.family_finding.models import ChildMatchingProfile, MatchingWeights
from permanence.organisations.models import Role
from permanence.testing import current_version

from .conftest import AT_PO

BLANK_PROFILE = {"avoid_places": "", "reference_district": "", "max_distance_miles": "", "min_distance_miles": "",
                 "letterbox_contact": "", "direct_contact": "", "sibling_contact": "", "early_permanence": "",
                 "religion": "", "languages": "", "notes": ""}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_family_finding_page_links_to_the_profile(client, world):
    client.force_login(world.user(Role.RAA_FAMILY_FINDER))
    body = text(client.get(reverse("family_finding:child", args=[world.child_at_po.pk])))
    assert reverse("family_finding:matching-profile", args=[world.child_at_po.pk]) in body


def test_a_profile_not_yet_recorded_reads_not_recorded(client, world):
    client.force_login(world.user(Role.RAA_FAMILY_FINDER))
    body = text(client.get(reverse("family_finding:matching-profile", args=[world.child_at_po.pk])))
    assert 'id="no-profile"' in body and "Record the matching profile" in body
    assert body.count("Not recorded") == 13  # every blank row (15 rows); the two ticks read "No"
    assert "<dt class=\"govuk-summary-list__key\">Maximum distance</dt> <dd class=\"govuk-summary-list__value\">" \
           "Not recorded</dd>" in body


def test_recording_a_profile_through_the_form(client, world):
    child = world.child_at_po
    client.force_login(world.user(Role.LA_SOCIAL_WORKER))
    url = reverse("family_finding:edit-matching-profile", args=[child.pk])
    form = text(client.get(url))
    assert 'name="letterbox_contact" type="radio" value="" checked' in form  # not recorded until said
    assert '<option value="" selected>The child&#x27;s LA (Transferton)</option>' in form
    invalid = client.post(url, {**BLANK_PROFILE, "avoid_places": "LS6, ZZ9", "max_distance_miles": "40",
                                "min_distance_miles": "50", **current_version(client, url)})
    body = text(invalid)
    assert invalid.status_code == 200 and "govuk-error-summary" in body and "<title>Error:" in body
    assert '<a href="#id_avoid_places">Enter a real postcode district or area, like LS6 or BD (ZZ9 is not one).' \
           in body
    assert '<a href="#id_reference_district">Enter the postcode district distances are measured from' in body
    assert '<a href="#id_min_distance_miles">The minimum distance must be less than the maximum distance.' in body
    assert "LS6, ZZ9" in body  # what was typed stays
    assert not ChildMatchingProfile.objects.exists()
    words = text(client.post(url, {**BLANK_PROFILE, "max_distance_miles": "far", **current_version(client, url)}))
    assert "The maximum distance must be a whole number of miles, like 50." in words
    valid = client.post(url, {**BLANK_PROFILE, "avoid_birth_family_la": "on", "birth_family_la": world.la_keeps.pk,
                              "avoid_las": [world.other_la.pk], "avoid_places": "ls6\nBD",
                              "reference_district": "ls6", "max_distance_miles": "40", "letterbox_contact": "yes",
                              "direct_contact": "no", "early_permanence": "possible", "languages": "English, Urdu",
                              **current_version(client, url)})
    assert valid.status_code == 302 and valid.url == reverse("family_finding:matching-profile", args=[child.pk])
    profile = ChildMatchingProfile.objects.get(child=child)
    assert (profile.birth_family_la, list(profile.avoid_las.all()), profile.avoid_places) == (
        world.la_keeps, [world.other_la], ["LS6", "BD"])
    assert (profile.letterbox_contact, profile.direct_contact, profile.sibling_contact) == (True, False, None)
    assert (profile.max_distance_miles, profile.min_distance_miles, profile.early_permanence) == (40, None, "possible")
    assert AuditEvent.objects.get(action="matching_profile.created").actor == world.user(Role.LA_SOCIAL_WORKER)
    page = text(client.get(valid.url))
    assert "The matching profile has been saved." in page and "govuk-notification-banner--success" in page
    assert "Yes: not in Keepham" in page and "LS6, BD" in page and "40 miles" in page and "Elsewhere" in page
    assert "Early permanence possible" in page and "English, Urdu" in page
    assert page.count("Not recorded") == 4  # minimum distance, sibling contact, religion, notes
    again = text(client.get(url))
    assert 'name="letterbox_contact" type="radio" value="yes" checked' in again
    assert 'name="sibling_contact" type="radio" value="" checked' in again and "LS6, BD" in again


def test_who_sees_the_change_link(client, world):
    url = reverse("family_finding:matching-profile", args=[world.child_at_po.pk])
    client.force_login(world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    body = text(client.get(url))
    assert "Matching profile for" in body and 'id="change-profile"' not in body
    assert client.get(reverse("family_finding:edit-matching-profile", args=[world.child_at_po.pk])).status_code == 404
    client.force_login(world.user(Role.RAA_TEAM_MANAGER))
    assert 'id="change-profile"' in text(client.get(url))


def test_a_sibling_group_placed_together_says_its_profiles_are_combined(client, world):
    group = child_services.create_sibling_group(actor=None, la=world.la, name="The Testcase siblings",
                                                plan=SiblingGroup.Plan.TOGETHER)
    older = world.child(events=AT_PO, sibling_group=group, dob=date(2020, 5, 1), first_name="Ash")
    younger = world.child(events=AT_PO, sibling_group=group, dob=date(2023, 1, 9), first_name="Birch")
    for child, miles, place in ((older, 80, "BD"), (younger, 30, "WF")):
        services.save_matching_profile(actor=None, child=child, check_role=False, values={
            "reference_district": "LS6", "max_distance_miles": miles, "avoid_places": place,
            "letterbox_contact": place == "BD", "sibling_contact": place == "WF"})
    client.force_login(world.user(Role.RAA_FAMILY_FINDER))
    body = text(client.get(reverse("family_finding:matching-profile", args=[younger.pk])))
    assert 'id="sibling-group"' in body and "combines their profiles" in body
    assert reverse("family_finding:matching-profile", args=[older.pk]) in body and "Ash Testcase" in body
    combined = body.split('id="combined-profile"')[1].split("</dl>")[0]
    assert "BD, WF" in combined and "30 miles" in combined and "80 miles" not in combined
    assert "letterbox, with brothers or sisters" in combined and "Not considered" in combined
    alone = text(client.get(reverse("family_finding:matching-profile", args=[world.child_at_po.pk])))
    assert 'id="sibling-group"' not in alone and 'id="combined-profile"' not in alone


# ---------------------------------------------------------------------------------------------
# Weights


def weights_post(**changes) -> dict:
    data = {"needs_margin": "25", "heritage": "10", "religion": "4", "language": "4", "contact": "8",
            "early_permanence": "6", "experience": "8", "distance": "15", "household_waiting": "10",
            "child_waiting": "10", "decline": "12", "cap": "", "source": "Matching panel, 28 August 2025",
            "valid_from_day": "1", "valid_from_month": "9", "valid_from_year": "2025"}
    return {**data, **changes}


def test_the_weights_page_shows_the_defaults_in_force_and_the_history(client, world):
    client.force_login(world.user(Role.RAA_HEAD_OF_SERVICE))
    body = text(client.get(reverse("family_finding:weights")))
    assert "permanence-default-1" in body and "Permanence's defaults: this RAA has not set its own" in body
    assert "No cap" in body
    assert 'id="no-versions"' in body
    points = body.split('id="points"')[1].split("</table>")[0]
    assert re.search(r"Needs margin</th> <td[^>]*>20</td> <td[^>]*>20</td>", points)
    services.set_matching_weights(actor=None, raa=world.raa, values={**dict.fromkeys(
        ("needs_margin", "heritage", "religion", "language", "contact", "early_permanence", "experience",
         "distance", "household_waiting", "child_waiting", "decline"), 5), "needs_margin": 30},
        source="Panel, 1 September", valid_from=date(2025, 9, 1), check_role=False)
    services.set_matching_weights(actor=None, raa=world.raa, values=dict.fromkeys(
        ("needs_margin", "heritage", "religion", "language", "contact", "early_permanence", "experience",
         "distance", "household_waiting", "child_waiting", "decline"), 1), source="Panel, later",
        valid_from=date(2025, 12, 1), check_role=False)
    body = text(client.get(reverse("family_finding:weights")))
    assert "NR-1" in body and "Panel, 1 September" in body
    assert re.search(r"Needs margin</th> <td[^>]*>30</td> <td[^>]*>20</td>",
                     body.split('id="points"')[1].split("</table>")[0])
    versions = body.split('id="versions"')[1].split("</table>")[0]
    assert versions.index("NR-2") < versions.index("NR-1")
    assert re.search(r"NR-2</td> <td[^>]*>1 Dec 2025</td> <td[^>]*><strong[^>]*>Applies later", versions)
    assert re.search(r"NR-1</td> <td[^>]*>1 Sep 2025</td> <td[^>]*><strong[^>]*>In force", versions)


def test_setting_a_new_version_through_the_form(client, world):
    manager = world.user(Role.RAA_TEAM_MANAGER)
    client.force_login(manager)
    url = reverse("family_finding:set-weights")
    form = text(client.get(url))
    assert 'name="needs_margin" value="20"' in form  # starts from the weights in force
    invalid = client.post(url, weights_post(heritage="80", source="", valid_from_day="31", valid_from_month="8")
                          | current_version(client, url))
    body = text(invalid)
    assert invalid.status_code == 200 and "govuk-error-summary" in body
    assert '<a href="#id_heritage">The points for heritage must be a number from 0 to 50.' in body
    assert '<a href="#id_source">Enter the source of these weights' in body
    assert not MatchingWeights.objects.filter(raa=world.raa).exists()
    past = text(client.post(url, weights_post(valid_from_day="31", valid_from_month="8") | current_version(client, url)))
    assert '<a href="#id_valid_from_0">The date the weights apply from must be today or in the future.' in past
    valid = client.post(url, weights_post(cap="3") | current_version(client, url))
    assert valid.status_code == 302 and valid.url == reverse("family_finding:weights")
    row = MatchingWeights.objects.get(raa=world.raa)
    assert (row.version, row.weights["needs_margin"], row.weights["distance"], row.cap, row.created_by) == (
        "NR-1", 25, 15, 3, manager)
    page = text(client.get(valid.url))
    assert "Version NR-1 of the matching weights has been saved: it applies from today." in page


def test_the_board_links_to_the_weights_for_those_who_set_them(client, world):
    for role, shown in ((Role.RAA_TEAM_MANAGER, True), (Role.RAA_HEAD_OF_SERVICE, True),
                        (Role.RAA_FAMILY_FINDER, False)):
        client.force_login(world.user(role))
        body = text(client.get(reverse("family_finding:board")))
        assert ('id="weights-link"' in body) is shown, role
