pytest_plugins = ["permanence.testing"]


def pytest_collection_modifyitems(config, items):
    """The browser tests (Playwright and axe-core: what a page looks like and how it behaves) run once, in the SQLite
    run: what they check does not depend on the database, and the PostgreSQL run keeps every other test. Set
    PERMANENCE_BROWSER_ON_POSTGRES=1 to run them on PostgreSQL too. They are deselected (and counted as such), never
    skipped."""
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or os.environ.get("PERMANENCE_BROWSER_ON_POSTGRES"):
        return
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
