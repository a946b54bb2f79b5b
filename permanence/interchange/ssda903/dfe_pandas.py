"""A faster path for one pandas call the DfE validator's rules make often, with the same answers.

Many lac_validator rules pick each child's first or last episode with `df.groupby("CHILD")[col].idxmin()` /
`.idxmax()`. In pandas 1.5 a SeriesGroupBy's idxmin/idxmax runs a Python function per group (one per child):
half the validator's time on a large LA. `faster_groupby()` puts in its place, while the validator runs, a
vectorised version giving the same labels: per group, the index label of the first row holding the smallest
(largest) value, missing values skipped. Whenever a call is outside what it was checked for (skipna=False,
several keys, unsorted or NaN-keeping groupings, another dtype, a group with no value at all – pandas' own
answer there is NaN or an error), pandas' own method answers. `tests/test_dfe_pool.py` checks both give equal
Series on generated frames, and that the validator's findings are the same with and without it.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np
import pandas as pd
from pandas.core.groupby.generic import SeriesGroupBy

ORIGINAL = {"idxmin": SeriesGroupBy.idxmin, "idxmax": SeriesGroupBy.idxmax}
_lock = threading.Lock()
_depth = 0


def _vectorised(self, how: str, axis=0, skipna: bool = True):
    original = ORIGINAL[how].__get__(self, type(self))  # pandas' own (a property giving its wrapper)
    obj = self._selected_obj
    if (not skipna or axis not in (0, "index") or self.axis != 0 or len(self.grouper.groupings) != 1
            or not self.sort or not self.dropna or obj.dtype.kind not in "iufM" or obj.index.has_duplicates):
        return original(axis=axis, skipna=skipna)
    ids, _, ngroups = self.grouper.group_info
    if ngroups == 0:
        return original(axis=axis, skipna=skipna)
    values = obj.to_numpy()
    if values.dtype.kind == "M":
        valid = ~np.isnat(values)
        keys = values.view("i8")
    else:
        valid = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(len(values), bool)
        keys = values
    valid &= ids >= 0
    positions = np.flatnonzero(valid)
    k = keys[positions]
    if how == "idxmax":
        k = -k.astype(np.float64) if k.dtype.kind == "u" else -k
    group = ids[positions]
    order = np.lexsort((positions, k, group))
    group = group[order]
    if not len(group):
        return original(axis=axis, skipna=skipna)
    first = np.r_[True, group[1:] != group[:-1]]
    if int(first.sum()) != ngroups:  # a group with no value: pandas' own answer
        return original(axis=axis, skipna=skipna)
    chosen = positions[order][first]
    return pd.Series(obj.index[chosen], index=self.grouper.result_index, name=obj.name)


def idxmin(self, axis=0, skipna: bool = True):
    return _vectorised(self, "idxmin", axis, skipna)


def idxmax(self, axis=0, skipna: bool = True):
    return _vectorised(self, "idxmax", axis, skipna)


@contextlib.contextmanager
def faster_groupby():
    """The vectorised idxmin/idxmax in place for the duration (nested and threaded uses are counted)."""
    global _depth
    with _lock:
        _depth += 1
        SeriesGroupBy.idxmin, SeriesGroupBy.idxmax = idxmin, idxmax
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if not _depth:
                SeriesGroupBy.idxmin, SeriesGroupBy.idxmax = ORIGINAL["idxmin"], ORIGINAL["idxmax"]
