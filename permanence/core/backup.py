"""Backups that restore: back up, restore and check a restored database against the original.

SQLite goes through Python's online backup API (safe while the site runs); PostgreSQL through
pg_dump/pg_restore in the custom format. `compare` reads two databases of the same engine table by table
(every model's table and the migrations table): row counts and a sha256 over the rows ordered by primary key,
and checks the audit trail (core_auditevent) is the same in both: same ids, no gaps introduced, same rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 (runs pg_dump/pg_restore from PATH with an argument list, no shell)
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import environ
from django.apps import apps
from django.db import connections
from django.db.utils import load_backend

AUDIT_TABLE = "core_auditevent"
MIGRATIONS_TABLE = "django_migrations"


class BackupError(Exception):
    """Something the person running the command can act on; said in one line."""


# Databases -----------------------------------------------------------------------------------------------

def settings_for(target: str) -> dict:
    """A database's settings from a database URL (postgres://…, sqlite:///…) or a SQLite file's path."""
    if "://" in target:
        cfg = environ.Env.db_url_config(target)
    else:
        cfg = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(target).resolve())}
    return connections.configure_settings({"default": cfg})["default"]


def open_connection(cfg: dict, alias: str = "other"):
    """A Django connection to a database that is not in settings (close it when done)."""
    return load_backend(cfg["ENGINE"]).DatabaseWrapper(cfg, alias)


def vendor_of(cfg: dict) -> str:
    engine = cfg["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgres" in engine:
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def _pg_env(cfg: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if cfg.get(key):
            env[var] = str(cfg[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client tools "
                          f"(Debian/Ubuntu: apt-get install postgresql-client).")
    return path


def _run(args: list[str], cfg: dict) -> None:
    done = subprocess.run(args, env=_pg_env(cfg), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        message = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()
        raise BackupError(f"{Path(args[0]).name} failed: {message[-1]}")


def is_empty(connection) -> bool:
    """True when the database has no tables of its own (a fresh file or a just-created database)."""
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


# Backup and restore --------------------------------------------------------------------------------------

def backup(connection, dest: str | Path) -> Path:
    """Back up the database behind `connection` (a Django connection) into `dest`."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    cfg = connection.settings_dict
    if vendor_of(cfg) == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run([_tool("pg_dump"), "--format=custom", "--file", str(dest), "--dbname", cfg["NAME"]], cfg)
    return dest


def restore(source: str | Path, cfg: dict, *, force: bool = False) -> None:
    """Restore the backup `source` into the database `cfg`; refuse a database that has tables unless forced."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    vendor = vendor_of(cfg)
    if vendor == "sqlite":
        with open(source, "rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} is not a SQLite backup.")
    conn = open_connection(cfg, "restore")
    try:
        if not force and not is_empty(conn):
            raise BackupError(f"The database {cfg['NAME']} is not empty: restoring would replace it. "
                              f"Use --force to replace it.")
    finally:
        conn.close()
    if vendor == "sqlite":
        Path(cfg["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        src, dst = sqlite3.connect(source), sqlite3.connect(cfg["NAME"])
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    else:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--dbname", cfg["NAME"],
              str(source)], cfg)


# Checking a restored database ----------------------------------------------------------------------------

@dataclass
class TableCheck:
    table: str
    rows: tuple[int | None, int | None]
    checksums: tuple[str | None, str | None]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def tables() -> list[tuple[str, list[str], str]]:
    """(table, columns, primary-key column) for every model's table and the migrations table, by table name."""
    found: dict[str, tuple[str, list[str], str]] = {
        MIGRATIONS_TABLE: (MIGRATIONS_TABLE, ["id", "app", "name", "applied"], "id")}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        columns = [f.column for f in opts.local_concrete_fields]
        found.setdefault(opts.db_table, (opts.db_table, columns, opts.pk.column))
    return [found[name] for name in sorted(found)]


def _normal(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return repr(value)


def _digest(connection, table: str, columns: list[str], pk: str, *, ids: bool = False):
    """(row count, sha256 over the rows ordered by primary key[, the ids]), or None if the table is missing."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)} ORDER BY {qn(pk)}")  # noqa: S608
        sha, count, seen = hashlib.sha256(), 0, []
        pk_at = columns.index(pk)
        while rows := cursor.fetchmany(2000):
            for row in rows:
                sha.update(json.dumps([_normal(v) for v in row], separators=(",", ":")).encode())
                sha.update(b"\n")
                if ids:
                    seen.append(row[pk_at])
            count += len(rows)
    return (count, sha.hexdigest(), seen) if ids else (count, sha.hexdigest())


def compare(original, restored) -> list[TableCheck]:
    """Compare two Django connections of the same engine table by table; the last check is the audit trail."""
    if original.vendor != restored.vendor:
        raise BackupError(f"Compare like with like: the configured database is {original.vendor}, "
                          f"the other is {restored.vendor}.")
    checks = []
    for table, columns, pk in tables():
        a, b = _digest(original, table, columns, pk), _digest(restored, table, columns, pk)
        check = TableCheck(table, (a and a[0], b and b[0]), (a and a[1], b and b[1]))
        if a is None or b is None:
            if a != b:
                check.problems.append("table missing in the " + ("original" if a is None else "restored copy"))
        else:
            if a[0] != b[0]:
                check.problems.append(f"{a[0]} rows in the original, {b[0]} in the restored copy")
            if a[1] != b[1]:
                check.problems.append("rows differ")
        checks.append(check)
    checks.append(audit_trail(original, restored))
    return checks


def audit_trail(original, restored) -> TableCheck:
    """The audit trail is unbroken: the same ids in order, no gaps the original lacks, same rows, same latest."""
    model = apps.get_model("core", "AuditEvent")
    columns = [f.column for f in model._meta.local_concrete_fields]
    a = _digest(original, AUDIT_TABLE, columns, "id", ids=True)
    b = _digest(restored, AUDIT_TABLE, columns, "id", ids=True)
    check = TableCheck("audit trail", (a and a[0], b and b[0]), (a and a[1], b and b[1]))
    if a is None or b is None:
        if a != b:
            check.problems.append("audit table missing in the " + ("original" if a is None else "restored copy"))
        return check
    ids_a, ids_b = a[2], b[2]
    if ids_a != ids_b:
        missing = sorted(set(ids_a) - set(ids_b))
        extra = sorted(set(ids_b) - set(ids_a))
        if missing:
            check.problems.append(f"{len(missing)} entries missing (first id {missing[0]})")
        if extra:
            check.problems.append(f"{len(extra)} entries not in the original (first id {extra[0]})")
    if _gaps(ids_b) - _gaps(ids_a):
        check.problems.append("gaps in the ids that the original does not have")
    latest_a, latest_b = (ids_a[-1] if ids_a else None), (ids_b[-1] if ids_b else None)
    if latest_a != latest_b:
        check.problems.append(f"latest id {latest_a} in the original, {latest_b} in the restored copy")
    if a[1] != b[1] and ids_a == ids_b:
        check.problems.append("entries differ")
    return check


def _gaps(ids: list[int]) -> set[tuple[int, int]]:
    """The runs of missing ids between the first and the last, as (first missing, last missing)."""
    return {(prev + 1, nxt - 1) for prev, nxt in zip(ids, ids[1:], strict=False) if nxt > prev + 1}
