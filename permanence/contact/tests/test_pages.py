"""The pages through the test client: the landing page's three lists, a letterbox exchange through its steps
with GOV.UK error messages, a review, an offer, and the exports."""

from datetime import date

from django.urls import reverse

from permanence.contact.models import ContactPlan
from permanence.core.models import ExportLog

from .conftest import ADOPTED


def signed_in(client, world, role="raa_support_worker"):
    client.force_login(world.user(role))
    return client


def test_the_landing_page_lists_overdue_exchanges_reviews_and_offers(client, world):
    waiting = world.child(events=[("entered_care", date(2025, 1, 6)), ("permanence_plan", date(2026, 2, 2))],
                          first_name="Wyn")
    page = signed_in(client, world).get(reverse("contact:home")).content.decode()
    assert page.count("Overdue to arrive") == 2 and world.exchange.reference in page
    assert "No contact reviews are overdue." in page
    assert waiting.full_name in page and "Take-up of birth relatives' support: 100% (1 accepted of 1 offered)" \
        in page


def test_empty_states(client, region, today):
    page = signed_in(client, region).get(reverse("contact:home")).content.decode()
    for text in ("No letterbox exchanges are overdue.", "No contact reviews are overdue.",
                 "No birth parents are waiting for an offer of support.", "no offers recorded yet"):
        assert text in page
    assert "No letterbox exchanges are overdue." in client.get(reverse("contact:overdue")).content.decode()


def test_an_exchange_through_received_read_redacted_forwarded(client, world):
    signed_in(client, world)
    x = world.exchange
    page = client.get(reverse("contact:exchange", args=[x.pk])).content.decode()
    assert "Record received" in page and "Record forwarded" not in page
    step = reverse("contact:exchange-step", args=[x.pk, "received"])
    missing = client.post(step, {"notes": ""}).content.decode()
    assert "There is a problem" in missing and "Enter the date the exchange was received" in missing
    future = client.post(step, {"on_day": "17", "on_month": "3", "on_year": "2026"}).content.decode()
    assert "The date it was received must be today or in the past" in future
    assert client.post(step, {"on_day": "9", "on_month": "3", "on_year": "2026"}).status_code == 302
    early = client.post(reverse("contact:exchange-step", args=[x.pk, "read"]),
                        {"on_day": "8", "on_month": "3", "on_year": "2026"}).content.decode()
    assert "The date it was read must be on or after the date it was received" in early
    client.post(reverse("contact:exchange-step", args=[x.pk, "read"]), {"on_day": "10", "on_month": "3", "on_year": "2026"})
    no_reason = client.post(reverse("contact:exchange-step", args=[x.pk, "redacted"]),
                            {"on_day": "10", "on_month": "3", "on_year": "2026"}).content.decode()
    assert "Enter the reason for the redaction" in no_reason
    client.post(reverse("contact:exchange-step", args=[x.pk, "redacted"]),
                {"on_day": "11", "on_month": "3", "on_year": "2026", "reason": "The family's new town"})
    response = client.post(reverse("contact:exchange-step", args=[x.pk, "forwarded"]),
                           {"on_day": "12", "on_month": "3", "on_year": "2026"}, follow=True)
    page = response.content.decode()
    assert "The exchange has been recorded as forwarded." in page and 'id="status">Forwarded' in page
    assert "The family&#x27;s new town" in page
    x.refresh_from_db()
    assert (x.received_on, x.read_on, x.redacted_on, x.forwarded_on) == (
        date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12))


def test_a_review_sets_the_next_due_date_on_the_childs_page(client, world):
    signed_in(client, world, "raa_team_manager")
    response = client.post(reverse("contact:record-review", args=[world.north.pk]),
                           {"held_on_day": "29", "held_on_month": "2", "held_on_year": "2024", "outcome": "continue"})
    assert "The review must be on or after the adoption order" in response.content.decode()
    response = client.post(reverse("contact:record-review", args=[world.north.pk]),
                           {"held_on_day": "2", "held_on_month": "3", "held_on_year": "2026", "outcome": "continue"},
                           follow=True)
    assert "The next review is due on 2 March 2028." in response.content.decode()


