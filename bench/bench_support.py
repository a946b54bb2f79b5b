"""Server time and queries of adoption support's waiting list for the largest RAA on the national data set (the RAA
with the most families waiting), and for information its cases list, its home page and the surgery's table.

    DATABASE_URL=sqlite:///bench/data/national.sqlite3 .venv/bin/python bench/bench_support.py

The national set is built once with `permanence migrate && permanence generate --scale national`; this script
never writes to it: it does not migrate or generate, and everything it does (signing in, the pages) runs inside a
transaction that is rolled back. Times are measured in-process through Django's test client (server time:
routing, views, queries, templates; no network), as the RAA's team manager. Prints the median of BENCH_REPEATS
runs (default 15) and the queries of one.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from permanence.organisations.models import Organisation, Role, Staff  # noqa: E402
from permanence.support import selectors  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "15"))


def measure(client: Client, url: str) -> tuple[float, int, int]:
    client.get(url)  # warm caches (templates, query plans)
    times, queries, status = [], 0, 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    return statistics.median(times), queries, status


def main() -> None:
    try:
        from permanence.support.models import SupportCase

        has_cases = SupportCase.objects.exists()
    except Exception:  # noqa: BLE001 - no tables: not migrated
        has_cases = False
    if not has_cases:
        sys.exit("No support cases in this database: build the national set first (permanence migrate && "
                 "permanence generate --scale national), then run this again.")
    largest = (Organisation.objects.filter(kind="raa")
               .annotate(n=Count("support_cases", filter=Q(support_cases__stage__in=selectors.WAITING)),
                         total=Count("support_cases")).order_by("-n", "code").first())
    user = Staff.objects.filter(organisation=largest, role=Role.RAA_TEAM_MANAGER, is_active=True).first()
    print(f"Database: {connection.vendor}; RAA {largest.code} ({largest.name}): {largest.total:,} support cases, "
          f"{largest.n:,} waiting; as {user.username}; median of {REPEATS} runs")
    with transaction.atomic():
        client = Client()
        client.force_login(user)
        pages = [("Waiting list (first page of 50)", reverse("support:waiting")),
                 ("Waiting list, last page", f"{reverse('support:waiting')}?page=last"),
                 ("Waiting list, urgent, 16 weeks or more", f"{reverse('support:waiting')}?urgency=urgent&long_wait=on"),
                 ("Cases list (first page of 50)", reverse("support:cases")),
                 ("Adoption support home", reverse("support:home")),
                 ("Performance surgery, unallocated (with the waiting table)",
                  f"{reverse('performance:surgery')}?scope=unallocated")]
        for label, url in pages:
            median, queries, status = measure(client, url)
            print(f"{label:<60} median {median:7.1f} ms   {queries:3d} queries   HTTP {status}")
        transaction.set_rollback(True)  # nothing is kept: the national database is left as it was


if __name__ == "__main__":
    main()
