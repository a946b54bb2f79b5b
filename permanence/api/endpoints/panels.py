"""/api/v1/panels/: the RAA's adoption panels (date range filters), a panel with its agenda, booking an item.

Panels are the RAA's: access.panels_visible_to / get_panel_for decide, exactly as for the pages. Booking goes
through adopters.services.book_item (a full panel is a 400 naming the next panel with room).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from permanence import access
from permanence.adopters import services
from permanence.adopters.models import Panel, PanelItem
from permanence.api.fields import PlausibleDateField
from permanence.core import audit


class PanelFilterSerializer(serializers.Serializer):
    date_from = PlausibleDateField(kind="period", required=False, allow_null=True, help_text="Panels on or after this date.")
    date_to = PlausibleDateField(kind="period", required=False, allow_null=True, help_text="Panels on or before this date.")

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["The end of the range is before its start."]})
        return attrs


class PanelSerializer(serializers.ModelSerializer):
    raa = serializers.CharField(source="raa.code", read_only=True)
    booked = serializers.IntegerField(read_only=True, help_text="Items booked (withdrawn items not counted).")
    room = serializers.SerializerMethodField(help_text="How many more items it can hear.")

    class Meta:
        model = Panel
        fields = ["id", "raa", "date", "capacity", "booked", "room", "papers_due", "chair"]
        read_only_fields = fields

    def get_room(self, obj) -> int:
        return max(0, obj.capacity - obj.booked)


class PanelItemSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    household_reference = serializers.CharField(source="household.reference", read_only=True, allow_null=True,
                                                default=None)
    household_name = serializers.CharField(source="household.name", read_only=True, allow_null=True, default=None)
    recommendation_label = serializers.CharField(source="get_recommendation_display", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = PanelItem
        fields = ["id", "kind", "kind_label", "household", "household_reference", "household_name", "child",
                  "papers_received_on", "recommendation", "recommendation_label", "decision", "decision_label",
                  "decision_on", "withdrawn"]
        read_only_fields = fields


class PanelDetailSerializer(PanelSerializer):
    items = PanelItemSerializer(source="items_list", many=True, read_only=True, help_text="The agenda (withdrawn items left out).")

    class Meta(PanelSerializer.Meta):
        fields = [*PanelSerializer.Meta.fields, "attendance", "minutes", "items"]
        read_only_fields = fields


class BookingRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PanelItem.Kind.choices, required=False, default=PanelItem.Kind.APPROVAL)
    household = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                         help_text="The household's id (approval: required).")
    child = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                     help_text="The child's id (match: required).")

    def validate(self, attrs):
        if attrs["kind"] == PanelItem.Kind.MATCH and not attrs.get("child"):
            raise serializers.ValidationError({"child": ["A match item is about a child: give the child's id."]})
        if attrs["kind"] == PanelItem.Kind.APPROVAL and not attrs.get("household"):
            raise serializers.ValidationError({"household": ["Give the id of the household to be approved."]})
        return attrs


def _with_booked(qs):
    return qs.select_related("raa").annotate(booked=Count("items", filter=Q(items__withdrawn=False)))


@extend_schema_view(list=extend_schema(parameters=[PanelFilterSerializer], summary="Your RAA's panels"))
class PanelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PanelSerializer
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        return _with_booked(access.panels_visible_to(self.request.user)).order_by("date", "pk")

    def _panel(self) -> Panel:
        panel = access.get_panel_for(self.request.user, self.kwargs["pk"])
        return _with_booked(Panel.objects.filter(pk=panel.pk)).get()

    def list(self, request, *args, **kwargs):
        if not access.can_see_adopter_records(request.user):
            raise Http404
        params = PanelFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = self.get_queryset()
        if params.validated_data.get("date_from"):
            qs = qs.filter(date__gte=params.validated_data["date_from"])
        if params.validated_data.get("date_to"):
            qs = qs.filter(date__lte=params.validated_data["date_to"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(PanelSerializer(page, many=True).data)

    @extend_schema(responses=PanelDetailSerializer, summary="A panel with its agenda")
    def retrieve(self, request, *args, **kwargs):
        panel = self._panel()
        panel.items_list = list(panel.items.filter(withdrawn=False).select_related("household")
                                .order_by("id"))
        # The agenda names the households on the panel: logged as a list shown (issue 15).
        audit.record_list(viewer=request.user, what="api:panel-detail", path=request.path, instance=panel,
                          row_count=len(panel.items_list))
        return Response(PanelDetailSerializer(panel).data)

    @extend_schema(request=BookingRequestSerializer, responses={201: PanelItemSerializer},
                   summary="Book an item on the panel (adopters.services.book_item); a full panel is a 400 "
                           "naming the next panel with room")
    @action(detail=True, methods=["post"])
    def book(self, request, *args, **kwargs):
        user = request.user
        panel = access.get_panel_for(user, kwargs["pk"])
        if not access.can_book_panel_items(user):
            raise PermissionDenied
        body = BookingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        household = child = None
        if d.get("household"):
            try:
                household = access.get_household_for(user, d["household"])
            except Http404:
                raise serializers.ValidationError({"household": ["Give the id of one of your RAA's households."]}) \
                    from None
        if d.get("child"):
            try:
                child = access.get_child_for(user, d["child"])
            except Http404:
                raise serializers.ValidationError({"child": ["Give the id of a child whose record you can see."]}) \
                    from None
        item = services.book_item(actor=user, panel=panel, household=household, child=child, kind=d["kind"])
        return Response(PanelItemSerializer(item).data, status=status.HTTP_201_CREATED)

