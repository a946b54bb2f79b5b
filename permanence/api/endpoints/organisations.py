"""/api/v1/organisations/: the LAs you may see (access.las_visible_to), with their policy history."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from permanence import access
from permanence.organisations.models import LAPolicy, Organisation


class PolicySerializer(serializers.ModelSerializer):
    case_holding_label = serializers.CharField(source="describe_case_holding", read_only=True)

    class Meta:
        model = LAPolicy
        fields = ["effective_from", "case_holding", "case_holding_label", "age_limit", "should_be_placed_delegated",
                  "match_delegated", "cpr_writer", "lsb_writer", "lll_writer", "note", "created_at"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    raa = serializers.CharField(source="raa.code", read_only=True, allow_null=True, default=None)
    raa_name = serializers.CharField(source="raa.name", read_only=True, allow_null=True, default=None)
    policies = PolicySerializer(many=True, read_only=True, help_text="Newest first: each applies from its date.")

    class Meta:
        model = Organisation
        fields = ["code", "kind", "name", "raa", "raa_name", "policies"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary="Local authorities you may see, with their policy history"),
                    retrieve=extend_schema(summary="A local authority, by its code"))
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_-]{1,20}"

    def get_queryset(self):
        return access.las_visible_to(self.request.user).select_related("raa").prefetch_related("policies").order_by(
            "code")

    def get_object(self):
        return access.get_la_for(self.request.user, self.kwargs["code"])
