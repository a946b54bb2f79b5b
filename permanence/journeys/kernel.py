"""The journey kernel: one engine for every journey (the child's, the household's, and those to come).

Pure Python (no Django, no clock): dates are parameters. A journey is an append-only list of dated events; its
state is derived by replaying them through the journey's transition table. A journey is declared, not coded:

- a `Stage` and a `Kind` enum (the order of `Kind` is the order same-day events replay in);
- a frozen dataclass for the state, with a `stage` and a `seen` field (the kinds recorded so far);
- a table of `Transition`s, one per kind: the stages it may follow and the stage each leads to (a stage, `KEEP`,
  or a special target the journey names, such as the child's `WAITING`), who may record it (`Recorder`: roles on
  each side, and the per-organisation policy duty that decides the side), the extra state conditions it `needs`,
  the details it requires and the values they accept (`Choice`), whether it happens `once`, and the fields it
  sets on the state (`sets`, a small effect function);
- a `Journey` that ties them together, with any effect run on entering a stage (`on_enter`: the household's
  closing) and on every event (`on_every_event`).

The kernel then gives `apply`, `replay`, `check_new_event`, `check_table`, `recordable`, `role_refusal` and one
`DueAction` (with one status function) for every journey alike.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any

KEEP = "keep"  # the event does not change the stage

Effect = Callable[[Any, "EventFact"], Mapping[str, Any]]


# ---------------------------------------------------------------------------------------------
# Events


_KIND_ORDERS: dict[type, dict[Any, int]] = {}


def kind_order(kind) -> int:
    """Where `kind` stands in its journey's `Kind` enum: same-day events replay in this order."""
    cls = type(kind)
    order = _KIND_ORDERS.get(cls)
    if order is None:
        order = _KIND_ORDERS[cls] = {k: i for i, k in enumerate(cls)} if issubclass(cls, Enum) else {}
    return order.get(kind, 0)


@dataclass(frozen=True)
class EventFact:
    """One event of a journey, as the rules see it."""

    kind: Any  # a member of the journey's Kind enum
    date: date
    seq: int = 0  # tie-breaker within a day after the kind's order (the event's id)
    details: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def sort_key(self) -> tuple[date, int, int]:
        return (self.date, kind_order(self.kind), self.seq)


def sort_events(events: Iterable[EventFact]) -> list[EventFact]:
    """Events in the order they are replayed: by date, then the kind's place in the journey, then the event id."""
    return sorted(events, key=lambda e: e.sort_key)


class TransitionRefused(ValueError):
    """The journey does not allow `event` from `state`; `message` says why, for the user."""

    def __init__(self, event: EventFact, state, message: str):
        super().__init__(message)
        self.event = event
        self.state = state
        self.message = message


# ---------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Recorder:
    """Who may record an event: roles on the LA side, roles on the RAA side.

    `duty`, when set, names the per-organisation policy that decides which side records it (the child's journey:
    'should_be_placed' and 'match' are delegated decisions, 'lsb' and 'lll' who writes them). Only the side the
    policy names may then record the event.
    """

    la: frozenset[str] = frozenset()
    raa: frozenset[str] = frozenset()
    duty: str | None = None

    @property
    def roles(self) -> frozenset[str]:
        """Every role that may record it, on either side."""
        return self.la | self.raa

    def on_side(self, side: str) -> frozenset[str]:
        return self.la if side == "la" else self.raa


@dataclass(frozen=True)
class Choice:
    """A detail whose value must be one of `values` (checked when present, or `default` when absent)."""

    name: str
    values: Collection[str]
    message: str
    default: str | None = None


@dataclass(frozen=True)
class Condition:
    """An extra condition on the state (and the event) for a transition: `test` true means the event may follow.

    `message` is said when it fails: a string, a function of the state, or None for the transition's hint.
    `on_state_only` is False when the test needs the event's details (so it cannot be checked before the event
    is written, e.g. for offering the kinds a person may record).
    """

    test: Callable[[Any, EventFact], bool]
    message: str | Callable[[Any], str] | None = None
    on_state_only: bool = True


