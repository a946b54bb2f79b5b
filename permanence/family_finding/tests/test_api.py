"""Family finding in the API (/api/v1/links/, shortlists/, the rankings, the matching profile, the child's needs and
the household's capacity) and `permanence family-finding`: the pages' access, the services' writes, the engine's
answers."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from permanence import access
from permanence.adopters.models import CapacityProfile, Household
from permanence.api.tests.conftest import token_client
from permanence.children.models import ChildNeed
from permanence.core.models import AuditEvent, RecordView
from permanence.family_finding import matching, profiles, services
from permanence.family_finding.models import ChildMatchingProfile, Link, LinkEvent, Shortlist
from permanence.organisations.models import Role
from permanence.testing import each_case

from .conftest import AT_PO, TODAY, approved_household, with_links_both_sides
from .test_pages_access import USERS, sees, sees_child

FF = Role.RAA_FAMILY_FINDER
TM = Role.RAA_TEAM_MANAGER


@pytest.fixture
def api_world(world):
    w = world
    # The second North household takes babies only: the engine leaves it out for Robin (3 on TODAY).
    from permanence.adopters import services as household_services

    household_services.set_capacity(actor=None, household=w.second, age_min_years=0, age_max_years=1)
    return with_links_both_sides(w)


def family_finds(user, child) -> bool:
    """Worked out from the roles, not from access: a family finder or team manager of the child's RAA."""
    return user.role in (FF, TM) and user.organisation_id == child.la.raa_id


def sees_papers(user) -> bool:
    """The matching papers (shortlists, matching profiles, anonymised profiles) hold special-category data: not for
    data officers (worked out from the role)."""
    return user.role != Role.DATA_OFFICER


def sees_household(user, household) -> bool:
    from permanence.access.households import ADOPTER_RECORD_ROLES

    return user.is_active and user.role in ADOPTER_RECORD_ROLES and user.organisation_id == household.raa_id


def sees_child_record(user, child) -> bool:
    return access.can_see_child_records(user) and user.organisation_id in (child.la_id, child.la.raa_id)


def test_family_finding_endpoints_follow_the_pages(api_world):
    def check(code, role):
        w = api_world
        user = w.staff[(code, role)]
        api = token_client(user)
        listed = api.get(reverse("api:link-list"))
        shortlists = api.get(reverse("api:shortlist-list"))
        if access.can_see_links(user):
            assert listed.status_code == shortlists.status_code == 200
            assert {r["id"] for r in listed.json()["results"]} == {
                link.pk for link in (w.north_link, w.south_link) if sees(user, link)}
            assert {r["id"] for r in shortlists.json()["results"]} == {
                s.pk for s, c in ((w.north_shortlist, w.child_at_po), (w.south_shortlist, w.south_child))
                if sees_child(user, c) and sees_papers(user)}
        else:
            assert listed.status_code == shortlists.status_code == 404
        for link, child, shortlist, household in (
                (w.north_link, w.child_at_po, w.north_shortlist, w.household),
                (w.south_link, w.south_child, w.south_shortlist, w.south_household)):
            want = 200 if sees(user, link) else 404
            contact = link.events.get(kind="contact")
            for url in (reverse("api:link-detail", args=[link.pk]), reverse("api:link-event-list", args=[link.pk]),
                        reverse("api:link-event-detail", args=[link.pk, contact.pk])):
                response = api.get(url)
                assert response.status_code == want, url
                if want == 200 and user.organisation.kind == "la":
                    assert household.name.encode() not in response.content, url  # anonymised for the child's LA
            if want == 200:
                body = api.get(reverse("api:link-detail", args=[link.pk])).json()
                named = sees_household(user, household)
                assert body["household"]["name"] == (household.name if named else None)
                assert (body["household_profile"] is None) == named
                if not named:
                    assert body["household_profile"]["reference"] == household.reference
            child_want = 200 if sees_child(user, child) else 404
            response = api.get(reverse("api:shortlist-detail", args=[shortlist.pk]))
            assert response.status_code == (child_want if sees_papers(user) else 404)
            if child_want == 200 and user.organisation.kind == "la" and sees_papers(user):
                assert household.name.encode() not in response.content
                assert all(e["profile"] is None for e in response.json()["ranked"] + response.json()["excluded"])
            assert api.get(reverse("api:child-family-finding-matching-profile", args=[child.pk])).status_code == (
                child_want if child_want == 404 or sees_papers(user) else 403)
            ranking = api.get(reverse("api:child-family-finding-ranking", args=[child.pk]))
            assert ranking.status_code == (child_want if child_want == 404 else 200 if family_finds(user, child)
                                           else 403)
            run = api.post(reverse("api:shortlist-list"), {"child": child.pk}, format="json")
            if not access.can_see_links(user):
                assert run.status_code == 404
            elif child_want == 404:
                assert run.status_code == 400 and run.json()["errors"][0]["field"] == "child"
            else:
                assert run.status_code == (201 if family_finds(user, child) else 403)
            # The household's ranking and capacity are the household's agency's, as its page.
            household_want = 200 if sees_household(user, household) else 404
            # The children who might fit the household: the engine's reasons (religion, heritage) are matching papers,
            # for the roles that family-find from the household's side, as the page.
            assert api.get(reverse("api:household-family-finding-ranking", args=[household.pk])).status_code == (
                household_want if household_want == 404 else 200 if role in (Role.RAA_ASSESSING_SOCIAL_WORKER, FF, TM)
                else 403)
            assert api.get(reverse("api:household-capacity", args=[household.pk])).status_code == household_want
            put = api.put(reverse("api:household-capacity", args=[household.pk]), {"languages": "Welsh"}, format="json")
            assert put.status_code == (404 if household_want == 404 else 200 if role in (
                Role.RAA_ASSESSING_SOCIAL_WORKER, TM) else 403)
            # The child's needs: whoever sees the child's record reads them; those who may change it write them.
            needs_want = 200 if sees_child_record(user, child) else 404
            assert api.get(reverse("api:child-needs", args=[child.pk])).status_code == needs_want
            put = api.put(reverse("api:child-needs", args=[child.pk]), {"needs": {"learning": "mild"}}, format="json")
            assert put.status_code == (404 if needs_want == 404 else 200 if role in access.CHILD_CREATE_ROLES else 403)

    each_case(USERS, check)


