"""/api/v1/ adopted adults' requests: the list (with the list page's filters, or the waiting list in triage
order), one request with what is due and the steps your role may record next, recording a request, and its
steps (journey_events: list, retrieve, record, correct).

Access is the pages': only the RAA's adoption support workers, team managers and head of service see their own
RAA's requests (access.adult_requests_visible_to / get_adult_request_for); everyone else gets a 404, as for a
request that does not exist. Recording needs access.can_record_adult_requests (a 403 otherwise). Writes go
through adopted_adults.services; every view of a request is logged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from permanence import access
from permanence.adopted_adults import rules, selectors, services
from permanence.adopted_adults.journey import RECORDS
from permanence.adopted_adults.models import AdultRequest, AdultRequestEvent
from permanence.api import journey_events
from permanence.api.fields import PlausibleDateField
from permanence.organisations.models import Organisation

ID = r"\d{1,18}"
MAX_ID = 10**18 - 1
STAGE_CHOICES = [(s.value, label) for s, label in rules.STAGE_LABELS.items()]
KIND_CHOICES = [(k.value, label) for k, label in rules.KIND_LABELS.items()]


class ChaseSerializer(serializers.Serializer):
    agency = serializers.CharField()
    requested = PlausibleDateField()
    due = PlausibleDateField(kind="planned", help_text="Chase the agency if the records have not come by this date.")


class AdultRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    raa = serializers.CharField(source="raa.code")
    request_type = serializers.ChoiceField(choices=list(rules.REQUEST_TYPES.items()))
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = PlausibleDateField(kind="birth")
    received_on = PlausibleDateField()
    contact_method = serializers.ChoiceField(choices=AdultRequest.Contact.choices)
    adoption_year = serializers.IntegerField(allow_null=True)
    adoption_agency = serializers.CharField(source="agency_label")
    worker = serializers.CharField(source="worker.get_full_name", allow_null=True, default=None)
    stage = serializers.ChoiceField(choices=STAGE_CHOICES)
    stage_label = serializers.CharField()
    priority = serializers.CharField(help_text="very_elderly, seriously_ill, standard; blank before triage.")
    triaged_on = PlausibleDateField(allow_null=True)
    first_interview_on = PlausibleDateField(allow_null=True)
    interview_due = PlausibleDateField(kind="planned", allow_null=True, help_text="The target date for the first interview, "
                                                                     "while the request waits.")
    sessions = serializers.IntegerField(help_text="Counselling sessions after the first interview.")
    records_outstanding = serializers.IntegerField(help_text="Agencies' records requested and not yet received.")
    chase_due = PlausibleDateField(kind="planned", allow_null=True, help_text="The earliest chase date of those records.")
    ended_on = PlausibleDateField(allow_null=True)
    outcome = serializers.CharField()


class AdultRequestDetailSerializer(AdultRequestSerializer):
    birth_name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    days_waiting = serializers.IntegerField(allow_null=True, help_text="Days from the request to the first "
                                                                       "interview (to today while it waits).")
    over_target = serializers.BooleanField()
    chases = ChaseSerializer(many=True)
    recordable_kinds = serializers.ListField(child=serializers.CharField(),
                                             help_text="Steps your role may record next on this request.")


class AdultRequestFilterSerializer(serializers.Serializer):
    waiting = serializers.BooleanField(required=False, default=False,
                                       help_text="Only the waiting list (no first interview yet), in triage order.")
    request_type = serializers.ChoiceField(choices=list(rules.REQUEST_TYPES.items()), required=False,
                                           allow_blank=True)
    stage = serializers.ChoiceField(choices=STAGE_CHOICES, required=False, allow_blank=True)
    priority = serializers.ChoiceField(choices=[*rules.PRIORITIES.items(), ("untriaged", "Not yet triaged")],
                                       required=False, allow_blank=True)
    worker = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class AdultRequestCreateSerializer(serializers.Serializer):
    request_type = serializers.ChoiceField(choices=list(rules.REQUEST_TYPES.items()))
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    date_of_birth = PlausibleDateField(kind="birth")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    adoption_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100,
                                             default=None)
    adoption_agency = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                               default=None, help_text="An organisation's id, if Permanence "
                                                                       "knows the agency.")
    adoption_agency_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    received_on = PlausibleDateField()
    contact_method = serializers.ChoiceField(choices=AdultRequest.Contact.choices)
    worker = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID, default=None,
                                      help_text="A support worker's or team manager's id in your RAA.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class AdultRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """Adopted adults' requests, as the waiting list, the list and the request's page: one you may not see is a
    404."""

    lookup_value_regex = ID
    serializer_class = AdultRequestSerializer

    def get_queryset(self):
        return access.adult_requests_visible_to(self.request.user)

    @extend_schema(parameters=[AdultRequestFilterSerializer],
                   summary="Adopted adults' requests (the list's filters, or the waiting list in triage order)")
    def list(self, request, *args, **kwargs):
        if not access.can_see_adult_requests(request.user):
            raise Http404
        params = AdultRequestFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        visible = self.get_queryset()
        if d["waiting"]:
            qs = selectors.waiting_list(visible)
        else:
            qs = selectors.filtered(visible, selectors.Filters(
                request_type=d.get("request_type", ""), stage=d.get("stage", ""), priority=d.get("priority", ""),
                worker=d.get("worker")))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AdultRequestSerializer(page, many=True).data)

    @extend_schema(responses=AdultRequestDetailSerializer,
                   summary="A request, with its wait, the agencies' chases and the steps your role may record next")
    def retrieve(self, request, *args, **kwargs):
        adult = access.get_adult_request_for(request.user, kwargs["pk"])
        RECORDS.log_view(request.user, adult, request.path)
        return Response(self._detail(request.user, adult))

    def _detail(self, user, adult: AdultRequest) -> dict:
        today = services.today()
        state = services.state_of(adult)
        timescales = services.timescales(today)
        adult.days_waiting = rules.days_waiting(state, today)
        adult.over_target = rules.waiting_over_target(state, timescales, today)
        adult.chases = rules.chases(state, timescales)
        adult.recordable_kinds = [k.value for k in access.adult_request_kinds_for(user, adult, state)]
        return AdultRequestDetailSerializer(adult).data

    @extend_schema(request=AdultRequestCreateSerializer, responses={201: AdultRequestDetailSerializer},
                   summary="Record an adopted adult's request (adopted_adults.services.create_request)")
    def create(self, request, *args, **kwargs):
        user = request.user
        if not access.can_see_adult_requests(user):
            raise Http404
        if not access.can_record_adult_requests(user):
            raise PermissionDenied
        body = AdultRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        raa = access.support_raa_for(user)
        agency_id, worker_id = d.pop("adoption_agency"), d.pop("worker")
        agency = Organisation.objects.filter(pk=agency_id).first() if agency_id else None
        if agency_id and agency is None:
            raise serializers.ValidationError({"adoption_agency": ["Give the id of an organisation."]})
        worker = access.adult_request_workers_for(user).filter(pk=worker_id).first() if worker_id else None
        if worker_id and worker is None:
            raise serializers.ValidationError({"worker": ["Give the id of a support worker or team manager of your "
                                                          "RAA."]})
        made = services.create_request(actor=user, raa=raa, adoption_agency=agency, worker=worker, **d)
        return Response(self._detail(user, access.get_adult_request_for(user, made.pk)),
                        status=status.HTTP_201_CREATED)


class AdultRequestEventDetailsSerializer(serializers.Serializer):
    """Details some steps take (the request's journey says which are required for which step)."""

    priority = serializers.ChoiceField(choices=list(rules.PRIORITIES.items()), required=False,
                                       help_text="Triaged: the priority.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text="Triaged: why it has priority (needed unless standard).")
    agency = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                   help_text="Records requested or received: the agency.")
    relative = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                     help_text="Birth relative traced: which relative.")
    response = serializers.ChoiceField(choices=list(rules.RESPONSES.items()), required=False,
                                       help_text="Birth relative's response.")
    outcome = serializers.ChoiceField(choices=list(rules.OUTCOMES.items()), required=False,
                                      help_text="Closed: the outcome.")
    withdrawal_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                              help_text="Withdrawn: why.")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                    help_text="First interview or counselling session: what was covered.")


EVENTS = journey_events.event_endpoints(
    RECORDS, model=AdultRequestEvent, prefix="AdultRequest", record_pk="request_pk", record_doc="The request's id.",
    details=AdultRequestEventDetailsSerializer, corrects_details=False, kind_choices=KIND_CHOICES,
    texts=journey_events.EventTexts(
        subject="adult", list="A request's steps (superseded ones included)", retrieve="One step of a request",
        create="Record a step (adopted_adults.services.record_event); a refusal is a 400 saying why",
        correct="Correct or withdraw a step (adopted_adults.services.correct_event)",
        event_doc="A step of an adopted adult's request: the same shape as a child's journey event."),
)
AdultRequestEventViewSet = EVENTS.viewset
