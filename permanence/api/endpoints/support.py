"""/api/v1/support-cases/: adoption support cases (list with the pages' filters, retrieve with what is due, record a
referral) and their steps (/api/v1/support-cases/{id}/events/, built by api.journey_events).

Access is the pages': the RAA's support workers, team managers and head of service, their own RAA's cases only
(access.support_cases_visible_to / get_support_case_for); anyone else gets an empty list and a 404. Writes go
through support.services (a refusal is a 400 saying why). Every retrieve is logged as a view of the case.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from permanence import access
from permanence.api import journey_events
from permanence.api.fields import PlausibleDateField
from permanence.organisations.models import Organisation
from permanence.support import rules, selectors, services
from permanence.support.journey import RECORDS
from permanence.support.models import SupportCase, SupportEvent
from permanence.timescales.selectors import timescales_in_force

ID = r"\d{1,18}"
STAGES = [(s.value, label) for s, label in rules.STAGE_LABELS.items()]
KINDS = [(k.value, label) for k, label in rules.KIND_LABELS.items()]


class SupportCaseSerializer(serializers.ModelSerializer):
    """A support case: the referral and the snapshot of its journey."""

    reference = serializers.CharField(read_only=True)
    raa = serializers.CharField(source="raa.code", read_only=True)
    stage_label = serializers.CharField(read_only=True)
    worker = serializers.CharField(source="worker.get_full_name", allow_null=True, default=None, read_only=True)
    child = serializers.IntegerField(source="child_id", allow_null=True, read_only=True)
    placing_la = serializers.CharField(source="placing_la.code", allow_null=True, default=None, read_only=True)
    family_la = serializers.CharField(source="family_la.code", allow_null=True, default=None, read_only=True)
    safeguarding_la = serializers.CharField(source="safeguarding_la.code", allow_null=True, default=None,
                                            read_only=True)

    class Meta:
        model = SupportCase
        fields = ["id", "reference", "raa", "referrer_type", "referred_on", "family_name", "referrer_name",
                  "referrer_relationship", "reason", "urgency", "safeguarding", "safeguarding_la",
                  "safeguarding_told_on", "child", "child_name", "child_date_of_birth", "adoption_order_date",
                  "placing_la", "family_la", "stage", "stage_label", "stage_since", "duty_outcome", "requested_on",
                  "worker", "started_on", "completed_on", "plan_agreed_on", "interim_offers", "last_activity_on",
                  "next_due_date", "next_due_label", "closed_on", "closed_reason"]
        read_only_fields = fields


class DueSerializer(journey_events.DueActionSerializerBase):
    overdue = serializers.BooleanField()


class SupportCaseDetailSerializer(SupportCaseSerializer):
    responsible_la = serializers.CharField(allow_null=True, read_only=True,
                                           help_text="The LA responsible for support today (its code).")
    due = DueSerializer(many=True, read_only=True)
    recordable_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(SupportCaseSerializer.Meta):
        fields = [*SupportCaseSerializer.Meta.fields, "responsible_la", "due", "recordable_kinds"]
        read_only_fields = fields


class SupportCaseFilterSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=STAGES, required=False)
    referrer_type = serializers.ChoiceField(choices=list(rules.REFERRER_TYPES.items()), required=False)
    urgency = serializers.ChoiceField(choices=list(rules.URGENCIES.items()), required=False)
    worker = serializers.CharField(required=False, help_text="A worker's id, or 'none' for cases not allocated.")
    waiting = serializers.BooleanField(required=False, help_text="Waiting for an assessment to start (in the "
                                                                 "waiting list's order).")


def _la(field: str):
    return serializers.SlugRelatedField(slug_field="code", required=False, allow_null=True,
                                        queryset=Organisation.objects.filter(kind=Organisation.Kind.LA),
                                        help_text=f"{field} (an LA's code).")


class ReferralSerializer(serializers.Serializer):
    referrer_type = serializers.ChoiceField(choices=list(rules.REFERRER_TYPES.items()))
    referred_on = PlausibleDateField()
    family_name = serializers.CharField(max_length=200)
    referrer_name = serializers.CharField(max_length=200)
    referrer_relationship = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=5000)
    urgency = serializers.ChoiceField(choices=list(rules.URGENCIES.items()), default="standard")
    safeguarding = serializers.BooleanField(default=False)
    safeguarding_la = _la("The LA told of the safeguarding concern")
    safeguarding_told_on = PlausibleDateField(required=False, allow_null=True)
    child = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10**18 - 1,
                                     help_text="The child's id, when Permanence holds the record.")
    child_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    child_date_of_birth = PlausibleDateField(kind="birth", required=False, allow_null=True)
    adoption_order_date = PlausibleDateField(kind="historic", required=False, allow_null=True)
    placing_la = _la("The placing LA")
    family_la = _la("The LA where the family lives")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class SupportCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Support cases, as the support pages: a case you may not see is a 404."""

    lookup_value_regex = ID
    serializer_class = SupportCaseSerializer

    def get_queryset(self):
        return access.support_cases_visible_to(self.request.user).select_related(
            "raa", "worker", "placing_la", "family_la", "safeguarding_la")

    @extend_schema(parameters=[SupportCaseFilterSerializer], summary="Support cases (the cases list, with its "
                                                                     "filters; waiting: the waiting list)")
    def list(self, request, *args, **kwargs):
        params = SupportCaseFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        filters = selectors.CaseFilters(stage=d.get("stage", ""), referrer_type=d.get("referrer_type", ""),
                                        urgency=d.get("urgency", ""), worker=d.get("worker", ""),
                                        waiting=d.get("waiting", False))
        cases = selectors.filtered(self.get_queryset(), filters, services.today())
        cases = selectors.waiting_list(cases) if filters.waiting else cases.order_by("-referred_on", "-pk")
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(SupportCaseSerializer(page, many=True).data)

    @extend_schema(responses=SupportCaseDetailSerializer, summary="A support case, with what is due and the steps "
                                                                  "your role may record next")
    def retrieve(self, request, *args, **kwargs):
        case = access.get_support_case_for(request.user, kwargs["pk"])
        RECORDS.log_view(request.user, case, request.path)
        return Response(self._detail(request.user, case))

    def _detail(self, user, case) -> dict:
        today = services.today()
        state = services.state_of(case)
        settings = services.settings_for(case.raa)
        responsible = rules.responsible_la(case.placing_la, case.family_la, case.adoption_order_date, today,
                                           settings.placing_la_years)
        case.responsible_la = responsible.code if responsible else None
        case.due = [{"key": a.key, "label": a.label, "start": a.start, "due": a.due, "rule": a.rule,
                     "overdue": a.overdue_on(today)}
                    for a in rules.due_actions(state, timescales_in_force(today, rules.SUBJECT))]
        case.recordable_kinds = [k.value for k in rules.kinds_recordable(user.role, state)] \
            if access.can_record_support_for(user, case.raa) else []
        return SupportCaseDetailSerializer(case).data

    @extend_schema(request=ReferralSerializer, responses={201: SupportCaseDetailSerializer},
                   summary="Record a referral (support.services.create_referral); a refusal is a 400 saying why")
    def create(self, request, *args, **kwargs):
        user = request.user
        raa = access.support_raa_for(user)
        if raa is None:
            raise Http404
        if not access.can_record_support_for(user, raa):
            raise PermissionDenied
        body = ReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        note = d.pop("note")
        if d.get("child") is not None:
            child = access.children_visible_to(user).filter(pk=d["child"]).first()
            if child is None:
                raise serializers.ValidationError({"child": ["Give the id of a child you may see."]})
            d["child"] = child
        case = services.create_referral(actor=user, raa=raa, note=note, **d)
        return Response(self._detail(user, access.get_support_case_for(user, case.pk)),
                        status=status.HTTP_201_CREATED)


