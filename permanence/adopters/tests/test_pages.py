"""The adopters' pages, driven as a user would: forms posted, banners and error summaries read back."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from permanence.adopters import services
from permanence.adopters.models import Enquiry, Household
from permanence.adopters.tests.conftest import TO_PANEL, TO_STAGE_2, make_household, source
from permanence.children.models import NeedCategory
from permanence.core.models import AuditEvent, RecordView
from permanence.organisations.models import Role
from permanence.testing import confirmed, current_version


def d(name: str, day: date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def event(client, household, kind, day, **details):
    return client.post(reverse("adopters:record-event", args=[household.pk, kind]), {**d("date", day), **details},
                       follow=True)


@pytest.fixture
def sw(client, region, today):
    user = region.staff[("NR", Role.RAA_ASSESSING_SOCIAL_WORKER)]
    client.force_login(user)
    return user


def test_enquiry_to_registration_through_stage_1(client, region, sw, today):
    response = client.post(reverse("adopters:enquiry-create"), {
        **d("received_on", date(2025, 8, 4)), "source": source("social_media").pk, "first_name": "Robin",
        "last_name": "Okafor", "email": "robin@example.org", "residence_la": region.la.pk}, follow=True)
    assert b"The enquiry from Robin Okafor has been recorded." in response.content
    enquiry = Enquiry.objects.get(last_name="Okafor")
    listing = client.get(reverse("adopters:enquiry-list") + "?month=2025-08").content.decode()
    assert "Robin Okafor" in listing and "Social media" in listing
    assert "Robin Okafor" not in client.get(reverse("adopters:enquiry-list") + "?month=2025-07").content.decode()

    # A missing name is reported by the service in the error summary.
    response = client.post(reverse("adopters:enquiry-create"), {
        **d("received_on", date(2025, 8, 4)), "source": source().pk, "first_name": "", "last_name": "X"})
    assert b"There is a problem" in response.content and b"Enter the enquirer&#x27;s first name." in response.content

    form = client.get(reverse("adopters:enquiry-register", args=[enquiry.pk])).content.decode()
    assert 'value="Robin"' in form
    response = client.post(reverse("adopters:enquiry-register", args=[enquiry.pk]), {
        **d("roi_date", date(2025, 8, 11)), "a1_first_name": "Robin", "a1_last_name": "Okafor",
        **d("a1_date_of_birth", date(1988, 2, 3)), "a1_ethnicity": "BAFR", "a1_languages": "English, Yoruba",
        "a2_first_name": "Sam", "a2_last_name": "Reid", "relationship": "married", "residence_la": region.la.pk,
        "assessing_social_worker": sw.pk}, follow=True)
    assert b"has been recorded" in response.content
    household = Household.objects.get(applicants__first_name="Sam")
    assert household.name == "Okafor-Reid"
    assert household.stage == "roi" and household.enquiry == enquiry
    enquiry.refresh_from_db()
    assert enquiry.outcome == Enquiry.Outcome.ROI_RECEIVED

    page = event(client, household, "roi_decision", date(2025, 8, 13), outcome="accepted").content.decode()
    assert "Decision on the registration of interest has been recorded." in page
    event(client, household, "stage_1_started", date(2025, 8, 18))
    event(client, household, "check_requested", date(2025, 8, 18), check="dbs")
    event(client, household, "check_requested", date(2025, 8, 18), check="medical")
    # Receiving a check that was never requested is refused, with the service's message.
    response = event(client, household, "check_received", date(2025, 8, 20), check="references")
    assert b"There is a problem" in response.content
    page = event(client, household, "check_received", date(2025, 8, 25), check="dbs").content.decode()
    checks = page[page.index('id="checks"'):page.index('id="journey"')]
    assert checks.count("Received") == 1 and checks.count("Requested") == 1 and checks.count("Not requested") == 2
    event(client, household, "stage_1_completed", date(2025, 8, 29))
    household.refresh_from_db()
    assert household.stage == "stage_1_complete"
    assert RecordView.objects.filter(object_type="adopters.household", object_id=str(household.pk)).exists()


def test_household_without_an_enquiry_and_validation(client, region, sw, today):
    response = client.post(reverse("adopters:household-register"), {
        **d("roi_date", date(2025, 8, 11)), "a1_first_name": "Kim", "a1_last_name": "Lee",
        "relationship": "married"})
    assert b"There is a problem" in response.content
    assert b"A couple applies together: enter both applicants." in response.content
    response = client.post(reverse("adopters:household-register"), {
        **d("roi_date", date(2025, 8, 11)), "a1_first_name": "Kim", "a1_last_name": "Lee", "name": "Lee",
        "relationship": "single", "approved_foster_carers": "on"}, follow=True)
    household = Household.objects.get(name="Lee")
    assert household.fast_track and b"Fast track" in response.content


def test_pause_and_resume_move_the_due_date(client, region, sw, today):
    household = make_household(region.raa, "Pauser", events=TO_STAGE_2)
    due = household.next_due_date  # the stage 2 decision
    assert household.next_due_label.startswith("Agency decision")
    response = event(client, household, "paused", date(2025, 5, 1), reason="House move")
    assert b"The assessment has been paused since 1 May 2025: House move." in response.content
    event(client, household, "resumed", date(2025, 5, 15))
    household.refresh_from_db()
    assert not household.paused
    assert household.next_due_date == due + timedelta(days=14)
    page = client.get(reverse("adopters:household-detail", args=[household.pk])).content.decode()
    assert "includes 14 days paused" in page


def test_target_panel_date_set_and_moved_with_a_reason(client, region, sw, today):
    household = make_household(region.raa, "Target", events=TO_STAGE_2)
    services.create_panel(actor=None, raa=region.raa, date=date(2025, 9, 18))
    url = reverse("adopters:target-panel-date", args=[household.pk])
    form = client.get(url).content.decode()
    assert 'id="suggested"' in form  # pre-filled with services.suggested_target_panel_date
    response = confirmed(client, url, d("target", date(2025, 9, 18)) | current_version(client, url), follow=True)
    assert b"The target panel date has been set." in response.content
    response = confirmed(client, url, d("target", date(2025, 10, 16)) | current_version(client, url))
    assert b"There is a problem" in response.content and b"Give a reason for moving" in response.content
    response = confirmed(client, url, {**d("target", date(2025, 10, 16)), "reason": "Medical report late",
                                       **current_version(client, url)}, follow=True)
    assert b"The target panel date has been moved." in response.content
    assert b"45 days to go" in response.content
    household.refresh_from_db()
    assert household.target_panel_date == date(2025, 10, 16)
    moved = AuditEvent.objects.filter(action="household.target_panel_date").order_by("-id").first()
    assert moved.reason == "Medical report late" and moved.actor == sw


def test_panel_booking_recommendation_and_decision(client, region, today):
    adviser = region.staff[("NR", Role.PANEL_ADVISER)]
    adm = region.staff[("NR", Role.AGENCY_DECISION_MAKER)]
    first = make_household(region.raa, "Firstbooked", events=TO_PANEL)
    second = make_household(region.raa, "Secondbooked", events=TO_PANEL)
    client.force_login(adviser)
    response = client.post(reverse("adopters:panel-create"), {**d("date", date(2025, 8, 20)), "capacity": "1",
                                                               **d("papers_due", date(2025, 8, 13))}, follow=True)
    assert b"has been added" in response.content
    panel = region.raa.panels.get(date=date(2025, 8, 20))
    services.create_panel(actor=None, raa=region.raa, date=date(2025, 9, 17))
    response = confirmed(client, reverse("adopters:panel-book", args=[panel.pk]), {"household": first.pk}, follow=True)
    assert b"Firstbooked has been booked on this panel." in response.content
    # The panel is full: the household is no longer offered, and a booking is refused naming the next panel.
    response = confirmed(client, reverse("adopters:panel-book", args=[panel.pk]), {"household": second.pk})
    assert b"There is a problem" in response.content
    assert b"The next panel with room is on 17/09/2025." in response.content
    listing = client.get(reverse("adopters:panel-list")).content.decode()
    assert "1 of 1" in listing and "Full" in listing

    item = panel.items.get()
    client.post(reverse("adopters:item-papers", args=[panel.pk, item.pk]), d("on", date(2025, 8, 12)))
    response = client.post(reverse("adopters:item-recommendation", args=[panel.pk, item.pk]),
                           {"recommendation": "approve", "minutes": "Warm, well-prepared couple."}, follow=True)
    assert b"The panel&#x27;s recommendation has been recorded." in response.content
    first.refresh_from_db()
    assert first.stage == "awaiting_decision"
    # Only the ADM records the decision.
    assert client.get(reverse("adopters:item-decision", args=[panel.pk, item.pk])).status_code == 404
    client.force_login(adm)
    response = client.post(reverse("adopters:item-decision", args=[panel.pk, item.pk]),
                           {"decision": "approved", **d("on", date(2025, 8, 26))}, follow=True)
    assert b"The agency decision has been recorded." in response.content
    first.refresh_from_db()
    assert first.stage == "approved" and first.approved_on == date(2025, 8, 26)
    agenda = client.get(reverse("adopters:panel-print", args=[panel.pk])).content.decode()
    assert "Firstbooked" in agenda and "Warm, well-prepared couple." in agenda and "Recommended approval" in agenda


def test_withdraw_with_a_reason(client, region, sw, today):
    household = make_household(region.raa, "Leaver", events=TO_STAGE_2)
    # A correction needs a reason.
    last = household.events.get(kind="stage_2_started")
    url = reverse("adopters:correct-event", args=[household.pk, last.pk])
    response = client.post(url, {"action": "withdraw", "reason": ""})
    assert b"There is a problem" in response.content
    response = client.post(url, {"action": "withdraw", "reason": "Recorded on the wrong household"}, follow=True)
    assert b"The event has been withdrawn." in response.content
    household.refresh_from_db()
    assert household.stage == "stage_1_complete"
    # The household withdraws: closed with a reason from the list.
    response = event(client, household, "closed", date(2025, 8, 1))
    assert b"There is a problem" in response.content
    response = event(client, household, "closed", date(2025, 8, 1), reason="withdrew", note="Moving abroad")
    assert b"Household closed or withdrew has been recorded." in response.content
    household.refresh_from_db()
    assert household.stage == "closed"
    assert "Leaver" not in client.get(reverse("adopters:pipeline")).content.decode()
    assert "Leaver" in client.get(reverse("adopters:pipeline") + "?include_closed=on").content.decode()


def test_pipeline_filters_and_timescales(client, region, today):
    manager = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    make_household(region.raa, "Latecomer", roi=date(2025, 8, 1))  # ROI decision overdue
    fresh = make_household(region.raa, "Freshstart", roi=date(2025, 9, 1))
    fast = make_household(region.raa, "Quicktrack", events=TO_STAGE_2[:1], fast_track=True)
    services.set_target_panel_date(actor=None, household=fresh, target=date(2026, 1, 15))
    client.force_login(manager)
    red = client.get(reverse("adopters:pipeline") + "?rag=red").content.decode()
    assert "Latecomer" in red and "Freshstart" not in red
    green = client.get(reverse("adopters:pipeline") + "?rag=green").content.decode()
    assert "Freshstart" in green and "Latecomer" not in green
    fast_only = client.get(reverse("adopters:pipeline") + "?fast_track=on").content.decode()
    assert "Quicktrack" in fast_only and "Latecomer" not in fast_only
    assert "Freshstart" in client.get(reverse("adopters:pipeline") + f"?q=H{fresh.pk:06d}").content.decode()
    assert "Freshstart" in client.get(reverse("adopters:pipeline") + "?q=alex").content.decode()
    # A reference too long to be one is a name search, not a 500 (the API already said so; one filter now).
    assert client.get(reverse("adopters:pipeline") + "?q=H" + "9" * 30).status_code == 200
    page = client.get(reverse("adopters:timescales")).content.decode()
    assert page.index("Latecomer") < page.index("Freshstart")
    assert "No target panel date" in page
    assert fast.stage == "registered"


def test_capacity_profile(client, region, sw, today):
    household = make_household(region.raa, "Capable", events=TO_STAGE_2)
    url = reverse("adopters:capacity", args=[household.pk])
    form = client.get(url).content.decode()
    assert "Needs they can meet" in form
    data = {"children_min": "1", "children_max": "2", "age_min_years": "0", "age_max_years": "6", "sexes": "any",
            "heritages": ["WBRI", "MWBC"], "letterbox_contact": "on", "max_distance_miles": "50",
            **{f"need_{c.code}": "none" for c in NeedCategory.objects.all()}, "need_learning": "moderate"}
    response = client.post(url, {**data, **current_version(client, url)})
    assert b"There is a problem" in response.content and b"sibling groups: tick it" in response.content
    response = client.post(url, {**data, "sibling_groups": "on", **current_version(client, url)}, follow=True)
    assert b"The capacity profile has been saved." in response.content
    household.capacity.refresh_from_db()
    assert household.capacity.heritages == ["WBRI", "MWBC"] and household.capacity.children_max == 2
    assert household.capacity.needs.get(category__code="learning").level == "moderate"
    assert b"Moderate (Medium)" in response.content


def test_pipeline_queries_do_not_grow_with_rows(client, region, sw, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("adopters:pipeline")).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        make_household(region.raa, f"Bulk{n}", events=TO_STAGE_2[:2])
    few = count()
    for n in range(3, 15):
        make_household(region.raa, f"Bulk{n}", events=TO_STAGE_2[:2])
    assert count() == few
    assert client.get(reverse("adopters:pipeline")).content.decode().count("Bulk14") == 2  # name and applicant


def test_every_past_panel_is_reachable_a_page_at_a_time_latest_first(client, region):
    import re
    from datetime import timedelta

    from permanence.adopters.views_panels import PAST_PER_PAGE

    today = services.today()
    for n in range(1, PAST_PER_PAGE + 7):  # 30 past panels, a week apart, and one to come
        services.create_panel(actor=None, raa=region.raa, date=today - timedelta(days=7 * n))
    services.create_panel(actor=None, raa=region.raa, date=today + timedelta(days=7))
    client.force_login(region.user(Role.PANEL_ADVISER))

    def past_dates(page):
        html = client.get(reverse("adopters:panel-list"), {"page": page}).content.decode()
        table = html.split('id="past"')[1].split("</table>")[0]
        return [int(pk) for pk in re.findall(r'href="/adopters/panels/(\d+)/"', table)], html

    first, html = past_dates(1)
    second, html2 = past_dates(2)
    panels = list(region.raa.panels.filter(date__lt=today).order_by("-date").values_list("pk", flat=True))
    assert first == panels[:PAST_PER_PAGE] and second == panels[PAST_PER_PAGE:]
    assert "Showing 1 to 24 of 30" in html and "Showing 25 to 30 of 30" in html2
    assert 'id="upcoming"' in html2  # the panels to come stay on every page
