"""The complaints summary (the overdue list, themes counted, open and closed) as a spreadsheet and a PDF, for the
RAA's managers and complaints officer, logged; and the timescales the list page states come from the data.

Counted by hand, today Tuesday 24 March 2026: "First" (received Monday 2 March) was due 16 March, 6 working days
overdue (17, 18, 19, 20, 23, 24 March); "Second" (9 March) was due 23 March, 1 working day overdue."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from permanence.complaints import services
from permanence.core import pdf
from permanence.core.models import ExportLog
from permanence.organisations.models import Role
from permanence.timescales import services as timescale_services

from .helpers import make_complaint

TODAY = date(2026, 3, 24)


@pytest.fixture
def complaints(region, monkeypatch):
    from permanence.complaints import views

    monkeypatch.setattr(views, "today", lambda: TODAY)
    second = make_complaint(region.raa, received_on=date(2026, 3, 9), summary="Second", themes=["Delay"])
    first = make_complaint(region.raa, received_on=date(2026, 3, 2), summary="First Mrs Quenby said",
                           themes=["Delay", "Communication"])
    closed = make_complaint(region.raa, received_on=date(2026, 3, 3), summary="Third", themes=["Delay"])
    services.close_complaint(actor=None, complaint=closed, outcome="upheld", on=date(2026, 3, 10), check_role=False)
    make_complaint(region.other_raa, received_on=date(2026, 3, 2), themes=["Delay"])  # another RAA's
    return region, first, second


def test_the_summary_spreadsheet(client, complaints):
    region, first, second = complaints
    client.force_login(region.staff[("NR", Role.COMPLAINTS_OFFICER)])
    assert reverse("complaints:summary-xlsx") in client.get(reverse("complaints:list")).content.decode()
    response = client.get(reverse("complaints:summary-xlsx"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    overdue = list(book["Overdue"].iter_rows(values_only=True))
    assert overdue[0] == ("Complaint", "Received", "Made by", "Stage", "Was due", "Working days overdue")
    assert [(r[0], r[1].date(), r[3], r[4].date(), r[5]) for r in overdue[1:]] == [
        (f"Complaint {first.pk}", date(2026, 3, 2), "Stage 1: local resolution", date(2026, 3, 16), 6),
        (f"Complaint {second.pk}", date(2026, 3, 9), "Stage 1: local resolution", date(2026, 3, 23), 1)]
    assert list(book["Themes"].iter_rows(values_only=True))[1:] == [("Delay", 3), ("Communication", 1)]
    counts = dict(list(book["Open and closed"].iter_rows(values_only=True))[1:])
    assert counts["Open"] == 2 and counts["Closed: upheld"] == 1 and counts["Closed: not upheld"] == 0
    text = " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
    assert "Quenby" not in text  # no complainant's words leave in the summary
    log = ExportLog.objects.get(what="complaints.summary")
    assert (log.format, log.filters, log.user.username) == ("xlsx", {"on": "2026-03-24"}, "complaints_officer.NR")


def test_the_summary_pdf(client, complaints, monkeypatch):
    region, first, _second = complaints
    rendered = []
    real = pdf.render_to_string
    monkeypatch.setattr(pdf, "render_to_string", lambda *a, **k: rendered.append(real(*a, **k)) or rendered[-1])
    client.force_login(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    response = client.get(reverse("complaints:summary-pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = rendered[0]
    assert f"Complaint {first.pk}" in html and "16 March 2026" in html and "2 open, 2 overdue" in html
    assert "Stage 1 (local resolution) response: 10 working days" in html
    assert ExportLog.objects.filter(what="complaints.summary", format="pdf").exists()


def test_the_list_page_states_the_timescales_in_force(client, complaints):
    region = complaints[0]
    client.force_login(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    page = client.get(reverse("complaints:list")).content.decode()
    assert "Stage 1 (local resolution) response: 10 working days" in page
    assert "Stage 3 review panel&#x27;s findings: 5 working days" in page
    assert "Closed: upheld</dt><dd class=\"govuk-summary-list__value\">1<" in page
    timescale_services.set_timescale(actor=None, key="complaint_stage_1", amount=15, unit="working_days",
                                     valid_from=date(2026, 3, 20), source="Local procedure (synthetic)")
    page = client.get(reverse("complaints:list")).content.decode()
    assert "Stage 1 (local resolution) response: 15 working days" in page
