"""Households' journeys made by walking the transition table at random: every branch the table allows (a match
ended and made again, a deferred panel, a pause, closing at any stage, declined and not approved), not only the
paths the demo simulator lays out. Each walk replays under adopters.rules (an event the journey refuses is not
kept). Pure Python.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from permanence.adopters import rules
from permanence.journeys import kernel

DAY = timedelta(days=1)
REASONS = ("A synthetic reason", "Another synthetic reason")
# How often each kind is chosen among those the journey would accept: closing and pausing are always possible, so
# rarer, or few walks would reach approval and a match.
WEIGHTS = {rules.Kind.CLOSED: 0.15, rules.Kind.PAUSED: 0.3, rules.Kind.CHECK_REQUESTED: 0.3,
           rules.Kind.CHECK_RECEIVED: 0.3, rules.Kind.HOME_VISIT: 0.3, rules.Kind.TRAINING_COMPLETED: 0.3,
           rules.Kind.POST_APPROVAL_TRAINING: 0.3}


def _details(t: rules.Transition, rng: random.Random) -> dict:
    details = {name: rng.choice(REASONS) for name in t.details}
    for choice in t.accepts:
        values = sorted(choice.values)  # accepted, approve, approved: the way on sorts first
        details[choice.name] = values[0] if rng.random() < 0.75 else rng.choice(values)
    return details


def walk(seed: int, *, start: date = date(2024, 1, 8), steps: int = 30, fast_track: bool | None = None,
         same_day: float = 0.2) -> tuple[list[rules.EventFact], bool]:
    """(events, fast track) of one household: a registration of interest, then up to `steps` events each chosen
    among those the journey would accept next, on the same day (with probability `same_day`) or up to 40 days
    later."""
    rng = random.Random(seed)
    fast = rng.random() < 0.3 if fast_track is None else fast_track
    day = start
    events = [rules.EventFact(rules.Kind.ROI_RECEIVED, day, 1, {})]
    state = rules.replay(events, fast_track=fast)
    for n in range(2, steps + 2):
        kinds = [k for k in rules.TRANSITIONS if kernel.recordable(rules.JOURNEY, state, k)]
        if not kinds:
            break
        kind = rng.choices(kinds, weights=[WEIGHTS.get(k, 1.0) for k in kinds])[0]
        if rng.random() >= same_day:
            day += rng.randint(1, 40) * DAY
        event = rules.EventFact(kind, day, n, _details(rules.TRANSITIONS[kind], rng))
        try:
            state = rules.replay([*events, event], fast_track=fast)
        except rules.TransitionRefused:
            continue  # e.g. a check received before it was asked for, or same-day events replayed in another order
        events.append(event)
    return events, fast


def dates_that_matter(events, *, last: date | None = None) -> list[date]:
    """Every event's date and the day before it (and `last`): the only days on which a value can change."""
    days = {last} if last else set()
    for e in events:
        days.update((e.date, e.date - DAY))
    return sorted(days)
