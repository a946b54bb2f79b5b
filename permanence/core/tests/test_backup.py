"""Backup → restore → check-restore on the database the tests run on (SQLite, or PostgreSQL when DATABASE_URL
says so: then through pg_dump/pg_restore into a scratch database the test creates and drops)."""

import sqlite3
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from permanence.core import backup
from permanence.core.models import AuditEvent


def check(against):
    out, err = StringIO(), StringIO()
    try:
        call_command("check_restore", against=against, stdout=out, stderr=err)
    except SystemExit as e:
        return e.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def _line(output, table):
    return next(line for line in output.splitlines() if line.startswith(table + " "))


class Scratch:
    """Somewhere to restore into and a way to change a row there: a SQLite file, or a PostgreSQL database."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.target = str(tmp_path / "restored.sqlite3")
        else:
            cfg = connection.settings_dict
            self.name = f"permanence_restore_{uuid.uuid4().hex[:10]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else "")
            self.target = f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{self.name}"

    def execute(self, sql, params=()):
        if self.vendor == "sqlite":
            with sqlite3.connect(self.target) as db:
                db.execute(sql, params)
            return
        other = backup.open_connection(backup.settings_for(self.target))
        try:
            with other.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
        finally:
            other.close()

    def drop(self):
        if self.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def scratch(tmp_path, transactional_db):
    s = Scratch(tmp_path)
    yield s
    s.drop()


def test_backup_restore_check_round_trip(region, scratch, tmp_path):
    region.child()
    assert AuditEvent.objects.count() > 0
    dump = tmp_path / "permanence.backup"
    call_command("backup", str(dump), stdout=StringIO())
    if connection.vendor == "postgresql":
        assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    else:
        assert dump.read_bytes()[:16] == b"SQLite format 3\x00"

    call_command("restore", str(dump), to=scratch.target, stdout=StringIO())
    code, output = check(scratch.target)
    assert code == 0, output
    assert _line(output, "organisations_organisation").endswith(" ok")
    assert _line(output, "django_migrations").endswith(" ok")
    assert _line(output, "audit trail").endswith(" ok")

    # A restored database that is not empty is not replaced without --force.
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(dump), to=scratch.target, stdout=StringIO())

    # One changed row: check-restore fails and names the table.
    scratch.execute("UPDATE organisations_organisation SET name = ? WHERE id = ?", ["Changed", region.raa.pk])
    code, output = check(scratch.target)
    assert code == 1
    assert "DIFFERENT: rows differ" in _line(output, "organisations_organisation")
    assert _line(output, "audit trail").endswith(" ok")
    assert "1 of " in output and "organisations_organisation" in output.splitlines()[-1]

    # --force replaces it; then a missing audit entry breaks the audit trail.
    call_command("restore", str(dump), to=scratch.target, force=True, stdout=StringIO())
    assert check(scratch.target)[0] == 0
    middle = AuditEvent.objects.order_by("id").values_list("id", flat=True)[1]
    scratch.execute("DELETE FROM core_auditevent WHERE id = ?", [middle])
    code, output = check(scratch.target)
    assert code == 1
    audit = _line(output, "audit trail")
    assert "1 entries missing" in audit and "gaps in the ids" in audit
    assert "DIFFERENT" in _line(output, "core_auditevent")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "not-a-backup"
    bogus.write_text("hello")
    if connection.vendor == "sqlite":
        with pytest.raises(backup.BackupError, match="not a SQLite backup"):
            backup.restore(bogus, backup.settings_for(str(tmp_path / "new.sqlite3")))
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing"), to=str(tmp_path / "new.sqlite3"))


def test_check_restore_refuses_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="no SQLite database"):
        call_command("check_restore", against=str(tmp_path / "missing.sqlite3"))


def test_postgresql_tools_missing_say_so_in_one_line(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match=r"^pg_dump was not found on PATH: install"):
        backup._tool("pg_dump")
