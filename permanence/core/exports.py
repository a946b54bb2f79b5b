"""Taking records out as files: lists as CSV or XLSX, one call per list page.

    return exports.export_response(request, rows=qs, columns=CHILD_COLUMNS, what="children.list",
                                   fmt="csv", filename="children", filters={...})

The caller has already checked `access.can_export(user)` and built `rows` through the scoped
selector (so the file holds exactly what the list page would show). This module escapes spreadsheet
formula injection, logs the export (ExportLog) before the first byte leaves, and streams CSV.

An export of more than PERMANENCE_EXPORT_JOB_ROWS rows is made by a background job instead (jobs/files.py):
the user is sent to the job's page, which shows the rows written and then a download link; the job replays
the same view, so its file is the one the immediate download would have been, and it is logged when made.
The job writes the file row by row (rows from `.iterator(chunk_size=2000)`) to a temporary file and keeps it
in parts of JobOutputPart's size, so its memory does not grow with the number of rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from permanence.core.models import ExportLog

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def urls(view, prefix: str = "", name: str = "export") -> list:
    """A list page's two downloads: `<prefix>export.csv` and `.xlsx`, named `<name>-csv` and `<name>-xlsx`,
    calling `view(request, fmt)`."""
    from django.urls import path

    return [path(f"{prefix}export.{fmt}", view, {"fmt": fmt}, name=f"{name}-{fmt}") for fmt in FORMATS]


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


# Control characters a spreadsheet file (XML 1.0) cannot hold: tab, line feed and carriage return are kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """A value ready for a spreadsheet cell: control characters (pasted or typed in, which a spreadsheet cannot
    hold) dropped, and text that could run as a formula given a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = CONTROL_CHARACTERS.sub("", str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_text(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def log_export(*, user, what: str, fmt: str, row_count: int, filters: dict | None = None, path: str = "",
               instance: Model | None = None, child_id: int | None = None) -> ExportLog:
    """One row of the export log. The path is kept without its query string and the filters with search
    terms as keyed hashes (audit.safe_filters), so the log never holds a name somebody typed."""
    from permanence.core import audit
    from permanence.jobs import files

    filters, path = audit.safe_filters(filters), audit.bare_path(path)

    fields = {"what": what, "fmt": fmt, "row_count": row_count, "filters": filters, "path": path,
              "instance": instance, "child_id": child_id}
    if files.defer_log(**fields):  # inside a job making the file: logged with the file, in one transaction
        return ExportLog(at=timezone.now(), user=user, what=what, format=fmt, filters=filters or {},
                         row_count=row_count, path=path[:300], child_id=child_id)
    return ExportLog.objects.create(
        at=timezone.now(), user=user, what=what, format=fmt, filters=filters or {}, row_count=row_count,
        object_type=instance._meta.label_lower if instance is not None else "",
        object_id=str(instance.pk) if instance is not None else "", child_id=child_id, path=path[:300],
    )


def _iterate(rows: Iterable) -> Iterator:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=2000)
    return iter(rows)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_bytes(rows: Iterable, columns: list[Column]) -> bytes:
    """The whole CSV file, as the streamed download sends it (UTF-8 with a byte-order mark)."""
    buffer = io.BytesIO()
    write_csv(rows, columns, buffer)
    return buffer.getvalue()


def _csv_stream(rows: Iterable, columns: list[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so Excel opens UTF-8 text as UTF-8
    yield writer.writerow([c.header for c in columns])
    for row in _iterate(rows):
        yield writer.writerow([_csv_text(c.value(row)) for c in columns])


def write_csv(rows: Iterable, columns: list[Column], out: BinaryIO) -> None:
    """The CSV file the streamed download sends, written to `out` row by row (UTF-8, as the download encodes
    each chunk): only the row being written is held."""
    for chunk in _csv_stream(rows, columns):
        out.write(chunk.encode("utf-8"))


def write_xlsx(rows: Iterable, columns: list[Column], title: str, out: BinaryIO) -> None:
    """The XLSX file, written to `out`: openpyxl's write-only workbook keeps each row in its own temporary file
    as it is appended (strings inline), so only the row being written is held."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    sheet.append([c.header for c in columns])
    for row in _iterate(rows):
        cells = []
        for c in columns:
            value = safe_cell(c.value(row))
            if isinstance(value, datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
            cells.append(value)
        sheet.append(cells)
    workbook.save(out)


def _xlsx_bytes(rows: Iterable, columns: list[Column], title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(rows, columns, title, buffer)
    return buffer.getvalue()


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export_response(request: HttpRequest, *, rows: Iterable, columns: list[Column], what: str, fmt: str,
                    filename: str, filters: dict | None = None) -> HttpResponse:
    """The rows as a CSV (streamed) or XLSX download, logged as an export by request.user; more than
    PERMANENCE_EXPORT_JOB_ROWS rows: a background job makes the file, and the user is sent to its page."""
    from permanence.jobs import files

    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    if isinstance(rows, QuerySet):
        count = rows.count()
    else:
        rows = list(rows)
        count = len(rows)
    if (queued := files.queue_export(request, filename=filename, fmt=fmt, count=count)) is not None:
        return queued
    log_export(user=request.user, what=what, fmt=fmt, row_count=count, filters=filters,
               path=request.get_full_path())
    stamped = f"{filename}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if (sink := files.active()) is not None:  # inside the job: the same file, written with progress
        # Written row by row from the streamed rows to a temporary file, which the job keeps in parts: neither
        # the rows nor the file are ever held whole in memory.
        out = sink.temporary_file()
        rows = sink.counted(rows, count)
        if fmt == "csv":
            write_csv(rows, columns, out)
        else:
            write_xlsx(rows, columns, filename, out)
        return sink.put_file(stamped, CONTENT_TYPES[fmt], out, rows=count)
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(rows, columns), content_type=CONTENT_TYPES["csv"])
    else:
        response = HttpResponse(_xlsx_bytes(rows, columns, title=filename), content_type=CONTENT_TYPES["xlsx"])
    return attachment(response, stamped)
