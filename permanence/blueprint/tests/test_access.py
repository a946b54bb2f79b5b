"""Every role × own RAA / another RAA / an LA × every blueprint page: only the RAA's head of service, team
managers and quality lead see their own RAA's reviews (404 for everyone else, the same as missing); other RAAs
appear in the results only as aggregates."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.core.models import RecordView
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import current_version

from .access_urls import CHANGE_PAGES, PAGES
from .helpers import make_review

READERS = {Role.RAA_HEAD_OF_SERVICE, Role.RAA_TEAM_MANAGER, Role.RAA_QUALITY_LEAD}
USERS = [(code, role) for code in ("NR", "SR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]


@pytest.fixture
def bp_world(region):
    region.north = make_review(region.raa, date(2025, 6, 1), {1: 2, 2: 1})
    region.south = make_review(region.other_raa, date(2025, 7, 1), {1: 0, 2: 3})
    return region


def url(name, w):
    return reverse(name, args=[w.north.pk] if name == "blueprint:review" else [])


def expected(name, code, role) -> int:
    if role not in READERS or code == "901":
        return 404
    if name == "blueprint:review" and code != "NR":
        return 404  # another RAA's review: not found
    return 200


def test_blueprint_pages(client, bp_world):
    got, want = {}, {}
    for code, role in USERS:
        user = bp_world.staff[(code, role)]
        client.force_login(user)
        for name in PAGES:
            got[(code, role, name)] = client.get(url(name, bp_world)).status_code
            want[(code, role, name)] = expected(name, code, role)
        client.logout()
    assert {k: v for k, v in got.items() if want[k] != v} == {}
    assert set(want.values()) == {200, 404}


def test_changing_a_draft_and_marking_it_final(client, bp_world):
    """The readers of the RAA's reviews change its drafts (GET and POST) and mark them final; everyone else, and
    another RAA's readers: 404, and nothing changes."""
    from permanence.blueprint.models import BlueprintReview

    drafts = {}
    got, want = {}, {}
    for code, role in USERS:
        draft = make_review(bp_world.raa, date(2025, 8, 1), {1: 1}, final=False)
        drafts[(code, role)] = draft
        user = bp_world.staff[(code, role)]
        client.force_login(user)
        allowed = role in READERS and code == "NR"
        edit = reverse("blueprint:review-edit", args=[draft.pk])
        got[(code, role, "get")] = client.get(edit).status_code
        want[(code, role, "get")] = 200 if allowed else 404
        got[(code, role, "post")] = client.post(edit, {**current_version(client, edit), "reviewed_on_day": "1", "reviewed_on_month": "8",
                                                       "reviewed_on_year": "2025", "reviewer": "Changed",
                                                       "score_1": "3"}).status_code
        want[(code, role, "post")] = 302 if allowed else 404
        final = reverse("blueprint:review-final", args=[draft.pk])
        got[(code, role, "final")] = client.post(final).status_code
        want[(code, role, "final")] = 302 if allowed else 404
        got[(code, role, "final-get")] = client.get(final).status_code
        want[(code, role, "final-get")] = 405  # POST only, for everyone (says nothing about the record)
        draft.refresh_from_db()
        assert (draft.reviewer == "Changed") is allowed and draft.is_final is allowed, (code, role)
        client.logout()
    assert {k: v for k, v in got.items() if want[k] != v} == {}
    assert set(CHANGE_PAGES) == {"blueprint:review-edit", "blueprint:review-final"}
    assert BlueprintReview.objects.filter(status="draft").count() == sum(
        1 for code, role in USERS if not (role in READERS and code == "NR"))


def test_a_post_by_someone_not_allowed_is_404_and_writes_nothing(client, bp_world):
    from permanence.blueprint.models import BlueprintReview

    client.force_login(bp_world.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    before = BlueprintReview.objects.count()
    assert client.post(reverse("blueprint:review-add"), {"reviewer": "X"}).status_code == 404
    assert BlueprintReview.objects.count() == before


def test_the_other_raa_appears_only_as_an_aggregate(client, bp_world):
    client.force_login(bp_world.staff[("NR", Role.RAA_QUALITY_LEAD)])
    page = client.get(reverse("blueprint:results")).content.decode()
    assert "South RAA" not in page and "North RAA" in page
    reviews = client.get(reverse("blueprint:reviews")).content.decode()
    assert "1 June 2025" in reviews and "1 July 2025" not in reviews


def test_viewing_a_review_is_logged(client, bp_world):
    client.force_login(bp_world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    client.get(url("blueprint:review", bp_world))
    assert RecordView.objects.filter(object_type="blueprint.blueprintreview", object_id=str(bp_world.north.pk)).exists()
