"""Server time and query counts of the children list and the child page on the national-scale data set.

    DATABASE_URL=sqlite:///bench/data/national.sqlite3 .venv/bin/python bench/bench_children.py

If the database has no children yet it is migrated and filled with `permanence generate --scale national`.
Times are measured in-process through Django's test client (server time: URL routing, views, queries and
template rendering; no network). Prints median and 95th percentile per page, and the number of SQL queries.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}")
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from permanence import access  # noqa: E402
from permanence.children.models import Child, JourneyEvent  # noqa: E402
from permanence.organisations.models import Organisation, Role, Staff  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))


def ensure_data() -> None:
    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        print("No children: generating the national data set (this takes a few minutes)…", flush=True)
        call_command("generate", "--scale", "national")


def measure(client: Client, url: str, repeats: int = REPEATS) -> tuple[list[float], int, int]:
    client.get(url)  # warm caches (templates, query plans)
    times = []
    queries = 0
    status = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        status = response.status_code
    return times, queries, status


def report(label: str, times: list[float], queries: int, status: int, target: float | None = None) -> None:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    verdict = ""
    if target is not None:
        verdict = "  within target" if p95 < target else f"  OVER the {target:.0f} ms target"
    print(f"{label:<58} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
          f"{queries:3d} queries   HTTP {status}{verdict}")


def main() -> None:
    ensure_data()
    vendor = connection.vendor
    print(f"Database: {vendor}; {Organisation.objects.filter(kind='raa').count()} RAAs, "
          f"{Organisation.objects.filter(kind='la').count()} LAs, {Child.objects.count():,} children, "
          f"{JourneyEvent.objects.count():,} events")
    # The largest RAA's team manager sees the most children; an LA social worker sees one LA's.
    biggest = (Organisation.objects.filter(kind="raa").annotate(n=Count("member_las__children"))
               .order_by("-n").first())
    users = [
        Staff.objects.filter(organisation=biggest, role=Role.RAA_TEAM_MANAGER).first()
        or Staff.objects.filter(organisation=biggest, role=Role.RAA_FAMILY_FINDER).first(),
        Staff.objects.filter(role=Role.LA_SOCIAL_WORKER, organisation__kind="la").first(),
    ]
    rng = random.Random(903)
    for user in users:
        if user is None:
            continue
        visible = access.children_visible_to(user)
        print(f"\nAs {user.get_role_display()} at {user.organisation.name}: {visible.count():,} children visible")
        client = Client()
        client.force_login(user)
        for label, url in [
            ("children list, first page", "/children/"),
            ("children list, page 20", "/children/?page=20"),
            ("children list, filtered by stage", "/children/?stage=placement_order"),
            ("children list, priority + overdue", "/children/?priority=on&overdue=on"),
            ("children list, search by name", "/children/?q=lockett"),
            ("my caseload", "/caseload/"),
            ("site search, a surname", "/search/?q=lockett"),
            ("site search, parts of two words", "/search/?q=gra+lock"),
            ("site search, a misspelt surname (close spellings on PostgreSQL)", "/search/?q=lokett"),
        ]:
            report(label, *measure(client, url), target=150)
        ids = list(visible.values_list("pk", flat=True))
        sample = rng.sample(ids, min(20, len(ids)))
        times: list[float] = []
        queries = 0
        status = 0
        for pk in sample:
            t, queries_one, status = measure(client, f"/children/{pk}/", repeats=max(3, REPEATS // 10))
            times += t
            queries = max(queries, queries_one)
        report(f"child page ({len(sample)} children, max queries)", times, queries, status, target=100)


if __name__ == "__main__":
    main()
