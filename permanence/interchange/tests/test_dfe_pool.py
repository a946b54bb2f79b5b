"""The DfE validator beside the import (issue 17, item 7): each collection year validated once per upload, in
worker processes or inline with the same findings, and a validator that fails leaving the import's own result."""

import os

import numpy as np
import pandas as pd
import pytest
from django.test import override_settings

from permanence.children.models import Child
from permanence.interchange import dfe_pool, services
from permanence.interchange.models import ImportBatch
from permanence.interchange.ssda903 import dfe, dfe_pandas
from permanence.interchange.tests import failing_validator
from permanence.interchange.tests.helpers import TODAY, files_903, kids, state_of_db

pytestmark = pytest.mark.skipif(not dfe.available(), reason="the DfE validator is not installed")
YEARS = [2024, 2025]


@pytest.fixture(scope="module")
def generated():
    return kids(count=30, seed=5)


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    """The validator's CSV folders go under tmp_path, to see that none is left behind."""
    monkeypatch.setattr(dfe_pool, "FOLDER", str(tmp_path))
    return tmp_path


def do_import(files, la, processes, **kw):
    with override_settings(SSDA903_VALIDATOR_PROCESSES=processes):
        return services.import_903(files=files, la=la, actor=None, on=TODAY, validate=True, **kw)


def comparable(result):
    return [f.as_dict() for f in result.findings], result.batch.notes, result.summary


@pytest.mark.django_db
def test_the_findings_are_the_same_in_the_pool_and_inline(region, generated, own_tmp):
    files = files_903(generated, YEARS)
    pooled = do_import(files, region.la, 2, dry_run=True)
    inline = do_import(files, region.la, 0, dry_run=True)
    assert pooled.ok and inline.ok
    assert comparable(pooled) == comparable(inline)
    dfe_findings = [f for f in pooled.findings if f.rule]
    assert dfe_findings and {f.year for f in dfe_findings} == set(YEARS)
    assert all(f.severity == "warning" and f.file and f.row for f in dfe_findings)
    assert list(own_tmp.iterdir()) == []  # the year's CSVs are gone with the pool


@pytest.mark.django_db
def test_the_faster_groupby_gives_the_validators_own_findings(region, generated, monkeypatch):
    parsed = services.parse.parse_files(files_903(generated, YEARS))
    services.mapping.assign_years(parsed)
    by_year = {}
    for tf in parsed.tables:
        by_year.setdefault(tf.year, {})[tf.table] = tf.rows
    fast = dfe.validate_year(by_year[2025], by_year[2024], 2025, "901")
    import contextlib

    monkeypatch.setattr(dfe_pandas, "faster_groupby", contextlib.nullcontext)
    assert dfe.validate_year(by_year[2025], by_year[2024], 2025, "901") == fast
    assert fast[0]


@pytest.mark.parametrize("processes", [0, 2], ids=["inline", "pool"])
@pytest.mark.django_db
def test_each_year_is_validated_once_per_upload(region, generated, monkeypatch, processes):
    prepared, ran = [], []
    prepare = dfe.prepare_year
    monkeypatch.setattr(dfe, "prepare_year", lambda this, prev, year, *a: prepared.append(year) or prepare(
        this, prev, year, *a))
    if processes == 0:
        monkeypatch.setattr(dfe_pool, "TASK", lambda task: ran.append(task.year) or dfe.run_year(task))
    files = files_903(generated, YEARS)  # four or more tables a year, one file each
    assert len(files) >= 2 * 4
    result = do_import(files, region.la, processes, dry_run=True)
    assert result.ok
    assert sorted(prepared) == YEARS
    if processes == 0:
        assert sorted(ran) == YEARS
    assert sum("DfE rules for" in n for n in result.batch.notes) == len(YEARS)