@dataclass(frozen=True)
class Transition:
    kind: Any
    moves: Mapping[Any, Any]  # from stage -> to stage (a Stage, KEEP or a special target the journey names)
    recorder: Recorder
    hint: str  # what the event needs, said to the user when it is refused
    needs: tuple[str, ...] = ()  # extra conditions on the state, named in the journey's `conditions`
    details: tuple[str, ...] = ()  # required detail fields
    once: bool = False
    accepts: tuple[Choice, ...] = ()  # detail fields whose values are checked
    sets: Effect | None = None  # the fields the event sets on the state (may also set "stage")

    @property
    def roles(self) -> frozenset[str]:
        return self.recorder.roles


def moves(froms: Iterable, to) -> dict:
    """The same target from several stages."""
    return {s: to for s in froms}


def table(transitions: Iterable[Transition]) -> dict:
    return {t.kind: t for t in transitions}


@dataclass(frozen=True)
class Journey:
    """A journey: its vocabulary, its table, its state class and the effects that belong to stages."""

    subject: str  # "child", "household": said in refusals ("the child's stage was …")
    kinds: type
    stages: type
    transitions: Mapping[Any, Transition]
    state: Callable[..., Any]  # the state class; called with no arguments for a journey's start
    kind_labels: Mapping[Any, str]
    stage_labels: Mapping[Any, str]
    targets: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)  # special targets -> stage
    conditions: Mapping[str, Condition] = field(default_factory=dict)
    on_enter: Mapping[Any, Effect] = field(default_factory=dict)  # effects on entering a stage (e.g. closing)
    on_every_event: Callable[[Any, EventFact, Any], Mapping[str, Any]] | None = None  # (state, event, new stage)
    reached_otherwise: frozenset = frozenset()  # stages reached only through effects or special targets
    before_birth: frozenset = frozenset()  # kinds that may be dated before the subject's birth


def track_activity(state, event: EventFact, stage) -> dict:
    """A ready-made `on_every_event` for a journey whose state has `last_activity` and `stage_since`: every
    event is activity, and an event that changes the stage starts the time in the new one."""
    changes: dict = {"last_activity": event.date}
    if stage is not state.stage:
        changes["stage_since"] = event.date
    return changes


def evolve(state, changes: Mapping[str, Any]):
    """`dataclasses.replace` without re-running __init__ (replay calls this once per event; measures replay
    thousands of journeys). Every field changed is a field of the state; the copy stays frozen."""
    new = object.__new__(type(state))
    new.__dict__.update(state.__dict__)
    new.__dict__.update(changes)
    return new


def check_table(journey: Journey, transitions: Mapping[Any, Transition] | None = None) -> None:
    """Run at import time: the table names every kind, uses real stages and conditions and reaches every stage."""
    transitions = journey.transitions if transitions is None else transitions
    subject = journey.subject
    if set(transitions) != set(journey.kinds):
        missing = set(journey.kinds) - set(transitions)
        raise ImportError(f"{subject} transition table has no row for {sorted(missing)}")
    stages = set(journey.stages)
    reached = {next(iter(journey.stages)), *journey.reached_otherwise}
    for t in transitions.values():
        for frm, to in t.moves.items():
            if frm not in stages or not isinstance(frm, journey.stages):
                raise ImportError(f"{t.kind}: unknown from-stage {frm!r}")
            if to == KEEP or to in journey.targets:
                continue
            if to not in stages:
                raise ImportError(f"{t.kind}: unknown to-stage {to!r}")
            reached.add(journey.stages(to))
        for need in t.needs:
            if need not in journey.conditions:
                raise ImportError(f"{t.kind}: unknown condition {need!r}")
        if not t.recorder.roles:
            raise ImportError(f"{t.kind}: nobody may record it")
    if reached != stages:
        raise ImportError(f"{subject} stages never reached: {sorted(stages - reached)}")


