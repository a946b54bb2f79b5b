"""SSDA903 import: children per second and peak memory.

    .venv/bin/python bench/bench_import_903.py            # one large LA, then the national set
    .venv/bin/python bench/bench_import_903.py --quick    # a smaller national set (20 LAs)
    .venv/bin/python bench/bench_import_903.py --large-only --runs 3   # the large LA only, three runs each

The budget (issue 17): an import with the DfE rules at 400 children/s or more on the 2-core machine; the large
LA's import with the rules prints it, min and median of --runs, and whether it is met. --processes sets the
validator's worker processes (SSDA903_VALIDATOR_PROCESSES; 0 runs it inline, after the mapping, as before).

Uses its own SQLite database (bench/data/import903.sqlite3, recreated each run) unless DATABASE_URL is set.
1. One large LA: about 2,000 synthetic children, five collection years of 903 CSV tables, imported with the DfE
   validator (csc-validator-be-903) and without it, then imported again (nothing changes).
2. The national set: every LA of the national structure (60,000 children; --quick: 20 LAs, 8,000), one import
   per LA covering every year, without the DfE rules (add --dfe to run them too; about 40 s per LA).
Peak memory is the process's maximum resident set size (getrusage) after each step – and the validator's worker
processes' largest (RUSAGE_CHILDREN) – and the traced Python peak (tracemalloc) of the large-LA import.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
DB = ROOT / "bench" / "data" / "import903.sqlite3"
if "DATABASE_URL" not in os.environ:
    DB.parent.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from permanence.children.models import Child, JourneyEvent  # noqa: E402
from permanence.demo.journeys import generate  # noqa: E402
from permanence.demo.national import national_structure  # noqa: E402
from permanence.demo.ssda903_files import write_903_files  # noqa: E402
from permanence.interchange import services  # noqa: E402
from permanence.organisations.loader import load_structure  # noqa: E402
from permanence.organisations.models import Organisation  # noqa: E402

TODAY = date(2026, 3, 15)
BUDGET = 400  # children per second with the DfE rules (issue 17)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workers_mb() -> float:
    """The validator's worker processes' largest peak in the last import (they are the forkserver's children)."""
    from permanence.interchange import dfe_pool

    return max(dfe_pool.worker_peaks_kb, default=0) / 1024


STAGES: dict[str, float] = {}


def stage(what: str, done: int, total: int) -> None:
    STAGES.setdefault(what, time.perf_counter())


def spread(values: list[float]) -> str:
    return f"min {min(values):,.0f} / median {statistics.median(values):,.0f}"


def files_in(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


CPU: dict[str, float] = {}


def run(la, files, **kw):
    STAGES.clear()
    cpu = time.process_time()
    start = time.perf_counter()
    result = services.import_903(files=files, la=la, actor=None, on=TODAY, via="bench", progress=stage, **kw)
    took = time.perf_counter() - start
    STAGES["end"] = time.perf_counter()
    STAGES["start"] = start
    CPU["import"] = time.process_time() - cpu
    try:
        from permanence.interchange import dfe_pool

        CPU["workers"] = sum(dfe_pool.worker_cpu_seconds)
        CPU["longest"] = max(dfe_pool.worker_cpu_seconds, default=0.0)
    except ImportError:  # before the validator had worker processes
        CPU["workers"] = CPU["longest"] = 0.0
    if not result.ok:
        raise SystemExit(f"import refused: {[f.message for f in result.errors[:5]]}")
    return result, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dfe", action="store_true", help="Run the DfE rules in the national import too.")
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--large-only", action="store_true", help="Only the large LA (no national set).")
    parser.add_argument("--runs", type=int, default=1, help="Runs of each large-LA import with the DfE rules.")
    parser.add_argument("--processes", type=int, default=None,
                        help="The DfE validator's worker processes (0: inline, as before issue 17's item 7).")
    args = parser.parse_args()
    if args.processes is not None:
        from django.conf import settings

        settings.SSDA903_VALIDATOR_PROCESSES = args.processes
    call_command("migrate", verbosity=0)
    las = 20 if args.quick else 150
    children = 8000 if args.quick else 60_000
    raas = 4 if args.quick else 32
    structure = national_structure(2026, las=las + 1, raas=raas)
    load_structure(structure)
    codes = [str(la["code"]) for raa in structure["raas"] for la in raa["las"]]
    big_code, codes = codes[0], codes[1:]
    print(f"SSDA903 import benchmark on {os.environ['DATABASE_URL'].split('://')[0]}, today {TODAY}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        # 1. One large LA, five collection years.
        kids = generate(2026, TODAY, [(big_code, args.large)])
        write_903_files(kids, tmp, today=TODAY, years=[2022, 2023, 2024, 2025, 2026])
        files = files_in(Path(tmp) / big_code)
        size = sum(len(c) for _, c in files)
        la = Organisation.objects.get(kind="la", code=big_code)
        print(f"\n1. One large LA ({big_code}): {len(kids):,} children generated, five years, {len(files)} files, "
              f"{size / 1024 / 1024:.1f} MB", flush=True)
        dry = [run(la, files, validate=True, dry_run=True)[1] for _ in range(args.runs)]
        result, took = run(la, files, validate=False)
        n = result.summary["children_in_files"]
        print(f"   with the DfE rules (dry run, into an empty LA): {spread(dry)} s = "
              f"{spread([n / t for t in dry])} children/s", flush=True)
        print(f"   import without the DfE rules: {n:,} children, {result.summary['events_added']:,} events in "
              f"{took:.1f} s = {n / took:,.0f} children/s; process peak RSS {rss_mb():.0f} MB", flush=True)
        spare = Organisation.objects.get(kind="la", code=codes[0])
        tracemalloc.start()
        run(spare, files, validate=False, dry_run=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"   traced Python peak of the same import (dry run, into an empty LA): {peak / 1024 / 1024:.0f} MB",
              flush=True)
        again = []
        for _ in range(args.runs):
            result, took = run(la, files, validate=True)
            again.append(n / took)
        rate = statistics.median(again)
        marks = sorted(STAGES.items(), key=lambda kv: kv[1])
        print("   the last run's steps: " + ", ".join(f"{a} {t2 - t1:.1f} s" for (a, t1), (_, t2)
                                                    in zip(marks, marks[1:], strict=False) if a != "end"),
              flush=True)
        print(f"   import again with the DfE rules: {spread(again)} children/s; unchanged "
              f"{result.summary['unchanged_children']:,}, events added {result.summary['events_added']}; "
              f"process peak RSS {rss_mb():.0f} MB, the validator workers' peak RSS {workers_mb():.0f} MB", flush=True)
        own, workers = CPU["import"], CPU["workers"]
        idle = max(own, (own + workers) / 2, CPU["longest"])
        print(f"   the last run's processor time: the importing process {own:.1f} s, the validator's workers "
              f"{workers:.1f} s; on an idle 2-core machine about {idle:.1f} s = {n / idle:,.0f} children/s "
              f"(load average now {os.getloadavg()[0]:.1f})", flush=True)
        print(f"   budget: {BUDGET} children/s or more with the DfE rules – median {rate:,.0f}: "
              f"{'met' if rate >= BUDGET else 'NOT met'}", flush=True)
        if args.large_only:
            return

        # 2. The national set.
        per = children // len(codes)
        start = time.perf_counter()
        nat_dir = Path(tmp) / "national"
        all_kids = generate(2026, TODAY, [(c, per) for c in codes])
        write_903_files(all_kids, nat_dir, today=TODAY)
        print(f"\n2. National set: {len(codes)} LAs, {len(all_kids):,} children; 903 files written in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        del all_kids
        total_children = 0
        total_time = 0.0
        las_by_code = {o.code: o for o in Organisation.objects.filter(kind="la", code__in=codes)}
        for i, code in enumerate(codes, start=1):
            result, took = run(las_by_code[code], files_in(nat_dir / code), validate=args.dfe)
            total_children += result.summary["children_in_files"]
            total_time += took
            if i % 10 == 0 or i == len(codes):
                print(f"   {i} LAs: {total_children:,} children in {total_time:.1f} s = "
                      f"{total_children / total_time:,.0f} children/s; process peak RSS {rss_mb():.0f} MB",
                      flush=True)
        print(f"   database: {Child.objects.count():,} children, "
              f"{JourneyEvent.objects.count():,} events", flush=True)


if __name__ == "__main__":
    main()
