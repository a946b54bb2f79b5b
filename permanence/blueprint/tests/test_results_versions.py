"""The results choose one version of the template (the newest unless chosen) and never mix scores from different
versions, saying so; and the same results download as a PDF and a spreadsheet, logged as exports.

Hand computation: version 1 — North 2 and South 0 on domain 1 (mean 1.00, mode "0 and 2"); version 2 — North 3
and South 1 on domain 1 (mean 2.00, mode "1 and 3"), North 1 alone on domain 2 (mean 1.00, n 1)."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from permanence.blueprint import services
from permanence.core import pdf
from permanence.core.models import ExportLog
from permanence.organisations.models import Role

from .helpers import make_review


@pytest.fixture
def two_versions(client, region):
    make_review(region.raa, date(2025, 6, 1), {1: 2})
    make_review(region.other_raa, date(2025, 6, 2), {1: 0})
    v2 = services.add_version(actor=None, version=2, title="Blueprint 2026", valid_from=date(2026, 1, 1),
                              source="Synthetic", domains=[("Vision", ""), ("Leadership", ""), ("Voice", "")])
    for raa, on, scores in [(region.raa, date(2026, 5, 1), {1: 3, 2: 1}), (region.other_raa, date(2026, 5, 2), {1: 1})]:
        services.record_review(actor=None, raa=raa, version=v2, reviewed_on=on, reviewer="R", check_role=False,
                               scores={d: {"score": s} for d, s in scores.items()})
    client.force_login(region.staff[("NR", Role.RAA_QUALITY_LEAD)])
    return region


def _cells(page, row_id):
    row = re.search(rf'<tr class="govuk-table__row" id="{row_id}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_newest_version_by_default_and_never_mixed(client, two_versions):
    page = client.get(reverse("blueprint:results")).content.decode()
    assert _cells(page, "domain-1")[:3] == ["2.00", "1 and 3", "2"]
    assert _cells(page, "domain-2")[:3] == ["1.00", "1", "1"]
    assert 'id="domain-4"' not in page  # version 2 has three domains
    note = re.sub(r"\s+", " ", re.search(r'id="version-note">(.*?)</div>', page, re.S).group(1))
    assert "version 2 of the template" in note and "never mixed" in note
    assert "2 reviews in these dates were scored against another version and are not counted here" in note
    # North's previous review was against version 1: named, not compared.
    assert "was scored against version 1 of the template, so it is not compared" in page
    assert _cells(page, "against-1")[:6] == ["3", "1.00", "1", "1", "No earlier review", "–"]
    assert 'value="2" checked' in page or 'value="2" selected' in page


def test_choosing_an_older_version(client, two_versions):
    page = client.get(reverse("blueprint:results"), {"version": "1"}).content.decode()
    assert _cells(page, "domain-1")[:3] == ["1.00", "0 and 2", "2"]
    assert 'id="domain-17"' in page and "not the newest (version 2)" in page
    bad = client.get(reverse("blueprint:results"), {"version": "9"}).content.decode()
    assert "Choose a version of the template" in bad


def test_the_results_download_as_xlsx_and_pdf_and_are_logged(client, two_versions, monkeypatch):
    response = client.get(reverse("blueprint:results-xlsx"), {"version": "1"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Mean and mode per domain"].iter_rows(values_only=True))
    assert rows[0] == ("Domain", "Title", "Mean", "Mode", "n")
    assert rows[1][0] == 1 and Decimal(str(rows[1][2])) == Decimal("1.00") and rows[1][3:] == ("0 and 2", 2)
    assert rows[3][2:] == ("Not scored", "Not scored", 0) and len(rows) == 18
    against = list(book["North RAA against the others"].iter_rows(values_only=True))
    assert against[1][2:6] == ("2", 0, "0", 1)  # North 2; South alone: mean 0, mode 0, n 1
    about = " ".join(r[0] for r in book["About"].iter_rows(values_only=True))
    assert "Template version 1" in about and "never mixed" in about and "South RAA" not in about
    log = ExportLog.objects.get(what="blueprint.results")
    assert (log.format, log.filters["version"], log.row_count, log.user.username) == (
        "xlsx", 1, 34, "raa_quality_lead.NR")

    rendered = []
    real = pdf.render_to_string
    monkeypatch.setattr(pdf, "render_to_string", lambda *a, **k: rendered.append(real(*a, **k)) or rendered[-1])
    response = client.get(reverse("blueprint:results-pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = rendered[0]
    assert "Template version 2" in html and "2.00" in html and "1 and 3" in html and "South RAA" not in html
    assert ExportLog.objects.filter(what="blueprint.results", format="pdf", filters__version=2).exists()


def test_the_page_offers_the_downloads_to_those_who_may_take_them(client, two_versions):
    page = client.get(reverse("blueprint:results"), {"version": "1"}).content.decode()
    assert reverse("blueprint:results-pdf") + "?version=1" in page and reverse("blueprint:results-xlsx") in page
