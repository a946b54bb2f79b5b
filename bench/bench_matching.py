"""The family-finding engine at national scale: 5,000 waiting households and 3,000 waiting children.

    .venv/bin/python bench/bench_matching.py

No database: the profiles are generated here (fixed seed) in the shape of the national synthetic set
(permanence/demo: the children's ages, sibling groups, needs and heritage from demo.journeys, the
households' capacity profiles and heritage from demo.households), spread over 32 RAAs and 150 LAs with
postcode districts drawn from the shipped centroid table (weighted by how many postcodes each has).
Times, as medians of several runs on this machine:
  * rank_households for one child over 5,000 households      budget 50 ms
  * rank_children for one household over 3,000 children      budget 50 ms
  * sufficiency over 3,000 children x 5,000 households       budget 3 s
and, for information, explanation() of one full ranking and first_place_counts for one RAA's children.
"""

from __future__ import annotations

import itertools
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from permanence.demo.households import _ETH as ADOPTER_ETH  # noqa: E402
from permanence.demo.households import _ETH_CUM as ADOPTER_ETH_CUM  # noqa: E402
from permanence.demo.households import _REL, _REL_CUM, LANGUAGES  # noqa: E402
from permanence.demo.journeys import _ETH_CODES, _ETH_CUM, NEED_CODES, _weighted  # noqa: E402
from permanence.family_finding import matching as m  # noqa: E402
from permanence.family_finding import postcodes, sufficiency  # noqa: E402

TODAY = date(2026, 6, 1)
SEED = 11
RAAS = [f"R{i:02d}" for i in range(1, 33)]
VAAS = [f"V{i:02d}" for i in range(1, 9)]
LEVELS = m.LEVELS


def _districts(rng: random.Random) -> list[str]:
    table = postcodes.centroids()
    with postcodes.TABLE.open(encoding="utf-8") as f:
        rows = [line.strip().split(",") for line in f if not line.startswith(("#", "district"))]
    weights = {r[0]: int(r[3]) for r in rows}
    names = sorted(d for d in table if d in weights)
    cum = list(itertools.accumulate(weights[d] for d in names))
    return [_weighted(rng, cum, names) for _ in range(400)]


def national_profiles(seed: int = SEED, households: int = 5000, children: int = 3000,
                      viewer: str = "R01") -> tuple[list[m.ChildProfile], list[m.HouseholdProfile]]:
    rng = random.Random(f"bench-matching/{seed}")
    districts = _districts(rng)
    las = [str(c) for c in sorted(rng.sample(range(201, 1000), 150))]
    district_la = {d: rng.choice(las) for d in districts}

    hh = []
    for i in range(households):
        agency = rng.choice(VAAS) if rng.random() < 0.1 else rng.choice(RAAS)
        kind = "vaa" if agency.startswith("V") else "own_raa" if agency == viewer else "other_raa"
        r = rng.random()
        most = 1 if r < 0.55 else 2 if r < 0.9 else 3 if r < 0.98 else 4
        fewest = 2 if most >= 2 and rng.random() < 0.3 else 1
        age_min = rng.choice((0, 0, 0, 0, 1, 2, 3))
        eth = [_weighted(rng, ADOPTER_ETH_CUM, ADOPTER_ETH) for _ in range(rng.choice((1, 2)))]
        any_heritage = rng.random() < 0.7
        heritages = None if any_heritage else frozenset(
            {e for e in eth if e not in ("REFU", "NOBT")} | set(rng.sample(ADOPTER_ETH[:18], rng.randint(1, 4))))
        district = rng.choice(districts)
        declines = ()
        if rng.random() < 0.1:
            declines = tuple(m.Decline(TODAY - timedelta(days=rng.randint(5, 400)),
                                       rng.choice(("travel distance", "the child's needs", "contact plan")),
                                       children=rng.choice((1, 1, 2)), age_months=rng.randint(0, 60))
                             for _ in range(rng.randint(1, 2)))
        open_links = rng.choices((0, 1, 2, 3, 4), (60, 25, 10, 4, 1))[0]
        contact = {k for k, p in (("letterbox", 0.92), ("direct", 0.3), ("sibling", 0.45)) if rng.random() < p}
        hh.append(m.HouseholdProfile(
            key=f"H{i:05d}", agency_code=agency, agency_kind=kind,
            inter_agency_fee=None if kind == "own_raa" else (39245 if kind == "vaa" else 27000),
            status=rng.choices(("approved", "on_hold", "paused"), (88, 6, 6))[0],
            approved_on=TODAY - timedelta(days=rng.randint(10, 900)),
            children_min=fewest, children_max=most, age_min_years=age_min,
            age_max_years=min(17, age_min + rng.randint(2, 7)), sibling_groups=most > 1,
            sexes="any" if rng.random() < 0.8 else rng.choice(("M", "F")), heritages=heritages,
            ethnicities=tuple(eth), religions=(_weighted(rng, _REL_CUM, _REL),),
            religion_openness=rng.choice(("any", "Christian", "any", "")),
            languages=tuple(LANGUAGES.get(eth[0], "English").split(", ")),
            contact=frozenset(contact), early_permanence_willing=rng.random() < 0.15,
            early_permanence_approved=rng.random() < 0.1,
            needs_accepted={c: _weighted(rng, (15, 55, 90, 100), LEVELS) for c in NEED_CODES},
            district=district, la=district_la[district], max_travel_miles=rng.choice((None, 25, 50, 50, 100, 150)),
            open_links=open_links, linked_matched=1 if rng.random() < 0.05 else 0, capacity=1,
            previous_adopters=rng.random() < 0.12,
            needs_parented=frozenset(rng.sample(NEED_CODES, rng.randint(0, 3))) if rng.random() < 0.3 else frozenset(),
            declines=declines,
        ))

    kids = []
    for i in range(children):
        r = rng.random()
        size = 3 if r < 0.03 else 2 if r < 0.15 else 1
        r = rng.random()
        youngest = (rng.randint(0, 11) if r < 0.35 else rng.randint(12, 35) if r < 0.65
                    else rng.randint(36, 59) if r < 0.85 else rng.randint(60, 119))
        ages = tuple(youngest + k * rng.randint(11, 36) for k in range(size))
        needs = {}
        for code in NEED_CODES:
            x = rng.random()
            needs[code] = "none" if x < 0.58 else "mild" if x < 0.86 else "moderate" if x < 0.97 else "significant"
        eth = _weighted(rng, _ETH_CUM, _ETH_CODES)
        ref = rng.choice(districts)
        la = district_la[ref]
        contact = {k for k, p in (("letterbox", 0.9), ("direct", 0.15), ("sibling", 0.3 if size == 1 else 0.1))
                   if rng.random() < p}
        kids.append(m.ChildProfile(
            key=f"C{i:05d}", children=size, ages_months=ages, sexes=tuple(rng.choice("MF") for _ in ages),
            ethnicities=(eth,), religion=rng.choice(("", "", "Christian", "No religion", "Muslim")),
            languages=("English",) if rng.random() < 0.8 else (),
            needs=needs, contact=frozenset(contact),
            early_permanence=rng.choices(("", "possible", "needed"), (85, 10, 5))[0],
            not_in_las=frozenset({la}) if rng.random() < 0.3 else frozenset(),
            not_in_places=frozenset({postcodes.area_of(ref)}) if rng.random() < 0.05 else frozenset(),
            max_distance_miles=rng.choice((None, None, 50, 100, 150)),
            min_distance_miles=rng.choice((None, None, None, 10, 20)),
            reference_district=ref, la=la, raa=viewer if i < 100 else rng.choice(RAAS),
            waiting_since=TODAY - timedelta(days=rng.randint(0, 700)),
        ))
    return kids, hh


