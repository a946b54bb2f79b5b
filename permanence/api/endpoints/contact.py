"""Contact plans and letterbox exchanges (issue 12): read-only, for the child's RAA's adoption support team and its
managers (access.contact). Anyone else: 404, as for a missing record. Opening one is logged (RecordView)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from permanence import access
from permanence.contact import rules, selectors, services
from permanence.contact.models import ContactArrangement, ContactPlan, ContactReview, LetterboxExchange
from permanence.core import audit

ID = r"\d{1,18}"


class ExchangeSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="arrangement.plan.child_id")
    status = serializers.SerializerMethodField(help_text="Where it stands today: " + ", ".join(rules.Status))
    forward_by = serializers.SerializerMethodField()

    class Meta:
        model = LetterboxExchange
        fields = ["id", "reference", "child", "arrangement", "direction", "due_on", "received_on", "read_on",
                  "redacted_on", "redaction_reason", "forwarded_on", "status", "forward_by"]

    def _row(self, obj) -> selectors.ExchangeRow:
        return selectors.exchange_row(obj, self.context["today"], self.context["timescales"])

    def get_status(self, obj) -> str:
        return self._row(obj).status.value

    def get_forward_by(self, obj) -> str | None:
        day = self._row(obj).forward_by
        return day.isoformat() if day else None


class ArrangementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactArrangement
        fields = ["id", "kind", "with_name", "relationship", "times_a_year", "months", "day_of_month",
                  "letterbox_ways", "start_on", "end_on", "notes"]


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactReview
        fields = ["id", "held_on", "outcome", "changes"]


class PlanSerializer(serializers.ModelSerializer):
    arrangements = ArrangementSerializer(many=True)
    reviews = ReviewSerializer(many=True)

    class Meta:
        model = ContactPlan
        fields = ["id", "reference", "child", "adoption_order_date", "last_reviewed_on", "next_review_due", "notes",
                  "arrangements", "reviews"]


def _context():
    today = services.today()
    return {"today": today, "timescales": selectors.contact_timescales(today)}


class LetterboxExchangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Letterbox exchanges of your RAA's children (support team only), by due date."""

    lookup_value_regex = ID
    serializer_class = ExchangeSerializer

    def get_queryset(self):
        return access.letterbox_exchanges_visible_to(self.request.user).select_related("arrangement__plan")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_context()}

    @extend_schema(summary="Letterbox exchanges, by due date")
    def list(self, request, *args, **kwargs):
        if not access.can_see_support(request.user):
            raise Http404
        page = self.paginate_queryset(self.get_queryset().order_by("due_on", "pk"))
        return self.get_paginated_response(ExchangeSerializer(page, many=True, context=_context()).data)

    @extend_schema(summary="A letterbox exchange: its due, received, read, redacted and forwarded dates")
    def retrieve(self, request, *args, **kwargs):
        x = access.get_letterbox_exchange_for(request.user, kwargs["pk"])
        audit.record_view(viewer=request.user, instance=x, path=request.path, child_id=x.arrangement.plan.child_id)
        return Response(ExchangeSerializer(x, context=_context()).data)


class ContactPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contact plans of your RAA's children (support team only), the next review due first."""

    lookup_value_regex = ID
    serializer_class = PlanSerializer

    def get_queryset(self):
        return access.contact_plans_visible_to(self.request.user).prefetch_related("arrangements", "reviews")

    @extend_schema(summary="Contact plans, the next review due first")
    def list(self, request, *args, **kwargs):
        if not access.can_see_support(request.user):
            raise Http404
        page = self.paginate_queryset(self.get_queryset().order_by("next_review_due", "pk"))
        return self.get_paginated_response(PlanSerializer(page, many=True).data)

    @extend_schema(summary="A contact plan: its arrangements and reviews")
    def retrieve(self, request, *args, **kwargs):
        plan = access.get_contact_plan_for(request.user, kwargs["pk"])
        audit.record_view(viewer=request.user, instance=plan, path=request.path, child_id=plan.child_id)
        return Response(PlanSerializer(plan).data)

# The choice sets the schema names (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
CONTACT_KIND_CHOICES = ContactArrangement._meta.get_field("kind").choices
CONTACT_RELATIONSHIP_CHOICES = ContactArrangement._meta.get_field("relationship").choices
