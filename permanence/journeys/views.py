"""One record-event page and one correct-event page for every journey, and the timeline its record's page shows.

A journey's pages are a `JourneyPages`: its `JourneyRecords` (access and services), its forms, the names and
URLs the pages use, and what is journey-specific on them. `event_urls(pages)` gives the two routes, named
`record-event` and `correct-event` in the app's namespace; the record's own page shows `timeline(...)` with
`journeys/_timeline.html` and the kinds it offers with `journeys/_record_links.html`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from permanence.core.forms import show_service_errors
from permanence.journeys.forms import CorrectionForm, EventForm
from permanence.journeys.records import JourneyRecords


@dataclass(frozen=True)
class JourneyPages:
    records: JourneyRecords
    event_form: type[EventForm]
    correction_form: type[CorrectionForm]
    detail_url: str  # the record's page, by URL name in the app's namespace (it takes the record's pk)
    list_url: str  # the page listing the journey's records, by URL name
    list_name: str  # what the breadcrumbs call that page
    name: Callable[[Any], str]  # what the pages call the record
    return_text: str  # the link back when the user may not record the kind
    refusal: Callable[[Any, Any, Any], str | None]  # (user, record, kind): why the user may not record it
    state: Callable[[Any], Any]  # the record's journey state now (for forms whose choices depend on it)
    correct_text: str = "Correct or withdraw"  # the timeline's link to the correction page
    withdrawn_message: str = "The event has been withdrawn."
    post_when_refused: bool = False  # a refused kind still posts, and the service's refusal is shown
    event_template: str = "journeys/event_form.html"
    correct_template: str = "journeys/correct_form.html"
    # (record, events): the ids of the events the timeline offers to correct (None: all of them). An event the
    # journey never lets be corrected (the link's steps that are also on the child's journey) gets no link.
    correctable: Callable[[Any, list], set[int]] | None = None

    @property
    def journey(self):
        return self.records.journey

    @property
    def namespace(self) -> str:
        """The app's URL namespace, which holds record-event and correct-event (event_urls)."""
        return self.detail_url.split(":")[0]

    def context(self, record) -> dict:
        """What every page of the record's journey shows (journeys/record_page.html and the event pages)."""
        return {self.journey.subject: record, "record": record, "record_name": self.name(record),
                "back_url": reverse(self.detail_url, args=[record.pk]), "list_url": reverse(self.list_url),
                "list_name": self.list_name}

    def back(self, record):
        return redirect(self.detail_url, pk=record.pk)


@require_http_methods(["GET", "POST"])
def record_event(request, pk: int, kind: str, *, pages: JourneyPages):
    user = request.user
    record = pages.records.get_record(user, pk)
    journey = pages.journey
    try:
        kind_enum = journey.kinds(kind)
    except ValueError:
        raise Http404("Unknown event") from None
    refusal = pages.refusal(user, record, kind_enum)
    form = pages.event_form(request.POST or None, kind=kind_enum, state=lambda: pages.state(record), record=record,
                            user=user)
    if request.method == "POST" and (pages.post_when_refused or not refusal) and form.is_valid():
        try:
            pages.records.record_event(record, kind=kind_enum, date=form.cleaned_data["date"], actor=user,
                                       details=form.details(), note=form.cleaned_data["note"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"{journey.kind_labels[kind_enum]} has been recorded.")
            return pages.back(record)
    if request.method == "GET":  # the form shows the record: a view, logged (issue 15)
        pages.records.log_view(user, record, request.path)
    return render(request, pages.event_template, {
        **pages.context(record), "form": form, "kind_label": journey.kind_labels[kind_enum], "refusal": refusal,
        "rule": journey.transitions[kind_enum].hint, "return_text": pages.return_text,
    })


@require_http_methods(["GET", "POST"])
def correct_event(request, pk: int, event_pk: int, *, pages: JourneyPages):
    user = request.user
    record = pages.records.get_record(user, pk)
    event = pages.records.get_event(user, record, event_pk)
    if event.superseded:
        raise Http404("Event already corrected")
    form = pages.correction_form(request.POST or None, initial={"date": event.date}, event=event, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        withdraw = d["action"] == "withdraw"
        details = form.details()
        try:
            pages.records.correct_event(event=event, actor=user, reason=d["reason"], date=d["date"],
                                        withdraw=withdraw, **({} if details is None else {"details": details}))
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, pages.withdrawn_message if withdraw else "The correction has been recorded.")
            return pages.back(record)
    if request.method == "GET":  # the form shows the record and the event: a view, logged (issue 15)
        pages.records.log_view(user, record, request.path)
    return render(request, pages.correct_template, {**pages.context(record), "form": form, "event": event})


def event_urls(pages: JourneyPages, prefix: str = "") -> list:
    """The journey's two event routes under `prefix` (the record's pages), in the app's URL namespace."""
    return [
        path(f"{prefix}<int:pk>/events/new/<slug:kind>/", record_event, {"pages": pages}, name="record-event"),
        path(f"{prefix}<int:pk>/events/<int:event_pk>/correct/", correct_event, {"pages": pages},
             name="correct-event"),
    ]


# ---------------------------------------------------------------------------------------------
# On the record's page


@dataclass(frozen=True)
class Entry:
    event: Any
    lines: list[str]  # its details, as the journey says them
    correct_url: str  # empty: the journey does not let this event be corrected


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry]
    correct_text: str


def timeline(pages: JourneyPages, record, events: Iterable) -> Timeline:
    """The record's events as its page shows them, in the order given (newest first)."""
    correct = f"{pages.namespace}:correct-event"
    describe = pages.event_form.asks.describe
    events = list(events)
    offered = None if pages.correctable is None else pages.correctable(record, events)
    return Timeline([Entry(e, describe(e), reverse(correct, args=[record.pk, e.pk])
                           if offered is None or e.pk in offered else "") for e in events], pages.correct_text)


@dataclass(frozen=True)
class RecordLinks:
    links: list[tuple[str, str]]  # (url, label) for each kind the user may record now
    subject: str


def do_link(pages: JourneyPages, record, action, kinds: Iterable) -> tuple[str, str] | None:
    """(url, label) of the form that does a due action – recording the first of the events that end it which the
    user may record now (`kinds`, as record_links) – or None."""
    allowed = {k.value: k for k in kinds}
    for end in getattr(action, "ends", ()):
        if end in allowed:
            return (reverse(f"{pages.namespace}:record-event", args=[record.pk, end]),
                    pages.journey.kind_labels[allowed[end]])
    return None


def record_links(pages: JourneyPages, record, kinds: Iterable) -> RecordLinks:
    """Links to record each of `kinds` (those the user may record now) from the record's page."""
    url = f"{pages.namespace}:record-event"
    return RecordLinks([(reverse(url, args=[record.pk, k.value]), pages.journey.kind_labels[k]) for k in kinds],
                       pages.journey.subject)
