"""A journey's events in the API, built once for every journey: /api/v1/<records>/{<record>_pk}/events/.

`event_endpoints(records, ...)` gives a journey's event serialisers and its viewset: list (a view of the
record, logged), retrieve, create (the journey's record-event service; a refusal is a 400 saying why) and
`correct` (its correct-event service: a new date, replacement details where the journey lets a correction
change them, or a withdrawal). The record and the event are reached through the journey's `JourneyRecords`,
exactly as its pages reach them: missing and not-yours are the same 404. Only the details an event takes are
the journey's own serialiser.
"""

from __future__ import annotations

from dataclasses import dataclass

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from permanence.api.fields import PlausibleDateField
from permanence.journeys.records import JourneyRecords

ID = r"\d{1,18}"
EVENT_FIELDS = ["id", "kind", "kind_label", "date", "details", "note", "source", "recorded_by", "recorded_at",
                "corrects", "correction_reason", "superseded"]


class EventSerializerBase(serializers.ModelSerializer):
    # Every journey's event has this shape; event_serializer gives it the journey's model. (No docstring: the
    # schema would describe every journey's event with it.)

    kind_label = serializers.CharField(read_only=True)
    details = serializers.DictField(read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True, allow_null=True,
                                        default=None)


def event_serializer(model, name: str, doc: str | None = None) -> type[serializers.ModelSerializer]:
    """The serialiser of `model`'s events, called `name` (the schema names its component after it)."""
    meta = type("Meta", (), {"model": model, "fields": EVENT_FIELDS, "read_only_fields": EVENT_FIELDS})
    return type(name, (EventSerializerBase,), {"Meta": meta, "__doc__": doc, "__module__": __name__})


class DueActionSerializerBase(serializers.Serializer):
    # An action due under a timescale (journeys.kernel.DueAction): what every journey's API says of it first;
    # each journey adds its own fields. (No docstring: the schema would describe every journey's with it.)
    due_help: str | None = None  # what the journey says of the due date

    key = serializers.CharField()
    label = serializers.CharField()
    start = PlausibleDateField(kind="period")
    due = PlausibleDateField(kind="planned")
    rule = serializers.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.due_help:
            self.fields["due"].help_text = self.due_help


@dataclass(frozen=True)
class EventTexts:
    """What the schema says about one journey's event endpoints."""

    subject: str  # "child", "household": whose audit trail a correction is kept in
    list: str
    retrieve: str
    create: str
    correct: str
    event_doc: str | None = None  # the event serialiser's description


@dataclass(frozen=True)
class EventEndpoints:
    event: type[serializers.Serializer]  # an event, as the API gives it
    create: type[serializers.Serializer]  # the body that records one
    correction: type[serializers.Serializer]  # the body that corrects or withdraws one
    correction_result: type[serializers.Serializer]
    viewset: type[viewsets.GenericViewSet]


def event_endpoints(records: JourneyRecords, *, model, prefix: str, record_pk: str, record_doc: str,
                    details: type[serializers.Serializer], corrects_details: bool, texts: EventTexts,
                    kind_choices: list[tuple[str, str]]) -> EventEndpoints:
    """A journey's event endpoints. `prefix` names its serialisers ("" for the child's: Event, EventCreate, …;
    "Household": HouseholdEvent, …); `record_pk` is the URL's name for the record's id; `details` the serialiser
    of the details its events take, which a correction may replace when `corrects_details`."""
    pk_param = OpenApiParameter(record_pk, OpenApiTypes.INT, OpenApiParameter.PATH, description=record_doc)
    event = event_serializer(model, f"{prefix}EventSerializer", texts.event_doc)

    create_body = type(f"{prefix}EventCreateSerializer", (serializers.Serializer,), {
        "__module__": __name__,
        "kind": serializers.ChoiceField(choices=kind_choices),
        "date": PlausibleDateField(),
        "details": details(required=False),
        "note": serializers.CharField(required=False, allow_blank=True, default="", max_length=5000),
    })
    correction_fields = {
        "__module__": __name__,
        "reason": serializers.CharField(max_length=2000, help_text=f"Why: kept in the {texts.subject}'s audit trail."),
        "date": PlausibleDateField(required=False, allow_null=True, help_text="The correct date (omit to keep it)."),
    }
    if corrects_details:
        correction_fields["details"] = details(required=False, allow_null=True, help_text="Replacement details.")
    correction_fields["withdraw"] = serializers.BooleanField(required=False, default=False,
                                                             help_text="Withdraw the event: it was recorded in error.")
    correction_body = type(f"{prefix}CorrectionSerializer", (serializers.Serializer,), correction_fields)
    result = type(f"{prefix}CorrectionResultSerializer", (serializers.Serializer,), {
        "__module__": __name__,
        "withdrawn": serializers.BooleanField(),
        "event": event(allow_null=True, help_text="The replacement event (null when withdrawn)."),
    })

    @extend_schema_view(
        list=extend_schema(parameters=[pk_param], summary=texts.list),
        retrieve=extend_schema(parameters=[pk_param], summary=texts.retrieve),
    )
    class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
        serializer_class = event
        lookup_value_regex = ID

        def record(self):
            if not hasattr(self, "_record"):
                self._record = records.get_record(self.request.user, self.kwargs[record_pk])
            return self._record

        def get_queryset(self):
            return self.record().events.select_related("recorded_by").order_by("date", "id")

        def get_object(self):
            return records.get_event(self.request.user, self.record(), self.kwargs["pk"])

        def list(self, request, *args, **kwargs):
            records.log_view(request.user, self.record(), request.path)
            return super().list(request, *args, **kwargs)

        def retrieve(self, request, *args, **kwargs):
            # One event is part of the person's record: reading it is a view, logged like the record's.
            response = super().retrieve(request, *args, **kwargs)
            records.log_view(request.user, self.record(), request.path)
            return response

        @extend_schema(parameters=[pk_param], request=create_body, responses={201: event}, summary=texts.create)
        def create(self, request, *args, **kwargs):
            record = self.record()
            body = create_body(data=request.data)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            made = records.record_event(record, kind=d["kind"], date=d["date"], actor=request.user,
                                        details=dict(d.get("details") or {}), note=d["note"])
            return Response(event(made).data, status=status.HTTP_201_CREATED)

        @extend_schema(parameters=[pk_param], request=correction_body, responses={200: result}, summary=texts.correct)
        @action(detail=True, methods=["post"])
        def correct(self, request, *args, **kwargs):
            corrected = self.get_object()
            body = correction_body(data=request.data)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            more = {"details": d["details"]} if "details" in d else {}
            replacement = records.correct_event(event=corrected, actor=request.user, reason=d["reason"],
                                                date=d.get("date"), withdraw=d["withdraw"], **more)
            return Response({"withdrawn": replacement is None,
                             "event": event(replacement).data if replacement else None})

    EventViewSet.__name__ = EventViewSet.__qualname__ = f"{prefix}EventViewSet"
    return EventEndpoints(event, create_body, correction_body, result, EventViewSet)
