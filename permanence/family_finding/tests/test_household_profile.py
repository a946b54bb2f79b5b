"""The anonymised household profile: the child's LA reaches an approved household on its child's links and
shortlists as a profile with no names, address or contact details; every role × organisation × the page."""

import pytest
from django.urls import reverse

from permanence import access
from permanence.core.models import RecordView
from permanence.family_finding.models import ShortlistEntry
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import each_case

from .conftest import with_links_both_sides

USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]


@pytest.fixture
def pages(world):
    w = with_links_both_sides(world)
    w.household.postcode = "BS1 4DJ"
    w.household.address = "3 Secret Road"
    w.household.save()
    return w


def _url(household):
    return reverse("family_finding:household-profile", args=[household.pk])


def test_who_reaches_the_profile(client, pages):
    """North's adopter-record roles (the link is their RAA's) and LA 901's child-record roles (the child is
    theirs); nobody else, and never another RAA's household. Not data officers: the profile holds the applicants'
    religion (special-category data)."""
    def check(code, role):
        user = pages.staff[(code, role)]
        client.force_login(user)
        papers = access.can_see_links(user) and role != Role.DATA_OFFICER
        allowed = papers and code in ("NR", "901")
        assert client.get(_url(pages.household)).status_code == (200 if allowed else 404)
        assert client.get(_url(pages.south_household)).status_code == (
            200 if papers and code in ("SR", "903") else 404)

    each_case(USERS, check, client=client)


def test_the_la_sees_no_names_address_or_contact_details(client, pages):
    client.force_login(pages.staff[("901", Role.LA_SOCIAL_WORKER)])
    html = client.get(_url(pages.household)).content.decode()
    assert pages.household.reference in html and "North RAA" in html and "BS" in html
    assert "June 2025" in html  # approved
    for secret in ("Okafor-Reid", "Sam", "3 Secret Road", "BS1 4DJ", "1986"):
        assert secret not in html, secret
    assert reverse("adopters:household-detail", args=[pages.household.pk]) not in html
    assert RecordView.objects.filter(object_type="adopters.household", object_id=str(pages.household.pk),
                                     viewer=pages.staff[("901", Role.LA_SOCIAL_WORKER)]).exists()


def test_the_link_and_shortlist_pages_send_the_la_to_the_profile(client, pages):
    client.force_login(pages.staff[("901", Role.LA_SOCIAL_WORKER)])
    link_page = client.get(reverse("family_finding:link", args=[pages.north_link.pk])).content.decode()
    assert _url(pages.household) in link_page
    assert reverse("adopters:household-detail", args=[pages.household.pk]) not in link_page
    entry = ShortlistEntry.objects.filter(shortlist=pages.north_shortlist, excluded=False).first()
    if entry is None:  # the engine left everyone out: put one in, as the page shows ranked entries
        entry = ShortlistEntry.objects.create(shortlist=pages.north_shortlist, household=pages.second, rank=1,
                                              score=1.0)
    shortlist_page = client.get(reverse("family_finding:shortlist", args=[pages.north_shortlist.pk])).content
    assert _url(entry.household).encode() in shortlist_page
    # A household only on the shortlist (not linked) is reached too.
    assert client.get(_url(entry.household)).status_code == 200


def test_a_household_not_approved_has_no_profile(client, pages):
    from permanence.adopters.tests.conftest import make_household

    unapproved = make_household(pages.raa, "Notapproved")
    ShortlistEntry.objects.create(shortlist=pages.north_shortlist, household=unapproved, excluded=True)
    client.force_login(pages.staff[("901", Role.LA_SOCIAL_WORKER)])
    assert client.get(_url(unapproved)).status_code == 404
