"""Statistics after bulk loads (issue 17 item 6): the planner's row estimates are refreshed after the national
generator and after a large SSDA903 import, and never inside a transaction."""

import pytest
from django.db import connection, transaction

from permanence.core import db


def _table_statistics() -> int:
    """How many tables the planner has statistics for, as the database itself says."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                           "AND tablename = 'children_child'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'children_child'")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_refreshing_statistics_gives_the_planner_row_estimates(region):
    for _ in range(30):
        region.child()
    assert _table_statistics() == 0  # a new database: the planner knows nothing of the table
    assert db.refresh_statistics() == "ANALYZE"
    assert _table_statistics() > 0


@pytest.mark.django_db
def test_statistics_are_never_refreshed_inside_the_load_transaction():
    with transaction.atomic():
        assert db.refresh_statistics() == ""
    assert _table_statistics() == 0


@pytest.mark.django_db(transaction=True)
def test_a_large_import_refreshes_the_statistics_and_a_small_one_does_not(region, monkeypatch):
    from permanence.interchange import services
    from permanence.interchange.tests.helpers import TODAY, files_903, kids

    ran = []
    monkeypatch.setattr(db, "refresh_statistics", lambda using="default": ran.append(using) or "ANALYZE")
    files = files_903(kids(count=4), [2025])
    result = services.import_903(files=files, la=region.la, actor=None, on=TODAY, validate=False, dry_run=True)
    assert result.summary["events_added"] > 0 and ran == []  # a dry run loads nothing
    monkeypatch.setattr(db, "STATISTICS_AFTER_EVENTS", result.summary["events_added"] + 1)
    services.import_903(files=files, la=region.la, actor=None, on=TODAY, validate=False)
    assert ran == []  # fewer events than the threshold
    monkeypatch.setattr(db, "STATISTICS_AFTER_EVENTS", 1)
    more = files_903(kids(count=8, seed=12), [2025])
    services.import_903(files=more, la=region.la, actor=None, on=TODAY, validate=False)
    assert ran == ["default"]


@pytest.mark.django_db(transaction=True)
def test_the_generator_also_vacuums_on_postgresql(region):
    """VACUUM writes the visibility map without which PostgreSQL will not answer from an index alone (the
    scope-first index on journey events): the generator asks for it; SQLite analyses as before."""
    region.child()
    ran = db.refresh_statistics(vacuum=True)
    assert ran == ("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    assert _table_statistics() > 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'children_child'")
            assert cursor.fetchone() == (True,)
