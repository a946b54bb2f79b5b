"""Adoption support's quarterly figures (registered from apps.py)."""


def register() -> None:
    pass
