"""The adopted adults' pages through the test client: recording a request (GOV.UK errors), the waiting list in
triage order with its waits and chases, the list's filters and download, a step recorded from the request's
page, and its PDF."""

import csv
import io
import re
from datetime import date

from django.urls import reverse

from permanence.adopted_adults.models import AdultRequest
from permanence.adopted_adults.tests.conftest import make_request
from permanence.organisations.models import Role


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def test_recording_a_request_with_govuk_errors_then_saved(client, world):
    client.force_login(world.worker)
    url = reverse("adopted_adults:create")
    page = client.post(url, {"first_name": ""}).content.decode()
    for message in ("Choose what the adopted adult is asking for.", "Enter the date the request was received.",
                    "Choose how they contacted the RAA.", "Enter their first name.", "Enter their last name.",
                    "Enter their date of birth."):
        assert message in page
    assert "govuk-error-summary" in page and "This field is required" not in page
    data = {"request_type": "intermediary", **_date("received_on", date(2025, 8, 20)), "contact_method": "letter",
            "first_name": "Dora", "last_name": "Synthwell", **_date("date_of_birth", date(1949, 2, 1)),
            "adoption_year": "1950", "adoption_agency_name": "A former voluntary society",
            "worker": str(world.worker.pk), "email": "not-an-email"}
    assert "Enter an email address in the correct format" in client.post(url, data).content.decode()
    data["email"] = "dora@example.invalid"
    future = client.post(url, {**data, **_date("received_on", date(2025, 9, 2))}).content.decode()
    assert "cannot be in the future" in future, re.findall(r'error-message">(.*?)</', future, re.S)
    response = client.post(url, data)
    made = AdultRequest.objects.get(last_name="Synthwell")
    assert response.status_code == 302 and response.url == reverse("adopted_adults:detail", args=[made.pk])
    assert made.request_type == "intermediary" and made.worker == world.worker and made.stage == "received"


def test_the_waiting_list_in_triage_order_with_waits_and_chases(client, world):
    raa = world.raa
    make_request(raa, first_name="Newstandard", received=date(2025, 6, 2), steps=[
        ("triaged", date(2025, 6, 3), {"priority": "standard"})])
    make_request(raa, first_name="Untriaged", received=date(2025, 7, 1))
    make_request(raa, first_name="Illpriority", received=date(2025, 8, 1), steps=[
        ("triaged", date(2025, 8, 2), {"priority": "seriously_ill", "reason": "Terminal illness"})])
    make_request(raa, first_name="Interviewed", received=date(2025, 1, 2), steps=[
        ("triaged", date(2025, 1, 3), {"priority": "standard"}), ("first_interview", date(2025, 2, 1))])
    client.force_login(world.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("adopted_adults:waiting")).content.decode()
    table = page[page.index('id="waiting-list"'):]
    order = [n for n in re.findall(r"<td class=\"govuk-table__cell\">(\w+) Testperson</td>", table)]
    assert order == ["Illpriority", "Untriaged", "Ada", "Newstandard"]  # Interviewed is not waiting
    assert "182 waiting" in table  # Ada: 3 March to 1 September
    assert "Northshire County Council: chase" in table and "overdue since 3 Apr 2025" in table
    assert "1 request waiting longer than the target." in page
    assert "4 requests waiting on 1 September 2025." in page


def test_the_waiting_list_when_nobody_waits(client, region, today):
    client.force_login(region.user(Role.RAA_SUPPORT_WORKER))
    assert "No adopted adults are waiting for a first interview." in client.get(
        reverse("adopted_adults:waiting")).content.decode()


def test_the_list_filters_and_its_download(client, world):
    make_request(world.raa, kind="intermediary", first_name="Ivo")
    client.force_login(world.user(Role.RAA_TEAM_MANAGER))
    url = reverse("adopted_adults:list")
    assert "2 requests." in client.get(url).content.decode()
    filtered = client.get(url, {"request_type": "intermediary"}).content.decode()
    assert "1 request." in filtered and "Ivo" in filtered and "Ada" not in filtered
    assert "No requests match these filters." in client.get(url, {"stage": "closed"}).content.decode()
    assert "Ada" in client.get(url, {"worker": world.worker.pk, "priority": "standard"}).content.decode()
    response = client.get(reverse("adopted_adults:export-csv"), {"request_type": "access_records"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["Reference"] for r in rows] == [world.north.reference]
    assert rows[0]["Agencies' records outstanding"] == "1" and rows[0]["Days from request to first interview " \
                                                                     "(or waiting)"] == "182"


def test_a_step_from_the_request_page_and_its_correction(client, world):
    client.force_login(world.worker)
    north = world.north
    detail = client.get(reverse("adopted_adults:detail", args=[north.pk])).content.decode()
    assert "Records received from another agency" in detail and "Chase the records requested from Northshire" \
        in detail and "Days waiting for a first interview" in detail
    url = reverse("adopted_adults:record-event", args=[north.pk, "records_received"])
    form = client.get(url).content.decode()
    assert 'value="Northshire County Council"' in form
    assert "Choose the agency the records came from." in client.post(url, _date("date", date(2025, 4, 1))).content\
        .decode()
    response = client.post(url, {**_date("date", date(2025, 4, 1)), "agency": "Northshire County Council"})
    assert response.status_code == 302
    north.refresh_from_db()
    assert north.records_outstanding == 0 and north.chase_due is None
    triage = client.post(reverse("adopted_adults:record-event", args=[north.pk, "triaged"]),
                         {**_date("date", date(2025, 4, 2)), "priority": "very_elderly"}).content.decode()
    assert "Say why the request has priority" in triage
    event = north.events.get(kind="records_received")
    corrected = client.post(reverse("adopted_adults:correct-event", args=[north.pk, event.pk]),
                            {"action": "correct", **_date("date", date(2025, 4, 2)), "reason": "Arrived a day later"})
    assert corrected.status_code == 302, re.findall(r'govuk-error-message">(.*?)<', corrected.content.decode(), re.S)
    assert north.events.get(corrects=event).date == date(2025, 4, 2)
    timeline = client.get(reverse("adopted_adults:detail", args=[north.pk])).content.decode()
    assert "Agency: Northshire County Council" in timeline and "Arrived a day later" in timeline


def test_the_request_pdf(client, world):
    client.force_login(world.user(Role.RAA_HEAD_OF_SERVICE))
    response = client.get(reverse("adopted_adults:pdf", args=[world.north.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and world.north.reference in response["Content-Disposition"]


def test_the_lists_make_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.user(Role.RAA_TEAM_MANAGER))
    pages = [reverse("adopted_adults:waiting"), reverse("adopted_adults:list"),
             reverse("adopted_adults:detail", args=[world.north.pk])]
    counts = []
    for url in pages:
        with django_assert_max_num_queries(20) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for n in range(12):
        make_request(world.raa, first_name=f"More{n}", steps=[
            ("triaged", date(2025, 3, 5), {"priority": "standard"}),
            ("records_requested", date(2025, 3, 6), {"agency": f"Agency {n}"})])
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
