"""/api/v1/children/: the children list (the list page's filters), a child with its derived facts, adding a child."""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from permanence import access
from permanence.api import journey_events, preconditions
from permanence.api.fields import PlausibleDateField
from permanence.children import rules, selectors, services
from permanence.children.models import Child, NeedLevel, Sex
from permanence.core import audit

STAGE_CHOICES = [(s.value, label) for s, label in rules.STAGE_LABELS.items()]
ETHNICITY_CHOICES = Child._meta.get_field("ethnicity").choices


class ChildFilterSerializer(serializers.Serializer):
    """The children list page's filters, as query parameters."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200,
                              help_text="Words in the name, the LA child ID, or a reference such as P000123. "
                                        "Searching includes closed cases.")
    la = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="An LA code, e.g. 901.")
    stage = serializers.ChoiceField(choices=STAGE_CHOICES, required=False, allow_blank=True,
                                    help_text="Only children at this stage (closed stages included).")
    holder = serializers.ChoiceField(choices=[("la", "LA"), ("raa", "RAA")], required=False, allow_blank=True,
                                     help_text="Who holds the case.")
    priority = serializers.BooleanField(required=False, default=False, help_text="Priority children only.")
    overdue = serializers.BooleanField(required=False, default=False, help_text="Children with an overdue action.")
    include_closed = serializers.BooleanField(required=False, default=False,
                                              help_text="Include adopted children and changed plans.")


class OrganisationRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()


class ChildSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    la = serializers.CharField(source="la.code", read_only=True, help_text="The LA's code.")
    la_name = serializers.CharField(source="la.name", read_only=True)
    stage_label = serializers.CharField(read_only=True)
    case_holder = OrganisationRefSerializer(read_only=True, allow_null=True)
    la_social_worker = serializers.CharField(source="la_social_worker.get_full_name", read_only=True,
                                             allow_null=True, default=None)
    family_finder = serializers.CharField(source="family_finder.get_full_name", read_only=True, allow_null=True,
                                          default=None)

    class Meta:
        model = Child
        fields = ["id", "reference", "la", "la_name", "la_child_id", "first_name", "last_name", "date_of_birth",
                  "expected_date_of_birth", "sex", "ethnicity", "has_disability", "stage", "stage_label",
                  "case_holder", "entered_care_date", "po_date", "next_due_date", "next_due_label",
                  "last_event_date", "la_social_worker", "family_finder"]
        read_only_fields = fields


class HolderPeriodSerializer(serializers.Serializer):
    start = PlausibleDateField(kind="period")
    end = PlausibleDateField(kind="period", allow_null=True)
    holder = serializers.ChoiceField(choices=["la", "raa"], allow_null=True, help_text="null: the case is closed.")
    holder_name = serializers.CharField()
    reason = serializers.CharField()


class DueActionSerializer(journey_events.DueActionSerializerBase):
    overdue = serializers.BooleanField()
    days_left = serializers.IntegerField(help_text="Negative when overdue.")


class NeedSerializer(serializers.Serializer):
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.name")
    level = serializers.CharField()


class SiblingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class DerivedSerializer(serializers.Serializer):
    """Facts derived from the journey events and the LA's policy on the day asked (never typed in)."""

    on = PlausibleDateField(kind="period", help_text="The date the facts are derived for (today).")
    stage = serializers.ChoiceField(choices=STAGE_CHOICES)
    stage_label = serializers.CharField()
    case_holder = OrganisationRefSerializer(allow_null=True)
    holder_history = HolderPeriodSerializer(many=True)
    due_actions = DueActionSerializer(many=True)
    priority_reasons = serializers.ListField(child=serializers.CharField())
    days_in_care = serializers.IntegerField(allow_null=True)
    days_since_po = serializers.IntegerField(allow_null=True)
    age_years = serializers.IntegerField(allow_null=True)
    case_holding_policy = serializers.CharField(allow_null=True)
    recordable_kinds = serializers.ListField(child=serializers.CharField(),
                                             help_text="Kinds of event your role may record now.")


