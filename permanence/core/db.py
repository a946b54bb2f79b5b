"""A read-only database replica for the performance reports, when the deployment has one.

Set DATABASE_REPLICA_URL (settings.py adds it as the "replica" database) and the reports' pages
(REPORT_PREFIXES, GET and HEAD only) read from it; everything else, and every write anywhere, uses
"default". Without the setting nothing changes. Code outside a request can ask for the same with
`with reports_read(): ...`.

A replica lags its primary a little: the report pages are the ones where a figure a second old is fine.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"
# The report pages: figures over many children, read-only. Not the surgery's pages (actions are agreed there)
# nor the cost calculator (it saves what the user enters).
REPORT_PREFIXES = (
    "/performance/scorecard/",
    "/performance/drill/",
    "/performance/dashboard/",
    "/performance/targets/",
    "/performance/prospective/",
    "/performance/reports/",
    "/performance/comparison/",
)

_reading_reports: ContextVar[bool] = ContextVar("permanence_reading_reports", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reports_read():
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportsReplicaRouter:
    """Reads inside `reports_read()` go to the replica when one is configured; nothing else is routed."""

    def db_for_read(self, model, **hints):
        # Inside a write transaction, reads see what it wrote: the primary.
        if _reading_reports.get() and replica_configured() and not connections["default"].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is the same database, a little behind

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA  # the replica follows its primary; never migrated on its own


class ReportsReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path.startswith(REPORT_PREFIXES):
            # The session and the signed-in user come from the primary (a sign-in a moment ago may not have
            # reached the replica yet); only the report's own reads go to the replica.
            user = getattr(request, "user", None)
            if user is not None:
                user.is_authenticated  # noqa: B018 (evaluates the lazy user now, on "default")
            with reports_read():
                return self.get_response(request)
        return self.get_response(request)


# An applied import that adds at least this many events refreshes the planner's statistics afterwards.
STATISTICS_AFTER_EVENTS = 5_000


def refresh_statistics(using: str = "default", *, vacuum: bool = False) -> str:
    """Bring the query planner's statistics up to date after a bulk load (the national generator, a large SSDA903
    import) with `ANALYZE`, on PostgreSQL (autovacuum may be off, or not yet round) and SQLite alike (its
    `PRAGMA optimize` analyses new tables only from 3.46; the SQLite Python ships here is older, and a plain
    ANALYZE of the national set takes seconds). Without it the planner guesses the new tables' sizes and picks
    plans that are 3× slower (issue 17). Only outside a transaction (inside one, the load is not committed yet,
    and PostgreSQL would analyse rows nobody else can see): there it does nothing. Returns what it ran.

    With `vacuum` (a bulk load that owns the database, such as the generator), PostgreSQL also vacuums: until the
    visibility map is written it will not read an index alone, and the measures' scope-first index (children
    0005) is then not taken for an RAA's figures."""
    connection = connections[using]
    if connection.in_atomic_block:
        return ""
    statement = {"postgresql": "VACUUM (ANALYZE)" if vacuum else "ANALYZE", "sqlite": "ANALYZE"}.get(connection.vendor)
    if statement is None:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement
