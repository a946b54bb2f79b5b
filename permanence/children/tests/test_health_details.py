"""Special-category data (issue 15 item 6): the descriptions of a child's disabilities and health needs are shown to
the people who work with the child, not to data officers (whose returns need only the coded fields) – on the
child's page, in its PDF, in the API and on the forms that add and change a child; and an applicant's religion on
the household's page, its PDF and the API."""

import pytest
from django.urls import reverse

from permanence import access
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY, each_case

DESCRIPTION, HEALTH = "Hearing loss in one ear", "Asthma, uses an inhaler"
USERS = [(code, role) for code in ("NR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code == "NR" else "la") in kinds]


NEED_NOTE = "Epilepsy, daily medication"


@pytest.fixture
def child(region):
    from permanence.children.models import ChildNeed, NeedCategory

    child = region.child(region.la, first_name="Healthful", events=PLACEMENT_ORDER_JOURNEY, has_disability=True,
                         disabilities=DESCRIPTION, health_needs=HEALTH, ethnicity="WBRI")
    ChildNeed.objects.create(child=child, category=NeedCategory.objects.first(), level="mild", note=NEED_NOTE)
    return child


def test_the_descriptions_are_shown_to_those_who_work_with_the_child_only(client, region, child):
    def check(code, role):
        user = region.staff[(code, role)]
        client.force_login(user)
        page = client.get(reverse("children:detail", args=[child.pk]))
        if page.status_code == 404:  # not a role that sees children's records at all
            assert not access.can_see_child_records(user) or not access.sees_child(user, child)
            return
        shown = role != Role.DATA_OFFICER
        assert access.can_see_health_details(user) is shown
        body = page.content.decode()
        assert "Healthful" in body and "Yes" in body  # the coded facts stay for everyone who sees the child
        assert (DESCRIPTION in body, HEALTH in body) == (shown, shown)
        api = client.get(reverse("api:child-detail", args=[child.pk]))
        assert api.status_code == 200
        data = api.json()
        assert (data["disabilities"], data["health_needs"]) == ((DESCRIPTION, HEALTH) if shown else (None, None))
        assert data["has_disability"] is True and data["ethnicity"] == "WBRI"

    each_case(USERS, check, client=client)


def test_a_data_officer_neither_reads_nor_changes_them_on_the_forms(client, region, child):
    officer = region.staff[("NR", Role.DATA_OFFICER)]
    client.force_login(officer)
    form = client.get(reverse("children:edit", args=[child.pk]))
    assert form.status_code == 200
    body = form.content.decode()
    assert 'name="health_needs"' not in body and HEALTH not in body and 'name="disabilities"' not in body
    assert 'name="health_needs"' not in client.get(reverse("children:create")).content.decode()
    client.force_login(region.staff[("NR", Role.RAA_FAMILY_FINDER)])
    assert 'name="health_needs"' in client.get(reverse("children:edit", args=[child.pk])).content.decode()


def test_the_pdf_keeps_them_from_a_data_officer(client, region, child, monkeypatch):
    from permanence.core import pdf

    seen = {}

    def capture(request, template, context, **kwargs):
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        seen["html"] = render_to_string(template, context)
        return HttpResponse(b"%PDF")

    for role, shown in ((Role.DATA_OFFICER, False), (Role.RAA_TEAM_MANAGER, True)):
        client.force_login(region.staff[("NR", role)])
        monkeypatch.setattr(pdf, "pdf_response", capture)
        seen.clear()
        response = client.get(reverse("children:pdf", args=[child.pk]))
        if response.status_code == 404:  # a role without the export: nothing leaves
            continue
        assert (HEALTH in seen["html"]) is shown, role
        assert (NEED_NOTE in seen["html"]) is shown, role


def test_a_data_officer_adding_a_child_through_the_api_is_told_to_leave_them_out(client, region):
    client.force_login(region.staff[("NR", Role.DATA_OFFICER)])
    body = {"la": region.la.code, "la_child_id": "H0001", "first_name": "Api", "last_name": "Testcase",
            "date_of_birth": "2023-04-05",
            "health_needs": HEALTH}
    response = client.post(reverse("api:child-list"), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "leave this out" in response.content.decode()
    body.pop("health_needs")
    added = client.post(reverse("api:child-list"), body, content_type="application/json")
    assert added.status_code == 201, added.content


@pytest.mark.parametrize("role", [r for r, kinds in ROLE_ORGANISATION_KINDS.items() if "raa" in kinds])
def test_an_applicants_religion_is_kept_from_data_officers(client, region, role, monkeypatch):
    """The same rule for the adopters' special-category data: an applicant's religion on the household's page,
    its PDF and the API, for every role of an RAA that sees households."""
    from permanence.adopters import services as household_services
    from permanence.adopters.tests.conftest import make_household
    from permanence.core import pdf

    household = make_household(region.raa, "Faithful")
    household.applicants.update(religion="Zoroastrian")
    household_services.set_capacity(actor=None, household=household, religion_openness="Zoroastrian")
    user = region.staff[("NR", role)]
    client.force_login(user)
    page = client.get(reverse("adopters:household-detail", args=[household.pk]))
    if not access.can_see_adopter_records(user):
        assert page.status_code == 404
        return
    shown = role != Role.DATA_OFFICER
    assert access.can_see_applicant_religion(user) is shown
    assert ("Zoroastrian" in page.content.decode()) is shown
    api = client.get(reverse("api:household-detail", args=[household.pk])).json()
    assert {a["religion"] for a in api["applicants"]} == ({"Zoroastrian"} if shown else {None})
    # The faith they would bring a child up in (the capacity profile), in the household and on its own.
    assert api["capacity"]["religion_openness"] == ("Zoroastrian" if shown else None)
    capacity = client.get(reverse("api:household-capacity", args=[household.pk])).json()
    assert capacity["religion_openness"] == ("Zoroastrian" if shown else None)
    seen = {}

    def capture(request, template, context, **kwargs):
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        seen["html"] = render_to_string(template, context)
        return HttpResponse(b"%PDF")

    monkeypatch.setattr(pdf, "pdf_response", capture)
    if client.get(reverse("adopters:household-pdf", args=[household.pk])).status_code == 200:
        assert ("Zoroastrian" in seen["html"]) is shown
