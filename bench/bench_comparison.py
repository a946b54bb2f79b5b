"""The comparison of groups of LAs over time (`performance:comparison`, measures.group_trend) on the national-scale
data set: target under 200 ms, and flat in the national size (the cost must not grow with the LAs outside the groups
shown).

    DATABASE_URL=sqlite:///bench/data/national.sqlite3 .venv/bin/python bench/bench_comparison.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national .venv/bin/python bench/bench_comparison.py

If the database has no children yet it is migrated and filled with `permanence generate --scale national`.
Server time through Django's test client (routing, the view, queries, templates; no network), as the head of service
(or team manager) of the RAA with the most children (the figures are worked out in every request: nothing is kept);
then the function alone, for the page's groups and for a group of one LA (what a page of a few LAs costs whatever the
rest of the country holds). Before issue 17 the page sent a national installation to a job: to time the old code in
the request, run it with PERMANENCE_COMPARISON_JOB_CHILDREN=1000000000. Each case is timed in BENCH_RUNS runs (3) of BENCH_REPEATS requests (10):
it prints each run's median, then the min and the median of those medians, against the budget.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}")
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)

from bench_children import ensure_data  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from permanence.children.models import Child, JourneyEvent  # noqa: E402
from permanence.organisations.models import Organisation, Role, Staff  # noqa: E402
from permanence.performance import measures, rules  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))
BUDGET_MS = 200


def timed(call) -> tuple[list[float], int]:
    """Each run's median (ms) of REPEATS calls, after one to warm up, and the queries of the last call."""
    call()
    medians, queries = [], 0
    for _ in range(RUNS):
        times = []
        for _ in range(REPEATS):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                call()
                times.append((time.perf_counter() - start) * 1000)
            queries = len(ctx.captured_queries)
        medians.append(statistics.median(times))
    return medians, queries


def report(label: str, medians: list[float], queries: int, budget: float | None = BUDGET_MS) -> None:
    runs = " ".join(f"{m:6.1f}" for m in medians)
    verdict = ""
    if budget is not None:
        verdict = "  within budget" if statistics.median(medians) < budget else f"  OVER the {budget:.0f} ms budget"
    print(f"{label:<62} runs {runs} ms   min {min(medians):6.1f}   median {statistics.median(medians):6.1f} ms   "
          f"{queries:2d} queries{verdict}", flush=True)


def page(client: Client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return get


def main() -> None:
    ensure_data()
    logging.getLogger("permanence.requests").setLevel(logging.WARNING)  # a line per request otherwise
    largest = Child.objects.values("la__raa").annotate(n=Count("pk")).order_by("-n").first()
    raa = Organisation.objects.get(pk=largest["la__raa"])
    las = list(Organisation.objects.filter(kind="la", raa=raa).order_by("code"))
    user = (Staff.objects.filter(organisation=raa, role=Role.RAA_HEAD_OF_SERVICE, is_active=True).first()
            or Staff.objects.filter(organisation=raa, role=Role.RAA_TEAM_MANAGER, is_active=True).first())
    print(f"Database: {connection.vendor}; {Organisation.objects.filter(kind='la').count()} LAs, "
          f"{Child.objects.count():,} children, {JourneyEvent.objects.count():,} events; RAA {raa.code} "
          f"({len(las)} LAs) as {user.username}; budget {BUDGET_MS} ms; {RUNS} runs of {REPEATS}", flush=True)
    client = Client()
    client.force_login(user)
    url = reverse("performance:comparison")
    chosen = "&".join(f"g1={la.code}" for la in las[:2])
    report("Page: by case holding policy, A2, 5 financial years", *timed(page(client, url)))
    report("Page: by case holding policy, A10, 16 quarters", *timed(page(client, f"{url}?measure=A10&period=quarter"
                                                                               "&count=16")))
    report("Page: a chosen group of 2 LAs, A1, 5 financial years", *timed(page(client, f"{url}?groups=chosen&"
                                                                                    f"measure=A1&{chosen}")))
    periods = rules.complete_financial_years(timezone.localdate(), 5)
    report("group_trend: the policy groups, all LAs, the RAA's LAs", *timed(
        lambda: measures.group_trend(measures.case_holding_groups(periods), periods, per_la=las)))
    report("group_trend: one LA, no installation line (flat in the rest)", *timed(
        lambda: measures.group_trend({"one": {las[0].pk}}, periods, national=False)))
    report("group_trend: the RAA as a Scope (its membership dates)", *timed(
        lambda: measures.group_trend({"raa": measures.scope_for_raa(raa)}, periods, national=False)))


if __name__ == "__main__":
    main()
