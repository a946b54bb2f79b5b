"""The pages through the test client: a plan and its services, an application from draft to payment with the
limit's warning before submission, the pack without identifying details, the lists' filters and downloads."""

from datetime import date

from django.urls import reverse

from permanence.core.models import ExportLog
from permanence.organisations.models import Role
from permanence.support_fund.models import FundApplication, SupportProvider

from .helpers import application, make_case, make_provider


def _date(prefix, d):
    return {f"{prefix}_day": d.day, f"{prefix}_month": d.month, f"{prefix}_year": d.year}


def test_a_plan_and_its_services_from_the_case(client, region, today):
    case = make_case(region.raa)
    provider = make_provider(region.raa)
    client.force_login(region.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    page = client.post(reverse("support_fund:plan-add", args=[case.pk]), {})
    assert "Enter the date the plan starts" in page.content.decode()
    page = client.post(reverse("support_fund:plan-add", args=[case.pk]),
                       {**_date("start_date", date(2025, 5, 6)), **_date("review_date", date(2025, 8, 6))})
    plan = case.plans.get()
    assert page.status_code == 302 and page.url == reverse("support_fund:plan", args=[case.pk, plan.pk])
    page = client.post(reverse("support_fund:service-add", args=[case.pk, plan.pk]), {
        "tier": "specialist", "description": "Theraplay", "provider": provider.pk,
        **_date("start_date", date(2025, 5, 6))})
    assert page.status_code == 302
    shown = client.get(reverse("support_fund:plan", args=[case.pk, plan.pk])).content.decode()
    assert "Theraplay" in shown and provider.name in shown
    assert "review-overdue" in shown  # review due 6 August 2025, today 1 September
    section = client.get(reverse("support_fund:case", args=[case.pk])).content.decode()
    assert "Review overdue" in section and "£3,000.00 of £3,000.00" in section


def test_an_application_shows_the_headroom_and_warns_before_submission(client, region, today):
    case = make_case(region.raa)
    application(case, "therapy", 2500, submitted=date(2025, 5, 1), decided=date(2025, 5, 20), decision="approved",
                approved=2500)
    client.force_login(region.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    form = client.get(reverse("support_fund:application-add", args=[case.pk])).content.decode()
    assert "£500.00 of £3,000.00" in form and "2025/26" in form
    page = client.post(reverse("support_fund:application-add", args=[case.pk]), {})
    body = page.content.decode()
    assert "Choose therapy or specialist assessment" in body and "Enter the amount requested" in body
    page = client.post(reverse("support_fund:application-add", args=[case.pk]), {
        "kind": "assessment", "amount_requested": "800", "description": "Sensory assessment"})
    draft = FundApplication.objects.get(case=case, submitted_on__isnull=True)
    assert page.url == reverse("support_fund:application", args=[draft.pk])
    detail = client.get(page.url).content.decode()
    assert "limit-warning" in detail and "£300.00 over the fair access limit for 2025/26" in detail
    submit = reverse("support_fund:application-submit", args=[draft.pk])
    assert "limit-warning" in client.get(submit).content.decode()
    refused = client.post(submit, _date("submitted_on", date(2025, 8, 1)))
    assert "Confirm you want to submit it" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.submitted_on is None
    done = client.post(submit, {**_date("submitted_on", date(2025, 8, 1)), "confirm_over_limit": "on",
                                "over_limit_reason": "Match funded by the LA"})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.over_limit and draft.submitted_on == date(2025, 8, 1)
    client.post(reverse("support_fund:application-decide", args=[draft.pk]), {
        **_date("decided_on", date(2025, 8, 20)), "decision": "approved", "amount_approved": "800"})
    client.post(reverse("support_fund:application-pay", args=[draft.pk]), {
        **_date("paid_on", date(2025, 8, 28)), "amount_paid": "800"})
    draft.refresh_from_db()
    assert draft.status.value == "paid"


def pdf_text(html: str) -> str:
    """The text WeasyPrint lays out on the PDF's pages (every text box of every page, the page margins' too)."""
    from weasyprint import HTML

    out = []
    for page in HTML(string=html).render().pages:
        for box in page._page_box.descendants():
            if hasattr(box, "text"):
                out.append(box.text)
    return " ".join(out)


def test_the_pack_has_no_identifying_details(client, region, today, monkeypatch):
    from permanence.core import pdf

    rendered = []
    real = pdf.render_to_string
    monkeypatch.setattr(pdf, "render_to_string", lambda *a, **k: rendered.append(real(*a, **k)) or rendered[-1])
    child = region.child(first_name="Marigold", last_name="Quenby", dob=date(2016, 11, 23))
    case = make_case(region.raa, child=child, family="Quenby")
    app = application(case, "therapy", 1500, submitted=date(2025, 6, 2))
    app.description = "Dyadic therapy for Marigold and her mother Mrs Quenby"
    app.save()
    client.force_login(region.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    response = client.get(reverse("support_fund:application-pack", args=[app.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(rendered) == 1
    text = pdf_text(rendered[0])
    assert case.reference in text and app.reference in text and "8 years" in text and "£1,500.00" in text
    for identifying in ("Marigold", "Quenby", "Jo ", "23/11/2016", "23 November 2016", "2016-11-23",
                        child.la_child_id):
        assert identifying not in text, identifying
    assert "[name removed]" in text
    assert ExportLog.objects.filter(what="support_fund.application_pack", format="pdf").exists()


def test_lists_filter_and_download(client, region, today):
    case = make_case(region.raa)
    application(case, "therapy", 100, submitted=date(2025, 6, 2))
    application(case, "assessment", 200, submitted=date(2024, 6, 2), decided=date(2024, 6, 20), decision="declined")
    make_provider(region.raa, "Alpha Groups", tier="universal")
    make_provider(region.raa, "Beta Therapy", tier="specialist", end=date(2025, 3, 31))
    client.force_login(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    url = reverse("support_fund:applications")
    assert client.get(url, {"status": "declined"}).content.decode().count("ASF0") == 1
    assert client.get(url, {"year": "2025", "kind": "therapy"}).content.decode().count("ASF0") == 1
    assert "No applications match these filters." in client.get(url, {"year": "2025", "kind": "assessment"}
                                                                ).content.decode()
    csv = b"".join(client.get(reverse("support_fund:applications-export-csv"), {"status": "submitted"})
                   .streaming_content).decode()
    assert csv.count("\n") == 2 and "Submitted, awaiting a decision" in csv
    providers = client.get(reverse("support_fund:providers"), {"in_force": "on"}).content.decode()
    assert "Alpha Groups" in providers and "Beta Therapy" not in providers
    xlsx = client.get(reverse("support_fund:providers-export-xlsx"), {"tier": "specialist"})
    assert xlsx.status_code == 200
    assert ExportLog.objects.filter(what="support_fund.providers", row_count=1).exists()


def test_provider_pages_validate(client, region, today):
    client.force_login(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    page = client.post(reverse("support_fund:provider-add"), {}).content.decode()
    assert "Enter the provider&#x27;s name" in page and "govuk-error-summary" in page
    done = client.post(reverse("support_fund:provider-add"), {"name": "Gamma", "services": "Groups",
                                                               "tier": "targeted"})
    provider = SupportProvider.objects.get(name="Gamma")
    assert done.url == reverse("support_fund:provider", args=[provider.pk])
    page = client.post(reverse("support_fund:commission-add", args=[provider.pk]), {
        "description": "Groups", **_date("start_date", date(2025, 4, 1)), **_date("end_date", date(2025, 3, 1)),
        "outcome": "ongoing"}).content.decode()
    assert "must be the same as or after the date it starts" in page


def test_the_limit_page(client, region, today):
    client.force_login(region.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    page = client.get(reverse("support_fund:limits")).content.decode()
    assert "£3,000 a child a year, specialist assessments included, no match funding" in page
    assert "Record a limit" not in page
    assert client.post(reverse("support_fund:limits"), {"financial_year": 2026}).status_code == 403
    client.force_login(region.staff[("NR", Role.SYSTEM_ADMINISTRATOR)])
    done = client.post(reverse("support_fund:limits"), {"financial_year": "2026", "combined_limit": "3200",
                                                         "source": "Guidance 2026/27"})
    assert done.status_code == 302
    assert "£3,200 a child a year" in client.get(reverse("support_fund:limits")).content.decode()


def test_the_application_page_offers_the_next_step(client, region, today):
    case = make_case(region.raa)
    draft = application(case, "therapy", 100)
    submitted = application(case, "therapy", 100, submitted=date(2025, 6, 2))
    approved = application(case, "therapy", 100, submitted=date(2025, 6, 2), decided=date(2025, 6, 9),
                           decision="approved", approved=100)
    client.force_login(region.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    for app, step in ((draft, "application-submit"), (submitted, "application-decide"), (approved, "application-pay")):
        page = client.get(reverse("support_fund:application", args=[app.pk])).content.decode()
        assert reverse(f"support_fund:{step}", args=[app.pk]) in page, step
    late = client.get(reverse("support_fund:application", args=[submitted.pk])).content.decode()
    assert "decision-late" in late  # due 20 working days after 2 June 2025, today 1 September
