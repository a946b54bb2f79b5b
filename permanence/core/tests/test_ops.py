"""Running it for real (issue 16): `permanence serve`'s settings, /healthz, the structured request and job log,
and the read-only replica for the reports."""

from __future__ import annotations

import io
import json
import logging
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permanence.core import db as core_db
from permanence.core import logging as core_logging
from permanence.core import views as core_views
from permanence.core.management.commands import serve
from permanence.organisations.models import Role

# ---------------------------------------------------------------------------------------------
# permanence serve


def serve_settings(*args) -> dict[str, str]:
    out = StringIO()
    call_command("serve", "--check", *args, stdout=out)
    return dict(line.split(" = ", 1) for line in out.getvalue().splitlines())


def test_serve_defaults_to_loopback_and_workers_from_the_cpus(monkeypatch):
    monkeypatch.delenv("PERMANENCE_BIND", raising=False)
    monkeypatch.delenv("PERMANENCE_WORKERS", raising=False)
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 4)
    config = serve_settings()
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["workers"] == "9"
    assert config["worker_class"] == "'sync'"
    assert config["accesslog"] == "None"  # the request log is ours (permanence.core.logging)


def test_serve_takes_its_settings_from_the_environment_and_flags_win(monkeypatch):
    monkeypatch.setenv("PERMANENCE_BIND", "127.0.0.1:9001")
    monkeypatch.setenv("PERMANENCE_WORKERS", "3")
    monkeypatch.setenv("PERMANENCE_THREADS", "4")
    config = serve_settings()
    assert (config["bind"], config["workers"], config["worker_class"]) == ("['127.0.0.1:9001']", "3", "'gthread'")
    config = serve_settings("--bind", "127.0.0.2:9002", "--workers", "2")
    assert (config["bind"], config["workers"]) == ("['127.0.0.2:9002']", "2")
    with pytest.raises(CommandError, match="--workers must be 1 or more"):
        serve_settings("--workers", "0")


def test_each_worker_freezes_what_start_up_made_so_collections_stay_short(monkeypatch):
    import gc

    before_threshold = gc.get_threshold()
    monkeypatch.setenv("PERMANENCE_GC_THRESHOLD", "50000,20,20")
    try:
        gc.unfreeze()
        serve.prepare_worker()
        assert gc.get_freeze_count() > 10_000  # the modules, the URLconf, the views
        assert gc.get_threshold() == (50000, 20, 20)
        gc.unfreeze()
        monkeypatch.setenv("PERMANENCE_GC_FREEZE", "0")
        monkeypatch.delenv("PERMANENCE_GC_THRESHOLD")
        gc.set_threshold(700, 10, 10)
        serve.prepare_worker()
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == serve.GC_THRESHOLD == (10_000, 10, 1_000)  # the workers' own, unless set
    finally:
        gc.unfreeze()
        gc.set_threshold(*before_threshold)


@pytest.mark.parametrize("bad", ["lots", "1,2,3,4", "-5", "10,,2"])
def test_a_bad_collector_threshold_is_one_clear_line(monkeypatch, bad):
    monkeypatch.setenv("PERMANENCE_GC_THRESHOLD", bad)
    with pytest.raises(CommandError, match="PERMANENCE_GC_THRESHOLD must be one to three whole numbers"):
        serve_settings()


