"""Concurrent writes queue instead of failing (issue 16): eight people recording a visit on the same child at
once, through the service, the page and the API, all succeed, none is lost and none is duplicated.

Real threads with their own database connections, on a database file as in production: pytest-django's SQLite
test database lives in memory (one shared connection cache, not the file locking under test), so on SQLite the
test database is copied to a file for the test. On PostgreSQL the test database is used as it is.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from permanence.api.tests.conftest import token_client
from permanence.children import services as child_services
from permanence.children.models import Child, JourneyEvent
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY, Region

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8
FIRST_VISIT = date(2024, 10, 1)


@pytest.fixture
def file_database(tmp_path):
    connection = connections["default"]
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "concurrent.sqlite3"
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    # The in-memory database lives as long as its connection: keep it aside, open the file instead. The
    # settings dict is shared with every thread's connection, so the threads open the file too.
    in_memory_name, in_memory = connection.settings_dict["NAME"], connection.connection
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = in_memory_name
        connection.connection = in_memory


@pytest.fixture
def child(file_database):
    region = Region()
    return region, region.child(region.la, events=PLACEMENT_ORDER_JOURNEY)


def at_once(work) -> list:
    """`work(i)` in WRITERS threads started together; what each returned or raised."""
    results: list = [None] * WRITERS
    start = threading.Barrier(WRITERS)

    def run(i):
        try:
            start.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 (reported as the thread's result)
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def visit_day(i: int) -> date:
    return FIRST_VISIT + timedelta(days=i)


def assert_every_visit_once(child: Child, action: str = "event.recorded") -> None:
    visits = list(JourneyEvent.objects.filter(child=child, kind="visit").values_list("date", flat=True))
    assert sorted(visits) == [visit_day(i) for i in range(WRITERS)]  # none lost, none twice
    assert AuditEvent.objects.filter(child_id=child.pk, action=action).count() == \
        len(PLACEMENT_ORDER_JOURNEY) + WRITERS


def test_concurrent_events_through_the_service(child):
    region, record = child
    user = region.user(Role.LA_SOCIAL_WORKER)

    def work(i):
        return child_services.record_event(child=Child.objects.get(pk=record.pk), kind="visit", date=visit_day(i),
                                           actor=user)

    results = at_once(work)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert_every_visit_once(record)


def test_concurrent_events_through_the_page_and_the_api(child):
    region, record = child
    user = region.user(Role.LA_SOCIAL_WORKER)
    page_clients, api_clients = [], []
    for _ in range(WRITERS // 2):
        browser = Client()
        browser.force_login(user)
        page_clients.append(browser)
        api_clients.append(token_client(user))
    page = reverse("children:record-event", args=[record.pk, "visit"])
    api = reverse("api:child-event-list", args=[record.pk])

    def work(i):
        day = visit_day(i)
        if i % 2:
            return api_clients[i // 2].post(api, {"kind": "visit", "date": day.isoformat()}, format="json").status_code
        return page_clients[i // 2].post(page, {"date_day": day.day, "date_month": day.month,
                                                "date_year": day.year}).status_code

    statuses = at_once(work)
    assert statuses == [302 if i % 2 == 0 else 201 for i in range(WRITERS)]
    assert_every_visit_once(record)
