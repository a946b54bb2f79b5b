"""Every role × own RAA / the other RAA × every adopters page. LA staff, board members and other RAAs: 404."""

import re
from datetime import date

import pytest
from django.urls import reverse

from permanence import access
from permanence.adopters import services
from permanence.adopters.tests.access_urls import (
    ENQUIRY_PAGES,
    HOUSEHOLD_PAGES,
    LIST_PAGES,
    MATCH_DECISION_PAGES,
    PANEL_PAGES,
)
from permanence.adopters.tests.conftest import TO_PANEL, make_household, source
from permanence.adopters.tests.match_world import APPROVED, LINKED
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import each_case

USERS = [(code, role) for code in ("NR", "SR", "901", "903") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]


class Records:
    def __init__(self, region, raa, la, tag):
        self.household = make_household(raa, f"Zephyr{tag}", events=TO_PANEL)
        self.enquiry = services.record_enquiry(actor=None, raa=raa, received_on=date(2025, 8, 1), source=source(),
                                               first_name="Quill", last_name=f"Enquirer{tag}")
        self.panel = services.create_panel(actor=None, raa=raa, date=date(2025, 7, 1))
        self.item = services.book_item(actor=None, panel=self.panel, household=self.household)
        # A match on a later panel: a linked child of the RAA's LA with an approved household.
        self.approved = make_household(raa, f"Approved{tag}", events=APPROVED)
        self.child = region.child(la, first_name=f"Kid{tag}", events=LINKED)
        self.match_panel = services.create_panel(actor=None, raa=raa, date=date(2025, 9, 17))
        self.match_item = services.book_match_item(actor=None, panel=self.match_panel, children=[self.child],
                                                   household=self.approved)
        self.names = [f"Zephyr{tag}", f"Enquirer{tag}", f"Approved{tag}", f"Kid{tag}"]


@pytest.fixture
def world(region, today):
    return region, Records(region, region.raa, region.la, "North"), Records(region, region.other_raa,
                                                                             region.other_la, "South")


def url(name, rec):
    if name in HOUSEHOLD_PAGES:
        if name == "adopters:record-event":
            return reverse(name, args=[rec.household.pk, "home_visit"])
        if name == "adopters:correct-event":
            return reverse(name, args=[rec.household.pk, rec.household.events.first().pk])
        return reverse(name, args=[rec.household.pk])
    if name in ENQUIRY_PAGES:
        return reverse(name, args=[rec.enquiry.pk])
    if name in ("adopters:panel-detail", "adopters:panel-print", "adopters:panel-book", "adopters:panel-book-match"):
        return reverse(name, args=[rec.panel.pk])
    return reverse(name, args=[rec.panel.pk, rec.item.pk])


WRITE = {"adopters:household-edit", "adopters:target-panel-date", "adopters:capacity", "adopters:enquiry-outcome",
         "adopters:enquiry-register", "adopters:enquiry-create", "adopters:household-register"}
PANEL_RUN = {"adopters:panel-create", "adopters:item-papers", "adopters:item-recommendation",
             "adopters:item-member-view"}


def expected(user, name, owner=None) -> int:
    if not access.can_see_adopter_records(user):
        return 404
    if owner is not None and owner.pk != user.organisation_id:
        return 404
    if name in WRITE and not access.can_write_households(user):
        return 404
    if name in PANEL_RUN and not access.can_run_panels(user):
        return 404
    if name == "adopters:panel-book" and not access.can_book_panel_items(user):
        return 404
    if name == "adopters:panel-book-match" and not access.can_book_match_items(user):
        return 404
    if name == "adopters:item-decision" and not access.can_record_adm_decision(user):
        return 404
    if name == "adopters:timescales" and not access.can_see_adopter_timescales(user):
        return 404
    return 200


def test_record_pages(client, world):
    def check(code, role):
        region, north, south = world
        user = region.staff[(code, role)]
        client.force_login(user)
        for rec, owner in ((north, region.raa), (south, region.other_raa)):
            for name in HOUSEHOLD_PAGES + ENQUIRY_PAGES + PANEL_PAGES:
                response = client.get(url(name, rec))
                want = expected(user, name, owner)
                assert response.status_code == want, (name, owner.code)
                if want == 404:
                    for n in rec.names:
                        assert n.encode() not in response.content, (name, n)

    each_case(USERS, check, client=client)


MATCH_ITEM_PAGES = ["adopters:item-detail", "adopters:item-papers", "adopters:item-member-view",
                    "adopters:item-recommendation", "adopters:item-decision"]


