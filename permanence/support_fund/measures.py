"""The support fund's quarterly figures (registered with the performance app from apps.py)."""


def register() -> None:
    return None
