"""Match items on the panel pages, driven as a user would: forms posted, banners and error summaries read back."""

from datetime import date

from django.urls import reverse

from permanence.adopters import services
from permanence.adopters.tests.match_world import PANEL_DATE
from permanence.adopters.tests.test_pages import d
from permanence.core.models import AuditEvent, ExportLog
from permanence.organisations.models import Role
from permanence.testing import confirmed


def staff(w, role, code="NR"):
    return w.region.staff[(code, role)]


def test_the_booking_form_offers_only_what_can_be_matched(client, match_world):
    w = match_world
    client.force_login(staff(w, Role.RAA_FAMILY_FINDER))
    page = client.get(reverse("adopters:panel-book-match", args=[w.panel.pk])).content.decode()
    # Linked children and the sibling group placed together (as one), approved households longest waiting first.
    assert f'value="child-{w.child.pk}"' in page and f'value="group-{w.group.pk}"' in page
    assert "Reed siblings: Leo, Mia" in page or "Reed siblings: Mia, Leo" in page
    assert f'value="child-{w.siblings[0].pk}"' not in page
    assert "Okafor" in page and "Brennan" in page and "Stillassessing" not in page
    # Once booked, the child and the household are no longer offered.
    confirmed(client, reverse("adopters:panel-book-match", args=[w.panel.pk]),
                {"subject": f"group-{w.group.pk}", "household": w.household.pk})
    page = client.get(reverse("adopters:panel-book-match", args=[w.panel.pk])).content.decode()
    assert f'value="group-{w.group.pk}"' not in page and f'value="{w.household.pk}"' not in page


def test_a_sibling_group_booked_from_the_page(client, match_world):
    w = match_world
    client.force_login(staff(w, Role.PANEL_ADVISER))
    response = confirmed(client, reverse("adopters:panel-book-match", args=[w.panel.pk]),
                           {"subject": f"group-{w.group.pk}", "household": w.household.pk}, follow=True)
    body = response.content.decode()
    assert "has been booked on this panel." in body and "Mia Reed" in body and "Leo Reed" in body
    item = w.panel.items.get()
    assert set(item.children.all()) == set(w.siblings)


def test_booking_errors_are_shown_in_the_error_summary(client, match_world):
    w = match_world
    client.force_login(staff(w, Role.PANEL_ADVISER))
    url = reverse("adopters:panel-book-match", args=[w.panel.pk])
    response = client.post(url, {"subject": "", "household": ""})
    body = response.content.decode()
    assert "There is a problem" in body and "Error: Book a match" in body
    assert "Choose the child, or the sibling group, the match is for." in body
    assert "Choose the approved household the match is with." in body
    response = client.post(url, {"subject": "child-999999", "household": w.waiting.pk})
    assert b"Choose one of the children or sibling groups listed." in response.content
    assert b"Choose one of the approved households listed." in response.content
    assert not w.panel.items.exists()


def test_a_past_panel_and_an_empty_region_show_their_empty_states(client, match_world):
    w = match_world
    client.force_login(staff(w, Role.PANEL_ADVISER))
    w.clock.set(date(2025, 9, 18))
    page = client.get(reverse("adopters:panel-book-match", args=[w.panel.pk])).content.decode()
    assert "This panel has already met: book the match on a later panel." in page and "Book the match<" not in page
    later = services.create_panel(actor=None, raa=w.region.raa, date=date(2025, 12, 17))
    client.force_login(staff(w, Role.PANEL_ADVISER, "SR"))
    south = services.create_panel(actor=None, raa=w.region.other_raa, date=date(2025, 12, 17))
    page = client.get(reverse("adopters:panel-book-match", args=[south.pk])).content.decode()
    assert "No children are waiting to be matched" in page
    assert later.pk != south.pk


