"""A world for match items: an RAA with an approved household, a linked child (and a sibling group placed
together) in an LA that delegates the match decision to the RAA, another in an LA that keeps it, a panel, and a
clock the tests move (the adopters' and the children's services read it)."""

from __future__ import annotations

from datetime import date

from permanence.adopters import services
from permanence.adopters.tests.conftest import TO_PANEL, make_household
from permanence.children import services as child_services
from permanence.organisations import services as org_services
from permanence.testing import PLACEMENT_ORDER_JOURNEY

BOOKED_ON = date(2025, 9, 1)
PAPERS_DUE = date(2025, 9, 10)
PANEL_DATE = date(2025, 9, 17)  # a Wednesday: 7 working days later is Friday 26 September
DECISION_DUE = date(2025, 9, 26)
APPROVED = [*TO_PANEL, ("panel_recommendation", date(2025, 6, 20), {"recommendation": "approve"}),
            ("adm_decision", date(2025, 6, 25), {"decision": "approved"})]
LINKED = [*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4)), ("linked", date(2025, 8, 1))]


class Clock:
    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch

    def set(self, day: date) -> None:
        self._monkeypatch.setattr(services, "today", lambda: day)
        self._monkeypatch.setattr(child_services, "today", lambda: day)


class MatchWorld:
    def __init__(self, region, monkeypatch):
        self.region = region
        self.clock = Clock(monkeypatch)
        self.clock.set(BOOKED_ON)
        # Transferton (901) delegates the match decision to the RAA; Keepham (902) keeps it.
        org_services.set_policy(actor=None, la=region.la, effective_from=date(2024, 1, 1), case_holding="raa_at_po",
                                match_delegated=True)
        self.household = make_household(region.raa, "Okafor", events=APPROVED)
        self.other_household = make_household(region.raa, "Brennan", events=APPROVED)
        self.waiting = make_household(region.raa, "Stillassessing", events=TO_PANEL)
        self.child = region.child(region.la, first_name="Ava", last_name="Marsh", events=LINKED)
        self.unlinked = region.child(region.la, first_name="Noah", last_name="Unlinked",
                                     events=[*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4))])
        self.keepham_child = region.child(region.la_keeps, first_name="Isla", last_name="Keep", events=LINKED)
        group = child_services.create_sibling_group(actor=None, la=region.la, name="Reed siblings",
                                                    plan="together")
        self.group = group
        self.siblings = [region.child(region.la, first_name=name, last_name="Reed", events=LINKED,
                                      sibling_group=group) for name in ("Mia", "Leo")]
        self.panel = services.create_panel(actor=None, raa=region.raa, date=PANEL_DATE, papers_due=PAPERS_DUE,
                                           chair="Dr Rowe")
