"""/api/v1/support-fund-applications/ (list, retrieve, create a draft) and /api/v1/support-providers/ (the RAA's
commissioned provider list).

Access is the pages': only the RAA's adoption support team and its managers, their own RAA's records
(access.fund_applications_visible_to / get_fund_application_for, support_providers_visible_to); anyone else gets
an empty 404. Creating goes through support_fund.services.create_application (support workers and team
managers); a service's ValidationError is a 400. The family is named by the case's reference only.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from permanence import access
from permanence.core import audit
from permanence.support_fund import rules, selectors, services
from permanence.support_fund.models import FundApplication, SupportProvider

ID = r"\d{1,18}"
MAX_ID = 10**18 - 1
APPLICATION_KIND_CHOICES = [(k.value, label) for k, label in rules.APPLICATION_TYPE_LABELS.items()]


class ApplicationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, label) for s, label in rules.STATUS_LABELS.items()],
                                     required=False)
    financial_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100,
                                              help_text="The year it starts in: 2025 for 2025/26.")
    kind = serializers.ChoiceField(choices=APPLICATION_KIND_CHOICES, required=False)
    case = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="A support case's id.")


class ApplicationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = FundApplication
        fields = ["id", "reference", "case", "case_reference", "kind", "kind_label", "amount_requested",
                  "description", "provider", "provider_name", "status", "status_label", "submitted_on",
                  "financial_year", "over_limit", "decided_on", "decision", "amount_approved", "paid_on",
                  "amount_paid", "withdrawn_on"]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The support case's id.")
    kind = serializers.ChoiceField(choices=APPLICATION_KIND_CHOICES)
    amount_requested = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0.01"))
    description = serializers.CharField()
    provider = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class ApplicationDetailSerializer(ApplicationSerializer):
    limit = serializers.SerializerMethodField(help_text="The child's fair access limit for the application's "
                                                        "financial year (today's, for a draft).")

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "limit"]
        read_only_fields = fields

    def get_limit(self, obj) -> dict:
        check = services.limit_check(case=obj.case, kind=obj.kind, amount=obj.amount_requested,
                                     on=obj.submitted_on or services.today(), exclude=obj)
        def money(value):
            return None if value is None else f"{value:.2f}"

        return {"financial_year": check.financial_year, "limit": money(check.cap),
                "used_by_others": money(check.used), "headroom": money(check.headroom), "breaches": check.breaches}


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Support fund applications of your RAA's support cases."""

    lookup_value_regex = ID
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        return access.fund_applications_visible_to(self.request.user).select_related("case", "provider")

    @extend_schema(parameters=[ApplicationFilterSerializer], summary="Support fund applications, newest first")
    def list(self, request, *args, **kwargs):
        if not access.can_see_support(request.user):
            raise Http404
        params = ApplicationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        qs = self.get_queryset()
        if d.get("status"):
            qs = qs.filter(selectors.status_q(d["status"]))
        if d.get("financial_year"):
            qs = qs.filter(financial_year=d["financial_year"])
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        if d.get("case"):
            qs = qs.filter(case_id=d["case"])
        page = self.paginate_queryset(qs.order_by("-pk"))
        return self.get_paginated_response(ApplicationSerializer(page, many=True).data)

    @extend_schema(responses=ApplicationDetailSerializer, summary="An application, with the child's headroom")
    def retrieve(self, request, *args, **kwargs):
        application = access.get_fund_application_for(request.user, kwargs["pk"])
        audit.record_view(viewer=request.user, instance=application, path=request.path,
                          child_id=application.case.child_id)
        return Response(ApplicationDetailSerializer(application).data)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer},
                   summary="Make a draft application on a support case (support_fund.services.create_application)")
    def create(self, request, *args, **kwargs):
        user = request.user
        if not access.can_see_support(user):
            raise Http404
        body = ApplicationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            case = access.get_support_case_for(user, d["case"])
        except Http404:
            raise serializers.ValidationError({"case": ["Give the id of one of your RAA's support cases."]}) \
                from None
        provider = None
        if d.get("provider"):
            provider = access.support_providers_visible_to(user).filter(pk=d["provider"]).first()
            if provider is None:
                raise serializers.ValidationError({"provider": ["Give the id of a provider on your RAA's list."]})
        application = services.create_application(actor=user, case=case, kind=d["kind"],
                                                  amount_requested=d["amount_requested"],
                                                  description=d["description"], provider=provider)
        return Response(ApplicationDetailSerializer(application).data, status=status.HTTP_201_CREATED)


class ProviderSerializer(serializers.ModelSerializer):
    tier_label = serializers.CharField(read_only=True)
    commissions = serializers.SerializerMethodField()

    class Meta:
        model = SupportProvider
        fields = ["id", "name", "services", "tier", "tier_label", "registration_number", "commissions"]
        read_only_fields = fields

    def get_commissions(self, obj) -> list[dict]:
        return [{"id": c.pk, "description": c.description, "start_date": c.start_date, "end_date": c.end_date,
                 "outcome": c.outcome} for c in obj.commissions.all()]


class ProviderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your RAA's commissioned provider list, with each commission's dates and outcome."""

    serializer_class = ProviderSerializer

    def get_queryset(self):
        return access.support_providers_visible_to(self.request.user).prefetch_related("commissions")

    @extend_schema(summary="The RAA's commissioned providers")
    def list(self, request, *args, **kwargs):
        if not access.can_see_support(request.user):
            raise Http404
        page = self.paginate_queryset(self.get_queryset().order_by("name", "pk"))
        return self.get_paginated_response(ProviderSerializer(page, many=True).data)

# The choice set the schema names (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
FUND_DECISION_CHOICES = [(d.value, label) for d, label in rules.DECISION_LABELS.items()]