def test_papers_views_and_recommendation_from_the_pages(client, match_world):
    w = match_world
    item = services.book_match_item(actor=None, panel=w.panel, children=[w.child], household=w.household)
    client.force_login(staff(w, Role.PANEL_ADVISER))
    w.clock.set(date(2025, 9, 12))
    papers = reverse("adopters:item-papers", args=[w.panel.pk, item.pk])
    form = client.get(papers).content.decode()
    assert "Date the Adoption placement report (APR) was received" in form
    assert "Date the Child&#x27;s permanence report (CPR) was received" in form
    response = client.post(papers, {**d("apr", date(2025, 9, 8)), **d("par", date(2025, 9, 11))}, follow=True)
    assert b"The papers received have been recorded." in response.content
    agenda = client.get(reverse("adopters:panel-detail", args=[w.panel.pk])).content.decode()
    assert "Late" in agenda and "Missing" in agenda  # the PAR after the papers due date; the CPR not in
    # The recommendation: not before the panel meets; its reasons are needed.
    recommendation = reverse("adopters:item-recommendation", args=[w.panel.pk, item.pk])
    w.clock.set(PANEL_DATE)
    views = reverse("adopters:item-member-view", args=[w.panel.pk, item.pk])
    response = client.post(views, {"member_name": "Dr Rowe", "member_role": "chair", "view": "recommend"})
    assert b"Give the panel member&#x27;s reasons for their view." in response.content
    client.post(views, {"member_name": "Dr Rowe", "member_role": "chair", "view": "recommend",
                        "reasons": "Her needs are well met."})
    client.post(views, {"member_name": "Mr Obi", "member_role": "social_worker", "view": "abstain"})
    form = client.get(recommendation).content.decode()
    assert "1 recommends, 1 abstains" in form and "1 of the papers is not recorded as received" in form
    response = client.post(recommendation, {"recommendation": "match"})
    assert b"Give the panel&#x27;s reasons for its recommendation." in response.content
    response = client.post(recommendation, {"recommendation": "match", "reasons": "A secure, loving home."},
                           follow=True)
    assert b"The panel&#x27;s recommendation has been recorded." in response.content
    body = response.content.decode()
    assert "Recommended the match" in body and "A secure, loving home." in body and "Dr Rowe" in body
    assert w.child.events.filter(kind="matching_panel").exists()
    assert AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="panel_item.").count() == 5


def test_a_recommendation_the_journey_refuses_is_shown_as_an_error(client, match_world):
    w = match_world
    item = services.book_match_item(actor=None, panel=w.panel, children=[w.unlinked], household=w.household)
    w.clock.set(PANEL_DATE)
    client.force_login(staff(w, Role.PANEL_ADVISER))
    response = client.post(reverse("adopters:item-recommendation", args=[w.panel.pk, item.pk]),
                           {"recommendation": "match", "reasons": "Strong."})
    body = response.content.decode()
    assert "There is a problem" in body and "Noah Unlinked: Matching panel recommendation" in body
    assert "record the link first" in body


def _recommended(w, children, household=None):
    item = services.book_match_item(actor=None, panel=w.panel, children=children, household=household or w.household)
    w.clock.set(PANEL_DATE)
    return services.record_recommendation(actor=None, item=item, recommendation="match", reasons="Strong.")


def test_the_raas_adm_decides_a_delegated_match_from_the_list(client, match_world):
    w = match_world
    item = _recommended(w, [w.child])
    client.force_login(staff(w, Role.AGENCY_DECISION_MAKER))
    w.clock.set(date(2025, 9, 29))
    listing = client.get(reverse("adopters:match-decisions")).content.decode()
    assert "Ava Marsh" in listing and "Overdue" in listing and "North RAA&#x27;s agency decision maker" in listing
    page = client.get(reverse("adopters:match-decision", args=[item.pk])).content.decode()
    assert "Due by 26 September 2025" in page and "Okafor" in page
    response = client.post(reverse("adopters:match-decision", args=[item.pk]),
                           {"decision": "agreed", **d("on", date(2025, 9, 29))}, follow=True)
    body = response.content.decode()
    assert "The agency decision on the match has been recorded." in body
    assert "Match agreed, 29 September 2025" in body and "Late" in body
    w.child.refresh_from_db()
    w.household.refresh_from_db()
    assert w.child.stage == "matched" and w.household.stage == "matched"
    listing = client.get(reverse("adopters:match-decisions")).content.decode()
    assert "No matches are awaiting a decision." in listing


