"""The inter-agency balance: placements bought and sold by financial year with the fee table's fees (London's
weighting, no sibling rate recorded → no fee), an RAA's own placements left out, and who sees the page."""

from datetime import date

import pytest
from django.urls import reverse

from permanence import access
from permanence.children import services as child_services
from permanence.children.models import SiblingGroup
from permanence.family_finding import balance, profiles, services
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import each_case

from .conftest import AT_PO, approved_household


def place(child, household, start=date(2025, 7, 1), placed=date(2025, 8, 20)):
    link = services.open_link(actor=None, child=child, household=household, on=start, check_role=False)
    for kind, day, details in [("contact", date(2025, 7, 2), {}), ("interest", date(2025, 7, 3), {"by": "adopters"}),
                               ("link_agreed", date(2025, 7, 4), {}),
                               ("panel_booked", date(2025, 7, 5), {"panel_date": "2025-07-20"}),
                               ("panel_recommendation", date(2025, 7, 20), {"recommendation": "match"}),
                               ("match_decision", date(2025, 7, 25), {"decision": "agreed"}), ("placed", placed, {})]:
        services.record_event(link=link, kind=kind, date=day, actor=None, details=details, check_role=False)
    return link


@pytest.fixture
def placements(world):
    w = world
    south = approved_household(w.other_raa, "Southby", postcode="LS6 2AB")
    london = approved_household(w.other_raa, "Thames", postcode="SE1 7PB")
    w.bought = place(w.child_at_po, south)
    w.bought_london = place(w.child(events=AT_PO, first_name="Lon"), london)
    group = child_services.create_sibling_group(actor=None, la=w.la, name="The pair", plan=SiblingGroup.Plan.TOGETHER)
    older = w.child(events=AT_PO, sibling_group=group, dob=date(2020, 5, 1))
    w.child(events=AT_PO, sibling_group=group, dob=date(2023, 1, 9))
    w.bought_pair = place(older, approved_household(w.other_raa, "Pairford", postcode="LS7 1AA"))
    w.sold = place(w.child(w.other_la, events=AT_PO, first_name="Sold"), w.household)
    w.own = place(w.child(events=AT_PO, first_name="Own"), w.second)  # the RAA's own: not inter-agency
    return w


def test_bought_and_sold_by_year_with_their_fees(placements):
    rows = profiles.inter_agency_placements(placements.raa)
    by_link = {p.link_id: p for p in rows}
    assert set(by_link) == {placements.bought.pk, placements.bought_london.pk, placements.bought_pair.pk,
                            placements.sold.pk}
    assert by_link[placements.bought.pk].fee == 27000  # between RAAs, 2025/26
    assert by_link[placements.bought_london.pk].fee == 29700  # +10% for a London agency
    assert by_link[placements.bought_pair.pk].fee is None and by_link[placements.bought_pair.pk].children == 2
    assert by_link[placements.sold.pk].direction == balance.SOLD and by_link[placements.sold.pk].fee == 27000
    [year] = balance.by_year(rows)
    assert (year.label, year.bought, year.paid, year.bought_without_fee, year.sold, year.received, year.net) == (
        "2025/26", 3, 56700, 1, 1, 27000, 27000 - 56700)
    [south_year] = balance.by_year(profiles.inter_agency_placements(placements.other_raa))
    assert (south_year.bought, south_year.sold, south_year.received, south_year.sold_without_fee) == (1, 3, 56700, 1)


def test_by_year_splits_at_the_first_of_april():
    rows = [balance.Placement(1, "L1", date(2025, 3, 31), 1, balance.BOUGHT, "X", 100),
            balance.Placement(2, "L2", date(2025, 4, 1), 1, balance.SOLD, "Y", 250),
            balance.Placement(3, "L3", date(2026, 3, 31), 1, balance.BOUGHT, "Y", None)]
    years = balance.by_year(rows)
    assert [(y.label, y.bought, y.paid, y.bought_without_fee, y.sold, y.received) for y in years] == [
        ("2025/26", 1, 0, 1, 1, 250), ("2024/25", 1, 100, 0, 0, 0)]


USERS = [(code, role) for code in ("NR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code == "NR" else "la") in kinds]


def test_who_sees_the_balance(client, placements):
    def check(code, role):
        user = placements.staff[(code, role)]
        client.force_login(user)
        allowed = access.raa_for_aggregates(user) is not None
        fees = client.get(reverse("family_finding:fees"))
        assert fees.status_code == (200 if allowed or role == Role.SYSTEM_ADMINISTRATOR else 404)
        response = client.get(reverse("family_finding:inter-agency"))
        assert response.status_code == (200 if allowed else 404)
        csv = client.get(reverse("family_finding:inter-agency-export-csv"))
        assert csv.status_code == (200 if allowed else 404)
        if not allowed:
            return
        body = response.content.decode()
        assert "£56,700" in body and "£27,000" in body and 'id="fees-missing"' in body
        assert (placements.bought.reference in body) == access.can_see_links(user)
        assert placements.own.reference not in body
        lines = b"".join(csv.streaming_content).decode().splitlines()
        assert lines[1].split(",") == ["2025/26", "3", "56700", "1", "1", "27000", "0", "-29700"]

    each_case(USERS, check, client=client)


def test_no_placements_yet(client, world):
    client.force_login(world.user(Role.RAA_HEAD_OF_SERVICE))
    assert 'id="no-placements"' in client.get(reverse("family_finding:inter-agency")).content.decode()


def test_a_system_administrator_records_a_sibling_rate_and_the_fees_follow(client, placements):
    from permanence.core.models import AuditEvent

    admin = placements.user(Role.SYSTEM_ADMINISTRATOR)
    client.force_login(admin)
    url = reverse("family_finding:fees")
    assert 'id="set-rate"' in client.get(url).content.decode()
    refused = client.post(url, {"financial_year": "2025", "agencies": "la_raa", "first_child": "0", "source": ""})
    body = refused.content.decode()
    assert refused.status_code == 200 and "Enter the fee for the first child, in pounds" in body
    assert "Enter where the rate comes from" in body
    response = client.post(url, {"financial_year": "2025", "agencies": "la_raa", "first_child": "27000",
                                 "each_additional_child": "8000", "london_uplift_percent": "10",
                                 "source": "Agreed rate for siblings (synthetic)"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="inter_agency_fee.set").count() == 1
    pair = next(p for p in profiles.inter_agency_placements(placements.raa) if p.link_id == placements.bought_pair.pk)
    assert pair.fee == 27000 + 8000
    manager = placements.user(Role.RAA_HEAD_OF_SERVICE)
    client.force_login(manager)
    page = client.get(url)
    assert page.status_code == 200 and 'id="set-rate"' not in page.content.decode()
    assert client.post(url, {"financial_year": "2025", "agencies": "vaa", "first_child": "1",
                             "source": "x"}).status_code == 404
    client.force_login(placements.user(Role.LA_SOCIAL_WORKER))
    assert client.get(url).status_code == 404
