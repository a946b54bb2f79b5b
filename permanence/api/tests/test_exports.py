"""Exports: the children list as CSV/XLSX and a child's record as PDF. Permission, scope, escaping, logging."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from permanence import access
from permanence.core import exports
from permanence.core.models import ExportLog
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY, each_case

USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]


@pytest.fixture
def world(region):
    own = region.child(region.la, first_name="Ownchild", events=[*PLACEMENT_ORDER_JOURNEY,
                                                                 ("placement_order", date(2024, 9, 4))])
    sister_la = region.child(region.la_keeps, first_name="=HYPERLINK(\"http://x\")", last_name="+Sister",
                             events=PLACEMENT_ORDER_JOURNEY)
    other = region.child(region.other_la, first_name="Otherchild", events=PLACEMENT_ORDER_JOURNEY)
    return region, own, sister_la, other


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("value", ["=1+2", "+44 7700", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_is_escaped(value):
    assert exports.safe_cell(value) == "'" + value


def test_ordinary_values_are_kept():
    assert exports.safe_cell("Smith") == "Smith"
    assert exports.safe_cell(-3) == -3 and exports.safe_cell(None) == ""
    assert exports.safe_cell(date(2024, 1, 2)) == date(2024, 1, 2)


def test_export_access_matrix(client, world):
    def check(code, role):
        region, own, sister_la, other = world
        user = region.staff[(code, role)]
        client.force_login(user)
        allowed = access.can_export(user)
        for name in ("children:export-csv", "children:export-xlsx"):
            assert client.get(reverse(name)).status_code == (200 if allowed else 404), name
        for child in (own, sister_la, other):
            sees = access.children_visible_to(user).filter(pk=child.pk).exists()
            response = client.get(reverse("children:pdf", args=[child.pk]))
            assert response.status_code == (200 if allowed and sees else 404)
        # The page offers the links only to those who may use them.
        if access.can_see_child_records(user):
            assert (b'id="export-links"' in client.get(reverse("children:list")).content) == allowed
        visible = access.children_visible_to(user).filter(pk__in=[own.pk, sister_la.pk, other.pk]).count()
        assert ExportLog.objects.filter(user=user).count() == (2 + visible if allowed else 0)  # every file is logged

    each_case(USERS, check, client=client)


def test_csv_export_has_the_list_pages_scope_filters_and_escaping(client, world):
    region, own, sister_la, other = world
    manager = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    client.force_login(manager)
    response = client.get(reverse("children:export-csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="children-')
    rows = read_csv(response)
    assert rows[0][:3] == ["Reference", "LA code", "LA"]
    first_names = {r[4] for r in rows[1:]}
    assert first_names == {"Ownchild", "'=HYPERLINK(\"http://x\")"}  # never the other RAA's child
    assert {r[5] for r in rows[1:]} == {"Testcase", "'+Sister"}
    # The same filters as the page.
    filtered = read_csv(client.get(reverse("children:export-csv") + "?la=901&stage=placement_order"))
    assert [r[4] for r in filtered[1:]] == ["Ownchild"]
    log = ExportLog.objects.filter(user=manager).first()
    assert (log.what, log.format, log.row_count) == ("children.list", "csv", 1)
    assert log.filters["la"] == "901" and log.filters["stage"] == "placement_order"
    assert log.path == "/children/export.csv"  # the filters are in `filters`; the path keeps no query (issue 15)


def test_xlsx_export(client, world):
    region, own, sister_la, other = world
    officer = region.staff[("901", Role.DATA_OFFICER)]
    client.force_login(officer)
    response = client.get(reverse("children:export-xlsx"))
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference" and len(rows) == 2
    assert rows[1][4] == "Ownchild" and rows[1][1] == "901"
    assert ExportLog.objects.get(user=officer).format == "xlsx"


def test_formula_cells_stay_text_in_xlsx(client, world):
    region, *_ = world
    client.force_login(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    sheet = load_workbook(io.BytesIO(client.get(reverse("children:export-xlsx")).content)).active
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith(("=", "'="))]
    assert cells and all(c.data_type == "s" and c.value.startswith("'") for c in cells)


def test_child_record_pdf(client, world):
    region, own, *_ = world
    manager = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    client.force_login(manager)
    detail = client.get(reverse("children:detail", args=[own.pk]))
    assert reverse("children:pdf", args=[own.pk]).encode() in detail.content
    response = client.get(reverse("children:pdf", args=[own.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    log = ExportLog.objects.get(user=manager)
    assert (log.what, log.format, log.child_id, log.row_count) == ("children.record", "pdf", own.pk, 1)
    # A social worker may read the record on screen but not take it away as a file.
    worker = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    client.force_login(worker)
    assert reverse("children:pdf", args=[own.pk]).encode() not in client.get(
        reverse("children:detail", args=[own.pk])).content
    assert client.get(reverse("children:pdf", args=[own.pk])).status_code == 404


def test_export_log_is_append_only(client, world):
    region, *_ = world
    client.force_login(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    client.get(reverse("children:export-xlsx"))
    log = ExportLog.objects.get()
    from permanence.core.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        log.save()
    with pytest.raises(AppendOnlyError):
        ExportLog.objects.all().delete()
