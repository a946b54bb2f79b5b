"""The demo's complaints and feedback: one overdue, the rest in order, all deletable."""

from datetime import date

from permanence.complaints import selectors
from permanence.complaints.models import Complaint, FeedbackResponse
from permanence.demo import complaints as demo
from permanence.organisations import services as org_services
from permanence.organisations.models import Role
from permanence.testing import PASSWORD

TODAY = date(2026, 3, 16)


def test_demo_complaints_one_overdue_and_deletable(region):
    org_services.create_staff(actor=None, organisation=region.raa, role=Role.COMPLAINTS_OFFICER,
                              username=demo.OFFICER, first_name="Rowan", last_name="T", password=PASSWORD)
    done = demo.load_demo(seed=3, today=TODAY)
    assert done == {"complaints": 5, "responses": 4 * 6}
    overdue = selectors.overdue(Complaint.objects.filter(raa=region.raa, outcome=""), TODAY)
    assert [c.summary for c, _, _ in overdue] == [demo.COMPLAINTS[0][2]]
    assert Complaint.objects.exclude(outcome="").count() == 2
    demo.delete_demo()
    assert not Complaint.objects.exists() and not FeedbackResponse.objects.exists()


def test_without_the_officer_nothing_is_loaded(region):
    assert demo.load_demo(seed=3, today=TODAY) == {"complaints": 0, "responses": 0}
