from datetime import date

import pytest

from permanence.support_fund import services
from permanence.support_fund.tests.helpers import application, make_case, make_provider

TODAY = date(2025, 9, 1)


@pytest.fixture
def today(monkeypatch):
    from permanence.support import services as support_services

    monkeypatch.setattr(services, "today", lambda: TODAY)
    monkeypatch.setattr(support_services, "today", lambda: TODAY)
    return TODAY


class Side:
    """One RAA's support fund records: a case with a plan and a service, and applications at each step."""

    def __init__(self, raa, tag):
        self.provider = make_provider(raa, f"Bridges {tag}")
        self.commission = self.provider.commissions.get()
        self.case = make_case(raa, family=tag, child_name=f"Sam {tag}")
        self.plan = services.add_plan(actor=None, case=self.case, start_date=date(2025, 5, 6),
                                      review_date=date(2025, 8, 6), check_role=False, on=TODAY)
        self.service = services.add_service(actor=None, plan=self.plan, tier="specialist", description="Therapy",
                                            provider=self.provider, start_date=date(2025, 5, 6), check_role=False)
        self.draft = application(self.case, amount=500)
        self.submitted = application(self.case, amount=600, submitted=date(2025, 6, 2))
        self.approved = application(self.case, amount=700, submitted=date(2025, 6, 2), decided=date(2025, 6, 20),
                                    decision="approved", approved=700)


@pytest.fixture
def fund_world(region, today):
    region.north = Side(region.raa, "North")
    region.south = Side(region.other_raa, "South")
    return region
