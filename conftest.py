pytest_plugins = ["permanence.testing"]

# The fixtures through which a test reaches the database (pytest-django's); a test with none of them and no
# django_db mark cannot touch it: pytest-django refuses any query it makes.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server"}


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL run (`make test` with DATABASE_URL=postgres://…, after the SQLite run) keeps the tests whose
    result can depend on the database: those that use it. Deselected there, and counted as such, never skipped:

    - the browser tests (Playwright and axe-core: what a page looks like and how it behaves), run once, in the SQLite
      run's own process;
    - tests that never reach the database (rules, forms' messages, parsers, settings): pytest-django refuses any
      query from them, so they do the same on either database and the SQLite run has already run them.

    Set PERMANENCE_ALL_ON_POSTGRES=1 (or PERMANENCE_BROWSER_ON_POSTGRES=1 for the browser tests alone) to keep them.
    """
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or os.environ.get("PERMANENCE_ALL_ON_POSTGRES"):
        return
    keep_browser = bool(os.environ.get("PERMANENCE_BROWSER_ON_POSTGRES"))

    def deselected(item) -> bool:
        if item.get_closest_marker("browser"):
            return not keep_browser
        return not uses_database(item)

    dropped = [item for item in items if deselected(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not deselected(item)]
