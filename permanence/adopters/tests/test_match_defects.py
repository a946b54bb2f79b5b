"""The three defects of match items on the adopters' panels (issue 11, item 3), reproduced before they were fixed:
a match item could only be booked through the API, used the approval wording, and its recommendation failed
when a household was attached (the household's journey was asked for an approval recommendation)."""

from datetime import date

from django.urls import reverse

from permanence.adopters import services
from permanence.adopters.models import PanelItem
from permanence.adopters.tests.match_world import PANEL_DATE
from permanence.organisations.models import Role
from permanence.testing import confirmed


def test_a_match_item_is_booked_from_the_panel_page(client, match_world):
    w = match_world
    client.force_login(w.region.staff[("NR", Role.PANEL_ADVISER)])
    panel_page = client.get(reverse("adopters:panel-detail", args=[w.panel.pk])).content.decode()
    assert reverse("adopters:panel-book-match", args=[w.panel.pk]) in panel_page
    form = client.get(reverse("adopters:panel-book-match", args=[w.panel.pk])).content.decode()
    assert w.child.first_name in form and w.household.name in form
    response = confirmed(client, reverse("adopters:panel-book-match", args=[w.panel.pk]),
                           {"subject": f"child-{w.child.pk}", "household": w.household.pk}, follow=True)
    assert response.status_code == 200
    item = w.panel.items.get()
    assert item.kind == PanelItem.Kind.MATCH and item.household == w.household
    assert list(item.children.all()) == [w.child]


def test_a_match_item_never_uses_the_approval_wording(client, match_world):
    w = match_world
    item = services.book_item(actor=None, panel=w.panel, household=w.household, child=w.child,
                              kind=PanelItem.Kind.MATCH)
    w.clock.set(PANEL_DATE)
    client.force_login(w.region.staff[("NR", Role.PANEL_ADVISER)])
    form = client.get(reverse("adopters:item-recommendation", args=[w.panel.pk, item.pk])).content.decode()
    assert "Recommended the match" in form
    assert "approval" not in form.lower()
    services.record_recommendation(actor=None, item=item, recommendation="match", reasons="A strong match.")
    client.force_login(w.region.staff[("NR", Role.AGENCY_DECISION_MAKER)])
    decision = client.get(reverse("adopters:match-decision", args=[item.pk])).content.decode()
    assert "Match agreed" in decision and "approval" not in decision.lower()
    agenda = client.get(reverse("adopters:panel-print", args=[w.panel.pk])).content.decode()
    assert "Recommended the match" in agenda and "approval" not in agenda.lower()


def test_the_recommendation_of_a_match_item_with_a_household_is_recorded(match_world):
    w = match_world
    item = services.book_item(actor=None, panel=w.panel, household=w.household, child=w.child,
                              kind=PanelItem.Kind.MATCH)
    household_events = w.household.events.count()
    w.clock.set(PANEL_DATE)
    services.record_recommendation(actor=None, item=item, recommendation="match", reasons="A strong match.")
    item.refresh_from_db()
    assert item.recommendation == "match" and item.get_recommendation_display() == "Recommended the match"
    # The recommendation lands on the child's journey, not on the household's approval journey.
    assert w.child.events.filter(kind="matching_panel", date=date(2025, 9, 17)).exists()
    assert w.household.events.count() == household_events
