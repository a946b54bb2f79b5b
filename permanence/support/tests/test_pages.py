"""The support pages through the test client: the referral form's errors and a referral recorded, the waiting
list's order, waits, 16-week flag and interim offers, a step recorded and corrected, the case page's due dates."""

from datetime import date

from django.urls import reverse

from permanence.support import services
from permanence.support.models import SupportCase

from .conftest import TO_WAITING, TODAY, make_case


def test_referral_form_errors_and_a_referral_recorded(client, region, today):
    client.force_login(region.user("raa_support_worker"))
    url = reverse("support:new-referral")
    page = client.post(url, {"safeguarding": "yes"}).content.decode()
    for message in ("Enter the date the referral was made.", "Choose who the referral is about.",
                    "Enter the family&#x27;s name.", "Enter the reason for the referral."):
        assert message in page
    assert "govuk-error-summary" in page and "This field is required" not in page
    assert "Special guardianship" not in page  # the RAA does not offer it
    child = region.child(region.la, first_name="Held")
    data = {"referred_on_day": "2", "referred_on_month": "6", "referred_on_year": "2025", "referrer_type": "adoptive_family",
            "family_name": "The Ashdown family", "referrer_name": "Jo Ashdown", "reason": "Rages at home",
            "urgency": "urgent", "safeguarding": "yes", "child_reference": "P999999"}
    page = client.post(url, data).content.decode()
    assert "No child with that reference is held in your RAA" in page
    assert "Select the LA told of the safeguarding concern." not in page  # the form's own errors come first
    data["child_reference"] = child.reference
    page = client.post(url, data).content.decode()
    assert "Select the LA told of the safeguarding concern." in page and "Enter the date the LA was told." in page
    data.update(safeguarding_la=region.la.pk, safeguarding_told_on_day="3", safeguarding_told_on_month="6",
                safeguarding_told_on_year="2025")
    response = client.post(url, data)
    case = SupportCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("support:case", args=[case.pk])
    assert case.child == child and case.placing_la == region.la and case.urgency == "urgent"
    page = client.get(response.url).content.decode()
    assert "Record the duty outcome" in page and "9 June 2025" in page


def test_waiting_list_order_waits_flags_and_offers(client, region, today):
    worker = region.user("raa_support_worker")
    long_ago = make_case(region, family_name="Longest family", referred_on=date(2025, 1, 6), steps=[
        ("duty_outcome", date(2025, 1, 7), {"outcome": "for_assessment"}), ("assessment_requested", date(2025, 1, 8)),
        ("interim_support", date(2025, 2, 1), {"offered": "Parents' group"}),
        ("interim_support", date(2025, 3, 1), {"offered": "Psychology clinic"})])
    recent = make_case(region, family_name="Recent family", steps=TO_WAITING)
    urgent = make_case(region, family_name="Urgent family", urgency="urgent", referred_on=date(2025, 8, 1), steps=[
        ("duty_outcome", date(2025, 8, 1), {"outcome": "for_assessment"}), ("assessment_requested", date(2025, 8, 4))])
    make_case(region, family_name="Started family", steps=[
        *TO_WAITING, ("allocated", date(2025, 6, 5), {"worker": str(worker.pk)}),
        ("assessment_started", date(2025, 6, 9))])
    client.force_login(region.user("raa_team_manager"))
    page = client.get(reverse("support:waiting")).content.decode()
    assert page.index(urgent.reference) < page.index(long_ago.reference) < page.index(recent.reference)
    assert "Started family" not in page
    assert "236" in page  # 8 January to 1 September 2025
    assert page.count("16 weeks or more</strong>") == 1
    assert "Parents&#x27; group" in page and "Psychology clinic" in page
    filtered = client.get(reverse("support:waiting"), {"long_wait": "on"}).content.decode()
    assert long_ago.reference in filtered and recent.reference not in filtered
    assert "No families are waiting." in client.get(reverse("support:waiting"), {"urgency": "urgent",
                                                                                  "long_wait": "on"}).content.decode()
    xlsx = client.get(reverse("support:waiting-export-xlsx"))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = b"".join(client.get(reverse("support:waiting-export-csv")).streaming_content).decode()
    assert csv.index(urgent.reference) < csv.index(long_ago.reference) and "Psychology clinic" in csv


def test_steps_recorded_and_corrected_through_the_pages(client, region, today):
    case = make_case(region, steps=TO_WAITING)
    worker = region.user("raa_support_worker")
    client.force_login(worker)
    url = reverse("support:record-event", args=[case.pk, "allocated"])
    page = client.get(url).content.decode()
    assert f'value="{worker.pk}"' in page and f'value="{region.user("raa_family_finder").pk}"' not in page
    response = client.post(url, {"date_day": "10", "date_month": "6", "date_year": "2025", "worker": str(worker.pk)})
    assert response.status_code == 302
    page = client.post(reverse("support:record-event", args=[case.pk, "assessment_started"]),
                       {"date_day": "1", "date_month": "6", "date_year": "2025"}).content.decode()
    assert "cannot be recorded" in page  # before the allocation
    client.post(reverse("support:record-event", args=[case.pk, "assessment_started"]),
                {"date_day": "16", "date_month": "6", "date_year": "2025"})
    case.refresh_from_db()
    assert case.stage == "started" and case.worker == worker
    assert case.next_due_label == "Complete the assessment of need" and case.next_due_date == date(2025, 8, 11)
    started = case.events.get(kind="assessment_started")
    response = client.post(reverse("support:correct-event", args=[case.pk, started.pk]),
                           {"action": "correct", "date_day": "17", "date_month": "6", "date_year": "2025",
                            "reason": "Wrong day"})
    assert response.status_code == 302
    page = client.get(reverse("support:case", args=[case.pk])).content.decode()
    assert "Wrong day" in page and "12 August 2025" in page and f"Worker: {worker.get_full_name()}" in page
    assert services.today() == TODAY


def test_the_home_page_leads_to_every_part_of_adoption_support_and_the_case_page_shows_its_plans(client, region,
                                                                                               today):
    case = make_case(region, steps=TO_WAITING)
    client.force_login(region.user("raa_support_worker"))
    home = client.get(reverse("support:home")).content.decode()
    for name in ("support:waiting", "support:cases", "support_fund:applications", "support_fund:providers",
                 "adopted_adults:waiting", "contact:home"):
        assert f'href="{reverse(name)}"' in home, name
    page = client.get(reverse("support:case", args=[case.pk])).content.decode()
    assert 'id="support-plans-heading"' in page and 'id="fund-applications-heading"' in page
