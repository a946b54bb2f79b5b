"""Server time of the performance pages of one RAA on the national-scale data set: the board dashboard (target:
under 200 ms), the scorecard page, a quarterly report, a drill-down, and whatever other performance pages exist.

    DATABASE_URL=sqlite:///bench/data/national.sqlite3 .venv/bin/python bench/bench_dashboard.py

If the database has no children yet it is migrated and filled with `permanence generate --scale national`.
Times are measured in-process through Django's test client (server time: routing, views, queries, templates; no
network), as the head of service (or team manager) of the RAA with the most children. Prints median and 95th percentile.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}")
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)

from bench_children import ensure_data, measure, report  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from permanence.children.models import Child  # noqa: E402
from permanence.organisations.models import Organisation, Role, Staff  # noqa: E402
from permanence.performance import views  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))


def main() -> None:
    ensure_data()
    largest = (Child.objects.values("la__raa").annotate(n=Count("pk")).order_by("-n").first())
    raa = Organisation.objects.get(pk=largest["la__raa"])
    las = Organisation.objects.filter(kind="la", raa=raa).order_by("code")
    user = (Staff.objects.filter(organisation=raa, role=Role.RAA_HEAD_OF_SERVICE, is_active=True).first()
            or Staff.objects.filter(organisation=raa, role=Role.RAA_TEAM_MANAGER, is_active=True).first())
    print(f"Database: {connection.vendor}; RAA {raa.code} ({raa.name}): {las.count()} LAs, {largest['n']:,} "
          f"children; as {user.username} ({user.get_role_display()}); {REPEATS} repeats")
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    year = views.year_endings(today)[0]
    quarter = views.quarter_of(views.last_quarters(today, 1)[0].start)
    pages = [
        ("Board dashboard (target 200 ms)", reverse("performance:dashboard"), 200),
        (f"Scorecard page, RAA, {year}", f"{reverse('performance:scorecard')}?scope=raa&year_ending={year}", None),
        (f"Drill-down A2, RAA, {year}", f"{reverse('performance:drill')}?report=scorecard&key=A2&scope=raa&year={year}",
         None),
        (f"Quarterly report, LA {las[0].code}, {quarter}",
         f"{reverse('performance:quarterly')}?la={las[0].code}&quarter={quarter}", None),
    ]
    for label, name, query in [("Members' report, RAA", "performance:members", "?scope=raa"),
                               ("Comparison of groups (A2, 5 years)", "performance:comparison", ""),
                               ("Cost calculator, RAA (what-if £100 a day)", "performance:cost",
                                "?scope=raa&period=year&baseline=previous&daily_cost=100"),
                               ("Performance surgery", "performance:surgery", "")]:
        try:
            pages.append((label, reverse(name) + query, None))
        except NoReverseMatch:
            pass
    for label, url, target in pages:
        times, queries, status = measure(client, url, REPEATS)
        report(label, times, queries, status, target)


if __name__ == "__main__":
    main()