def test_match_items_pages(client, world):
    """A match item's own pages follow the panel's rules; its decision is on the match decision page."""
    def check(code, role):
        region, north, south = world
        user = region.staff[(code, role)]
        client.force_login(user)
        for rec, owner in ((north, region.raa), (south, region.other_raa)):
            for name in MATCH_ITEM_PAGES:
                response = client.get(reverse(name, args=[rec.match_panel.pk, rec.match_item.pk]))
                want = expected(user, name, owner)
                if name == "adopters:item-decision" and want == 200:
                    assert response.status_code == 302
                    assert response.url == reverse("adopters:match-decision", args=[rec.match_item.pk])
                    continue
                assert response.status_code == want, (name, owner.code)
                if want == 404:
                    for n in rec.names:
                        assert n.encode() not in response.content, (name, n)

    each_case(USERS, check, client=client)


def test_match_decision_pages(client, world):
    """Match decisions are for the agency decision makers of either side, for the children they may see; an LA's
    ADM sees the household by its reference only."""
    def check(code, role):
        region, north, south = world
        user = region.staff[(code, role)]
        client.force_login(user)
        listing = client.get(reverse("adopters:match-decisions"))
        assert listing.status_code == (200 if access.can_record_match_decision(user) else 404)
        for rec in (north, south):
            sees = access.can_record_match_decision(user) and access.sees_child(user, rec.child)
            response = client.get(reverse("adopters:match-decision", args=[rec.match_item.pk]))
            assert response.status_code == (200 if sees else 404), rec.child.first_name
            body = response.content.decode()
            if not sees:
                for n in rec.names:
                    assert n not in body and n not in listing.content.decode()
                continue
            assert rec.child.first_name in body
            if not access.sees_household(user, rec.approved):
                assert rec.approved.name not in body and rec.approved.reference in body

    each_case(USERS, check, client=client)


def test_list_pages_show_only_own_raa(client, world):
    def check(code, role):
        region, north, south = world
        user = region.staff[(code, role)]
        client.force_login(user)
        for name in LIST_PAGES:
            response = client.get(reverse(name))
            want = expected(user, name)
            assert response.status_code == want, name
            body = response.content.decode()
            others = south if user.organisation_id != region.other_raa.pk else north
            for n in others.names:
                assert n not in body, (name, n)
        if access.can_see_adopter_records(user):
            mine = north if user.organisation_id == region.raa.pk else south
            assert mine.names[0] in client.get(reverse("adopters:pipeline") + "?q=zephyr").content.decode()
            assert mine.names[1] in client.get(reverse("adopters:enquiry-list")).content.decode()

    each_case(USERS, check, client=client)


@pytest.mark.parametrize("role", [Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER, Role.AGENCY_DECISION_MAKER,
                                  Role.DATA_OFFICER])
def test_la_staff_get_404_everywhere(client, world, role):
    region, north, _ = world
    client.force_login(region.staff[("901", role)])
    for name in LIST_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    for name in HOUSEHOLD_PAGES + ENQUIRY_PAGES + PANEL_PAGES:
        assert client.get(url(name, north)).status_code == 404, name


def test_board_members_get_404(client, world):
    region, north, _ = world
    client.force_login(region.staff[("NR", Role.BOARD_MEMBER)])
    for name in LIST_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    for name in HOUSEHOLD_PAGES + ENQUIRY_PAGES + PANEL_PAGES:
        assert client.get(url(name, north)).status_code == 404, name


def test_posts_to_another_raas_records_are_refused(client, world):
    region, north, south = world
    client.force_login(region.staff[("SR", Role.RAA_TEAM_MANAGER)])
    response = client.post(reverse("adopters:record-event", args=[north.household.pk, "closed"]),
                           {"date_day": "1", "date_month": "8", "date_year": "2025", "reason": "withdrew"})
    assert response.status_code == 404
    north.household.refresh_from_db()
    assert north.household.stage == "awaiting_panel"
    assert client.post(reverse("adopters:panel-book", args=[south.panel.pk]),
                       {"household": north.household.pk}).status_code == 200  # not a choice: form error
    assert not south.panel.items.filter(household=north.household).exists()


def test_missing_and_forbidden_give_the_same_404(client, world):
    region, north, south = world
    client.force_login(region.staff[("NR", Role.RAA_TEAM_MANAGER)])

    def strip(body: bytes) -> bytes:
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)

    for name, missing_args, forbidden_args in [
        ("adopters:household-detail", [999999], [south.household.pk]),
        ("adopters:enquiry-detail", [999999], [south.enquiry.pk]),
        ("adopters:panel-detail", [999999], [south.panel.pk]),
    ]:
        missing = client.get(reverse(name, args=missing_args))
        forbidden = client.get(reverse(name, args=forbidden_args))
        assert missing.status_code == forbidden.status_code == 404
        assert strip(missing.content) == strip(forbidden.content)


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    _, north, _ = world
    for name in HOUSEHOLD_PAGES + ENQUIRY_PAGES + PANEL_PAGES:
        response = client.get(url(name, north))
        assert response.status_code == 302 and response.url.startswith("/sign-in/")
    for name, args in zip(MATCH_DECISION_PAGES, ([], [north.match_item.pk]), strict=True):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response.url.startswith("/sign-in/")
