"""The national scorecard for every LA, timed, and checked against DuckDB computing the same figures from the
same rows (the practical floor for this query on this machine).

    .venv/bin/pip install -e '.[bench]'     # duckdb
    DATABASE_URL=sqlite:///bench/data/national.sqlite3 .venv/bin/python bench/bench_measures.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national .venv/bin/python bench/bench_measures.py

If the database has no children yet it is migrated and filled with `permanence generate --scale national`.
DuckDB reads the rows through its sqlite extension when it is installed; offline it cannot be downloaded, so
the rows are copied out of SQLite into a CSV file that DuckDB loads (load time printed, not counted).
Prints median times of `measures.scorecard_by_la` (one query for every LA), of `measures.scorecard` called once
per LA, of DuckDB's query, and the ratio; asserts that every LA's figures are equal. Issue 17's budget
(bench/budgets.py): scorecard_by_la at most 3× DuckDB, every figure equal; each is timed in BENCH_RUNS runs (default
3) of BENCH_REPEATS calls, and the min / median of the runs' medians printed, with MET / NOT MET (on the medians).
"""

from __future__ import annotations

import csv
import os
import statistics
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

import django  # noqa: E402

django.setup()

from budgets import DUCKDB_RATIO, RUNS, verdict  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from permanence.children.models import Child, JourneyEvent  # noqa: E402
from permanence.organisations.models import Organisation  # noqa: E402
from permanence.performance import measures, rules  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
YEAR_ENDING = int(os.environ.get("BENCH_YEAR_ENDING", "2026"))

DUCKDB_SQL = """
WITH m AS (
  SELECT child_id, la_id,
    min(date) FILTER (WHERE kind = 'entered_care') AS ec,
    max(date) FILTER (WHERE kind = 'placement_order') AS last_po,
    max(date) FILTER (WHERE kind = 'po_revoked') AS last_rev,
    max(date) FILTER (WHERE kind = 'match_decision') AS last_match,
    max(date) FILTER (WHERE kind = 'link_ended') AS last_le,
    max(date) FILTER (WHERE kind = 'placed_for_adoption') AS last_placed,
    arg_max(details, date) FILTER (WHERE kind = 'placed_for_adoption') AS placed_details,
    max(date) FILTER (WHERE kind = 'disruption') AS last_dis,
    max(date) FILTER (WHERE kind = 'adoption_order') AS ao
  FROM ev WHERE superseded = 0 AND date <= $end
  GROUP BY child_id, la_id
  HAVING max(date) FILTER (WHERE kind = 'adoption_order') BETWEEN $start AND $end
), d AS (
  SELECT *,
    CASE WHEN last_placed IS NULL OR last_dis >= last_placed THEN NULL ELSE last_placed END AS placed,
    CASE WHEN last_po IS NULL OR last_rev >= last_po THEN NULL ELSE last_po END AS po,
    CASE WHEN last_match IS NULL OR last_le >= last_match OR last_rev >= last_match OR last_dis >= last_match
         THEN NULL ELSE last_match END AS match
  FROM m
), e AS (
  SELECT *,
    CASE WHEN placed IS NULL THEN NULL
         WHEN json_extract(placed_details, '$.by_foster_carers')::VARCHAR = 'true'
              AND coalesce(json_extract_string(placed_details, '$.moved_in_with_carers'), '') <> ''
           THEN CAST(json_extract_string(placed_details, '$.moved_in_with_carers') AS DATE)
    END AS carers
  FROM d
)
SELECT la_id,
  count(*) AS adopted,
  sum(greatest(0, placed - ec)) FILTER (WHERE ec IS NOT NULL AND placed IS NOT NULL) AS a1_sum,
  count(*) FILTER (WHERE ec IS NOT NULL AND placed IS NOT NULL) AS a1_n,
  sum(greatest(0, coalesce(carers, placed) - ec)) FILTER (WHERE ec IS NOT NULL AND placed IS NOT NULL) AS a10_sum,
  sum(greatest(0, match - po)) FILTER (WHERE po IS NOT NULL AND match IS NOT NULL) AS a2_sum,
  count(*) FILTER (WHERE po IS NOT NULL AND match IS NOT NULL) AS a2_n,
  count(*) FILTER (WHERE ec IS NOT NULL AND placed IS NOT NULL AND placed < ec + INTERVAL (14) MONTH) AS a3_hits
FROM e GROUP BY la_id
"""


def ensure_data() -> None:
    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        print("No children: generating the national data set (this takes a few minutes)…", flush=True)
        call_command("generate", "--scale", "national")


def timed(fn, repeats=REPEATS):
    fn()  # warm
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def runs(fn, repeats=REPEATS):
    """BENCH_RUNS runs of `timed`: (the runs' medians, the last result)."""
    medians, result = [], None
    for _ in range(RUNS):
        median, result = timed(fn, repeats)
        medians.append(median)
    return medians, result


def min_median(medians: list[float]) -> str:
    return f"min {min(medians) * 1000:8.1f} / median {statistics.median(medians) * 1000:8.1f} ms"


