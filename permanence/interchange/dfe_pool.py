"""The DfE validator beside the import, not after it (issue 17, item 7).

The importer hands each collection year of the upload to the validator once (`dfe.prepare_year`: the year's
tables as CSV files in a folder of its own, and the previous year's as "Prev year"), as soon as the files are
read and their years known, and goes on with its own checks, mapping and planning while a pool of worker
processes (SSDA903_VALIDATOR_PROCESSES, 2 by default: the two cores) runs the rules, the largest year first.
It collects the findings after its own work; they are the same warnings, with the same messages, as when the
validator ran inline (SSDA903_VALIDATOR_PROCESSES = 0, as the tests check).

The workers are forked from a forkserver (spawn where there is none) that has imported only pandas and the
validator's rulesets: no Django, no database connection is shared with them, and they read only the CSVs.
The pool lives for one upload; its pandas memory is the worker's, one collection year at a time, and is given
back when the upload is done. A worker that fails or dies takes only the DfE findings of its years with it: the
import's own checks and result stand, and the batch's notes say which years the rules did not run on.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings

from permanence.interchange.ssda903 import dfe
from permanence.interchange.ssda903 import tables as T
from permanence.interchange.ssda903.parse import Finding

logger = logging.getLogger(__name__)
DEFAULT_PROCESSES = 2
TASK: Callable[[dfe.YearTask], dfe.YearResult] = dfe.run_year  # what a worker runs (tests put a failing one)
_preloaded = False
_main_lock = threading.Lock()
FOLDER: str | None = None  # where the years' CSV folders go (None: the system's temporary directory)
worker_peaks_kb: list[int] = []  # the workers' peak resident sets seen by the last validation (benchmarks)
worker_cpu_seconds: list[float] = []  # and the processor time of each year it ran there


def processes() -> int:
    """Worker processes for the validator: 0 runs it inline, in the importing process, after the mapping."""
    return max(0, int(getattr(settings, "SSDA903_VALIDATOR_PROCESSES", DEFAULT_PROCESSES)))


@contextlib.contextmanager
def _main_unseen():
    """While the workers start, multiprocessing does not see the program's main script, so that a worker does
    not run it again (a script's top level – a benchmark's Django setup, say – has no business in a worker that
    needs only the validator). What a worker runs (TASK) is always a module's function, never the script's."""
    main = sys.modules.get("__main__")
    with _main_lock:
        saved = {k: main.__dict__[k] for k in ("__spec__", "__file__") if main is not None and k in main.__dict__}
        try:
            if main is not None:
                main.__dict__.pop("__file__", None)
                main.__spec__ = None
            yield
        finally:
            if main is not None:
                main.__dict__.update(saved)
                if "__spec__" not in saved:
                    main.__dict__.pop("__spec__", None)


def _context():
    global _preloaded
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    if not _preloaded:
        # pandas and the rulesets only: Python 3.11's forkserver looks for modules from the directory it was
        # started in first, so Permanence's own modules are imported by each worker, from the program's path.
        ctx.set_forkserver_preload(["pandas", f"lac_validator.rules.{dfe.latest_ruleset()}"])
        _preloaded = True
    return ctx


class Validation:
    """One upload's validation: started with every year's task, then collected (`results`) and closed."""

    def __init__(self, years: list[int], tasks: dict[int, tuple[dfe.YearTask, dfe.Sources] | Exception],
                 folder: str | None, workers: int):
        self.years = years
        self.tasks = tasks
        self.folder = folder
        self.futures: dict[int, Future] = {}
        self.peaks: list[int] = []
        self.cpu: list[float] = []
        self.executor: ProcessPoolExecutor | None = None
        ready = sorted((t[0] for t in tasks.values() if not isinstance(t, Exception)), key=lambda t: -t.rows)
        if workers and ready:
            try:
                self.executor = ProcessPoolExecutor(max_workers=min(workers, len(ready)), mp_context=_context(),
                                                    initializer=dfe.warm)
                with _main_unseen():  # the workers start as the first tasks are submitted
                    for task in ready:  # the largest year first: the two workers finish nearer together
                        self.futures[task.year] = self.executor.submit(TASK, task)
            except Exception:  # noqa: BLE001 - no pool here (a sandbox, no /dev/shm): run inline instead
                logger.warning("The DfE validator's worker processes could not start; running it inline.",
                               exc_info=True)
                self._shutdown()
                self.futures = {}

    @property
    def pooled(self) -> bool:
        return bool(self.futures)

    def _result(self, year: int) -> tuple[list[Finding], str]:
        label = T.year_label(year)
        prepared = self.tasks[year]
        try:
            if isinstance(prepared, Exception):
                raise prepared
            task, sources = prepared
            result = self.futures[year].result() if self.pooled else TASK(task)
        except BrokenProcessPool as exc:
            return [], (f"{label}: the DfE validator's worker process stopped before it finished "
                        f"({type(exc).__name__}), so the DfE rules were not run on this year. Permanence's own "
                        "checks ran in full.")
        except Exception as exc:  # noqa: BLE001 - the validator must never turn bad input into a traceback
            return [], f"{label}: the DfE validator could not run on these tables ({type(exc).__name__})."
        if self.pooled:
            self.peaks.append(result.peak_rss_kb)
            self.cpu.append(result.cpu_seconds)
        found = dfe.findings_of(result, sources)
        return found, f"{label}: {result.note}: {len(found)} findings."

    def results(self, step: Callable[[str, int, int], None]) -> tuple[list[Finding], list[str]]:
        """Every year's findings and notes, in year order; the progress moves as each year is collected (in
        the order the years were started)."""
        step("validate", 0, len(self.years))
        order = [y for y in self.futures] + [y for y in self.years if y not in self.futures]
        by_year = {}
        for done, year in enumerate(order, start=1):
            by_year[year] = self._result(year)
            step("validate", done, len(self.years))
        findings: list[Finding] = []
        notes = []
        for year in self.years:
            found, note = by_year[year]
            findings += found
            notes.append(note)
        return findings, notes

    def _shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def close(self) -> None:
        worker_peaks_kb[:] = self.peaks
        worker_cpu_seconds[:] = self.cpu
        self._shutdown()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def start(years_tables: list[tuple[int, dict, dict | None]], la_code: str) -> Validation:
    """Prepare every year (year, this year's tables, the previous year's) once, and start the pool on them."""
    workers = processes()
    folder = tempfile.mkdtemp(prefix="permanence-903-", dir=FOLDER) if workers else None
    tasks: dict[int, tuple[dfe.YearTask, dfe.Sources] | Exception] = {}
    for year, this, prev in years_tables:
        try:
            tasks[year] = dfe.prepare_year(this, prev, year, la_code, folder)
        except Exception as exc:  # noqa: BLE001 - said in the year's note, as a failure of the validator
            tasks[year] = exc
    return Validation([y for y, _, _ in years_tables], tasks, folder, workers)
