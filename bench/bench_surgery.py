"""Server time and query counts of the performance surgery list for the demo's family-finding team manager.

    DATABASE_URL=sqlite:///bench/data/surgery.sqlite3 .venv/bin/python bench/bench_surgery.py

If the database has no children yet it is migrated and filled with `permanence demo` (BENCH_CHILDREN children for
Adoption West, default 1500; BENCH_HOUSEHOLDS households, default 200; as of BENCH_TODAY, default 2026-03-02, a
date the clock is pinned to while measuring). Times are measured in-process through Django's test client (server
time: routing, views, queries, templates; no network), as tm.aw, for the team's list over 90 days, its second
page, a filtered list and the print view. Prints median and 95th percentile, the number of SQL queries and of
items on the list.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'surgery.sqlite3'}")
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from permanence.children.models import Child  # noqa: E402
from permanence.organisations.models import Staff  # noqa: E402
from permanence.performance import selectors  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))
TODAY = date.fromisoformat(os.environ.get("BENCH_TODAY", "2026-03-02"))


def main() -> None:
    from bench_children import measure, report

    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        print("No children: loading the demo (this takes a minute or two)…", flush=True)
        call_command("demo", children=int(os.environ.get("BENCH_CHILDREN", "1500")),
                     households=int(os.environ.get("BENCH_HOUSEHOLDS", "200")), today=TODAY.isoformat())
    timezone.localdate = lambda *a: TODAY  # the demo's journeys run up to TODAY
    tm = Staff.objects.select_related("organisation", "team").get(username="tm.aw")
    scope = selectors.SurgeryScope(tm.organisation, team=tm.team)
    items = len(selectors.surgery_rows(tm, scope, today=TODAY, horizon_days=90))
    print(f"{Child.objects.count()} children; {items} items on {tm.team.name}'s list over 90 days (as at {TODAY})")
    client = Client()
    client.force_login(tm)
    base = f"/performance/surgery/?scope=team-{tm.team.pk}&days=90"
    for label, url in (("Surgery list, 90 days, page 1", base), ("Surgery list, page 2", f"{base}&page=2"),
                       ("Surgery list, waiting children only", f"{base}&kind=waiting"),
                       ("Surgery agenda, print view", base.replace("/surgery/", "/surgery/print/"))):
        times, queries, status = measure(client, url, REPEATS)
        report(label, times, queries, status)


if __name__ == "__main__":
    main()