def duckdb_connection():
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    db_path = connection.settings_dict["NAME"]
    try:
        con.execute("INSTALL sqlite; LOAD sqlite;")
        con.execute(f"ATTACH '{db_path}' AS src (TYPE sqlite, READ_ONLY)")
        con.execute("""CREATE TABLE ev AS SELECT e.child_id, c.la_id, e.kind, CAST(e.date AS DATE) AS date,
                       CAST(e.details AS VARCHAR) AS details, CAST(e.superseded AS INTEGER) AS superseded
                       FROM src.children_journeyevent e JOIN src.children_child c ON c.id = e.child_id""")
        how = "DuckDB's sqlite extension"
    except Exception:  # noqa: BLE001 – offline: the extension cannot be downloaded
        with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", delete=False) as f:
            writer = csv.writer(f)
            writer.writerow(["child_id", "la_id", "kind", "date", "details", "superseded"])
            rows = JourneyEvent.objects.values_list("child_id", "child__la_id", "kind", "date", "details", "superseded")
            import json

            for child_id, la_id, kind, day, details, superseded in rows.iterator(chunk_size=20000):
                writer.writerow([child_id, la_id, kind, day.isoformat(), json.dumps(details), int(superseded)])
            path = f.name
        con.execute(f"""CREATE TABLE ev AS SELECT * FROM read_csv('{path}', header=true, columns={{
            'child_id': 'BIGINT', 'la_id': 'BIGINT', 'kind': 'VARCHAR', 'date': 'DATE', 'details': 'VARCHAR',
            'superseded': 'INTEGER'}}, quote='"', escape='"')""")  # noqa: S608 (our own temporary file)
        os.unlink(path)
        how = "a CSV copy of the rows (the sqlite extension cannot be downloaded offline)"
    return con, how, time.perf_counter() - start


def main() -> None:
    ensure_data()
    las = list(Organisation.objects.filter(kind=Organisation.Kind.LA))
    print(f"Database: {connection.vendor}; {len(las)} LAs, {Child.objects.count():,} children, "
          f"{JourneyEvent.objects.count():,} events; scorecard for the 3 years ending 31 March {YEAR_ENDING}")

    with CaptureQueriesContext(connection) as ctx:
        measures.scorecard_by_la(YEAR_ENDING, las)
    all_runs, by_la = runs(lambda: measures.scorecard_by_la(YEAR_ENDING, las))
    t_all = statistics.median(all_runs)
    print(f"measures.scorecard_by_la (every LA, {len(ctx.captured_queries)} queries incl. thresholds): "
          f"{min_median(all_runs)}  {'within' if t_all < 2 else 'OVER'} the 2 s target")
    scopes = [measures.scope_for_la(la) for la in las]
    t_each, _ = timed(lambda: [measures.scorecard(s, YEAR_ENDING) for s in scopes], repeats=max(1, REPEATS // 2))
    print(f"measures.scorecard once per LA ({len(las)} calls):                  median {t_each * 1000:8.1f} ms")

    try:
        con, how, load = duckdb_connection()
    except ImportError:
        print("DuckDB is not installed (pip install -e '.[bench]'): no comparison")
        return
    period = rules.scorecard_period(YEAR_ENDING)
    params = {"start": period.start, "end": period.end}
    duck_runs, duck_rows = runs(lambda: con.execute(DUCKDB_SQL, params).fetchall())
    t_duck = statistics.median(duck_runs)
    print(f"DuckDB, same figures from the same rows (loaded via {how} in {load:.1f} s, not counted): "
          f"{min_median(duck_runs)}")
    ratios = [a / d for a, d in zip(all_runs, duck_runs, strict=True)]
    print(f"Ratio Permanence / DuckDB: {t_all / t_duck:.1f}× (run by run: min {min(ratios):.1f}×, median "
          f"{statistics.median(ratios):.1f}×)")

    # Same figures?
    r = rules.round_half_up
    duck = {}
    for la_id, adopted, a1_sum, a1_n, a10_sum, a2_sum, a2_n, a3_hits in duck_rows:
        duck[la_id] = {
            "children_adopted": (adopted, adopted),
            "A1": (r(a1_sum / a1_n) if a1_n else None, a1_n),
            "A10": (r(a10_sum / a1_n) if a1_n else None, a1_n),
            "A2": (r(a2_sum / a2_n) if a2_n else None, a2_n),
            "A3": (r(100 * a3_hits / a1_n) if a1_n else None, a1_n),
        }
    mismatches = 0
    adopted_total = 0
    for la in las:
        ours = {f.key: (f.value, f.n) for f in by_la[la.pk] if f.key in rules.SCORECARD_CHILD_KEYS}
        theirs = duck.get(la.pk, {"children_adopted": (0, 0), "A1": (None, 0), "A10": (None, 0),
                                  "A2": (None, 0), "A3": (None, 0)})
        adopted_total += ours["children_adopted"][0]
        if ours != theirs:
            mismatches += 1
            if mismatches <= 5:
                print(f"  MISMATCH {la.code}: ours {ours} DuckDB {theirs}")
    print(f"Figures compared for {len(las)} LAs ({adopted_total:,} children adopted): "
          f"{'all equal' if not mismatches else f'{mismatches} LAs differ'}")
    met = t_all / t_duck <= DUCKDB_RATIO and not mismatches
    print(f"budget: scorecard_by_la at most {DUCKDB_RATIO:g}× DuckDB, every figure equal: {verdict(met)}")
    assert mismatches == 0


if __name__ == "__main__":
    main()