def test_serve_refuses_the_development_key_beyond_loopback(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = serve.DEVELOPMENT_KEY
    with pytest.raises(CommandError, match="Set SECRET_KEY"):
        serve_settings("--bind", "0.0.0.0:8000")
    assert serve_settings("--bind", "[::1]:8000")["bind"] == "['[::1]:8000']"
    settings.SECRET_KEY = "a-real-secret-from-the-environment"  # noqa: S105
    assert serve_settings("--bind", "0.0.0.0:8000")["bind"] == "['0.0.0.0:8000']"


@pytest.mark.parametrize(("bind", "loopback"), [
    ("127.0.0.1:8000", True), ("localhost:8000", True), ("[::1]:8000", True), ("unix:/run/permanence.sock", True),
    ("0.0.0.0:8000", False), ("10.0.0.5:8000", False), ("permanence.example:80", False),
])
def test_loopback_binds(bind, loopback):
    assert serve.is_loopback(bind) is loopback


# ---------------------------------------------------------------------------------------------
# /healthz


@pytest.mark.django_db
def test_healthz_says_the_database_answers_and_migrations_are_applied(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_migrations_are_pending(client, monkeypatch):
    class Behind:
        def __init__(self, conn):
            self.loader = type("Loader", (), {"graph": type("Graph", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            return [("children", "9999_not_yet")]

    monkeypatch.setattr(core_views, "MigrationExecutor", Behind)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "migrations": "pending"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "migrations": "unknown"}


# ---------------------------------------------------------------------------------------------
# The structured log


@pytest.fixture
def log_lines():
    """What the request and job loggers write, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(core_logging.JsonFormatter())
    loggers = [core_logging.request_logger, core_logging.job_logger]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_search_for_a_name_never_reaches_the_log(client, region, log_lines):
    region.child(region.la, first_name="Zebedee", last_name="Quillfeather")
    user = region.user(Role.LA_SOCIAL_WORKER)
    client.force_login(user)
    response = client.get(reverse("children:list"), {"q": "Quillfeather", "page": "1"},
                          HTTP_X_REQUEST_ID="trace-42")
    assert response.status_code == 200 and b"Zebedee" in response.content
    lines = log_lines()
    assert "Quillfeather" not in json.dumps(lines) and "Zebedee" not in json.dumps(lines)
    (line,) = lines
    assert line["event"] == "request" and line["method"] == "GET" and line["status"] == 200
    assert line["path"] == "/children/?q=~&page=1"
    assert line["user_id"] == user.pk and line["request_id"] == "trace-42" == response["X-Request-ID"]
    assert isinstance(line["duration_ms"], float)


def test_a_request_without_an_id_gets_one_and_a_strange_id_is_replaced(client, db, log_lines):
    first = client.get(reverse("healthz"))
    second = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="Alice Smith <script>")
    ids = [line["request_id"] for line in log_lines()]
    assert ids == [first["X-Request-ID"], second["X-Request-ID"]]
    assert all(len(i) == 32 for i in ids) and ids[0] != ids[1]
    assert [line["user_id"] for line in log_lines()] == [None, None]


def test_safe_path_keeps_only_harmless_values():
    assert core_logging.safe_path("/children/", "") == "/children/"
    assert core_logging.safe_path("/children/", "q=Smith&la=901&sort=due&name=Jo") == \
        "/children/?q=~&la=901&sort=due&name=~"


def test_a_job_line(log_lines):
    core_logging.log_job(job_id=7, kind="ssda903.import", state="done", duration_ms=1234.56, children_checked=40)
    core_logging.log_job(job_id=8, kind="ssda903.import", state="failed", error="ValidationError")
    done, failed = log_lines()
    assert {k: done[k] for k in ("event", "job_id", "kind", "state", "duration_ms", "children_checked")} == {
        "event": "job", "job_id": 7, "kind": "ssda903.import", "state": "done", "duration_ms": 1234.6,
        "children_checked": 40}
    assert failed["level"] == "error" and failed["error"] == "ValidationError"


# ---------------------------------------------------------------------------------------------
# The read-only replica for the reports


@pytest.fixture
def replica():
    """DATABASE_REPLICA_URL pointing at the test database itself, as settings.py would add it."""
    connections.settings[core_db.REPLICA] = {**connections.settings["default"], "CONN_MAX_AGE": None}
    # Connected here, before the test: Django's test case refuses new connections to aliases it was not told of.
    connections[core_db.REPLICA].connect()
    yield connections[core_db.REPLICA]
    connections[core_db.REPLICA].close()
    del connections[core_db.REPLICA]
    del connections.settings[core_db.REPLICA]


@pytest.mark.django_db(transaction=True)
def test_the_reports_read_from_the_replica_when_there_is_one(client, replica):
    from permanence.testing import Region

    region = Region()
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("performance:dashboard")).status_code == 200
    assert len(on_replica) > 0
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("children:list")).status_code == 200
    assert len(on_replica) == 0  # the case pages read the primary


@pytest.mark.django_db(transaction=True)
def test_the_report_command_reads_from_the_replica(replica):
    from permanence.testing import Region

    Region()
    with CaptureQueriesContext(replica) as on_replica:
        call_command("report", "scorecard", "--la", "901", "--year-ending", "2025", "--format", "json",
                     stdout=StringIO())
    assert len(on_replica) > 0


def test_the_router_reads_the_primary_without_a_replica_or_inside_a_write():
    router = core_db.ReportsReplicaRouter()
    with core_db.reports_read():
        assert router.db_for_read(None) is None  # no replica configured
    assert router.allow_migrate(core_db.REPLICA, "children") is False
    assert router.db_for_write(None) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_write_transaction_stay_on_the_primary(replica):
    router = core_db.ReportsReplicaRouter()
    with core_db.reports_read():
        assert router.db_for_read(None) == core_db.REPLICA
        with transaction.atomic():
            assert router.db_for_read(None) is None
    assert router.db_for_read(None) is None  # outside the reports


# ---------------------------------------------------------------------------------------------
# Settings read from the environment (a fresh interpreter: settings are read once, at start)


def settings_under(**env) -> dict:
    import os
    import subprocess
    import sys

    code = ("import json; from django.conf import settings as s; "
            "print(json.dumps({'caches': s.CACHES['default']['BACKEND'], 'location': s.CACHES['default'].get('LOCATION'),"
            " 'databases': sorted(s.DATABASES), 'options': s.DATABASES['default'].get('OPTIONS', {}),"
            " 'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None), 'csrf': s.CSRF_TRUSTED_ORIGINS,"
            " 'kept': [[a.get('CONN_MAX_AGE', 0), a.get('CONN_HEALTH_CHECKS', False)] for _, a in sorted(s.DATABASES.items())]}))")
    keep = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "DATABASE_REPLICA_URL", "BEHIND_TLS_PROXY",
                         "DATABASE_CONN_MAX_AGE", "DATABASE_JIT", "PGOPTIONS"}}
    environment = {**keep, "DJANGO_SETTINGS_MODULE": "permanence.settings", **env}
    out = subprocess.run([sys.executable, "-c", code], env=environment,  # noqa: S603
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_settings_from_the_environment(tmp_path):
    demo = settings_under(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert demo["caches"].endswith("LocMemCache") and demo["databases"] == ["default"]
    assert demo["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in demo["options"]["init_command"] and demo["options"]["timeout"] == 20
    assert demo["proxy"] is None and demo["csrf"] == []
    production = settings_under(
        DATABASE_URL="postgres://permanence@db.internal:5432/permanence",
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/permanence",
        REDIS_URL="redis://127.0.0.1:6379/1", BEHIND_TLS_PROXY="1",
        CSRF_TRUSTED_ORIGINS="https://permanence.example.org")
    assert production["caches"] == "django.core.cache.backends.redis.RedisCache"
    assert production["location"] == "redis://127.0.0.1:6379/1"
    assert production["databases"] == ["default", "replica"] and "transaction_mode" not in production["options"]
    assert production["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["csrf"] == ["https://permanence.example.org"]
    # PostgreSQL connections are kept between requests (checked before reuse); SQLite's are not.
    assert production["kept"] == [[60, True], [60, True]] and demo["kept"] == [[0, False]]
    assert settings_under(DATABASE_URL="postgres://permanence@db.internal:5432/permanence",
                          DATABASE_CONN_MAX_AGE="0")["kept"] == [[0, True]]
    # No JIT compilation of the pages' queries (PGOPTIONS kept beside it), unless asked for.
    assert production["options"] == {"options": "-c jit=off"}
    assert settings_under(DATABASE_URL="postgres://permanence@db.internal:5432/permanence",
                          PGOPTIONS="-c synchronous_commit=off")["options"] == {
        "options": "-c jit=off -c synchronous_commit=off"}
    assert settings_under(DATABASE_URL="postgres://permanence@db.internal:5432/permanence",
                          DATABASE_JIT="on")["options"] == {}
    shared_db = settings_under(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", CACHE_URL="dbcache://permanence_cache")
    assert shared_db["caches"].endswith("DatabaseCache") and shared_db["location"] == "permanence_cache"


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time():
    """The surgery's counts were costed above jit_above_cost and compiled for 2.2 s to run for 50 ms."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's JIT: the PostgreSQL run checks it")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_an_unhandled_error_and_a_warning_are_json_lines_without_values(settings):
    """Outside DEBUG every log line is JSON (the root logger's handler too): an unhandled error gives its type and
    the frames it passed through (file, line, function: no message, no values), and warnings.warn reaches the log."""
    import warnings

    assert settings.LOGGING["root"]["handlers"] == ["json"]  # the tests run as production does: DEBUG off
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(core_logging.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        try:
            {}["Quillfeather"]
        except KeyError:
            logging.getLogger("django.request").exception("Internal Server Error: /children/?q=Quillfeather")
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            logging.captureWarnings(True)
            showwarning = warnings.showwarning
            warnings.showwarning = logging._showwarning  # pytest replaces it for its own report; put logging's back
            try:
                warnings.warn("a deprecated setting", UserWarning, stacklevel=1)
            finally:
                warnings.showwarning = showwarning
    finally:
        root.removeHandler(handler)
    error, warning = (json.loads(line) for line in stream.getvalue().splitlines())
    assert error["level"] == "error" and error["logger"] == "django.request" and error["error"] == "KeyError"
    assert error["event"] == "unhandled error" and "Quillfeather" not in stream.getvalue().split("\n")[0]
    (frame,) = error["trace"]
    assert re.fullmatch(r"permanence/core/tests/test_ops\.py:\d+ in test_an_unhandled_error_and_a_warning_are_json_"
                        r"lines_without_values", frame)
    assert warning["logger"] == "py.warnings" and warning["level"] == "warning"
    assert "UserWarning: a deprecated setting" in warning["event"]
