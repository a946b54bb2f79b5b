from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse


def database_state() -> tuple[str, str]:
    """("ok"|"error", "ok"|"pending"|"unknown"): does the database answer, and are all migrations applied."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "error", "unknown"
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "ok", "unknown"
    return "ok", ("pending" if plan else "ok")


def healthz(request):
    """For the proxy and the monitoring: 200 {"status": "ok", ...} or 503 with what is wrong (no details)."""
    database, migrations = database_state()
    ok = database == "ok" and migrations == "ok"
    return JsonResponse({"status": "ok" if ok else "error", "database": database, "migrations": migrations},
                        status=200 if ok else 503)
