"""A page's tables taken out as a file: an XLSX workbook (a sheet per table) or a PDF (a table after another),
logged as an export before the first byte leaves.

    return tables.download(request, fmt="pdf", what="blueprint.results", filename="blueprint-results",
                           title="Blueprint review results", notes=[...], tables=[Table(...), ...], filters={...})

The caller has checked its export permission in permanence.access and built the tables from what the page shows
(the same rows, so the file never says more than the page). Cells are escaped against formula injection
(exports.safe_cell). The PDF is core/tables_pdf.html (self-contained, inline CSS) through core.pdf.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from permanence.core import exports, pdf

FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name (first 31 characters) and the PDF's caption
    headers: Sequence[str]
    rows: Sequence[Sequence]
    numeric: frozenset[int] = field(default_factory=frozenset)  # columns right-aligned in the PDF
    empty: str = "Nothing to show."  # what the PDF says when there are no rows

    @property
    def text_rows(self) -> list[list[str]]:
        """The rows as the PDF prints them: dates the GOV.UK way ("3 April 2024"), blanks empty."""
        from permanence.core.templatetags.govuk import govuk_date

        return [[govuk_date(v, "") if isinstance(v, date) else ("" if v is None else str(v)) for v in row]
                for row in self.rows]


def _sheet_title(title: str, used: set[str]) -> str:
    name = "".join(c for c in title if c not in '[]:*?/\\')[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def xlsx_bytes(tables: Sequence[Table], notes: Sequence[str] = ()) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    if notes:
        about = workbook.create_sheet(title=_sheet_title("About", used))
        for line in notes:
            about.append([exports.safe_cell(line)])
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(table.title, used))
        sheet.append([exports.safe_cell(h) for h in table.headers])
        for row in table.rows:
            sheet.append([exports.safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(request: HttpRequest, *, fmt: str, what: str, filename: str, title: str, tables: Sequence[Table],
             notes: Sequence[str] = (), filters: dict | None = None) -> HttpResponse:
    """The tables as `fmt` (pdf or xlsx), logged in the export log (what, format, rows, filters, path)."""
    if fmt not in FORMATS:
        raise Http404("Not found")
    exports.log_export(user=request.user, what=what, fmt=fmt, row_count=sum(len(t.rows) for t in tables),
                       filters=filters, path=request.get_full_path())
    if fmt == "pdf":
        return pdf.pdf_response(request, "core/tables_pdf.html",
                                {"title": title, "notes": notes, "tables": tables}, filename=filename)
    response = HttpResponse(xlsx_bytes(tables, notes), content_type=exports.CONTENT_TYPES["xlsx"])
    return exports.attachment(response, f"{filename}-{timezone.localdate():%Y-%m-%d}.xlsx")


def urls(view, prefix: str, name: str) -> list:
    """`<prefix>.pdf` and `<prefix>.xlsx`, named `<name>-pdf` and `<name>-xlsx`, calling `view(request, fmt)`."""
    from django.urls import path

    return [path(f"{prefix}.{fmt}", view, {"fmt": fmt}, name=f"{name}-{fmt}") for fmt in FORMATS]
