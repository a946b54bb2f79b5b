from datetime import date

import pytest
from rest_framework.test import APIClient

from permanence.adopters import services as adopter_services
from permanence.api import services


def token_client(user) -> APIClient:
    _token, raw = services.issue_token(actor=None, user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def api_as():
    return token_client


# ---------------------------------------------------------------------------------------------
# Adopters' records for the API's tests (built with the services, as the adopters' own tests do)

ADOPTERS_TODAY = date(2025, 9, 1)
TO_STAGE_2 = [
    ("roi_decision", date(2025, 1, 10), {"outcome": "accepted"}),
    ("stage_1_started", date(2025, 1, 13)),
    ("stage_1_completed", date(2025, 3, 10)),
    ("stage_2_started", date(2025, 3, 17)),
]
TO_PANEL = [*TO_STAGE_2, ("par_completed", date(2025, 6, 2))]


@pytest.fixture
def adopters_today(monkeypatch):
    """A fixed 'today' for the adopters' services (and so for the API's derived facts)."""
    monkeypatch.setattr(adopter_services, "today", lambda: ADOPTERS_TODAY)
    return ADOPTERS_TODAY


def make_household(raa, name, *, roi=date(2025, 1, 6), events=(), fast_track=False, **values):
    household = adopter_services.register_interest(
        actor=None, raa=raa, name=name, applicants=[{"first_name": "Alex", "last_name": name}], roi_date=roi,
        previous_adopters=fast_track, **values)
    for kind, day, *details in events:
        adopter_services.record_event(household=household, kind=kind, date=day, actor=None, check_role=False,
                                      details=details[0] if details else None)
    household.refresh_from_db()
    return household


class AdopterRecords:
    """One RAA's household (awaiting panel), a household in stage 2, an enquiry and a panel with an item."""

    def __init__(self, raa, tag):
        from permanence.adopters.models import EnquirySource

        self.household = make_household(raa, f"Zephyr{tag}", events=TO_PANEL)
        self.stage_2 = make_household(raa, f"Yarrow{tag}", events=TO_STAGE_2)
        self.enquiry = adopter_services.record_enquiry(
            actor=None, raa=raa, received_on=date(2025, 8, 1), source=EnquirySource.objects.order_by("pk").first(),
            first_name="Quill", last_name=f"Enquirer{tag}")
        self.panel = adopter_services.create_panel(actor=None, raa=raa, date=date(2025, 10, 1))
        self.item = adopter_services.book_item(actor=None, panel=self.panel, household=self.household)
        self.event = self.household.events.order_by("-date", "-id").first()