class ChildDetailSerializer(ChildSerializer):
    disabilities = serializers.CharField(read_only=True, allow_null=True,
                                         help_text="null for a role that does not see the descriptions of a "
                                                   "child's disabilities and health needs (data officers).")
    health_needs = serializers.CharField(read_only=True, allow_null=True,
                                         help_text="null for a role that does not see them (data officers).")
    sibling_group = serializers.CharField(source="sibling_group.name", read_only=True, allow_null=True,
                                          default=None)
    siblings = SiblingSerializer(many=True, read_only=True)
    needs = NeedSerializer(many=True, read_only=True)
    derived = DerivedSerializer(read_only=True)

    class Meta(ChildSerializer.Meta):
        fields = [*ChildSerializer.Meta.fields, "disabilities", "health_needs", "sibling_group", "siblings",
                  "needs", "derived"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not access.can_see_health_details(request.user):
            data["disabilities"] = data["health_needs"] = None  # special-category data (access.children)
        return data


class ChildCreateSerializer(serializers.Serializer):
    la = serializers.CharField(max_length=20, help_text="The code of one of your LAs.")
    la_child_id = serializers.CharField(max_length=40)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = PlausibleDateField(kind="birth", required=False, allow_null=True)
    expected_date_of_birth = PlausibleDateField(kind="expected_birth", required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    ethnicity = serializers.ChoiceField(choices=ETHNICITY_CHOICES, required=False, default="NOBT")
    has_disability = serializers.BooleanField(required=False, default=False)
    disabilities = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    health_needs = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class NeedsSerializer(serializers.Serializer):
    """The child's needs profile: a level for each need category recorded."""

    needs = NeedSerializer(many=True)


class NeedsInputSerializer(serializers.Serializer):
    needs = serializers.DictField(child=serializers.ChoiceField(choices=NeedLevel.choices), allow_empty=False,
                                  help_text="By need category code: the child's level of that need. Categories not "
                                            "given keep their level.")


def _needs_version(child: Child) -> tuple:
    """The needs profile's ETag is the child's version with its needs rows (core.concurrency)."""
    return Child.objects.get(pk=child.pk), ("needs",)


def _needs_etag(child: Child) -> str:
    return preconditions.etag(*_needs_version(child))


def derived_facts(user, child: Child, today) -> tuple[dict, selectors.ChildPage]:
    page = selectors.child_page(child, today)
    raa = child.la.raa
    names = {rules.LA: child.la.name, rules.RAA: raa.name if raa else "RAA", None: "Case closed"}
    recordable = rules.kinds_recordable(user.role, access.side_of(user), page.policy, page.state)
    return {
        "on": today,
        "stage": page.state.stage.value,
        "stage_label": rules.STAGE_LABELS[page.state.stage],
        "case_holder": child.case_holder,
        "holder_history": [{"start": p.start, "end": p.end, "holder": p.side, "holder_name": names[p.side],
                            "reason": p.reason} for p in page.periods],
        "due_actions": [{**asdict(a), "overdue": a.overdue_on(today), "days_left": a.days_left(today)}
                        for a in page.due],
        "priority_reasons": page.priority_reasons,
        "days_in_care": page.days_in_care,
        "days_since_po": page.days_since_po,
        "age_years": page.age_years,
        "case_holding_policy": page.policy.describe_case_holding() if page.policy else None,
        "recordable_kinds": [k.value for k in recordable],
    }, page


class ChildViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """Children, through access exactly as the pages: a child you may not see is a 404."""

    lookup_value_regex = r"\d{1,18}"
    serializer_class = ChildSerializer

    def get_queryset(self):
        return access.children_visible_to(self.request.user)

    def _require_records(self) -> None:
        if not access.can_see_child_records(self.request.user):
            raise Http404

    @extend_schema(parameters=[ChildFilterSerializer], summary="Children (the list page, with its filters)")
    def list(self, request, *args, **kwargs):
        self._require_records()
        params = ChildFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = selectors.ChildFilters(**{k: v for k, v in params.validated_data.items() if v is not None})
        qs = selectors.children_list(request.user, filters, services.today()).order_by(
            "last_name", "first_name", "pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ChildSerializer(page, many=True).data)

    @extend_schema(responses=ChildDetailSerializer, summary="A child, with the facts derived from the journey")
    def retrieve(self, request, *args, **kwargs):
        child = access.get_child_for(request.user, kwargs["pk"])
        derived, page = derived_facts(request.user, child, services.today())
        audit.record_view(viewer=request.user, instance=child, path=request.path, child_id=child.pk)
        child.derived, child.siblings = derived, page.siblings
        return Response(ChildDetailSerializer(child, context={"request": request}).data)

    @extend_schema(request=ChildCreateSerializer, responses={201: ChildDetailSerializer},
                   summary="Add a child (children.services.create_child)")
    def create(self, request, *args, **kwargs):
        self._require_records()
        user = request.user
        if user.role not in access.CHILD_CREATE_ROLES:
            raise PermissionDenied
        body = ChildCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        if not access.can_see_health_details(user):
            given = [name for name in ("disabilities", "health_needs") if values.get(name)]
            if given:
                raise serializers.ValidationError(
                    {name: ["Your role does not record the descriptions of a child's disabilities and health "
                            "needs: leave this out, and the child's social worker adds it."] for name in given})
        try:
            la = access.get_la_for(user, values.pop("la"))
        except Http404:
            raise serializers.ValidationError({"la": ["Give the code of one of your local authorities."]}) from None
        child = services.create_child(actor=user, la=la, **values)
        child = access.get_child_for(user, child.pk)
        derived, page = derived_facts(user, child, services.today())
        child.derived, child.siblings = derived, page.siblings
        return Response(ChildDetailSerializer(child, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=NeedsSerializer, summary="The child's needs profile")
    @extend_schema(methods=["PUT"], request=NeedsInputSerializer, responses={200: NeedsSerializer, 412: preconditions.PRECONDITION_FAILED},
                   parameters=[preconditions.IF_MATCH],
                   summary="Set levels in the child's needs profile (children.services.set_needs)")
    @action(detail=True, methods=["get", "put"], url_path="needs", url_name="needs")
    def needs(self, request, *args, **kwargs):
        user = request.user
        child = access.get_child_for(user, kwargs["pk"])
        if request.method == "PUT":
            if user.role not in access.CHILD_CREATE_ROLES:
                raise PermissionDenied
            body = NeedsInputSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            with preconditions.guarded_write(request, child, lambda: _needs_etag(child)):
                services.set_needs(actor=user, child=child, levels=dict(body.validated_data["needs"]))
        else:
            audit.record_view(viewer=user, instance=child, path=request.path, child_id=child.pk)
        needs = child.needs.select_related("category").order_by("category__code")
        return preconditions.with_etag(Response(NeedsSerializer({"needs": needs}).data), *_needs_version(child))
