"""Every role × own RAA / another RAA / an LA × every records page: the retention pages for the RAA's head of
service and system administrator only, on its own records; the subject access export for those and its team
managers, on its own households. Everyone else: the same 404."""

import pytest
from django.urls import reverse

from permanence import access
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import each_case

USERS = [
    (code, role)
    for code in ("NR", "SR", "901", "903")
    for role, kinds in ROLE_ORGANISATION_KINDS.items()
    if ("raa" if code in ("NR", "SR") else "la") in kinds
]
RETENTION = {Role.RAA_HEAD_OF_SERVICE, Role.SYSTEM_ADMINISTRATOR}
SUBJECT = RETENTION | {Role.RAA_TEAM_MANAGER}


def _expected(code, role, allowed, *, own_only):
    if role not in allowed or code not in ("NR", "SR"):
        return 404
    return 200 if (code == "NR" or not own_only) else 404


@pytest.fixture
def people(world):
    """North's adopted adult's request and a birth relative offered support for North's child, with the world's
    household and child: one person of each kind whose data can be exported."""
    from datetime import date

    from permanence.adopted_adults.tests.conftest import make_request
    from permanence.contact import services as contact_services

    world.adult = make_request(world.raa)
    world.offer = contact_services.record_offer(actor=None, child=world.changed, relative_name="Ada Testrelative",
                                                relationship="birth_mother", offered_on=date(2024, 5, 20),
                                                offered_by="A worker", check_role=False)
    return world


def test_records_pages(client, people):
    def check(code, role):
        world = people
        user = world.staff[(code, role)]
        client.force_login(user)
        applicant = world.withdrew.applicants.get()
        pages = [
            (reverse("records:retention"), _expected(code, role, RETENTION, own_only=False)),
            (
                reverse("records:dispose", args=["household", world.withdrew.pk]),
                _expected(code, role, RETENTION, own_only=True),
            ),
            (
                reverse("records:dispose", args=["child", world.changed.pk]),
                _expected(code, role, RETENTION, own_only=True),
            ),
            (
                reverse("records:retention-period", args=["household_not_proceeded"]),
                _expected(code, role, RETENTION, own_only=False),
            ),
            *(
                (reverse("records:subject-access", args=[kind, pk]), _expected(code, role, SUBJECT, own_only=True))
                for kind, pk in (("adopters", applicant.pk), ("children", world.changed.pk),
                                 ("adopted-adults", world.adult.pk), ("birth-relatives", world.offer.pk))
            ),
        ]
        for url, status in pages:
            assert client.get(url).status_code == status, url
        assert access.can_manage_retention(user) == (role in RETENTION and code in ("NR", "SR"))

    each_case(USERS, check, client=client)


def test_signed_out_is_sent_to_sign_in(client, world):
    response = client.get(reverse("records:retention"))
    assert response.status_code == 302 and reverse("sign-in") in response.url


def test_navigation_shows_retention_to_its_roles(region):
    def check(code, role):
        from django.test import RequestFactory

        from permanence.navigation import navigation

        request = RequestFactory().get("/")
        request.user = region.staff[(code, role)]
        shown = reverse("records:retention") in [i["url"] for i in navigation(request)["nav_items"]]
        assert shown == (role in RETENTION and code in ("NR", "SR"))

    each_case(USERS, check)
