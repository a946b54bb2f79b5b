"""The budgets of issue 17 ("Every page within budget at national scale") and how a benchmark reports against them.

Each benchmark measures its row RUNS times (BENCH_RUNS, default 3: the machine is noisy) and prints, per row, the
minimum and the median over the runs of each run's figure, the budget, and MET or NOT MET: a budget is met when
the median of the runs is within it. A budget on "p95" is met by each run's 95th percentile; the others by each
run's median (one request, or one call, of the page or job).

    from budgets import BUDGETS, runs_report
    runs = [measure(...)[0] for _ in range(RUNS)]          # each run: a list of times in ms
    runs_report("Board dashboard, one RAA", runs, queries, status, BUDGETS["dashboard"])
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


@dataclass(frozen=True)
class Budget:
    ms: float
    stat: str = "median"  # "p95" or "median": which figure of a run the budget is for

    def __str__(self) -> str:
        return f"{self.stat} < {self.ms:,.0f} ms"


BUDGETS = {
    "dashboard": Budget(150, "p95"),          # the board dashboard, one RAA
    "scorecard": Budget(150, "p95"),          # the scorecard page, RAA
    "members": Budget(250),                   # the members' report
    "drill": Budget(250, "p95"),              # drill-down A2
    "report_all": Budget(500),                # `permanence report scorecard --all`, in the function
    "load": Budget(200, "p95"),               # 50 people, 1–3 s think time; and no error
}
DUCKDB_RATIO = 3.0  # the national scorecard (scorecard_by_la) at most 3× DuckDB's time on the same rows


def p95(times: list[float]) -> float:
    times = sorted(times)
    return times[max(0, int(len(times) * 0.95) - 1)]


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


def runs_report(label: str, runs: list[list[float]], queries: int, status: int, budget: Budget | None) -> bool:
    """One line per row: min and median over the runs of each run's median and p95; the budget and MET / NOT MET.
    Returns whether the budget is met (True when the row has none)."""
    medians = [statistics.median(r) for r in runs]
    p95s = [p95(r) for r in runs]
    line = (f"{label:<52} median {min(medians):7.1f} / {statistics.median(medians):7.1f} ms   "
            f"p95 {min(p95s):7.1f} / {statistics.median(p95s):7.1f} ms   {queries:3d} queries   HTTP {status}")
    met = True
    if budget is not None:
        figure = statistics.median(p95s if budget.stat == "p95" else medians)
        met = figure < budget.ms and status < 400
        line += f"   budget {budget}: {verdict(met)}"
    print(line)
    return met


def header(runs: int = RUNS) -> None:
    print(f"Figures: min / median over {runs} runs (each run's median and 95th percentile); a budget is met by the "
          "median of the runs")
