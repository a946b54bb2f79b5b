"""/api/v1/me/: who the credentials belong to, and what they may do."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from permanence import access


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    organisation = serializers.CharField(help_text="The organisation's code.")
    organisation_kind = serializers.CharField()
    organisation_name = serializers.CharField()
    can_see_child_records = serializers.BooleanField()
    can_add_children = serializers.BooleanField()
    can_export = serializers.BooleanField()
    can_see_aggregates = serializers.BooleanField()
    local_authorities = serializers.ListField(child=serializers.CharField(), help_text="Codes of LAs you may see.")


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in member of staff")
    def get(self, request):
        user = request.user
        org = user.organisation
        return Response(MeSerializer({
            "username": user.username, "name": user.get_full_name(), "role": user.role,
            "role_label": user.get_role_display(), "organisation": org.code, "organisation_kind": org.kind,
            "organisation_name": org.name, "can_see_child_records": access.can_see_child_records(user),
            "can_add_children": access.can_see_child_records(user) and user.role in access.CHILD_CREATE_ROLES,
            "can_export": access.can_export(user), "can_see_aggregates": access.can_see_aggregates(user),
            "local_authorities": list(access.las_visible_to(user).order_by("code").values_list("code", flat=True)),
        }).data)
