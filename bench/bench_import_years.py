"""SSDA903 returns one year at a time: how long each upload takes as the history held grows.

    .venv/bin/python bench/bench_import_years.py               # 2,000 children, eight years
    .venv/bin/python bench/bench_import_years.py --large 500   # a smaller LA

Uses its own SQLite database (bench/data/import_years.sqlite3, recreated each run) unless DATABASE_URL is set.
A large LA's eight yearly returns are uploaded one at a time, oldest first into one LA and newest first into
another, as an RAA going live does. For each upload it prints the seconds, the children in the file per second,
the rows held before it and the children whose journeys it re-derived. The eighth upload should take about as
long as the first for the same number of children: each upload reads only the history of the children it holds.
Finally it checks that both LAs hold the same journeys.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
DB = ROOT / "bench" / "data" / "import_years.sqlite3"
if "DATABASE_URL" not in os.environ:
    DB.parent.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from permanence.children import services as child_services  # noqa: E402
from permanence.children.models import Child  # noqa: E402
from permanence.demo.journeys import generate  # noqa: E402
from permanence.demo.national import national_structure  # noqa: E402
from permanence.demo.ssda903_files import write_903_files  # noqa: E402
from permanence.interchange import services  # noqa: E402
from permanence.interchange.models import ReturnRow  # noqa: E402
from permanence.interchange.ssda903 import mapping  # noqa: E402
from permanence.organisations.loader import load_structure  # noqa: E402
from permanence.organisations.models import Organisation  # noqa: E402

TODAY = date(2026, 3, 15)
YEARS = list(range(2019, 2027))


def upload(la, folder: Path, year: int) -> tuple[float, dict]:
    tag = f"_{year - 1}-{str(year)[2:]}_"
    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if tag in p.name]
    held = ReturnRow.objects.filter(la=la).count()
    start = time.perf_counter()
    result = services.import_903(files=files, la=la, actor=None, on=TODAY, via="bench", validate=False)
    took = time.perf_counter() - start
    if not result.ok:
        raise SystemExit(f"import refused: {[f.message for f in result.errors[:5]]}")
    return took, {**result.summary, "held_before": held}


def journeys(la) -> dict:
    return {c.la_child_id: mapping.comparable(child_services.event_facts(c)) for c in Child.objects.filter(la=la)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    structure = national_structure(2026, las=3, raas=1)
    load_structure(structure)
    codes = [str(la["code"]) for raa in structure["raas"] for la in raa["las"]]
    print(f"SSDA903 one year at a time, on {os.environ['DATABASE_URL'].split('://')[0]}, today {TODAY}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        kids = generate(2026, TODAY, [(codes[0], args.large)])
        write_903_files(kids, tmp, today=TODAY, years=YEARS)
        folder = Path(tmp) / codes[0]
        for label, code, years in (("oldest first", codes[0], YEARS), ("newest first", codes[1], YEARS[::-1])):
            la = Organisation.objects.get(kind="la", code=code)
            print(f"\n{label} into LA {code} ({len(kids):,} children generated):", flush=True)
            print("   year     seconds  children  children/s  rows held before  events +/~/-", flush=True)
            for y in years:
                took, s = upload(la, folder, y)
                n = s["children_in_files"]
                print(f"   {y - 1}/{str(y)[2:]}  {took:7.2f}  {n:8,}  {n / took if took else 0:10,.0f}  "
                      f"{s['held_before']:16,}  {s['events_added']:,}/{s['events_updated']:,}/"
                      f"{s['events_withdrawn']:,}", flush=True)
        same = journeys(Organisation.objects.get(code=codes[0])) == journeys(Organisation.objects.get(code=codes[1]))
        print(f"\nboth orders give the same journeys: {same}", flush=True)
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
