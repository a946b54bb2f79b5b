"""/api/v1/children/{child_pk}/events/: a child's journey (api.journey_events). Writes go through
children.services."""

from __future__ import annotations

from rest_framework import serializers

from permanence.api import journey_events
from permanence.api.fields import PlausibleDateField
from permanence.children import rules
from permanence.children.journey import RECORDS
from permanence.children.models import JourneyEvent

KIND_CHOICES = [(k.value, label) for k, label in rules.KIND_LABELS.items()]


class EventDetailsSerializer(serializers.Serializer):
    """Details some kinds of event need (the service says which are required for which kind)."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text=f"Plan changed: one of {', '.join(rules.PLAN_CHANGE_REASONS)}. "
                                             "Link ended, disruption: free text.")
    cause = serializers.ChoiceField(
        choices=[(k, v) for k, v in rules.DISRUPTION_CAUSES.items() if k != rules.DISRUPTION_NOT_RECORDED],
        required=False, help_text="Disruption: why the placement disrupted (required with `reason`).")
    placement_type = serializers.ChoiceField(choices=list(rules.EARLY_PERMANENCE_TYPES.items()), required=False,
                                             help_text="Early permanence placement: its type.")
    carer = serializers.ChoiceField(choices=list(rules.EARLY_PERMANENCE_CARERS.items()), required=False,
                                    help_text="Early permanence placement: who the carers are (SSDA903 U2 or U5).")
    household = serializers.IntegerField(
        required=False, help_text="Early permanence placement: the household's id (one of the RAA's approved "
                                  "households whose capacity profile says it is approved for early permanence).")
    end_reason = serializers.ChoiceField(choices=list(rules.EARLY_PERMANENCE_END_REASONS.items()), required=False,
                                         help_text="Early permanence placement ended: why.")
    by_foster_carers = serializers.BooleanField(required=False,
                                                help_text="Placed for adoption: the adopters are the foster carers.")
    moved_in_with_carers = PlausibleDateField(required=False, allow_null=True,
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


ENDPOINTS = journey_events.event_endpoints(
    RECORDS, model=JourneyEvent, prefix="", record_pk="child_pk", record_doc="The child's id.",
    details=EventDetailsSerializer, corrects_details=True, kind_choices=KIND_CHOICES,
    texts=journey_events.EventTexts(
        subject="child", list="A child's journey events (superseded ones included)", retrieve="One journey event",
        create="Record an event (children.services.record_event); a refusal is a 400 saying why",
        correct="Correct or withdraw an event (children.services.correct_event)"),
)
EventSerializer = ENDPOINTS.event
EventViewSet = ENDPOINTS.viewset