# ---------------------------------------------------------------------------------------------
# Replaying events


def refusal(journey: Journey, event: EventFact, state, why: str) -> TransitionRefused:
    label = journey.kind_labels[event.kind]
    stage = journey.stage_labels[state.stage].lower()
    msg = (f"{label} on {event.date:%d/%m/%Y} cannot be recorded: on that date the {journey.subject}'s stage was "
           f"“{stage}”. {why}")
    return TransitionRefused(event, state, msg)


def _condition_message(condition: Condition, t: Transition, state) -> str:
    if condition.message is None:
        return t.hint
    if callable(condition.message):
        return condition.message(state)
    return condition.message


def refusal_reason(journey: Journey, state, event: EventFact) -> str | None:
    """Why `event` cannot follow `state`, or None if it may. Checked in this order: once, the stage, the
    required details, the values they accept, then the extra conditions."""
    t = journey.transitions[event.kind]
    if t.once and event.kind in state.seen:
        return f"It has already been recorded. {t.hint}"
    if state.stage not in t.moves:
        return t.hint
    for name in t.details:
        if not event.details.get(name):
            return f"It needs a {name.replace('_', ' ')}."
    for choice in t.accepts:
        if event.details.get(choice.name, choice.default) not in choice.values:
            return choice.message
    for need in t.needs:
        condition = journey.conditions[need]
        if not condition.test(state, event):
            return _condition_message(condition, t, state)
    return None


def apply(journey: Journey, state, event: EventFact):
    """The state after `event`, or TransitionRefused saying why the event is not allowed."""
    why = refusal_reason(journey, state, event)
    if why is not None:
        raise refusal(journey, event, state, why)
    t = journey.transitions[event.kind]
    to = t.moves[state.stage]
    if to == KEEP:
        stage = state.stage
    elif to in journey.targets:
        stage = journey.targets[to](state)
    else:
        stage = journey.stages(to)
    changes: dict[str, Any] = {"seen": state.seen | {event.kind}}
    if t.sets is not None:
        changes.update(t.sets(state, event))
    stage = changes.pop("stage", stage)
    if stage is not state.stage and stage in journey.on_enter:
        changes.update(journey.on_enter[stage](state, event))
    if journey.on_every_event is not None:
        changes.update(journey.on_every_event(state, event, stage))
    changes["stage"] = stage
    return evolve(state, changes)


def replay(journey: Journey, events: Iterable[EventFact], *, until: date | None = None, start=None):
    """The state after every event dated on or before `until` (all events if None), from `start` (the journey's
    empty state if None). Raises TransitionRefused on the first event the journey does not allow."""
    state = journey.state() if start is None else start
    for e in sort_events(events):
        if until is not None and e.date > until:
            break
        state = apply(journey, state, e)
    return state


def check_new_event(journey: Journey, events: Sequence[EventFact], new: EventFact, *, today: date,
                    start=None, born: date | None = None) -> list[str]:
    """Everything wrong with adding `new` to `events`, as messages for the user (empty if fine).

    The whole journey is replayed with the new event in its place by date, so a back-dated event that would make
    a later one impossible is refused too. A refusal of an event just like the new one (same kind, same day) is
    the new event's own.
    """
    problems: list[str] = []
    if new.date > today:
        problems.append(f"The date cannot be in the future (today is {today:%d/%m/%Y}).")
    if born is not None and new.date < born and new.kind not in journey.before_birth:
        problems.append(f"The date cannot be before the {journey.subject}'s date of birth ({born:%d/%m/%Y}).")
    if problems:
        return problems
    try:
        replay(journey, [*events, new], start=start)
    except TransitionRefused as refused:
        if refused.event is new or (refused.event.kind == new.kind and refused.event.date == new.date):
            problems.append(refused.message)
        else:
            problems.append(f"Recording this would make a later event impossible: {refused.message}")
    return problems


