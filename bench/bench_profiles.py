"""Loading the matching engine's profiles from the database: 5,000 approved households, a shortlist saved, and
the two pages that read the whole region (a household's children who might fit, the sufficiency figures).

    .venv/bin/python bench/bench_profiles.py

Builds its own database (bench/data/profiles.sqlite3, unless DATABASE_URL says otherwise) with one RAA, 5,000
approved households (two applicants, a capacity profile with three accepted needs each, an open link for one in
five, a decline for one in ten) and a waiting child, written with bulk_create (fixed seed). Prints the time and
the number of SQL queries to build the 5,000 household profiles (family_finding.profiles.household_profiles),
and to run and save a shortlist for the child (family_finding.services.shortlist, spread off), as medians.
Then adds 3,000 waiting children (BENCH_CHILDREN; at placement order or identified, with needs) and times
profiles.children_for_household (one household against them all) and profiles.sufficiency_figures (all of them
against every household: the sufficiency page before its cache).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'profiles.sqlite3'}")
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from permanence.adopters.models import Applicant, CapacityNeed, CapacityProfile, Household  # noqa: E402
from permanence.children import services as child_services  # noqa: E402
from permanence.children.models import Child, NeedCategory  # noqa: E402
from permanence.family_finding import profiles, services  # noqa: E402
from permanence.family_finding.models import Link, LinkEvent  # noqa: E402
from permanence.organisations import services as org_services  # noqa: E402
from permanence.organisations.models import Organisation  # noqa: E402

HOUSEHOLDS = int(os.environ.get("BENCH_HOUSEHOLDS", "5000"))
CHILDREN = int(os.environ.get("BENCH_CHILDREN", "3000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
TODAY = date(2025, 9, 1)
DISTRICTS = ["BS1", "BS6", "LS6", "M14", "B15", "NG7", "SE1", "CF10", "EX4", "L8"]


@transaction.atomic
def build() -> tuple[Organisation, Child]:
    rng = random.Random(7)
    raa = org_services.create_organisation(actor=None, kind="raa", code="BR", name="Bench RAA")
    la = org_services.create_organisation(actor=None, kind="la", code="990", name="Benchshire", raa=raa)
    child = child_services.create_child(actor=None, la=la, la_child_id="B1", first_name="Bench", last_name="Child",
                                        date_of_birth=date(2023, 2, 1))
    for kind, day in (("entered_care", date(2024, 1, 10)), ("permanence_plan", date(2024, 5, 2)),
                      ("should_be_placed", date(2024, 7, 3)), ("placement_order", date(2024, 9, 2))):
        child_services.record_event(child=child, kind=kind, date=day, actor=None, check_role=False)
    child_services.set_needs(actor=None, child=child, levels={"learning": "mild", "attachment_trauma": "moderate"})
    households = Household.objects.bulk_create([Household(
        raa=raa, name=f"Bench {n}", postcode=f"{rng.choice(DISTRICTS)} 1AA", stage="approved",
        approved_on=TODAY - timedelta(days=rng.randint(10, 900))) for n in range(HOUSEHOLDS)], batch_size=500)
    Applicant.objects.bulk_create([Applicant(household=h, first_name="A", last_name=h.name, ethnicity="WBRI",
                                             languages="English") for h in households for _ in range(2)],
                                  batch_size=1000)
    caps = CapacityProfile.objects.bulk_create([CapacityProfile(
        household=h, children_max=rng.choice([1, 1, 2]), sibling_groups=True, age_max_years=rng.choice([2, 4, 6]))
        for h in households], batch_size=1000)
    categories = list(NeedCategory.objects.all()[:3])
    CapacityNeed.objects.bulk_create([CapacityNeed(profile=c, category=cat, level=rng.choice(
        ["mild", "moderate", "significant"])) for c in caps for cat in categories], batch_size=1000)
    now = timezone.now()
    for i, h in enumerate(households[: HOUSEHOLDS // 5]):
        link = Link.objects.create(raa=raa, la=la, child=child, household=h, opened_on=date(2025, 7, 1),
                                   stage="ended" if i % 2 else "contact", ended_on=date(2025, 8, 1) if i % 2 else None,
                                   ended_reason="adopters_declined" if i % 2 else "")
        link.children.add(child)
        LinkEvent.objects.create(link=link, kind="shortlisted", date=date(2025, 7, 1), recorded_at=now)
        if i % 2:
            LinkEvent.objects.create(link=link, kind="ended", date=date(2025, 8, 1), recorded_at=now,
                                     details={"reason": "adopters_declined", "why": "travel distance"})
    return raa, child


@transaction.atomic
def add_waiting_children(raa: Organisation) -> None:
    """CHILDREN waiting children of the RAA's LA, written with bulk_create (fixed seed): a placement order for
    two in three, identified only for the rest; ages 0 to 9; three needs each."""
    from permanence.children.models import ChildNeed

    rng = random.Random(11)
    la = Organisation.objects.get(code="990", kind="la")
    kids = Child.objects.bulk_create([Child(
        la=la, la_child_id=f"W{n}", first_name="Wait", last_name=f"Child{n}",
        date_of_birth=TODAY - timedelta(days=rng.randint(30, 3600)), ethnicity=rng.choice(["WBRI", "MWBC", "BAFR"]),
        stage="placement_order" if n % 3 else "identified",
        po_date=TODAY - timedelta(days=rng.randint(10, 700)) if n % 3 else None) for n in range(CHILDREN)],
        batch_size=1000)
    categories = list(NeedCategory.objects.all()[:3])
    ChildNeed.objects.bulk_create([ChildNeed(child=c, category=cat, level=rng.choice(
        ["none", "mild", "moderate", "significant"])) for c in kids for cat in categories], batch_size=1000)


def timed(fn) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    call_command("migrate", verbosity=0)
    raa = Organisation.objects.filter(code="BR", kind="raa").first()
    child = Child.objects.filter(la_child_id="B1").first()
    if raa is None or Household.objects.filter(raa=raa).count() != HOUSEHOLDS:
        raa, child = build()
    services.today = lambda: TODAY
    pool = profiles.household_pool(raa)
    ms, q = timed(lambda: profiles.household_profiles(pool, TODAY, searching_raa=raa))
    print(f"household_profiles, {HOUSEHOLDS} households: {ms:.0f} ms median, {q} queries")
    ms, q = timed(lambda: services.shortlist(child=child, actor=None, on=TODAY, spread=False, check_role=False))
    print(f"shortlist saved (profiles, ranking, {HOUSEHOLDS} entries): {ms:.0f} ms median, {q} queries")
    if Child.objects.filter(la__raa=raa, la_child_id__startswith="W").count() != CHILDREN:
        Child.objects.filter(la__raa=raa, la_child_id__startswith="W").delete()
        add_waiting_children(raa)
    household = pool.order_by("pk").first()
    ms, q = timed(lambda: profiles.children_for_household(household, TODAY))
    print(f"children_for_household, {CHILDREN} waiting children: {ms:.0f} ms median, {q} queries")
    ms, q = timed(lambda: profiles.sufficiency_figures(raa, TODAY))
    print(f"sufficiency_figures, {CHILDREN} children x {HOUSEHOLDS} households: {ms:.0f} ms median, {q} queries")


if __name__ == "__main__":
    main()
