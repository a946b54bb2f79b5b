"""Who reaches each page: the RAA's managers and quality lead; another RAA's staff and every other role: 404."""

from datetime import date as D

import pytest
from django.urls import reverse

from permanence.disruptions.tests.helpers import access_rows
from permanence.organisations.models import Role

ALLOWED = [Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.RAA_QUALITY_LEAD]
REFUSED = [Role.RAA_FAMILY_FINDER, Role.RAA_SUPPORT_WORKER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.PANEL_ADVISER,
           Role.COMPLAINTS_OFFICER, Role.DATA_OFFICER]


@pytest.fixture
def rows(region, today):
    return access_rows(region, region.la, region.raa)


def _urls(review, rec, child):
    return {"disruptions:list": ("get", reverse("disruptions:list")),
            "disruptions:recommendations": ("get", reverse("disruptions:recommendations")),
            "disruptions:themes": ("get", reverse("disruptions:themes")),
            "disruptions:themes-pdf": ("get", reverse("disruptions:themes-pdf")),
            "disruptions:themes-xlsx": ("get", reverse("disruptions:themes-xlsx")),
            "disruptions:open": ("get", reverse("disruptions:open", args=[child.pk])),
            "disruptions:review": ("get", reverse("disruptions:review", args=[review.pk])),
            "disruptions:review-edit": ("get", reverse("disruptions:review-edit", args=[review.pk])),
            "disruptions:recommendation-edit": ("get", reverse("disruptions:recommendation-edit",
                                                               args=[review.pk, rec.pk])),
            "disruptions:recommendation-add": ("post", reverse("disruptions:recommendation-add", args=[review.pk])),
            "disruptions:recommendation-done": ("post", reverse("disruptions:recommendation-done",
                                                                args=[review.pk, rec.pk])),
            "disruptions:review-final": ("post", reverse("disruptions:review-final", args=[review.pk]))}


@pytest.mark.parametrize("role", ALLOWED)
def test_the_raas_managers_and_quality_lead_reach_every_page(client, region, rows, role):
    client.force_login(region.staff[("NR", role)])
    for name, (method, url) in _urls(*rows).items():
        answer = getattr(client, method)(url)
        assert answer.status_code in (200, 302, 400), (name, answer.status_code)


@pytest.mark.parametrize("role", ALLOWED)
def test_another_raas_reviewers_get_404_on_this_raas_records(client, region, rows, role):
    client.force_login(region.staff[("SR", role)])
    for name, (method, url) in _urls(*rows).items():
        if name in ("disruptions:list", "disruptions:recommendations", "disruptions:themes", "disruptions:themes-pdf",
                    "disruptions:themes-xlsx"):
            continue  # their own RAA's pages: empty of North's reviews
        assert getattr(client, method)(url).status_code == 404, name
    listing = client.get(reverse("disruptions:list")).content.decode()
    assert rows[2].reference not in listing


@pytest.mark.parametrize("role", REFUSED)
def test_every_other_role_gets_404(client, region, rows, role):
    client.force_login(region.staff[("NR", role)])
    for name, (method, url) in _urls(*rows).items():
        assert getattr(client, method)(url).status_code == 404, (name, role)


def test_an_las_staff_get_404(client, region, rows):
    client.force_login(region.staff[("901", Role.LA_TEAM_MANAGER)])
    for name, (method, url) in _urls(*rows).items():
        assert getattr(client, method)(url).status_code == 404, name


def test_the_child_page_says_a_review_was_held_to_whoever_sees_the_child(client, region, rows):
    child = rows[2]
    url = reverse("children:detail", args=[child.pk])
    for user in (region.staff[("901", Role.LA_SOCIAL_WORKER)], region.staff[("NR", Role.RAA_FAMILY_FINDER)]):
        client.force_login(user)
        shown = client.get(url).content.decode()
        assert "A learning review was held on 1 March 2024." in shown
        assert reverse("disruptions:open", args=[child.pk]) not in shown  # they do not record reviews
    client.force_login(region.staff[("SR", Role.RAA_TEAM_MANAGER)])
    assert client.get(url).status_code == 404  # the child is not theirs: nothing said
    assert D(2024, 3, 1) == rows[0].review_date