def role_refusal(journey: Journey, role: str, kind, side: str | None = None) -> str | None:
    """Why someone in `role` (on `side`, 'la' or 'raa', when the journey has sides) may not record `kind`."""
    recorder = journey.transitions[kind].recorder
    allowed = recorder.roles if side is None else recorder.on_side(side)
    if role not in allowed:
        return f"Your role cannot record “{journey.kind_labels[kind].lower()}”."
    return None


def recordable(journey: Journey, state, kind) -> bool:
    """Whether an event of `kind` could follow `state` as far as the state says (once, the stage and the
    conditions on the state alone; its details are not known yet)."""
    t = journey.transitions[kind]
    if t.once and kind in state.seen:
        return False
    if state.stage not in t.moves:
        return False
    probe = EventFact(kind, date.min)
    return all(journey.conditions[n].test(state, probe) for n in t.needs if journey.conditions[n].on_state_only)


# ---------------------------------------------------------------------------------------------
# Due and overdue actions


@dataclass(frozen=True)
class DueAction:
    """An outstanding action under a timescale: due on `due` (moved on by `paused_days` of pauses)."""

    key: str
    label: str
    start: date
    due: date
    rule: str  # the timescale's source
    paused_days: int = 0
    allowed_days: int = 1  # the timescale's length in days (for amber)
    paused: bool = False  # the journey's clock is stopped now
    ends: tuple[str, ...] = ()  # the event kinds that do the action (the timescale's end events)

    def overdue_on(self, today: date) -> bool:
        return self.due < today

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def rag(self, today: date, amber_fraction: float = 0.25) -> str:
        """'red' when overdue, 'amber' when less than `amber_fraction` of the allowed time is left."""
        left = self.days_left(today)
        if left < 0:
            return "red"
        if left <= max(1, round(self.allowed_days * amber_fraction)):
            return "amber"
        return "green"

    def status(self, today: date) -> str:
        """'paused' while the journey's clock is stopped, else red/amber/green."""
        return "paused" if self.paused else self.rag(today)


RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


def worst_rag(actions: Sequence[DueAction], today: date) -> str | None:
    rags = [a.rag(today) for a in actions]
    return min(rags, key=RAG_ORDER.__getitem__) if rags else None


def due_actions(rules: Iterable, starts: Mapping[str, date | None], *, finished: Callable[[Any], bool],
                paused_days: Callable[[date], int] | None = None, paused: bool = False) -> list[DueAction]:
    """Outstanding actions under the timescales `rules` (TimescaleFact), earliest first.

    `starts` gives the date each start event happened (None or absent: not yet); `finished(rule)` says whether the
    journey has done the action (or moved past it); `paused_days(start)` the days the clock was stopped since
    `start`, which move the due date on.
    """
    out: list[DueAction] = []
    for rule in rules:
        start = starts.get(rule.start_event)
        if start is None or finished(rule):
            continue
        base = rule.due_from(start)
        stopped = paused_days(start) if paused_days is not None else 0
        out.append(DueAction(rule.key, rule.label, start, base + timedelta(days=stopped), rule.source,
                             paused_days=stopped, allowed_days=max(1, (base - start).days), paused=paused,
                             ends=tuple(rule.end_events)))
    return sorted(out, key=lambda a: a.due)


# ---------------------------------------------------------------------------------------------
# Small effects for tables


def dated(name: str, **also: Any) -> Effect:
    """An effect that sets the field `name` to the event's date (and the fields in `also` to their values)."""
    def effect(state, event: EventFact) -> dict[str, Any]:
        return {name: event.date, **also}
    return effect


def cleared(*names: str) -> Effect:
    """An effect that empties the fields `names`."""
    def effect(state, event: EventFact) -> dict[str, Any]:
        return dict.fromkeys(names)
    return effect
