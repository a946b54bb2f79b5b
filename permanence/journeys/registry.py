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


# Tables another app derives from a journey's events (the comparisons' AdoptionDays from the child's): each
# registered function is called with the ids of the records whose events changed, in the writer's transaction,
# after their snapshots (journeys.services.JourneyWriter).
_DERIVED: dict[str, list[Callable[[list[int]], object]]] = {}


def register_derived(name: str, refresh: Callable[[list[int]], object]) -> None:
    """Call `refresh(record_ids)` whenever the events of records of the journey `name` change."""
    if refresh not in _DERIVED.setdefault(name, []):
        _DERIVED[name].append(refresh)


def records_changed(name: str, record_ids: list[int]) -> None:
    for refresh in _DERIVED.get(name, ()):
        refresh(record_ids)
