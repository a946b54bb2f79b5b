"""Reading SSDA903 files: CSV tables (recognised by their header set, never by file name) and XML.

Pure Python. Nothing here raises on bad input: every problem becomes a Finding with the file, row
and field it is about. Rows keep their values as stripped strings ('' for blank), upper-cased codes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from sys import intern

from defusedxml import ElementTree as SafeET  # noqa: I001 - the XML parser that refuses entity expansion
from defusedxml.common import DefusedXmlException

from permanence.interchange.ssda903 import tables as T

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)  # slots: a large LA's return can carry 100,000s of DfE warnings
class Finding:
    severity: str  # ERROR blocks the upload; WARNING is shown and the import goes ahead
    message: str
    file: str = ""
    table: str = ""
    row: int | None = None  # CSV: the line in the file (the header is line 1); XML: the CHILD record number
    field: str = ""
    child: str = ""
    rule: str = ""  # a DfE validation rule code, or '' for Permanence's own checks
    year: int | None = None

    @property
    def where(self) -> str:
        parts = [p for p in (self.file, self.table) if p]
        if self.row is not None:
            parts.append(f"{'record' if self.file.lower().endswith('.xml') else 'row'} {self.row}")
        if self.field:
            parts.append(self.field)
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"severity": self.severity, "message": self.message, "file": self.file, "table": self.table,
                "row": self.row, "field": self.field, "child": self.child, "rule": self.rule, "year": self.year}


@dataclass(slots=True)
class Row:
    table: str
    values: dict[str, str]
    file: str
    row: int

    @property
    def child(self) -> str:
        return self.values.get("CHILD", "")

    def date(self, name: str) -> date | None:
        return parse_date(self.values.get(name, ""))


@dataclass
class TableFile:
    file: str
    table: str
    rows: list[Row] = field(default_factory=list)
    year: int | None = None  # the collection year (named by the year it ends), once known
    stated_year: int | None = None  # a year the file itself states (XML header)


@dataclass
class Parsed:
    tables: list[TableFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value: str) -> date | None:
    """dd/mm/YYYY (the 903 format) or YYYY-MM-DD (XML). None if blank; ValueError if not a real date."""
    value = (value or "").strip()
    if not value:
        return None
    m = _DMY.match(value)
    if m:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _ISO.match(value[:10]) if len(value) in (10, 19) else None
    if m:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar date, no time
    raise ValueError(value)


def _decode(name: str, data: bytes) -> tuple[str | None, Finding | None]:
    head = data[:4096]
    if not data.strip():
        return None, Finding(ERROR, f"{name} is empty.", file=name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return None, Finding(ERROR, f"{name} is not a CSV or XML file (it looks like a binary or UTF-16 file). "
                                    "Export the 903 tables as CSV (UTF-8) or as the 903 XML.", file=name)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None, Finding(ERROR, f"{name} is not a CSV or XML file: it is not readable text. Export the 903 "
                                    "tables as CSV (UTF-8) or as the 903 XML.", file=name)
    if sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096]) < 0.95 * min(len(text), 4096):
        return None, Finding(ERROR, f"{name} is not a CSV or XML file: it is not readable text.", file=name)
    return text, None


HEAD = 4096  # the bytes looked at to tell what a file is, and how it is encoded


class _Reader(io.RawIOBase):
    """Any binary file-like (read, seek) as a raw stream a TextIOWrapper can decode as it reads: the file is
    read in chunks, never copied whole; closing the text wrapper leaves the file open."""

    def __init__(self, f):
        self.f = f

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.f.read(len(b))
        b[:len(data)] = data
        return len(data)


def _source(data) -> object:
    """A binary file-like for (name, data): bytes, a function opening the file, or an open binary file."""
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(data)
    if callable(data) and not hasattr(data, "read"):
        data = data()
        if isinstance(data, bytes | bytearray | memoryview):
            return io.BytesIO(data)
    return data


def parse_files(files: Iterable[tuple[str, object]]) -> Parsed:
    """Read every file; tables come back in the order given, with per-row and per-field findings.

    Each file is (name, bytes) or (name, a seekable binary file, or a function opening one). A CSV table is read
    row by row from its file (decoded as it is read), so neither the file's bytes nor its text is held whole.
    """
    out = Parsed()
    for name, data in files:
        try:
            _read_file(name, _source(data), out)
        except Exception as exc:  # noqa: BLE001 - never a traceback for bad input
            out.findings.append(Finding(ERROR, f"{name} could not be read ({type(exc).__name__}).", file=name))
    for tf in out.tables:
        _check_rows(tf, out.findings)
    return out


def _read_file(name: str, f, out: Parsed) -> None:
    head = f.read(HEAD)
    while len(head) < HEAD and (more := f.read(HEAD - len(head))):
        head += more
    if not head.strip():
        rest = f.read()  # nothing but blanks so far: look at the rest (a file of blanks is empty)
        head += rest
        if not rest.strip():
            out.findings.append(Finding(ERROR, f"{name} is empty.", file=name))
            return
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:HEAD]:
        out.findings.append(Finding(ERROR, f"{name} is not a CSV or XML file (it looks like a binary or UTF-16 "
                                           "file). Export the 903 tables as CSV (UTF-8) or as the 903 XML.",
                                    file=name))
        return
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):  # XML: parsed whole (below)
        text, problem = _decode(name, head + f.read())
        if problem:
            out.findings.append(problem)
        else:
            _read_xml(name, text, out)
        return
    findings, tables = len(out.findings), len(out.tables)
    for encoding in ("utf-8-sig", "cp1252"):
        if encoding == "cp1252":
            try:
                start = head[:HEAD].decode("cp1252")
            except UnicodeDecodeError:
                start = None
            if start is None:
                break
            if sum(ch.isprintable() or ch in "\r\n\t" for ch in start) < 0.95 * len(start):
                out.findings.append(Finding(ERROR, f"{name} is not a CSV or XML file: it is not readable text.",
                                            file=name))
                return
        f.seek(0)
        text = io.TextIOWrapper(io.BufferedReader(_Reader(f), buffer_size=1 << 20), encoding=encoding,
                                newline="")
        try:
            _read_csv(name, text, out)
            return
        except UnicodeDecodeError:  # not this encoding after all: what was read of it goes
            del out.findings[findings:], out.tables[tables:]
        finally:
            text.detach()
    out.findings.append(Finding(ERROR, f"{name} is not a CSV or XML file: it is not readable text. Export the 903 "
                                       "tables as CSV (UTF-8) or as the 903 XML.", file=name))


def _read_csv(name: str, text: Iterable[str], out: Parsed) -> None:
    # Row by row, as the file is read: its lines are never all held (only the rows kept, as Row values).
    reader = csv.reader(text)
    try:
        first = next(reader, None)
    except csv.Error as exc:
        out.findings.append(Finding(ERROR, f"{name} is not a readable CSV file: {exc}.", file=name))
        return
    if first is None:
        out.findings.append(Finding(ERROR, f"{name} is empty.", file=name))
        return
    header = [h.strip().upper() for h in first]
    while header and header[-1] == "":
        header.pop()
    table = T.BY_HEADER.get(frozenset(header)) if len(set(header)) == len(header) else None
    if table is None:
        best = max(T.TABLES, key=lambda t: len(set(T.TABLES[t]) & set(header)))
        overlap = set(T.TABLES[best]) & set(header)
        if len(overlap) < 2:
            out.findings.append(Finding(
                ERROR, f"{name} is not an SSDA903 table: its first row ({', '.join(header[:8]) or 'blank'}"
                       f"{'…' if len(header) > 8 else ''}) is not the header of any 903 table.", file=name, row=1))
        else:
            missing = [c for c in T.TABLES[best] if c not in header]
            extra = [c for c in header if c not in T.TABLES[best]]
            detail = "; ".join(p for p in (f"missing {', '.join(missing)}" if missing else "",
                                           f"unexpected {', '.join(extra)}" if extra else "",
                                           "a column appears twice" if len(set(header)) != len(header) else "")
                               if p)
            out.findings.append(Finding(
                ERROR, f"{name} looks like the {best} table but its headers are wrong ({detail}). "
                       f"The {best} headers are: {', '.join(T.TABLES[best])}.", file=name, table=best, row=1))
        return
    tf = TableFile(file=name, table=table)
    rows = []
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            while len(values) > len(header) and values[-1].strip() == "":
                values = values[:-1]
            if len(values) > len(header):
                out.findings.append(Finding(ERROR, f"Row {number} has {len(values)} values but the table has "
                                                   f"{len(header)} columns.", file=name, table=table, row=number))
                continue
            # Interned: a return repeats its codes, dates and child identifiers many times over.
            vals = {h: (intern(values[i].strip()) if i < len(values) else "") for i, h in enumerate(header)}
            rows.append(Row(table, vals, name, number))
    except csv.Error as exc:
        out.findings.append(Finding(ERROR, f"{name} is not a readable CSV file: {exc}.", file=name))
        return
    tf.rows = rows
    out.tables.append(tf)


_XML_RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}
_XML_NESTED = {"EPISODE": "Episodes", "AREVIEW": "Reviews", "AMISSING": "Missing", "OC2": "OC2",
               "PERMANENCE": "PrevPerm", "AD_PLACED": "PlacedAdoption"}


def _leaves(element) -> dict[str, str]:
    return {_XML_RENAME.get(node.tag, node.tag): (node.text or "").strip() for node in element if len(node) == 0}


def _read_xml(name: str, text: str, out: Parsed) -> None:
    try:
        root = SafeET.fromstring(text)
    except DefusedXmlException:
        out.findings.append(Finding(ERROR, f"{name}: XML with entity declarations is refused.", file=name))
        return
    except SafeET.ParseError as exc:
        out.findings.append(Finding(ERROR, f"{name} is not well-formed XML ({exc}).", file=name))
        return
    stated = None
    for tag in ("Year", "YEAR", "CollectionYear", "COLLECTIONYEAR"):
        node = root.find(f".//{tag}")
        if node is not None and (node.text or "").strip().isdecimal():
            stated = int(node.text.strip())
            break
    records = [c for c in root.iter("CHILD") if len(c)]
    if not records:
        out.findings.append(Finding(ERROR, f"{name} is XML but not an SSDA903 return: it has no CHILD records.",
                                    file=name))
        return
    by_table: dict[str, TableFile] = {}

    def add(table: str, values: dict[str, str], number: int) -> None:
        tf = by_table.setdefault(table, TableFile(file=name, table=table, stated_year=stated))
        tf.rows.append(Row(table, {c: values.get(c, "").strip().upper() if c not in T.DATE_FIELDS.get(table, ())
                                   else values.get(c, "").strip() for c in T.TABLES[table]}, name, number))

    for number, record in enumerate(records, start=1):
        top = _leaves(record)
        add("Header", top, number)
        if top.get("DATE_INT") or top.get("DATE_MATCH"):
            add("AD1", top, number)
        if top.get("UASC") or top.get("DUC"):
            add("UASC", top, number)
        if top.get("IN_TOUCH"):
            add("OC3", top, number)
        for node in record.iter():
            table = _XML_NESTED.get(node.tag)
            if table:
                add(table, {**top, **_leaves(node)}, number)
    out.tables.extend(by_table[t] for t in T.TABLES if t in by_table)


def _check_rows(tf: TableFile, findings: list[Finding]) -> None:
    """Blank required fields, broken dates and unknown codes, per row and field. Bad rows are dropped."""
    kept = []
    for row in tf.rows:
        ok = True
        for name, raw in row.values.items():
            limit = T.MAX_LENGTHS.get(name, T.MAX_LENGTH_OTHERWISE)
            if len(raw) > limit:
                what = "record" if tf.file.lower().endswith(".xml") else "row"
                findings.append(Finding(ERROR, f"{name} in {what} {row.row} is longer than {limit} characters.",
                                        file=tf.file, table=tf.table, row=row.row, field=name,
                                        child=row.child[:40]))
                ok = False
        if not ok:
            continue
        for name in T.REQUIRED.get(tf.table, ()):
            if not row.values.get(name):
                findings.append(Finding(ERROR, f"{name} is blank: the {tf.table} table needs it on every row.",
                                        file=tf.file, table=tf.table, row=row.row, field=name, child=row.child))
                ok = False
        for name in T.DATE_FIELDS.get(tf.table, ()):
            raw = row.values.get(name, "")
            try:
                parse_date(raw)
            except ValueError:
                findings.append(Finding(ERROR, f"{name} “{raw[:40]}” is not a date: write dates as dd/mm/yyyy.",
                                        file=tf.file, table=tf.table, row=row.row, field=name, child=row.child))
                ok = False
        for (table, name), codes in T.CODE_FIELDS.items():
            if table != tf.table:
                continue
            raw = intern(row.values.get(name, "").upper())
            row.values[name] = raw
            if raw and raw not in codes:
                shown = ", ".join(sorted(codes))
                findings.append(Finding(ERROR, f"{name} “{raw[:20]}” is not a 903 code (expected one of {shown}).",
                                        file=tf.file, table=tf.table, row=row.row, field=name, child=row.child))
                ok = False
        if ok:
            kept.append(row)
    tf.rows = kept