@pytest.mark.parametrize("task, said", [
    (failing_validator.dies, "the DfE validator's worker process stopped before it finished (BrokenProcessPool), "
                             "so the DfE rules were not run on this year. Permanence's own checks ran in full."),
    (failing_validator.raises, "the DfE validator could not run on these tables (RuntimeError)."),
], ids=["worker-dies", "worker-raises"])
@pytest.mark.django_db
def test_a_failing_validator_leaves_the_imports_own_checks_and_result(region, generated, monkeypatch, own_tmp,
                                                                      task, said):
    files = files_903(generated, YEARS)
    without = services.import_903(files=files, la=region.la, actor=None, on=TODAY, validate=False, dry_run=True)
    monkeypatch.setattr(dfe_pool, "TASK", task)
    result = do_import(files, region.la, 2)
    assert result.ok and result.batch.status == ImportBatch.Status.APPLIED
    assert [n for n in result.batch.notes if "DfE" in n] == [f"2023/24: {said}", f"2024/25: {said}"]
    # The import's own checks and result are what they are without the DfE rules.
    assert not [f for f in result.findings if f.rule]
    assert [f.as_dict() for f in result.findings] == [f.as_dict() for f in without.findings]
    assert result.summary == without.summary and result.summary["children_created"] > 0
    assert Child.objects.filter(la=region.la).count() == result.summary["children_created"]
    assert list(own_tmp.iterdir()) == []


@pytest.mark.django_db
def test_a_failing_import_changes_nothing(region, generated, monkeypatch, own_tmp):
    files = files_903(generated, YEARS)
    before = state_of_db()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_apply", broken)
    with pytest.raises(RuntimeError):
        do_import(files, region.la, 2)
    assert state_of_db() == before and not ImportBatch.objects.exists()
    assert list(own_tmp.iterdir()) == []  # the pool is shut down and its folder gone

    monkeypatch.setattr(services.mapping, "map_child", broken)  # fails while the validator runs
    with pytest.raises(RuntimeError):
        do_import(files, region.la, 2)
    assert state_of_db() == before and not ImportBatch.objects.exists()
    assert list(own_tmp.iterdir()) == []


def _frames(seed):
    rng = np.random.default_rng(seed)
    n = 400
    children = rng.choice([f"C{i}" for i in range(40)], n)
    days = rng.integers(0, 60, n).astype("timedelta64[D]") + np.datetime64("2020-01-01")
    decom = pd.Series(days).where(rng.random(n) > 0.15).to_numpy()  # some NaT
    return pd.DataFrame({"CHILD": children, "DECOM": decom, "N": rng.integers(0, 5, n).astype(float),
                         "I": rng.integers(0, 5, n)}, index=rng.permutation(np.arange(1000, 1000 + n)))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("column", ["DECOM", "N", "I"])
def test_the_vectorised_idxmin_and_idxmax_are_pandas_own(seed, column):
    df = _frames(seed)
    df.loc[df["CHILD"] == "C3", column] = np.nan if column != "I" else df[column]  # a group with no value
    for how in ("idxmin", "idxmax"):
        if column != "I" and seed % 2:  # drop the all-missing group: the vectorised path answers
            frame = df[df["CHILD"] != "C3"]
        else:
            frame = df
        try:
            expected = getattr(frame.groupby(["CHILD"])[column], how)(skipna=True)
        except (ValueError, TypeError):
            expected = None
        with dfe_pandas.faster_groupby():
            try:
                got = getattr(frame.groupby(["CHILD"])[column], how)(skipna=True)
            except (ValueError, TypeError):
                got = None
        if expected is None:
            assert got is None
        else:
            pd.testing.assert_series_equal(got, expected)
    assert dfe_pandas.SeriesGroupBy.idxmin is dfe_pandas.ORIGINAL["idxmin"]  # put back after


def test_the_vectorised_path_answers_for_what_it_was_checked_for(monkeypatch):
    calls = []
    monkeypatch.setitem(dfe_pandas.ORIGINAL, "idxmin", lambda self, **kw: calls.append(1))
    df = _frames(1)
    df = df[df["DECOM"].notna()]
    with dfe_pandas.faster_groupby():
        df.groupby("CHILD")["DECOM"].idxmin()
        assert calls == []
        df.groupby("CHILD")["DECOM"].idxmin(skipna=False)  # not what it was checked for: pandas' own
        assert calls == [1]


def test_the_worker_needs_no_django():
    """The worker's modules import nothing of Django (they must not reach the database)."""
    import subprocess
    import sys

    code = ("import sys; from permanence.interchange.ssda903 import dfe; dfe.warm(); "
            "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,  # noqa: S603
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_workers_start_without_the_programs_main_script():
    import sys
    from multiprocessing import spawn

    main = sys.modules["__main__"]
    before = (getattr(main, "__spec__", None), getattr(main, "__file__", None))
    with dfe_pool._main_unseen():
        data = spawn.get_preparation_data("worker")
        assert "init_main_from_name" not in data and "init_main_from_path" not in data
    assert (getattr(main, "__spec__", None), getattr(main, "__file__", None)) == before
