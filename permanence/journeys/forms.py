"""One event form and one correction form for every journey, built from the journey's transition table.

A kind's form asks for the details its `Transition` declares: those it requires (`details`) and those whose
values it checks (`accepts`, each a `kernel.Choice`, asked as radios of the choice's labels). The journey says,
once, how each detail is asked (`Ask`: its label and hint, and the field for one that is not a choice) and any
detail a kind's form asks for beyond what the table checks (`Asks.also`, such as the link's adopters). Like every
form here they only parse: the services check the journey.

A journey's forms are two lines (`class EventForm(journey_forms.EventForm): asks = ASKS`, and the same for
`CorrectionForm`); a journey with a rule across two details (the child's placement) overrides `clean` and
`details` in its subclass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django import forms

from permanence.core import forms as core_forms
from permanence.core.forms import DateField
from permanence.journeys import kernel

TEXT, LINE, FLAG, DATE = "text", "line", "flag", "date"  # how a detail that is not a choice is asked

_EMPTY = (None, "", False)


@dataclass(frozen=True)
class Ask:
    """How a form asks for one detail.

    A detail the kind's transition `accepts` as a `kernel.Choice` is asked as radios of the choice's values (with
    their labels when the values are a mapping); `choices` gives the values for a detail the table does not check;
    otherwise it is asked as `asked_as` (TEXT, a few lines; LINE, one; FLAG, a tick box; DATE, a GOV.UK date).
    `required` None: as the transition says (it is in `details`). `offer(kind, state)` narrows a choice to the
    values worth offering on the journey's current state; `initial(state)` suggests a value from it.

    `said` is how the record's timeline says the detail when an event has it: a text with `{}` for the value
    (the choice's label where the kind's transition checks it as a choice, unless `said_as_given`), or a
    function of the event's details; None: the timeline does not say it.
    """

    label: str
    help_text: str = ""
    asked_as: str = TEXT
    choices: Mapping[str, str] | None = None
    required: bool | None = None
    offer: Callable[[Any, Any], Iterable[str]] | None = None
    initial: Callable[[Any], Any] | None = None
    said: str | Callable[[Mapping], str] | None = None
    said_as_given: bool = False


@dataclass(frozen=True)
class Asks:
    """How one journey's event and correction forms ask for its details."""

    journey: kernel.Journey
    details: Mapping[str, Ask]  # by detail name
    date_hint: str
    also: Mapping[Any, tuple[str, ...]] = field(default_factory=dict)  # kind -> details asked beyond the table
    note_first: bool = False  # the note straight after the date (else after the details)
    corrects: Mapping[Any, Mapping[str, Ask]] = field(default_factory=dict)  # kind -> details a correction may change

    def names(self, kind) -> list[str]:
        """The details a form for `kind` asks for, in order: the required ones, the checked ones, then `also`."""
        t = self.journey.transitions[kind]
        out: list[str] = []
        for name in (*t.details, *(c.name for c in t.accepts), *self.also.get(kind, ())):
            if name not in out:
                out.append(name)
        return out

    def choice(self, kind, name: str) -> kernel.Choice | None:
        return next((c for c in self.journey.transitions[kind].accepts if c.name == name), None)

    def describe(self, event) -> list[str]:
        """An event's details as its record's timeline says them, one line each, in the order of `details`."""
        given = event.details or {}
        kind = self.journey.kinds(event.kind)
        lines = []
        for name, ask in self.details.items():
            value = given.get(name)
            if not value or ask.said is None:
                continue
            if callable(ask.said):
                lines.append(ask.said(given))
                continue
            choice = None if ask.said_as_given else self.choice(kind, name)
            if choice is not None and isinstance(choice.values, Mapping):
                value = choice.values.get(value, value)
            lines.append(ask.said.format(value))
        return lines


def _labelled(values) -> list[tuple[str, str]]:
    if isinstance(values, Mapping):
        return list(values.items())
    return [(v, v) for v in values]


