"""The family-finding pages do what they say: the board (mine / team, stale), a link with its next steps and
timeline, recording and correcting a step, a child's links and shortlists, a shortlist and opening a link."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.family_finding import services
from permanence.family_finding.models import Link
from permanence.organisations.models import Role


@pytest.fixture
def link(world):
    return services.open_link(actor=world.user(Role.RAA_FAMILY_FINDER), child=world.child_at_po,
                              household=world.household, on=date(2025, 8, 20))


def test_the_board_shows_my_links_and_marks_the_stale(client, world, link):
    stale = services.open_link(actor=world.user(Role.RAA_FAMILY_FINDER), child=world.child_at_po,
                               household=world.second, on=date(2025, 7, 1))
    client.force_login(world.user(Role.RAA_FAMILY_FINDER))
    body = client.get(reverse("family_finding:board")).content.decode()
    assert link.reference in body and stale.reference in body and "Okafor-Reid" in body
    assert body.count("govuk-tag--red\">Stale") == 1 and "1 stale link" in body
    only_stale = client.get(reverse("family_finding:board") + "?show=mine&stale=on").content.decode()
    assert stale.reference in only_stale and link.reference not in only_stale
    client.force_login(world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))  # the household's worker: only its links
    mine = client.get(reverse("family_finding:board")).content.decode()
    assert link.reference in mine and stale.reference not in mine
    team = client.get(reverse("family_finding:board") + "?show=team").content.decode()
    assert stale.reference in team


def test_the_childs_la_sees_the_link_with_the_household_anonymised(client, world, link):
    client.force_login(world.user(Role.LA_SOCIAL_WORKER))
    body = client.get(reverse("family_finding:link", args=[link.pk])).content.decode()
    assert "Okafor-Reid" not in body and world.household.reference in body and 'id="anonymised-household"' in body
    assert "39 years" in body
    assert link.reference not in client.get(reverse("family_finding:board")).content.decode()  # not theirs
    world.child_at_po.la_social_worker = world.user(Role.LA_SOCIAL_WORKER)
    world.child_at_po.save(update_fields=["la_social_worker"])
    board = client.get(reverse("family_finding:board")).content.decode()
    assert link.reference in board and "Okafor-Reid" not in board


def test_recording_a_step_from_the_link_page(client, world, link):
    client.force_login(world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    page = client.get(reverse("family_finding:link", args=[link.pk])).content.decode()
    assert reverse("family_finding:record-event", args=[link.pk, "contact"]) in page
    assert reverse("family_finding:record-event", args=[link.pk, "shortlisted"]) not in page
    url = reverse("family_finding:record-event", args=[link.pk, "contact"])
    response = client.post(url, {"date_day": "21", "date_month": "8", "date_year": "2025", "note": "Phoned"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.stage == "contact" and link.last_activity_on == date(2025, 8, 21)
    error = client.post(reverse("family_finding:record-event", args=[link.pk, "interest"]),
                        {"date_day": "22", "date_month": "8", "date_year": "2025"})
    assert error.status_code == 200 and "error-summary" in error.content.decode()
    assert link.events.filter(kind="interest").count() == 0
    ended = client.post(reverse("family_finding:record-event", args=[link.pk, "ended"]),
                        {"date_day": "23", "date_month": "8", "date_year": "2025", "reason": "adopters_declined",
                         "why": "travel distance"})
    assert ended.status_code == 302
    link.refresh_from_db()
    assert link.stage == "ended" and link.events.get(kind="ended").details["why"] == "travel distance"


def test_a_refused_step_says_why(client, world, link):
    client.force_login(world.user(Role.PANEL_ADVISER))
    page = client.get(reverse("family_finding:record-event", args=[link.pk, "contact"])).content.decode()
    body = page.split('<main', 1)[1].split('</main>', 1)[0]  # the page's own content, not the idle warning
    assert "Your role cannot record" in body and "<form method=\"post\"" not in body
    response = client.post(reverse("family_finding:record-event", args=[link.pk, "contact"]),
                           {"date_day": "21", "date_month": "8", "date_year": "2025"})
    assert response.status_code == 200 and not link.events.filter(kind="contact").exists()


def test_correcting_a_step(client, world, link):
    ff = world.user(Role.RAA_FAMILY_FINDER)
    contact = services.record_event(link=link, kind="contact", date=date(2025, 8, 21), actor=ff)
    client.force_login(ff)
    url = reverse("family_finding:correct-event", args=[link.pk, contact.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "correct", "date_day": "22", "date_month": "8", "date_year": "2025",
                                 "reason": "Wrong day"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.last_activity_on == date(2025, 8, 22)
    assert client.get(url).status_code == 404  # already corrected


def test_running_a_shortlist_and_opening_a_link_from_it(client, world):
    client.force_login(world.user(Role.RAA_FAMILY_FINDER))
    child_page = client.get(reverse("family_finding:child", args=[world.child_at_po.pk])).content.decode()
    assert 'id="no-links"' in child_page and "Run a shortlist today" in child_page
    response = client.post(reverse("family_finding:run-shortlist", args=[world.child_at_po.pk]))
    assert response.status_code == 302
    shortlist_url = response.url
    body = client.get(shortlist_url).content.decode()
    assert "Okafor-Reid" in body and "Lindqvist" in body and "2 households put forward" in body
    entry = world.child_at_po.shortlists.get().entries.get(household=world.household)
    opened = client.post(reverse("family_finding:open-link", args=[entry.shortlist_id, entry.pk]))
    link = Link.objects.get(shortlist_entry=entry)
    assert opened.status_code == 302 and opened.url == reverse("family_finding:link", args=[link.pk])
    again = client.post(reverse("family_finding:open-link", args=[entry.shortlist_id, entry.pk]), follow=True)
    assert "already an open link" in again.content.decode()
    child_page = client.get(reverse("family_finding:child", args=[world.child_at_po.pk])).content.decode()
    assert link.reference in child_page and 'id="shortlists"' in child_page
    assert link.reference in client.get(shortlist_url).content.decode()


def test_the_la_sees_its_childs_shortlist_anonymised(client, world):
    saved = services.shortlist(child=world.child_at_po, actor=world.user(Role.RAA_FAMILY_FINDER), spread=False)
    client.force_login(world.user(Role.LA_SOCIAL_WORKER))
    body = client.get(reverse("family_finding:shortlist", args=[saved.pk])).content.decode()
    assert world.household.reference in body and "Okafor-Reid" not in body and "Shortlist<span" not in body
    child = client.get(reverse("children:detail", args=[world.child_at_po.pk])).content.decode()
    assert reverse("family_finding:child", args=[world.child_at_po.pk]) in child


def test_the_link_page_offers_corrections_only_for_steps_the_link_alone_holds(client, world, link):
    """Contact and visit are the link's own; the agreed link is also on the child's journey: no correction link."""
    ff, sw = world.user(Role.RAA_FAMILY_FINDER), world.user(Role.RAA_ASSESSING_SOCIAL_WORKER)
    contact = services.record_event(link=link, kind="contact", date=date(2025, 8, 21), actor=ff)
    services.record_event(link=link, kind="interest", date=date(2025, 8, 22), actor=sw, details={"by": "adopters"})
    agreed = services.record_event(link=link, kind="link_agreed", date=date(2025, 8, 23), actor=ff)
    client.force_login(ff)
    page = client.get(reverse("family_finding:link", args=[link.pk])).content.decode()
    assert reverse("family_finding:correct-event", args=[link.pk, contact.pk]) in page
    assert reverse("family_finding:correct-event", args=[link.pk, agreed.pk]) not in page
    opened = link.events.get(kind="shortlisted")
    assert reverse("family_finding:correct-event", args=[link.pk, opened.pk]) not in page


def test_the_households_page_lists_its_links(client, world, link):
    client.force_login(world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    page = client.get(reverse("adopters:household-detail", args=[world.household.pk])).content.decode()
    assert 'id="household-links"' in page and reverse("family_finding:link", args=[link.pk]) in page
    other = client.get(reverse("adopters:household-detail", args=[world.second.pk])).content.decode()
    assert 'id="no-links"' in other and reverse("family_finding:link", args=[link.pk]) not in other
