"""Every write to family finding: validate, save in a transaction, audit."""


def refresh_all_snapshots() -> tuple[int, int]:
    return 0, 0