class SupportEventDetailsSerializer(serializers.Serializer):
    """Details some steps take (the support case's journey says which are required for which step)."""

    outcome = serializers.ChoiceField(choices=list({**rules.DUTY_OUTCOMES, **rules.COMPLETION_OUTCOMES}.items()),
                                      required=False, help_text="Duty outcome, or assessment completed: the "
                                                                "outcome.")
    where = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                  help_text="Duty outcome 'signposted': where to.")
    worker = serializers.CharField(required=False, help_text="Allocated: the worker's id (the RAA's support team).")
    offered = serializers.CharField(required=False, max_length=2000, help_text="Interim support: what was offered.")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                    help_text="A note, or a support plan agreed: what it says.")
    reason = serializers.ChoiceField(choices=list(rules.CLOSURE_REASONS.items()), required=False,
                                     help_text="Closed: the outcome at closure.")
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                     help_text="Closed: the family's feedback.")


EVENTS = journey_events.event_endpoints(
    RECORDS, model=SupportEvent, prefix="Support", record_pk="case_pk", record_doc="The support case's id.",
    details=SupportEventDetailsSerializer, corrects_details=True,
    kind_choices=KINDS,
    texts=journey_events.EventTexts(
        subject="support case", list="A support case's steps (superseded ones included)",
        retrieve="One step of a support case",
        create="Record a step (support.services.record_event); a refusal is a 400 saying why",
        correct="Correct or withdraw a step (support.services.correct_event)",
        event_doc="A step of a support case: the same shape as a child's journey event."),
)
SupportEventViewSet = EVENTS.viewset
