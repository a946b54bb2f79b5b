"""core.tables: a page's tables as an XLSX workbook (a sheet each, cells escaped against formula injection) or a
PDF, logged as an export before the file leaves."""

import io
from datetime import date

import pytest
from django.http import Http404
from django.test import RequestFactory
from openpyxl import load_workbook

from permanence.core import tables
from permanence.core.models import ExportLog


def test_a_sheet_per_table_with_unique_short_names_and_escaped_cells():
    long = "A very long table title that goes on past the limit"
    book = load_workbook(io.BytesIO(tables.xlsx_bytes(
        [tables.Table(title=long, headers=["A", "B"], rows=[["=SUM(1)", 2], [date(2026, 3, 2), None]]),
         tables.Table(title=long, headers=["C"], rows=[])], notes=["@note"])))
    assert book.sheetnames == ["About", long[:31], long[:27] + " (2)"]
    assert [r for r in book["About"].iter_rows(values_only=True)] == [("'@note",)]
    rows = list(book[long[:31]].iter_rows(values_only=True))
    assert rows[0] == ("A", "B") and rows[1] == ("'=SUM(1)", 2) and rows[2][0].date() == date(2026, 3, 2)


def test_the_pdf_text_of_a_table():
    table = tables.Table(title="T", headers=["When", "n"], rows=[[date(2026, 3, 2), 3], [None, 0]])
    assert table.text_rows == [["2 March 2026", "3"], ["", "0"]]


def test_a_download_is_logged_and_an_unknown_format_is_404(region):
    user = region.staff[("NR", "raa_team_manager")]
    request = RequestFactory().get("/x/?a=1")
    request.user = user
    response = tables.download(request, fmt="xlsx", what="test.tables", filename="t", title="T",
                               tables=[tables.Table(title="T", headers=["h"], rows=[[1], [2]])], filters={"a": "1"})
    assert response["Content-Disposition"].startswith('attachment; filename="t-')
    log = ExportLog.objects.get(what="test.tables")
    assert (log.format, log.row_count, log.filters, log.path) == ("xlsx", 2, {"a": "1"}, "/x/")  # no query in the path (issue 15)
    with pytest.raises(Http404):
        tables.download(request, fmt="csv", what="test.tables", filename="t", title="T", tables=[])
    assert ExportLog.objects.count() == 1


def test_control_characters_are_dropped_from_every_spreadsheet_and_csv():
    """A spreadsheet cannot hold control characters (openpyxl refuses them): a name typed with one still exports."""
    from permanence.core import exports

    bad = "Bad\x06 name\x00\x1f\twith tab\nand line"
    workbook = load_workbook(io.BytesIO(tables.xlsx_bytes([tables.Table("T", ["Name"], [[bad]])])))
    assert workbook["T"]["A2"].value == "Bad name\twith tab\nand line"
    columns = [exports.Column("Name", lambda row: row)]
    listing = load_workbook(io.BytesIO(exports._xlsx_bytes([bad, "=SUM(A1)"], columns, "List")))
    assert [c.value for c in listing["List"]["A"]] == ["Name", "Bad name\twith tab\nand line", "'=SUM(A1)"]
    assert "\x06" not in exports.csv_bytes([bad], columns).decode()
