"""The journeys installed: each app registers, from its AppConfig.ready, how to recalculate its snapshots.

So that a command (or a timescale change) can refresh every journey without importing the apps that hold them:
the kernel sits below them and only ever calls what they registered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Snapshots:
    """One journey's snapshot refresh: `refresh_all()` recalculates every record and returns (changed, seen)."""

    name: str  # plural noun, e.g. "children"
    refresh_all: Callable[[], tuple[int, int]]


_SNAPSHOTS: dict[str, Snapshots] = {}


def register_snapshots(name: str, refresh_all: Callable[[], tuple[int, int]]) -> None:
    _SNAPSHOTS[name] = Snapshots(name, refresh_all)


def snapshots() -> list[Snapshots]:
    """The registered journeys, in the order they registered (INSTALLED_APPS order)."""
    return list(_SNAPSHOTS.values())
