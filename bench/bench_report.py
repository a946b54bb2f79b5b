"""`permanence report scorecard --all` on the national-scale data set (A11–A13 included), against issue 17's
budget (bench/budgets.py: under 500 ms in the function).

    DATABASE_URL=sqlite:///bench/data/national.sqlite3 .venv/bin/python bench/bench_report.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national .venv/bin/python bench/bench_report.py

"In the function": the command run in this process (call_command: the figures for every LA and the JSON file
written), after one call to warm it. "Wall": the command as an operator runs it, in a new process (Python and
Django starting included), for comparison. BENCH_RUNS runs of each (default 3); prints min / median and MET /
NOT MET (the budget is for the median of the runs in the function).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}")
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)

from bench_children import ensure_data  # noqa: E402
from budgets import BUDGETS, RUNS, verdict  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from permanence.children.models import Child  # noqa: E402
from permanence.performance import views  # noqa: E402


def main() -> None:
    ensure_data()
    year = views.year_endings(timezone.localdate())[0]
    args = ["report", "scorecard", "--all", "--year-ending", str(year), "--format", "json"]
    print(f"Database: {connection.vendor}; {Child.objects.count():,} children; "
          f"`permanence {' '.join(args)}`; {RUNS} runs")
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "scorecard.json")
        with CaptureQueriesContext(connection) as ctx:
            call_command(*args, "--out", out, stderr=open(os.devnull, "w"))  # noqa: SIM115 - warm
        inside = []
        for _ in range(RUNS):
            start = time.perf_counter()
            call_command(*args, "--out", out, stderr=open(os.devnull, "w"))  # noqa: SIM115
            inside.append((time.perf_counter() - start) * 1000)
        wall = []
        for _ in range(RUNS):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "permanence", *args, "--out", out], check=True,  # noqa: S603
                           cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
            wall.append((time.perf_counter() - start) * 1000)
        size = Path(out).stat().st_size
    budget = BUDGETS["report_all"]
    met = statistics.median(inside) < budget.ms
    print(f"{'report scorecard --all, in the function':<52} min {min(inside):7.1f} / median "
          f"{statistics.median(inside):7.1f} ms   {len(ctx.captured_queries):3d} queries   {size:,} bytes   "
          f"budget < {budget.ms:,.0f} ms: {verdict(met)}")
    print(f"{'report scorecard --all, wall (a new process)':<52} min {min(wall):7.1f} / median "
          f"{statistics.median(wall):7.1f} ms")


if __name__ == "__main__":
    main()
