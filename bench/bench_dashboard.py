"""Server time of the performance pages of one RAA on the national-scale data set: the board dashboard, the
scorecard page, the drill-down A2 and the members' report against issue 17's budgets (bench/budgets.py), and the
quarterly report, the comparison, the cost calculator and the surgery beside them.

    DATABASE_URL=sqlite:///bench/data/national.sqlite3 .venv/bin/python bench/bench_dashboard.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national .venv/bin/python bench/bench_dashboard.py

If the database has no children yet it is migrated and filled with `permanence generate --scale national`.
Times are measured in-process through Django's test client (server time: routing, views, queries, templates; no
network), as the head of service (or team manager) of the RAA with the most children. Each page is measured in
BENCH_RUNS runs (default 3) of BENCH_REPEATS requests (default 20); prints the min / median over the runs of each
run's median and 95th percentile, and MET / NOT MET against the page's budget.

The collector is set up as in a `permanence serve` worker (serve.prepare_worker: gc.freeze() after start-up, and
the workers' thresholds, serve.GC_THRESHOLD or PERMANENCE_GC_THRESHOLD; PERMANENCE_GC_FREEZE=0 leaves it unfrozen), and the bench prints the full
collections that ran during each page's requests and the longest. BENCH_ONLY=dashboard measures only the pages
whose label contains that text.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}")
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)

from bench_children import ensure_data, measure  # noqa: E402
from budgets import BUDGETS, RUNS, header, runs_report  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from permanence.children.models import Child  # noqa: E402
from permanence.organisations.models import Organisation, Role, Staff  # noqa: E402
from permanence.performance import views  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))
ONLY = os.environ.get("BENCH_ONLY", "").lower()


class Collections:
    """The collector's pauses while measuring: (generation, ms) of each collection."""

    def __init__(self):
        self.pauses: list[tuple[int, float]] = []
        self._start = 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((info["generation"], (time.perf_counter() - self._start) * 1000))

    def full(self) -> str:
        full = [ms for generation, ms in self.pauses if generation == 2]
        young = [ms for generation, ms in self.pauses if generation < 2]
        self.pauses = []
        return (f"      collector: {len(full)} full collections (longest {max(full, default=0):.0f} ms, "
                f"{sum(full):.0f} ms in all), {len(young)} young (longest {max(young, default=0):.1f} ms, "
                f"{sum(young):.0f} ms in all)")


def main() -> None:
    from permanence.core.management.commands.serve import prepare_worker

    ensure_data()
    largest = (Child.objects.values("la__raa").annotate(n=Count("pk")).order_by("-n").first())
    raa = Organisation.objects.get(pk=largest["la__raa"])
    las = Organisation.objects.filter(kind="la", raa=raa).order_by("code")
    user = (Staff.objects.filter(organisation=raa, role=Role.RAA_HEAD_OF_SERVICE, is_active=True).first()
            or Staff.objects.filter(organisation=raa, role=Role.RAA_TEAM_MANAGER, is_active=True).first())
    print(f"Database: {connection.vendor}; RAA {raa.code} ({raa.name}): {las.count()} LAs, {largest['n']:,} "
          f"children; as {user.username} ({user.get_role_display()}); {RUNS} runs of {REPEATS} requests")
    header()
    prepare_worker()  # as each serve worker does on start: gc.freeze() (unless PERMANENCE_GC_FREEZE=0), threshold
    client = Client()
    client.force_login(user)
    print(f"Collector: threshold {gc.get_threshold()}, {gc.get_freeze_count():,} objects frozen")
    today = timezone.localdate()
    year = views.year_endings(today)[0]
    quarter = views.quarter_of(views.last_quarters(today, 1)[0].start)
    pages = [
        ("Board dashboard, one RAA", reverse("performance:dashboard"), BUDGETS["dashboard"]),
        (f"Scorecard page, RAA, {year}", f"{reverse('performance:scorecard')}?scope=raa&year_ending={year}",
         BUDGETS["scorecard"]),
        (f"Drill-down A2, RAA, {year}", f"{reverse('performance:drill')}?report=scorecard&key=A2&scope=raa&year={year}",
         BUDGETS["drill"]),
        (f"Quarterly report, LA {las[0].code}, {quarter}",
         f"{reverse('performance:quarterly')}?la={las[0].code}&quarter={quarter}", None),
    ]
    # The comparison's budget is its own benchmark's; it is timed here beside the others.
    for label, name, query, budget in [("Members' report, RAA", "performance:members", "?scope=raa",
                                        BUDGETS["members"]),
                                       ("Comparison of groups (A2, 5 years)", "performance:comparison", "", None),
                                       ("Cost calculator, RAA (what-if £100 a day)", "performance:cost",
                                        "?scope=raa&period=year&baseline=previous&daily_cost=100", None),
                                       ("Performance surgery", "performance:surgery", "", None)]:
        try:
            pages.append((label, reverse(name) + query, budget))
        except NoReverseMatch:
            pass
    met = True
    collections = Collections()
    for label, url, budget in pages:
        if ONLY and ONLY not in label.lower():
            continue
        runs = []
        for _ in range(RUNS):
            times, queries, status = measure(client, url, REPEATS)
            runs.append(times)
        met &= runs_report(label, runs, queries, status, budget)
        print(collections.full())
    import resource

    print(f"Every budget here: {'MET' if met else 'NOT MET'}; peak memory of this process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
