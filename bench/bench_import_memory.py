"""SSDA903 import: peak memory of one upload (about 7 MB with --children 26000), and how it grows with the upload.

    .venv/bin/python bench/bench_import_memory.py                 # about 0.8 MB: a dry run with the DfE rules
    .venv/bin/python bench/bench_import_memory.py --children 26000  # about 7 MB (the issue's upload)
    .venv/bin/python bench/bench_import_memory.py --children 1000  # a smaller upload, to see the growth
    .venv/bin/python bench/bench_import_memory.py --no-dfe         # Permanence's own checks only
    .venv/bin/python bench/bench_import_memory.py --sizes 3200,12800 --job   # 1× and 4×: is the growth flat?

--sizes runs each size in its own process (as above) and compares the peaks: the importing process's growth
during the import (peak less the resident set before it) and the DfE validator's worker processes' peak; the
growth counts as flat when the 4× upload's is within 1.5× of the 1× upload's.

Each run is one process with its own SQLite database (bench/data/memory903.sqlite3, recreated) unless
DATABASE_URL is set. Synthetic children, five collection years of CSV tables. It reports the process's resident
set before the import and its peak during it (getrusage), and the traced Python peak (tracemalloc, --trace:
slower) of the import alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
DB = ROOT / "bench" / "data" / "memory903.sqlite3"
if "DATABASE_URL" not in os.environ:
    DB.parent.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from permanence.demo.journeys import generate  # noqa: E402
from permanence.demo.national import national_structure  # noqa: E402
from permanence.demo.ssda903_files import write_903_files  # noqa: E402
from permanence.interchange import services  # noqa: E402
from permanence.organisations.loader import load_structure  # noqa: E402
from permanence.organisations.models import Organisation  # noqa: E402

TODAY = date(2026, 3, 15)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


FLAT = 1.5  # the larger upload's growth within this multiple of the smaller's counts as flat


def compare(args) -> None:
    import json
    import subprocess

    sizes = [int(n) for n in args.sizes.split(",")]
    flags = [f for f, on in (("--no-dfe", args.no_dfe), ("--apply", args.apply), ("--job", args.job)) if on]
    seen = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--children", str(n), "--json", *flags],  # noqa: S603
                             capture_output=True, text=True, check=True).stdout
        lines = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
        seen.append(json.loads(lines[-1][7:]))
        print("\n".join(ln for ln in out.splitlines() if ln.startswith(("SSDA903", "   "))), flush=True)
    small, large = seen[0], seen[-1]
    ratio = large["mb"] / small["mb"]
    growth = (large["peak"] - large["before"]) / max(small["peak"] - small["before"], 1)
    worker = large["workers"] / small["workers"] if small["workers"] else 0
    print(f"\n{large['mb']:.1f} MB is {ratio:.1f}× {small['mb']:.1f} MB: the importing process grew "
          f"{small['peak'] - small['before']:.0f} MB → {large['peak'] - large['before']:.0f} MB during the import "
          f"({growth:.1f}×), peak {small['peak']:.0f} → {large['peak']:.0f} MB; the validator workers' peak "
          f"{small['workers']:.0f} → {large['workers']:.0f} MB ({worker:.1f}×, one collection year at a time)")
    print(f"   flat (the importing process's growth within {FLAT}× for {ratio:.1f}× the upload): "
          f"{'yes' if growth <= FLAT else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=3200,
                        help="children in the LA (3,200 ≈ 0.8 MB; 26,000 ≈ 7 MB)")
    parser.add_argument("--no-dfe", action="store_true")
    parser.add_argument("--trace", action="store_true", help="also the traced Python peak (slower)")
    parser.add_argument("--apply", action="store_true", help="apply the import instead of a dry run")
    parser.add_argument("--job", action="store_true", help="as the site runs it: the web side queues a job "
                                                           "(upload stored), then the worker side runs it")
    parser.add_argument("--sizes", help="children per run, e.g. 3200,12800: each in its own process, compared")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sizes:
        return compare(args)
    call_command("migrate", verbosity=0)
    structure = national_structure(2026, las=2, raas=1)
    load_structure(structure)
    code = str(structure["raas"][0]["las"][0]["code"])
    la = Organisation.objects.get(kind="la", code=code)
    with tempfile.TemporaryDirectory() as tmp:
        kids = generate(2026, TODAY, [(code, args.children)])
        write_903_files(kids, tmp, today=TODAY, years=[2022, 2023, 2024, 2025, 2026])
        del kids
        paths = sorted((Path(tmp) / code).iterdir())
        size = sum(p.stat().st_size for p in paths)
        before = current_rss_mb()
        peak_before = rss_mb()
        if args.trace:
            tracemalloc.start()
        start = time.perf_counter()
        # What the job reads: (name, binary file) pairs, opened not read.
        handles = [(p.name, p.open("rb")) for p in paths]
        if args.job:
            from django.test import override_settings

            from permanence.interchange import jobs as import_jobs
            from permanence.interchange.models import ImportBatch
            from permanence.jobs import services as jobs

            with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
                job = import_jobs.start_import(files=handles, la=la, actor=None, dry_run=not args.apply,
                                               validate=not args.no_dfe)
            print(f"   web side (store the upload, queue the job): {time.perf_counter() - start:.1f} s, "
                  f"process peak {rss_mb():.0f} MB (+{rss_mb() - peak_before:.0f} MB)")
            jobs.run(job.pk)
            job.refresh_from_db()
            if job.state != job.State.SUCCEEDED:
                raise SystemExit(f"the job failed: {job.error}")
            result = type("R", (), {"batch": ImportBatch.objects.get(pk=job.result["batch"])})()
            result.summary = result.batch.summary
        else:
            result = services.import_903(files=handles, la=la, actor=None, on=TODAY, via="bench",
                                         validate=not args.no_dfe, dry_run=not args.apply)
        took = time.perf_counter() - start
        for _, h in handles:
            h.close()
        traced = tracemalloc.get_traced_memory()[1] if args.trace else None
        print(f"SSDA903 {'import' if args.apply else 'dry run'} {'without' if args.no_dfe else 'with'} the DfE "
              f"rules: {len(paths)} files, {size / 1024 / 1024:.1f} MB, "
              f"{result.summary['children_in_files']:,} children, {result.batch.get_status_display()}")
        print(f"   took {took:.1f} s; resident before {before:.0f} MB (peak so far {peak_before:.0f} MB), "
              f"process peak {rss_mb():.0f} MB"
              + (f"; traced Python peak {traced / 1024 / 1024:.0f} MB" if traced is not None else ""))
        workers = 0.0
        try:
            from permanence.interchange import dfe_pool

            workers = max(dfe_pool.worker_peaks_kb, default=0) / 1024
        except ImportError:  # before the validator had worker processes: it ran in this process
            pass
        if workers:
            print(f"   the DfE validator's worker processes: peak {workers:.0f} MB each at most")
        if args.json:
            import json

            print("RESULT " + json.dumps({"mb": size / 1024 / 1024, "before": before, "peak": rss_mb(),
                                          "workers": workers, "children": result.summary["children_in_files"]}))


if __name__ == "__main__":
    main()