def _field(asks: Asks, kind, name: str, ask: Ask, state: Callable[[], Any], **initial) -> forms.Field:
    required = name in asks.journey.transitions[kind].details if ask.required is None else ask.required
    common = {"label": ask.label, "required": required, **initial}
    if ask.help_text:
        common["help_text"] = ask.help_text
    if ask.initial is not None:
        common["initial"] = ask.initial(state())
    choice = asks.choice(kind, name)
    if choice is not None or ask.choices is not None:
        choices = _labelled(choice.values if choice is not None else ask.choices)
        if ask.offer is not None:
            offered = list(ask.offer(kind, state()))
            choices = [(v, label) for v, label in choices if v in offered]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if ask.asked_as == FLAG:
        return forms.BooleanField(**common)
    if ask.asked_as == DATE:
        return DateField(kind="planned", **common)  # a detail: a panel date may be ahead
    if ask.asked_as == LINE:
        return forms.CharField(**common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)


def _note() -> forms.CharField:
    return forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EventForm(core_forms.Form):
    """Recording one event of `kind`: its date, the details the kind takes and a note.

    `state`: a function giving the journey's current state, called only when a detail's choices or suggested
    value depend on it. `record` and `user` (the record the event is for, the person recording it) are kept for
    a journey whose choices come from the database (the child's early permanence household).
    """

    asks: ClassVar[Asks]

    def __init__(self, *args, kind, state: Callable[[], Any] = lambda: None, record=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.record, self.user = record, user
        what = self.asks.journey.kind_labels.get(kind)
        self.fields["date"] = DateField(label="Date", help_text=self.asks.date_hint,
                                        error_label=f"The date of ‘{what}’" if what else "The date")
        if self.asks.note_first:
            self.fields["note"] = _note()
        for name in self.asks.names(kind):
            self.fields[name] = _field(self.asks, kind, name, self.asks.details[name], state)
        if not self.asks.note_first:
            self.fields["note"] = _note()

    def details(self) -> dict:
        """The details given (empty ones left out, dates as ISO dates, as the journey's events keep them)."""
        out = {}
        for name, value in self.cleaned_data.items():
            if name in ("date", "note") or value in _EMPTY:
                continue
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out


class CorrectionForm(core_forms.Form):
    """Correcting an event's date (and the details the journey lets a correction change), or withdrawing it."""

    asks: ClassVar[Asks]

    def __init__(self, *args, event=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event, self.user = event, user
        what = "Correct the date or details" if self.asks.corrects else "Correct the date"
        self.fields["action"] = forms.ChoiceField(
            label="What do you want to do?", widget=forms.RadioSelect, initial="correct",
            choices=[("correct", what), ("withdraw", "Withdraw it: it was recorded in error")])
        self.fields["date"] = DateField(label="Correct date", required=False,
                                        help_text="Leave as it is to keep the date.")
        self.fields["reason"] = forms.CharField(
            label="Reason for the correction", widget=forms.Textarea(attrs={"rows": 3}),
            help_text=f"This is kept in the {self.asks.journey.subject}'s audit trail.")
        self.detail_names: list[str] = []
        if event is not None:
            kind = self.asks.journey.kinds(event.kind)
            details = event.details or {}
            for name, ask in self.asks.corrects.get(kind, {}).items():
                self.fields[name] = _field(self.asks, kind, name, ask, lambda: None, initial=details.get(name))
                self.detail_names.append(name)

    @property
    def detail_fields(self):
        return [self[name] for name in self.detail_names]

    def details(self) -> dict | None:
        """The event's details with this form's changes, or None when the form changes no detail."""
        if not self.detail_names:
            return None
        out = dict(self.event.details or {})
        for name in self.detail_names:
            if self.cleaned_data.get(name) not in _EMPTY:
                out[name] = self.cleaned_data[name]
        return out