def timed(fn, repeats: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU milliseconds of `repeats` calls (CPU time shows the cost when the machine is
    shared: the wall-clock figure then includes waiting for a core)."""
    out = None
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), out


def over(fn, samples, repeats: int = 3) -> tuple[float, float]:
    """Median over the samples of each sample's median (wall, CPU)."""
    runs = [timed(lambda x=x: fn(x), repeats)[:2] for x in samples]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    start = time.perf_counter()
    children, households = national_profiles()
    print(f"generated {len(children)} child and {len(households)} household profiles in "
          f"{time.perf_counter() - start:.2f} s (not timed below)")
    w = m.DEFAULT_WEIGHTS
    rng = random.Random(1)
    sample_children = rng.sample(children, 7)
    sample_households = rng.sample(households, 7)

    rows = []
    ranking = m.rank_households(sample_children[0], households, w, TODAY, cap=3)
    rows.append(("rank_households: 1 child x 5,000 households",
                 *over(lambda c: m.rank_households(c, households, w, TODAY, cap=3), sample_children), 50,
                 f"median of 7 children x 3 runs; e.g. {len(ranking.ranked)} ranked, {len(ranking.excluded)} excluded"))
    rows.append(("rank_children: 1 household x 3,000 children",
                 *over(lambda h: m.rank_children(h, children, w, TODAY, cap=3), sample_households), 50,
                 "median of 7 households x 3 runs"))
    wall, cpu, suff = timed(lambda: sufficiency.sufficiency(children, households, TODAY, cap=3), 3)
    rows.append(("sufficiency: 3,000 children x 5,000 households", wall, cpu, 3000,
                 f"{len(suff.children_without_household)} children with no household, "
                 f"{len(suff.households_without_child)} households with no child"))
    wall, cpu, _ = timed(lambda: m.explanation(ranking), 3)
    rows.append(("explanation of one full ranking (all words)", wall, cpu, None, ""))
    own = [c for c in children if c.raa == "R01"]
    wall, cpu, _ = timed(lambda: m.first_place_counts(own, households, w, TODAY, cap=3), 1)
    rows.append((f"first_place_counts: {len(own)} children x 5,000 households", wall, cpu, None, ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'':<{width}}  {'wall ms':>9}  {'CPU ms':>9}")
    for label, ms, cpu_ms, budget, note in rows:
        verdict = "" if budget is None else ("  within budget" if ms <= budget else "  OVER BUDGET")
        limit = "" if budget is None else f"  (budget {budget:,} ms)"
        print(f"{label:<{width}}  {ms:9.1f}  {cpu_ms:9.1f}{limit}{verdict}{'  – ' + note if note else ''}")


if __name__ == "__main__":
    main()
