"""/api/v1/children/{child_pk}/events/: a child's journey. Writes go through children.services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from permanence import access
from permanence.children import rules, services
from permanence.children.models import JourneyEvent
from permanence.core import audit

KIND_CHOICES = [(k.value, label) for k, label in rules.KIND_LABELS.items()]
CHILD_PK = OpenApiParameter("child_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The child's id.")


class EventDetailsSerializer(serializers.Serializer):
    """Details some kinds of event need (the service says which are required for which kind)."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text=f"Plan changed: one of {', '.join(rules.PLAN_CHANGE_REASONS)}. "
                                             "Link ended, disruption: free text.")
    placement_type = serializers.ChoiceField(choices=list(rules.EARLY_PERMANENCE_TYPES.items()), required=False,
                                             help_text="Early permanence placement: its type.")
    carer = serializers.ChoiceField(choices=list(rules.EARLY_PERMANENCE_CARERS.items()), required=False,
                                    help_text="Early permanence placement: who the carers are (SSDA903 U2 or U5).")
    by_foster_carers = serializers.BooleanField(required=False,
                                                help_text="Placed for adoption: the adopters are the foster carers.")
    moved_in_with_carers = serializers.DateField(required=False, allow_null=True,
                                                 help_text="Placed with foster carers: when the child moved in.")
    adopters = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                     help_text="Linked, matching panel, match decision: the adopters' reference.")
    recommendation = serializers.ChoiceField(choices=[("match", "Recommended"), ("no_match", "Not recommended")],
                                             required=False, help_text="Matching panel: its recommendation.")

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if values.get("moved_in_with_carers"):
            values["moved_in_with_carers"] = values["moved_in_with_carers"].isoformat()
        if not values.get("by_foster_carers"):
            values.pop("by_foster_carers", None)
            values.pop("moved_in_with_carers", None)  # a date without the flag says nothing (as on the page)
        return values


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    details = serializers.DictField(read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True, allow_null=True,
                                        default=None)

    class Meta:
        model = JourneyEvent
        fields = ["id", "kind", "kind_label", "date", "details", "note", "source", "recorded_by", "recorded_at",
                  "corrects", "correction_reason", "superseded"]
        read_only_fields = fields


class EventCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    date = serializers.DateField()
    details = EventDetailsSerializer(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why: kept in the child's audit trail.")
    date = serializers.DateField(required=False, allow_null=True, help_text="The correct date (omit to keep it).")
    details = EventDetailsSerializer(required=False, allow_null=True, help_text="Replacement details.")
    withdraw = serializers.BooleanField(required=False, default=False,
                                        help_text="Withdraw the event: it was recorded in error.")


class CorrectionResultSerializer(serializers.Serializer):
    withdrawn = serializers.BooleanField()
    event = EventSerializer(allow_null=True, help_text="The replacement event (null when withdrawn).")


@extend_schema_view(
    list=extend_schema(parameters=[CHILD_PK], summary="A child's journey events (superseded ones included)"),
    retrieve=extend_schema(parameters=[CHILD_PK], summary="One journey event"),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    serializer_class = EventSerializer
    lookup_value_regex = r"\d{1,18}"

    def child(self):
        if not hasattr(self, "_child"):
            self._child = access.get_child_for(self.request.user, self.kwargs["child_pk"])
        return self._child

    def get_queryset(self):
        return self.child().events.select_related("recorded_by").order_by("date", "id")

    def get_object(self):
        return access.get_event_for(self.request.user, self.child(), self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        child = self.child()
        audit.record_view(viewer=request.user, instance=child, path=request.path, child_id=child.pk)
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[CHILD_PK], request=EventCreateSerializer, responses={201: EventSerializer},
                   summary="Record an event (children.services.record_event); a refusal is a 400 saying why")
    def create(self, request, *args, **kwargs):
        child = self.child()
        body = EventCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        event = services.record_event(child=child, kind=d["kind"], date=d["date"], actor=request.user,
                                      details=d.get("details") or {}, note=d["note"])
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[CHILD_PK], request=CorrectionSerializer, responses={200: CorrectionResultSerializer},
                   summary="Correct or withdraw an event (children.services.correct_event)")
    @action(detail=True, methods=["post"])
    def correct(self, request, *args, **kwargs):
        event = self.get_object()
        body = CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        replacement = services.correct_event(event=event, actor=request.user, reason=d["reason"], date=d.get("date"),
                                             details=d.get("details"), withdraw=d["withdraw"])
        return Response({"withdrawn": replacement is None,
                         "event": EventSerializer(replacement).data if replacement else None})
