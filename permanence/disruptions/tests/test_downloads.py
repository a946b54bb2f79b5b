"""The themes across learning reviews as a spreadsheet and a PDF: the same counts as the page (counted here by
hand), only the user's RAA's reviews, for the RAA's managers and quality lead, every download logged."""

import io
from datetime import date as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from permanence.core import pdf
from permanence.core.models import ExportLog
from permanence.disruptions import services
from permanence.disruptions.tests.helpers import review_of
from permanence.organisations.models import Role

PERIOD = {"start_day": 15, "start_month": 3, "start_year": 2024, "end_day": 31, "end_month": 12, "end_year": 2024}


@pytest.fixture
def reviews(region, today):
    review_of(region, region.la, region.raa, review_date=D(2024, 4, 1), codes=("matching", "preparation"))
    r2 = review_of(region, region.la_keeps, region.raa, review_date=D(2024, 5, 1), codes=("matching",))
    review_of(region, region.la, region.raa, review_date=D(2024, 3, 1), codes=("delay",))  # before the period
    review_of(region, region.other_la, region.other_raa, codes=("matching",))  # another RAA's
    owner = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    services.add_recommendation(actor=None, review=r2, text="a", owner=owner, due_date=D(2024, 6, 1), check_role=False)
    services.add_recommendation(actor=None, review=r2, text="b", owner=owner, due_date=None, check_role=False)
    return region


def test_the_themes_spreadsheet_has_the_pages_counts_and_is_logged(client, reviews):
    client.force_login(reviews.staff[("NR", Role.RAA_QUALITY_LEAD)])
    page = client.get(reverse("disruptions:themes"), PERIOD).content.decode()
    assert reverse("disruptions:themes-xlsx") + "?" in page
    response = client.get(reverse("disruptions:themes-xlsx"), PERIOD)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    factors = list(book["Contributing factors"].iter_rows(values_only=True))
    assert factors[0] == ("Factor", "Reviews", "Keepham", "Transferton")
    assert [r[1:] for r in factors[1:]] == [(2, 1, 1), (1, 0, 1)]  # matching; preparation (Delay is before)
    assert factors[1][0].startswith("Matching") and factors[2][0].startswith("Preparation")
    assert list(book["Recommendations"].iter_rows(values_only=True))[1:] == [
        ("Open", 2), ("of which overdue", 1), ("Done", 0)]
    log = ExportLog.objects.get(what="disruptions.themes")
    assert (log.format, log.row_count, log.filters) == ("xlsx", 5, {"start": "2024-03-15", "end": "2024-12-31"})


def test_the_themes_pdf(client, reviews, monkeypatch):
    rendered = []
    real = pdf.render_to_string
    monkeypatch.setattr(pdf, "render_to_string", lambda *a, **k: rendered.append(real(*a, **k)) or rendered[-1])
    client.force_login(reviews.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    response = client.get(reverse("disruptions:themes-pdf"), PERIOD)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = rendered[0]
    assert "2 learning review(s) held from 15 March 2024 to 31 December 2024" in html
    assert "Keepham" in html and "Delay" not in html and "Elsewhere" not in html
    assert ExportLog.objects.filter(what="disruptions.themes", format="pdf").exists()


def test_a_bad_period_downloads_nothing(client, reviews):
    client.force_login(reviews.staff[("NR", Role.RAA_QUALITY_LEAD)])
    bad = client.get(reverse("disruptions:themes-xlsx"), {"start_day": 40, "start_month": 1, "start_year": 2024})
    assert bad.status_code == 404 and not ExportLog.objects.exists()
