"""Server time and query counts of the home page (issue 14: each role's work and tasks) on the national-scale set.

    DATABASE_URL=sqlite:///bench/data/national.sqlite3 .venv/bin/python bench/bench_home.py

If the database has no children yet it is migrated and filled with `permanence generate --scale national`. For
each role that has a home page, the member of staff of that role with the most allocated work in the largest RAA
(or an LA of it) is measured through Django's test client (server time: routing, views, queries, templates; no
network): their own tasks, and for managers the team's. Prints median and 95th percentile, queries and tasks.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}")
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402

from permanence.children.models import Child, JourneyEvent  # noqa: E402
from permanence.organisations.models import Organisation, Role, Staff  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))
ROLES = [Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.RAA_SUPPORT_WORKER, Role.PANEL_ADVISER,
         Role.AGENCY_DECISION_MAKER, Role.DATA_OFFICER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE,
         Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER]


def busiest(role, raa) -> Staff | None:
    """The member of staff of `role` in the RAA (or its LAs) with the most records allocated."""
    staff = Staff.objects.filter(Q(organisation=raa) | Q(organisation__raa=raa), role=role, is_active=True)
    return (staff.annotate(n=Count("ff_children", distinct=True)
                           + Count("la_children", distinct=True))
            .order_by("-n", "pk").first()) if role in (Role.RAA_FAMILY_FINDER, Role.LA_SOCIAL_WORKER) \
        else staff.order_by("pk").first()


def main() -> None:
    from bench_children import ensure_data, measure, report

    ensure_data()
    raa = (Organisation.objects.filter(kind="raa").annotate(n=Count("member_las__children")).order_by("-n").first())
    print(f"Database: {django.db.connection.vendor}; {Child.objects.count():,} children, "
          f"{JourneyEvent.objects.count():,} events; the largest RAA: {raa.name}")
    client = Client()
    for role in ROLES:
        user = busiest(role, raa)
        if user is None:
            print(f"{Role(role).label}: nobody in {raa.name}")
            continue
        client.force_login(user)
        urls = [("", "/")] + ([(" (team)", "/?tasks=team")] if role in (
            Role.RAA_TEAM_MANAGER, Role.LA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE) else [])
        for suffix, url in urls:
            times, queries, status = measure(client, url, REPEATS)
            count = re.search(r'id="count-tasks">([\d+]+)<', client.get(url).content.decode())
            report(f"Home, {Role(role).label}{suffix}: {count.group(1) if count else '?'} tasks", times, queries,
                   status)


if __name__ == "__main__":
    main()
