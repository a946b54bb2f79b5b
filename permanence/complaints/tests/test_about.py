"""'Record a complaint about this …' on a child's, a household's and a support case's page: shown when access
says the user records complaints about that record (access.can_record_complaint_about), opening the complaint
form with what it is about filled in; the complaint is saved against that record."""

from datetime import date

import pytest
from django.urls import reverse

from permanence import access
from permanence.adopters.tests.conftest import TO_PANEL, make_household
from permanence.complaints.models import Complaint
from permanence.organisations.models import Role
from permanence.support.tests.conftest import make_case
from permanence.testing import PLACEMENT_ORDER_JOURNEY


@pytest.fixture
def records(region):
    return {
        "child": region.child(region.la, events=PLACEMENT_ORDER_JOURNEY),
        "household": make_household(region.raa, "Complainants", events=TO_PANEL),
        "support_case": make_case(region),
    }


PAGES = {"child": "children:detail", "household": "adopters:household-detail", "support_case": "support:case"}
TEXT = {"child": "Record a complaint about this child", "household": "Record a complaint about this household",
        "support_case": "Record a complaint about this support case"}


def test_who_is_offered_the_link(region, records):
    # Records complaints (team managers, the complaints officer) of the record's RAA, and sees the record: of
    # those, only the North RAA's team managers see children, households and support cases.
    want = {(name, "NR", Role.RAA_TEAM_MANAGER) for name in records}
    got = {(name, code, role) for name, record in records.items() for (code, role), user in region.staff.items()
           if access.can_record_complaint_about(user, record)}
    assert got == want
    # The complaints officer records complaints but does not see the child's record; South's team manager sees
    # neither North's records nor records complaints for North.
    assert not access.can_record_complaint_about(region.staff[("NR", Role.COMPLAINTS_OFFICER)], records["child"])
    assert not access.can_record_complaint_about(region.staff[("SR", Role.RAA_TEAM_MANAGER)], records["child"])


@pytest.mark.parametrize("name", ["child", "household", "support_case"])
def test_the_link_opens_the_form_about_the_record_and_saves_against_it(client, region, records, name):
    record = records[name]
    client.force_login(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    page = client.get(reverse(PAGES[name], args=[record.pk])).content.decode()
    link = f"{reverse('complaints:add')}?{name}={record.pk}"
    assert 'id="complaint-link"' in page and TEXT[name] in page and link in page
    form = client.get(link).content.decode()
    assert TEXT[name] in form and record.reference in form
    assert reverse(PAGES[name], args=[record.pk]) in form  # the back link returns to the record
    answer = client.post(link, {"received_on_day": 2, "received_on_month": 3, "received_on_year": 2026,
                                "complainant_type": "adopter", "summary": "Nobody called back"})
    complaint = Complaint.objects.get()
    assert answer.status_code == 302 and getattr(complaint, f"{name}_id") == record.pk
    assert complaint.received_on == date(2026, 3, 2)


@pytest.mark.parametrize("role", [Role.RAA_FAMILY_FINDER, Role.RAA_HEAD_OF_SERVICE])
def test_no_link_for_those_who_do_not_record_complaints(client, region, records, role):
    client.force_login(region.staff[("NR", role)])
    page = client.get(reverse(PAGES["child"], args=[records["child"].pk])).content.decode()
    assert page and 'id="complaint-link"' not in page
