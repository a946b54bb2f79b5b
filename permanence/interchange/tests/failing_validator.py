"""Stand-ins for the DfE validator's worker task that fail (tests put one in dfe_pool.TASK): pure, importable in a
worker process."""

import os


def dies(task):
    """The worker process ends mid-year (as when it is killed, or runs out of memory)."""
    os._exit(3)


def raises(task):
    raise RuntimeError("the validator broke")