def test_a_plan_and_an_arrangement_from_the_childs_page(client, world):
    child = world.child(events=ADOPTED, first_name="Cai")
    signed_in(client, world)
    page = client.get(reverse("contact:child", args=[child.pk])).content.decode()
    assert "No contact plan yet (adoption order 30 June 2025)." in page
    client.post(reverse("contact:create-plan", args=[child.pk]), {"notes": ""})
    plan = ContactPlan.objects.get(child=child)
    form = reverse("contact:add-arrangement", args=[child.pk])
    blank = client.post(form, {"kind": "letterbox", "with_name": "Gwen Testcase", "relationship": "grandparent",
                               "start_on_day": "1", "start_on_month": "7", "start_on_year": "2025"}).content.decode()
    assert "Enter how many times a year, or the months" in blank
    client.post(form, {"kind": "letterbox", "with_name": "Gwen Testcase", "relationship": "grandparent",
                       "months": "12", "day_of_month": "20", "letterbox_ways": "from_adopters",
                       "start_on_day": "1", "start_on_month": "7", "start_on_year": "2025"})
    # Scheduled a year ahead of today (16 March 2026), from the adopters only.
    assert list(plan.arrangements.get().exchanges.values_list("direction", "due_on")) == [
        ("from_adopters", date(2025, 12, 20)), ("from_adopters", date(2026, 12, 20))]
    page = client.get(reverse("contact:child", args=[child.pk])).content.decode()
    assert "Each December (day 20)" in page and "From the adopters only" in page


def test_an_offer_and_its_response_from_the_childs_page(client, world):
    child = world.child(events=[("entered_care", date(2025, 1, 6)), ("permanence_plan", date(2026, 2, 2))],
                        first_name="Wyn")
    signed_in(client, world)
    response = client.post(reverse("contact:record-offer", args=[child.pk]), {
        "relative_name": "Bryn Testcase", "relationship": "birth_father", "offered_on_day": "3", "offered_on_month": "2",
        "offered_on_year": "2026", "offered_by": "Birth Ties", "response": "declined"})
    assert "Enter the date the relative responded" in response.content.decode()
    client.post(reverse("contact:record-offer", args=[child.pk]), {
        "relative_name": "Bryn Testcase", "relationship": "birth_father", "offered_on_day": "3", "offered_on_month": "2",
        "offered_on_year": "2026", "offered_by": "Birth Ties", "response": "no_response"})
    page = client.get(reverse("contact:child", args=[child.pk])).content.decode()
    assert "Adoption became the plan on 2 February 2026." in page and "Bryn Testcase" in page
    assert child.full_name not in client.get(reverse("contact:to-offer")).content.decode()


def test_exports_are_logged_and_hold_the_list(client, world):
    signed_in(client, world)
    csv = b"".join(client.get(reverse("contact:overdue-export-csv")).streaming_content).decode()
    assert world.exchange.reference in csv and world.south_exchange.reference not in csv
    xlsx = client.get(reverse("contact:reviews-export-xlsx", ))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("contact:to-offer-export-csv")).status_code == 200
    assert list(ExportLog.objects.order_by("id").values_list("what", "format")) == [
        ("contact.overdue", "csv"), ("contact.reviews", "xlsx"), ("contact.to_offer", "csv")]


def test_reviews_due_and_overdue(client, world):
    from .helpers import contact_rows

    late = contact_rows(world.child(events=[("entered_care", date(2024, 1, 10))], first_name="Late"))["plan"]
    late.next_review_due = date(2026, 3, 15)  # yesterday
    late.save()
    signed_in(client, world)
    home = client.get(reverse("contact:home")).content.decode()
    assert "Late Testcase" in home and "Nia Testcase" not in home.split("Contact reviews overdue")[1].split(
        "Birth parents")[0]
    overdue = client.get(reverse("contact:reviews"), {"show": "overdue"}).content.decode()
    assert "Late Testcase" in overdue and "Nia Testcase" not in overdue
    every = client.get(reverse("contact:reviews"), {"show": "all"}).content.decode()
    assert "Late Testcase" in every and "Nia Testcase" in every  # Nia's is due 30 June 2026
    assert "Nia Testcase" not in client.get(reverse("contact:reviews")).content.decode()  # not within 90 days