def test_missing_and_not_yours_are_the_same_404(api_world):
    w = api_world
    api = token_client(w.user(FF))
    for name, theirs in (("api:link-detail", w.south_link.pk), ("api:shortlist-detail", w.south_shortlist.pk),
                         ("api:link-event-list", w.south_link.pk),
                         ("api:child-family-finding-ranking", w.south_child.pk),
                         ("api:household-family-finding-ranking", w.south_household.pk)):
        missing, forbidden = api.get(reverse(name, args=[999999])), api.get(reverse(name, args=[theirs]))
        assert missing.status_code == forbidden.status_code == 404, name
        assert missing.json() == forbidden.json()


def test_the_links_list_filters_like_the_board(api_world, today):
    w = api_world
    api = token_client(w.user(TM))
    second = services.open_link(actor=None, child=w.child(events=AT_PO, first_name="Ash"), household=w.second,
                                on=date(2025, 8, 25), check_role=False)
    url = reverse("api:link-list")

    def ids(**params):
        return [r["id"] for r in api.get(url, params).json()["results"]]

    # The board's order: the earliest activity due first (the North link has been quiet since 2 July: stale).
    assert ids() == [w.north_link.pk, second.pk]
    assert ids(stale="true") == [w.north_link.pk]
    assert ids(stage="shortlisted") == [second.pk]
    assert ids(child=w.child_at_po.pk) == [w.north_link.pk]
    assert ids(household=w.second.pk) == [second.pk]
    row = api.get(url, {"stale": "true"}).json()["results"][0]
    assert row["stale"] is True and row["household"]["name"] == "Okafor-Reid"
    assert [c["name"] for c in row["children"]] == ["Robin Testcase"]
    assert row["activity_due"] == "2025-07-30"  # the contact on 2 July + the 28 days of no activity
    bad = api.get(url, {"stage": "nonsense", "child": "x"})
    assert bad.status_code == 400 and {e["field"] for e in bad.json()["errors"]} == {"stage", "child"}
    # Paged like every list.
    page = api.get(url, {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def test_the_child_la_sees_the_household_anonymised(api_world):
    w = api_world
    la_worker = w.user(Role.LA_SOCIAL_WORKER)
    body = token_client(la_worker).get(reverse("api:link-detail", args=[w.north_link.pk])).json()
    assert body["household"] == {"id": w.household.pk, "reference": w.household.reference, "name": None,
                                 "agency": "NR"}
    profile = body["household_profile"]
    assert profile["reference"] == w.household.reference and profile["agency"] == "North RAA"
    assert profile["applicants"] == [{"age": 39, "ethnicity": "Information not yet obtained (NOBT)", "religion": "",
                                      "languages": ""}]  # born 2 April 1986: 39 on 1 September 2025
    assert "Sam" not in json.dumps(body) and "Okafor" not in json.dumps(body)
    assert body["recordable_kinds"] == ["contact", "visit", "interest", "note", "ended"]  # at contact, by the LA


def test_the_applicants_religion_is_kept_from_data_officers_on_a_link(api_world, client):
    """Special-category data: the anonymised household's religion is for the child's social workers, not for the
    LA's data officer (null in the API), who also reaches no matching paper. The link's page shows no religion to
    anyone: its anonymised household is ages and heritage."""
    w = api_world
    applicant = w.household.applicants.first()
    applicant.religion = "Quaker"
    applicant.save()
    url = reverse("api:link-detail", args=[w.north_link.pk])
    page = reverse("family_finding:link", args=[w.north_link.pk])
    for role, shown in ((Role.LA_SOCIAL_WORKER, True), (Role.DATA_OFFICER, False)):
        user = w.user(role, w.la)
        body = token_client(user).get(url).json()
        assert [a["religion"] for a in body["household_profile"]["applicants"]] == (["Quaker"] if shown else [None])
        client.force_login(user)
        link_page = client.get(page)
        assert link_page.status_code == 200 and "Quaker" not in link_page.content.decode()
        matching = token_client(user).get(reverse("api:child-family-finding-matching-profile",
                                                  args=[w.north_link.child_id]))
        assert matching.status_code == (200 if shown else 403)
        profile = client.get(reverse("family_finding:household-profile", args=[w.household.pk]))
        assert profile.status_code == (200 if shown else 404)
        if shown:
            assert "Quaker" in profile.content.decode()


def test_recording_and_correcting_a_step_through_the_api(api_world):
    w = api_world
    ff = w.user(FF)
    api = token_client(ff)
    url = reverse("api:link-event-list", args=[w.north_link.pk])
    made = api.post(url, {"kind": "interest", "date": "2025-07-10", "details": {"by": "adopters"}}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["details"] == {"by": "adopters"} and made.json()["kind_label"] == "Expression of interest"
    w.north_link.refresh_from_db()
    assert w.north_link.stage == "interest" and w.north_link.last_activity_on == date(2025, 7, 10)
    # The journey refuses what its table does not allow, with its message: nothing saved.
    refused = api.post(url, {"kind": "placed", "date": "2025-07-11"}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["message"]
    bad = api.post(url, {"kind": "interest", "date": "2025-07-11", "details": {"by": "neighbours"}}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "details.by"
    assert LinkEvent.objects.filter(link=w.north_link, superseded=False).count() == 3
    event = LinkEvent.objects.get(pk=made.json()["id"])
    fixed = api.post(reverse("api:link-event-correct", args=[w.north_link.pk, event.pk]),
                     {"reason": "Typed the wrong day", "date": "2025-07-09"}, format="json")
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["withdrawn"] is False and fixed.json()["event"]["date"] == "2025-07-09"
    event.refresh_from_db()
    w.north_link.refresh_from_db()
    assert event.superseded and w.north_link.last_activity_on == date(2025, 7, 9)
    assert AuditEvent.objects.filter(action="link_event.corrected", actor=ff).exists()
    listed = api.get(url).json()["results"]
    assert [(e["kind"], e["superseded"]) for e in listed] == [
        ("shortlisted", False), ("contact", False), ("interest", False), ("interest", True)]
    assert RecordView.objects.filter(viewer=ff, path=url).exists()


def test_opening_a_link_through_the_api(api_world):
    w = api_world
    api = token_client(w.user(FF))
    url = reverse("api:link-list")
    # Lindqvist were left out by the engine (babies only): not from their shortlist entry, the service says.
    excluded = w.north_shortlist.entries.get(household=w.second)
    refused = api.post(url, {"child": w.child_at_po.pk, "household": w.second.pk, "shortlist_entry": excluded.pk},
                       format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "That shortlist entry is not this household put forward."
    third = approved_household(w.raa, "Achebe")
    entry = services.shortlist(child=w.child_at_po, actor=None, spread=False, check_role=False).entries.get(
        household=third)
    opened = api.post(url, {"child": w.child_at_po.pk, "household": third.pk, "shortlist_entry": entry.pk,
                            "note": "Strong on contact"}, format="json")
    assert opened.status_code == 201, opened.json()
    link = Link.objects.get(pk=opened.json()["id"])
    assert (link.child, link.household, link.shortlist_entry, link.stage) == (w.child_at_po, third, entry,
                                                                            "shortlisted")
    assert link.events.get().note == "Strong on contact"
    assert opened.json()["household"]["name"] == "Achebe" and "contact" in opened.json()["recordable_kinds"]
    again = api.post(url, {"child": w.child_at_po.pk, "household": third.pk}, format="json")
    assert again.status_code == 400 and "already an open link" in again.json()["errors"][0]["message"]
    # Not an approved household, not a child you see, not this child's shortlist: a 400 on the field.
    from permanence.api.tests.conftest import make_household

    unapproved = make_household(w.raa, "Yarrow")
    for body, field in (({"child": w.child_at_po.pk, "household": unapproved.pk}, "household"),
                        ({"child": w.south_child.pk, "household": w.household.pk}, "child"),
                        ({"child": w.child_at_po.pk, "household": w.household.pk,
                          "shortlist_entry": w.south_shortlist.entries.first().pk}, "shortlist_entry")):
        refused = api.post(url, body, format="json")
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == field, body
    # Seeing the child is not enough to open its links.
    assert token_client(w.user(Role.PANEL_ADVISER)).post(url, {"child": w.child_at_po.pk, "household": w.second.pk},
                                                         format="json").status_code == 403
    assert set(Link.objects.filter(child=w.child_at_po).values_list("household", flat=True)) == {
        w.household.pk, third.pk}


def test_the_ranking_is_the_engines_on_the_same_profiles(api_world):
    w = api_world
    child, raa = w.child_at_po, w.raa
    api = token_client(w.user(FF))
    body = api.get(reverse("api:child-family-finding-ranking", args=[child.pk])).json()
    force = profiles.weights_for(raa, TODAY)
    pool = profiles.household_profiles(profiles.household_pool(raa), TODAY, searching_raa=raa)
    first = matching.first_place_counts(profiles.child_profiles(profiles.waiting_children(raa), TODAY), pool,
                                        force.weights, TODAY, cap=force.cap)
    want = matching.rank_households(profiles.child_profile(child, TODAY), pool, force.weights, TODAY,
                                    cap=force.cap, include_inter_agency=False, first_places=first)
    assert [(r["key"], r["score"]) for r in body["ranked"]] == [(r.key, r.score) for r in want.ranked]
    assert [[c["text"] for c in r["contributions"]] for r in body["ranked"]] == [
        [str(c) for c in r.contributions] for r in want.ranked]
    assert [(e["key"], [x["rule"] for x in e["rules_failed"]]) for e in body["excluded"]] == [
        (e.key, list(e.rules)) for e in want.excluded]
    # Worked out by hand: Okafor-Reid ranked, Lindqvist (babies only) left out for Robin's age.
    assert [r["household"]["name"] for r in body["ranked"]] == ["Okafor-Reid"]
    assert [(e["household"]["name"], [x["rule"] for x in e["rules_failed"]]) for e in body["excluded"]] == [
        ("Lindqvist", ["age_range"])]
    assert body["on"] == TODAY.isoformat() and body["direction"] == "households_for_child"
    assert body["counts"] == {"ranked": 1, "excluded": 1, "skipped_inter_agency": 0}
    assert Shortlist.objects.filter(child=child).count() == 1  # computed, not saved
    # Other agencies' households on request: South's Zanzibar, inter-agency and not named to North.
    wide = api.get(reverse("api:child-family-finding-ranking", args=[child.pk]),
                   {"include_inter_agency": "true"}).json()
    south = [r for r in wide["ranked"] + wide["excluded"] if r["household"]["id"] == w.south_household.pk]
    assert len(south) == 1 and south[0]["household"]["name"] is None and south[0]["household"]["agency"] == "SR"
    for on, message in (("2025-09-02", "The date cannot be in the future."),
                        ("1999-12-31", "The date must be on or after 1 January 2000.")):
        refused = api.get(reverse("api:child-family-finding-ranking", args=[child.pk]), {"on": on})
        assert refused.status_code == 400 and refused.json()["errors"] == [
            {"field": "on", "message": message, "code": "invalid"}]
    earlier = api.get(reverse("api:child-family-finding-ranking", args=[child.pk]), {"on": "2025-06-01"}).json()
    assert earlier["on"] == "2025-06-01"


def test_the_households_ranking_is_rank_children(api_world):
    w = api_world
    api = token_client(w.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    body = api.get(reverse("api:household-family-finding-ranking", args=[w.household.pk])).json()
    force = profiles.weights_for(w.raa, TODAY)
    subject = profiles.household_profiles(Household.objects.filter(pk=w.household.pk), TODAY, searching_raa=w.raa)[0]
    want = matching.rank_children(subject, profiles.child_profiles(profiles.waiting_children(w.raa), TODAY),
                                  force.weights, TODAY, cap=force.cap)
    assert [(r["key"], r["score"]) for r in body["ranked"]] == [(r.key, r.score) for r in want.ranked]
    assert [e["key"] for e in body["excluded"]] == [e.key for e in want.excluded]
    keys = [r["key"] for r in body["ranked"] + body["excluded"]]
    assert profiles.child_key(w.child_at_po.pk) in keys and profiles.child_key(w.south_child.pk) not in keys
    robin = next(r for r in body["ranked"] + body["excluded"] if r["key"] == profiles.child_key(w.child_at_po.pk))
    assert robin["children"] == [{"id": w.child_at_po.pk, "reference": w.child_at_po.reference,
                                  "name": "Robin Testcase"}]


def test_running_a_shortlist_through_the_api(api_world):
    w = api_world
    ff = w.user(FF)
    api = token_client(ff)
    made = api.post(reverse("api:shortlist-list"), {"child": w.child_at_po.pk}, format="json")
    assert made.status_code == 201, made.json()
    saved = Shortlist.objects.get(pk=made.json()["id"])
    assert saved.created_by == ff and saved.on == TODAY
    body = made.json()
    assert [(e["household"]["id"], e["rank"]) for e in body["ranked"]] == [(w.household.pk, 1)]
    assert [(e["household"]["id"], e["reasons"][0]["rule"]) for e in body["excluded"]] == [(w.second.pk, "age_range")]
    assert body["ranked"][0]["link"] is None and body["ranked"][0]["profile"]["key"] == w.household.reference
    assert body["counts"] == {"ranked": 1, "excluded": 1, "skipped_inter_agency": 0}
    listed = api.get(reverse("api:shortlist-list"), {"child": w.child_at_po.pk}).json()["results"]
    assert [s["id"] for s in listed] == [saved.pk, w.north_shortlist.pk]
    # The LA sees it with the households anonymised.
    la = token_client(w.user(Role.LA_SOCIAL_WORKER)).get(reverse("api:shortlist-detail", args=[saved.pk])).json()
    assert la["ranked"][0]["household"]["name"] is None and la["ranked"][0]["profile"] is None


def test_the_matching_profile_is_read(api_world):
    w = api_world
    api = token_client(w.user(Role.LA_SOCIAL_WORKER))
    url = reverse("api:child-family-finding-matching-profile", args=[w.child_at_po.pk])
    assert api.get(url).json()["recorded"] is False
    profile = ChildMatchingProfile.objects.create(child=w.child_at_po, max_distance_miles=40,
                                                  reference_district="LS6", direct_contact=True)
    profile.avoid_las.set([w.la_keeps])
    body = api.get(url).json()
    assert body["recorded"] is True and body["avoid_las"] == ["902"]
    assert (body["max_distance_miles"], body["reference_district"], body["direct_contact"]) == (40, "LS6", True)
    assert api.put(url, {}, format="json").status_code == 405


def test_capacity_is_read_and_written_through_the_service(api_world):
    w = api_world
    worker = w.user(Role.RAA_ASSESSING_SOCIAL_WORKER)
    api = token_client(worker)
    url = reverse("api:household-capacity", args=[w.household.pk])
    assert api.get(url).json()["children_max"] == 1  # the defaults: nothing recorded yet
    bad = api.put(url, {"children_min": 3, "children_max": 2, "on_hold": True}, format="json")
    assert bad.status_code == 400
    assert {(e["field"], e["message"]) for e in bad.json()["errors"]} == {
        ("children_max", "The number of children must be between 1 and 4, the most at least the fewest."),
        ("sibling_groups", "Adopters offering more than one child are open to sibling groups: tick it."),
        ("on_hold_reason", "Say why the household is on hold.")}
    assert api.put(url, {"sexes": "X", "needs": {"learning": "lots"}}, format="json").json()["errors"][0]["field"] \
        in ("sexes", "needs.learning")
    unknown = api.put(url, {"needs": {"astrology": "mild"}}, format="json")
    assert unknown.status_code == 400 and "astrology" in unknown.json()["errors"][0]["message"]
    assert not CapacityProfile.objects.filter(household=w.household).exclude(children_max=1).exists()
    ok = api.put(url, {"children_max": 2, "sibling_groups": True, "max_distance_miles": 60,
                       "needs": {"learning": "moderate"}}, format="json")
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["children_max"], ok.json()["needs"], ok.json()["max_distance_miles"]) == (
        2, {"learning": "moderate"}, 60)
    profile = CapacityProfile.objects.get(household=w.household)
    assert profile.children_max == 2 and profile.needs.get().level == "moderate"
    assert AuditEvent.objects.filter(action="capacity.updated", actor=worker).exists()
    assert token_client(w.user(Role.RAA_FAMILY_FINDER)).put(url, {"children_max": 1}, format="json").status_code \
        == 403


def test_needs_are_read_and_written_through_the_service(api_world):
    w = api_world
    worker = w.user(Role.LA_SOCIAL_WORKER)
    api = token_client(worker)
    url = reverse("api:child-needs", args=[w.child_at_po.pk])
    assert api.get(url).json() == {"needs": []}
    for body, field in (({"needs": {"learning": "lots"}}, "needs.learning"), ({"needs": {}}, "needs"), ({}, "needs")):
        refused = api.put(url, body, format="json")
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == field, body
    unknown = api.put(url, {"needs": {"astrology": "mild"}}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["message"] == "Unknown need categories: " \
                                                                                    "astrology."
    ok = api.put(url, {"needs": {"learning": "significant", "attachment_trauma": "mild"}}, format="json")
    assert ok.status_code == 200
    assert [(n["category"], n["level"]) for n in ok.json()["needs"]] == [("attachment_trauma", "mild"),
                                                                         ("learning", "significant")]
    assert dict(ChildNeed.objects.filter(child=w.child_at_po).values_list("category__code", "level")) == {
        "learning": "significant", "attachment_trauma": "mild"}
    assert AuditEvent.objects.filter(action="child.needs_updated", actor=worker, child_id=w.child_at_po.pk).exists()


def test_the_command_line_prints_the_ranking(api_world):
    w = api_world
    out = StringIO()
    call_command("family_finding", "child", w.child_at_po.reference, "--on", "2025-09-01", stdout=out)
    body = json.loads(out.getvalue())
    ranking = matching.rank_households(profiles.child_profile(w.child_at_po, TODAY), profiles.household_profiles(
        profiles.household_pool(w.raa), TODAY, searching_raa=w.raa), profiles.weights_for(w.raa, TODAY).weights,
        TODAY, include_inter_agency=False)
    assert [r["key"] for r in body["ranked"]] == [r.key for r in ranking.ranked] == [w.household.reference]
    assert body["excluded"] == [{"key": w.second.reference, "rules_failed": [
        {"rule": "age_range", "label": "Age range", "reason": body["excluded"][0]["rules_failed"][0]["reason"]}]}]
    assert "3 years" in body["excluded"][0]["rules_failed"][0]["reason"]
    assert body["ranked"][0]["contributions"] and all("text" in c for c in body["ranked"][0]["contributions"])
    wide = StringIO()
    call_command("family_finding", "child", str(w.child_at_po.pk), "--inter-agency", "--on", "2025-09-01",
                 stdout=wide)
    assert w.south_household.reference in wide.getvalue()
    household = StringIO()
    call_command("family_finding", "household", w.household.reference, "--on", "2025-09-01", stdout=household)
    keys = [r["key"] for r in json.loads(household.getvalue())["ranked"]]
    assert profiles.child_key(w.child_at_po.pk) in keys and profiles.child_key(w.south_child.pk) not in keys
    with pytest.raises(CommandError, match="No child"):
        call_command("family_finding", "child", "P999999")
    with pytest.raises(CommandError, match="No household"):
        call_command("family_finding", "household", w.child_at_po.reference)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("family_finding", "household", w.household.reference, "--on", "1 Sept")
    with pytest.raises(CommandError, match="future"):
        call_command("family_finding", "household", w.household.reference, "--on", "2025-09-02")