def test_the_las_adm_decides_its_own_match_and_sees_the_household_anonymised(client, match_world):
    w = match_world
    item = _recommended(w, [w.keepham_child])
    client.force_login(staff(w, Role.AGENCY_DECISION_MAKER))
    response = client.post(reverse("adopters:match-decision", args=[item.pk]),
                           {"decision": "agreed", **d("on", PANEL_DATE)})
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Isla Keep: Under this LA&#x27;s policy the match decision belongs to the LA, so the LA records it." in body
    client.force_login(staff(w, Role.AGENCY_DECISION_MAKER, "902"))
    listing = client.get(reverse("adopters:match-decisions")).content.decode()
    assert "Isla Keep" in listing and "Ava Marsh" not in listing and "Keepham&#x27;s agency decision maker" in listing
    page = client.get(reverse("adopters:match-decision", args=[item.pk])).content.decode()
    assert "Okafor" not in page and f"Prospective adopters {w.household.reference}" in page
    response = client.post(reverse("adopters:match-decision", args=[item.pk]),
                           {"decision": "agreed", **d("on", PANEL_DATE)}, follow=True)
    assert b"The agency decision on the match has been recorded." in response.content
    w.keepham_child.refresh_from_db()
    assert w.keepham_child.stage == "matched"
    assert w.keepham_child.events.get(kind="match_decision").recorded_by == staff(w, Role.AGENCY_DECISION_MAKER,
                                                                                   "902")


def test_the_decision_form_needs_a_choice_and_a_date(client, match_world):
    w = match_world
    item = _recommended(w, [w.child])
    client.force_login(staff(w, Role.AGENCY_DECISION_MAKER))
    response = client.post(reverse("adopters:match-decision", args=[item.pk]), {"decision": ""})
    assert b"Choose the decision." in response.content and b"Enter the date of the decision." in response.content


def test_the_agenda_as_a_pdf(client, match_world):
    w = match_world
    services.book_match_item(actor=None, panel=w.panel, children=w.siblings, household=w.household)
    client.force_login(staff(w, Role.RAA_TEAM_MANAGER))
    response = client.get(reverse("adopters:panel-pdf", args=[w.panel.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert ExportLog.objects.filter(what="panels.agenda", format="pdf", row_count=1).exists()


def test_the_panel_list_and_export_count_matches(client, match_world):
    w = match_world
    services.book_match_item(actor=None, panel=w.panel, children=[w.child], household=w.household)
    client.force_login(staff(w, Role.RAA_TEAM_MANAGER))
    assert "0 approvals, 1 match" in client.get(reverse("adopters:panel-list")).content.decode()
    body = b"".join(client.get(reverse("adopters:panel-export-csv")).streaming_content).decode()
    assert body.lstrip("\ufeff").splitlines()[0] == "Date,Items booked,Approvals,Matches,Capacity,Papers due,Chair"
    assert "2025-09-17,1,0,1,6,2025-09-10,Dr Rowe" in body


def test_the_navigation_offers_match_decisions_to_the_adms_of_both_sides(client, match_world):
    w = match_world
    for user, shown in ((staff(w, Role.AGENCY_DECISION_MAKER), True),
                        (staff(w, Role.AGENCY_DECISION_MAKER, "902"), True), (staff(w, Role.PANEL_ADVISER), False),
                        (staff(w, Role.LA_SOCIAL_WORKER, "902"), False)):
        client.force_login(user)
        body = client.get(reverse("adopters:panel-list") if shown and user.organisation.kind == "raa"
                          else "/children/").content.decode()
        assert (reverse("adopters:match-decisions") in body) is shown, user.username
