"""/api/v1/households/: the adopters' pipeline (the page's filters), a household with its derived facts,
registering a household, its assessment events, and its target panel date. Writes go through adopters.services.

Households are the RAA's: access.households_visible_to / get_household_for decide, exactly as for the pages
(LA staff, board members and other RAAs get a 404).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from permanence import access
from permanence.adopters import rules, selectors, services
from permanence.adopters.journey import RECORDS
from permanence.adopters.models import Applicant, CapacityProfile, Household, HouseholdEvent
from permanence.api import journey_events, preconditions
from permanence.api.fields import PlausibleDateField
from permanence.children.models import NeedLevel
from permanence.core import audit
from permanence.timescales.selectors import timescales_in_force

HOUSEHOLD_STAGE_CHOICES = [(s.value, label) for s, label in rules.STAGE_LABELS.items()]
HOUSEHOLD_KIND_CHOICES = [(k.value, label) for k, label in rules.KIND_LABELS.items()]
APPLICANT_ETHNICITY_CHOICES = Applicant._meta.get_field("ethnicity").choices
RECOMMENDATION_CHOICES = list(rules.RECOMMENDATIONS.items())
DECISION_CHOICES = list(rules.DECISIONS.items())
RAG_CHOICES = [("red", "Overdue"), ("amber", "Due soon"), ("green", "On time"), ("paused", "Paused")]
ID = r"\d{1,18}"


# ---------------------------------------------------------------------------------------------
# The pipeline's filters are the page's (adopters.selectors)


def households_list(user, filters: dict):
    """The pipeline: open households of the user's RAA (closed too with include_closed), filtered as the page."""
    qs = selectors.pipeline(access.households_visible_to(user), today=services.today(),
                            include_closed=bool(filters.get("include_closed")), q=filters.get("q") or "",
                            worker=filters.get("assessing_worker"), fast_track=bool(filters.get("fast_track")))
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    return selectors.in_pipeline_order(qs)


def days_to(target: date | None, today: date) -> int | None:
    return (target - today).days if target else None


# ---------------------------------------------------------------------------------------------
# Serializers


class HouseholdFilterSerializer(serializers.Serializer):
    """The pipeline page's filters, as query parameters."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200,
                              help_text="Words in the household's or an applicant's name, or a reference such as "
                                        "H000123.")
    stage = serializers.ChoiceField(choices=HOUSEHOLD_STAGE_CHOICES, required=False, allow_blank=True,
                                    help_text="Only households at this stage.")
    assessing_worker = serializers.RegexField(r"^(\d{1,18}|none)$", required=False, allow_blank=True,
                                              help_text="The assessing social worker's staff id, or `none` for "
                                                        "households without one.")
    fast_track = serializers.BooleanField(required=False, default=False,
                                          help_text="Fast-track households only (previous adopters, foster carers).")
    include_closed = serializers.BooleanField(required=False, default=False,
                                              help_text="Include closed households.")


class StaffRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class ApplicantSerializer(serializers.ModelSerializer):
    religion = serializers.CharField(read_only=True, allow_null=True,
                                     help_text="null for a role that does not see it (data officers).")

    class Meta:
        model = Applicant
        fields = ["id", "first_name", "last_name", "date_of_birth", "ethnicity", "religion", "languages"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context.get("user")
        if user is None or not access.can_see_applicant_religion(user):
            data["religion"] = None  # special-category data (access.households)
        return data


class MemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    relationship = serializers.CharField()
    date_of_birth = PlausibleDateField(kind="birth", allow_null=True)


class HouseholdSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    raa = serializers.CharField(source="raa.code", read_only=True, help_text="The RAA's code.")
    stage_label = serializers.CharField(read_only=True)
    fast_track = serializers.BooleanField(read_only=True)
    applicant_names = serializers.SerializerMethodField()
    assessing_social_worker = StaffRefSerializer(read_only=True, allow_null=True)
    days_in_stage = serializers.SerializerMethodField()
    days_to_target_panel = serializers.SerializerMethodField(
        help_text="Days from today to the target panel date; negative once it has passed.")
    rag = serializers.SerializerMethodField(help_text="red (overdue), amber (due soon), green, paused, or null.")

    class Meta:
        model = Household
        fields = ["id", "reference", "raa", "name", "relationship", "applicant_names", "stage", "stage_label",
                  "stage_since", "days_in_stage", "paused", "fast_track", "roi_date", "approved_on",
                  "target_panel_date", "days_to_target_panel", "next_due_date", "next_due_label", "rag",
                  "assessing_social_worker"]
        read_only_fields = fields

    @property
    def today(self) -> date:
        return self.context.get("today") or services.today()

    def get_applicant_names(self, obj) -> list[str]:
        return [f"{a.first_name} {a.last_name}" for a in obj.applicants.all()]

    def get_days_in_stage(self, obj) -> int | None:
        return (self.today - obj.stage_since).days if obj.stage_since else None

    def get_days_to_target_panel(self, obj) -> int | None:
        return days_to(obj.target_panel_date, self.today)

    def get_rag(self, obj) -> str | None:
        return selectors.snapshot_rag(obj, self.today)


class HouseholdDueActionSerializer(journey_events.DueActionSerializerBase):
    due_help = "Moved on by any time the assessment was paused."
    paused_days = serializers.IntegerField()
    allowed_days = serializers.IntegerField()
    days_left = serializers.IntegerField(help_text="Negative when overdue.")
    overdue = serializers.BooleanField()
    rag = serializers.ChoiceField(choices=RAG_CHOICES)


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    requested = serializers.BooleanField()
    received = serializers.BooleanField()


class PauseSerializer(serializers.Serializer):
    start = PlausibleDateField(kind="period")
    reason = serializers.CharField()


class BookingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    panel = serializers.IntegerField(source="panel_id")
    panel_date = PlausibleDateField(kind="planned", source="panel.date")
    kind = serializers.CharField()
    recommendation = serializers.CharField()
    decision = serializers.CharField()
    decision_on = PlausibleDateField(allow_null=True)
    withdrawn = serializers.BooleanField()


class HouseholdDerivedSerializer(serializers.Serializer):
    """Facts derived from the household's events and the timescales in force today (never typed in)."""

    on = PlausibleDateField(kind="period", help_text="The date the facts are derived for (today).")
    stage = serializers.ChoiceField(choices=HOUSEHOLD_STAGE_CHOICES)
    stage_label = serializers.CharField()
    stage_since = PlausibleDateField(allow_null=True)
    days_in_stage = serializers.IntegerField(allow_null=True)
    paused = serializers.BooleanField()
    current_pause = PauseSerializer(allow_null=True)
    target_panel_date = PlausibleDateField(kind="planned", allow_null=True)
    days_to_target_panel = serializers.IntegerField(allow_null=True)
    due_actions = HouseholdDueActionSerializer(many=True)
    rag = serializers.ChoiceField(choices=RAG_CHOICES, allow_null=True, help_text="The worst of the due actions.")
    checks = CheckSerializer(many=True, help_text="The statutory checks: requested and received.")
    close_reason = serializers.CharField(allow_null=True)
    close_reason_label = serializers.CharField(allow_null=True)
    recordable_kinds = serializers.ListField(child=serializers.CharField(),
                                             help_text="Kinds of event your role may record now.")


class CapacitySerializer(serializers.Serializer):
    children_min = serializers.IntegerField()
    children_max = serializers.IntegerField()
    age_min_years = serializers.IntegerField()
    age_max_years = serializers.IntegerField()
    sibling_groups = serializers.BooleanField()
    sexes = serializers.CharField()
    heritage_open_to_any = serializers.BooleanField()
    heritages = serializers.ListField(child=serializers.CharField())
    religion_openness = serializers.CharField(allow_null=True, help_text="Null for roles kept from special-category "
                                                                         "data (data officers).")
    languages = serializers.CharField()
    letterbox_contact = serializers.BooleanField()
    direct_contact = serializers.BooleanField()
    sibling_contact = serializers.BooleanField()
    early_permanence = serializers.BooleanField()
    max_distance_miles = serializers.IntegerField(allow_null=True)
    on_hold = serializers.BooleanField()
    on_hold_reason = serializers.CharField()
    needs_parented = serializers.ListField(child=serializers.CharField(),
                                           help_text="Need category codes they have parented a child with.")
    needs = serializers.DictField(child=serializers.ChoiceField(choices=NeedLevel.choices),
                                  help_text="By need category code: the highest level of that need they can meet.")


class CapacityInputSerializer(serializers.Serializer):
    """The fields given are changed; the rest keep their values (adopters.services.set_capacity checks them
    together)."""

    children_min = serializers.IntegerField(required=False, min_value=1, max_value=4)
    children_max = serializers.IntegerField(required=False, min_value=1, max_value=4)
    age_min_years = serializers.IntegerField(required=False, min_value=0, max_value=17)
    age_max_years = serializers.IntegerField(required=False, min_value=0, max_value=17)
    sibling_groups = serializers.BooleanField(required=False)
    sexes = serializers.ChoiceField(choices=CapacityProfile.Sexes.choices, required=False)
    heritage_open_to_any = serializers.BooleanField(required=False)
    heritages = serializers.ListField(child=serializers.CharField(max_length=10), required=False, max_length=40,
                                      help_text="DfE ethnicity codes they are open to.")
    religion_openness = serializers.CharField(required=False, allow_blank=True, max_length=200)
    languages = serializers.CharField(required=False, allow_blank=True, max_length=200)
    letterbox_contact = serializers.BooleanField(required=False)
    direct_contact = serializers.BooleanField(required=False)
    sibling_contact = serializers.BooleanField(required=False)
    early_permanence = serializers.BooleanField(required=False)
    max_distance_miles = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1000)
    on_hold = serializers.BooleanField(required=False)
    on_hold_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    needs_parented = serializers.ListField(child=serializers.CharField(max_length=20), required=False,
                                           max_length=40, help_text="Need category codes.")
    needs = serializers.DictField(child=serializers.ChoiceField(choices=NeedLevel.choices), required=False,
                                  help_text="By need category code: the highest level of that need they can meet.")


def capacity_data(profile: CapacityProfile, *, religion: bool) -> dict:
    """religion=False: the faith they would bring a child up in is left out (null; special-category data)."""
    data = {f: getattr(profile, f) for f in services.CAPACITY_FIELDS}
    if not religion:
        data["religion_openness"] = None
    data["heritages"] = list(data["heritages"] or [])
    data["needs_parented"] = list(data["needs_parented"] or [])
    data["needs"] = {n.category.code: n.level for n in profile.needs.select_related("category")} if profile.pk \
        else {}
    return CapacitySerializer(data).data


class HouseholdDetailSerializer(HouseholdSerializer):
    residence_la = serializers.CharField(source="residence_la.code", read_only=True, allow_null=True, default=None)
    applicants = ApplicantSerializer(many=True, read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    capacity = serializers.SerializerMethodField()
    bookings = serializers.SerializerMethodField(help_text="Panel items for this household, newest first.")
    derived = HouseholdDerivedSerializer(read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "address", "postcode", "residence_la", "previous_adopters",
                  "approved_foster_carers", "applicants", "members", "capacity", "bookings", "derived"]
        read_only_fields = fields

    @extend_schema_field(CapacitySerializer(allow_null=True))
    def get_capacity(self, obj) -> dict | None:
        profile = getattr(obj, "capacity", None)
        user = self.context.get("user")
        return None if profile is None else capacity_data(
            profile, religion=user is not None and access.can_see_applicant_religion(user))

    @extend_schema_field(BookingSerializer(many=True))
    def get_bookings(self, obj) -> list[dict]:
        items = obj.panel_items.select_related("panel").order_by("-panel__date", "-id")
        return BookingSerializer(items, many=True).data


def derived_facts(user, household: Household, today: date) -> dict:
    state = rules.replay(services.event_facts(household), fast_track=household.fast_track)
    due = rules.due_actions(state, timescales_in_force(today, "household"), today)
    pause = state.pauses[-1] if state.paused else None
    return {
        "on": today,
        "stage": state.stage.value,
        "stage_label": rules.STAGE_LABELS[state.stage],
        "stage_since": state.stage_since,
        "days_in_stage": rules.days_in_stage(state, today),
        "paused": state.paused,
        "current_pause": {"start": pause.start, "reason": pause.reason} if pause else None,
        "target_panel_date": household.target_panel_date,
        "days_to_target_panel": days_to(household.target_panel_date, today),
        "due_actions": [{"key": a.key, "label": a.label, "start": a.start, "due": a.due, "rule": a.rule,
                         "paused_days": a.paused_days, "allowed_days": a.allowed_days,
                         "days_left": a.days_left(today), "overdue": a.days_left(today) < 0,
                         "rag": a.status(today)} for a in due],
        "rag": "paused" if state.paused and due else rules.worst_rag(due, today),
        "checks": [{"code": c, "label": label, "requested": c in state.checks_requested,
                    "received": c in state.checks_received} for c, label in rules.CHECKS.items()],
        "close_reason": state.close_reason,
        "close_reason_label": rules.CLOSE_REASON_LABELS.get(state.close_reason, state.close_reason)
        if state.close_reason else None,
        "recordable_kinds": [k.value for k in rules.kinds_recordable(user.role, state)],
    }


class ApplicantInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = PlausibleDateField(kind="birth", required=False, allow_null=True)
    ethnicity = serializers.ChoiceField(choices=APPLICANT_ETHNICITY_CHOICES, required=False, default="NOBT")
    religion = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    languages = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class MemberInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    relationship = serializers.CharField(max_length=100)
    date_of_birth = PlausibleDateField(kind="birth", required=False, allow_null=True)


class HouseholdCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="How the household is known, e.g. 'Okafor-Reid'.")
    relationship = serializers.ChoiceField(choices=Household.Relationship.choices, required=False,
                                           default=Household.Relationship.SINGLE)
    applicants = ApplicantInputSerializer(many=True, min_length=1, max_length=2,
                                          help_text="One applicant, or two for a couple.")
    roi_date = PlausibleDateField(help_text="The date the registration of interest was received.")
    enquiry = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                       help_text="The id of the enquiry this registration follows (optional).")
    residence_la = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=20,
                                         help_text="The code of the LA they live in, if one of yours.")
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    postcode = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)
    previous_adopters = serializers.BooleanField(required=False, default=False)
    approved_foster_carers = serializers.BooleanField(required=False, default=False)
    assessing_social_worker = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                                       help_text="The staff id of an assessing social worker "
                                                                 "of your RAA.")
    members = MemberInputSerializer(many=True, required=False, max_length=12,
                                    help_text="Others living in the household.")


class TargetPanelDateSerializer(serializers.Serializer):
    target = PlausibleDateField(kind="planned", error_label="Target panel date", help_text="The target panel date.")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text="Needed when moving a date already set (kept in the audit trail).")


# ---------------------------------------------------------------------------------------------
# Views


def _require_adopter_records(user) -> None:
    if not access.can_see_adopter_records(user):
        raise Http404


def _refuse_field(field: str, message: str):
    return serializers.ValidationError({field: [message]})


CAPACITY_RELATED = ("needs",)


def _capacity_etag(household: Household) -> str:
    return preconditions.etag(CapacityProfile.objects.filter(household=household).first(), CAPACITY_RELATED)


def detail_data(user, household: Household, today: date) -> dict:
    household = access.get_household_for(user, household.pk)
    household.derived = derived_facts(user, household, today)
    return HouseholdDetailSerializer(household, context={"today": today, "user": user}).data


class HouseholdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """Households, through access exactly as the pages: a household you may not see is a 404."""

    lookup_value_regex = ID
    serializer_class = HouseholdSerializer

    def get_queryset(self):
        return access.households_visible_to(self.request.user)

    @extend_schema(parameters=[HouseholdFilterSerializer], summary="Households (the pipeline page, with its filters)")
    def list(self, request, *args, **kwargs):
        _require_adopter_records(request.user)
        params = HouseholdFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        today = services.today()
        page = self.paginate_queryset(households_list(request.user, params.validated_data))
        return self.get_paginated_response(HouseholdSerializer(page, many=True, context={"today": today}).data)

    @extend_schema(responses=HouseholdDetailSerializer,
                   summary="A household, with the facts derived from its assessment events")
    def retrieve(self, request, *args, **kwargs):
        household = access.get_household_for(request.user, kwargs["pk"])
        audit.record_view(viewer=request.user, instance=household, path=request.path)
        # The ETag guards the household's own fields, e.g. the target panel date (If-Match on its PUT).
        return preconditions.with_etag(Response(detail_data(request.user, household, services.today())),
                                       household)

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdDetailSerializer},
                   summary="Register a household: a registration of interest (adopters.services.register_interest)")
    def create(self, request, *args, **kwargs):
        user = request.user
        _require_adopter_records(user)
        if not access.can_write_households(user):
            raise PermissionDenied
        body = HouseholdCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        enquiry_id = values.pop("enquiry", None)
        la_code = values.pop("residence_la", None)
        worker_id = values.pop("assessing_social_worker", None)
        enquiry = residence_la = worker = None
        if enquiry_id is not None:
            try:
                enquiry = access.get_enquiry_for(user, enquiry_id)
            except Http404:
                raise _refuse_field("enquiry", "Give the id of one of your RAA's enquiries.") from None
        if la_code:
            try:
                residence_la = access.get_la_for(user, la_code)
            except Http404:
                raise _refuse_field("residence_la", "Give the code of one of your local authorities.") from None
        if worker_id is not None:
            worker = access.assessing_workers_for(user).filter(pk=worker_id).first()
            if worker is None:
                raise _refuse_field("assessing_social_worker", "Choose an assessing social worker of your RAA.")
        household = services.register_interest(
            actor=user, raa=user.organisation, enquiry=enquiry, residence_la=residence_la,
            assessing_social_worker=worker, applicants=[dict(a) for a in values.pop("applicants")],
            members=[dict(m) for m in values.pop("members", [])], **values)
        return Response(detail_data(user, household, services.today()), status=status.HTTP_201_CREATED)

    @extend_schema(request=TargetPanelDateSerializer, responses={200: HouseholdDetailSerializer, 412: preconditions.PRECONDITION_FAILED},
                   parameters=[preconditions.IF_MATCH],
                   summary="Set or move the target panel date (adopters.services.set_target_panel_date)")
    @action(detail=True, methods=["put", "post"], url_path="target-panel-date", url_name="target-panel-date")
    def target_panel_date(self, request, *args, **kwargs):
        user = request.user
        household = access.get_household_for(user, kwargs["pk"])
        if not access.can_write_households(user):
            raise PermissionDenied
        body = TargetPanelDateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with preconditions.guarded_write(request, household, lambda: preconditions.etag(
                Household.objects.get(pk=household.pk))) as fresh:
            services.set_target_panel_date(actor=user, household=fresh, **body.validated_data)
        fresh.refresh_from_db()
        return preconditions.with_etag(Response(detail_data(user, fresh, services.today())), fresh)

    @extend_schema(methods=["GET"], responses=CapacitySerializer,
                   summary="The household's capacity profile (the defaults when none is recorded)")
    @extend_schema(methods=["PUT"], request=CapacityInputSerializer, responses={200: CapacitySerializer, 412: preconditions.PRECONDITION_FAILED},
                   parameters=[preconditions.IF_MATCH],
                   summary="Change the household's capacity profile (adopters.services.set_capacity)")
    @action(detail=True, methods=["get", "put"], url_path="capacity", url_name="capacity")
    def capacity(self, request, *args, **kwargs):
        user = request.user
        household = access.get_household_for(user, kwargs["pk"])
        if request.method == "PUT":
            if not access.can_write_households(user):
                raise PermissionDenied
            body = CapacityInputSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            values = dict(body.validated_data)
            # Locks the household, so two first profiles queue too; the ETag is the profile's (with its needs).
            with preconditions.guarded_write(request, household, lambda: _capacity_etag(household)):
                profile = services.set_capacity(actor=user, household=household, needs=values.pop("needs", None),
                                                **values)
        else:
            audit.record_view(viewer=user, instance=household, path=request.path)
            profile = CapacityProfile.objects.filter(household=household).first() or \
                CapacityProfile(household=household)
        data = capacity_data(profile, religion=access.can_see_applicant_religion(user))
        return preconditions.with_etag(Response(data), profile, CAPACITY_RELATED)


# ---------------------------------------------------------------------------------------------
# Events


class HouseholdEventDetailsSerializer(serializers.Serializer):
    """Details some kinds of event need (the service says which are required for which kind)."""

    outcome = serializers.ChoiceField(choices=list(rules.ROI_OUTCOMES.items()), required=False,
                                      help_text="Decision on the registration of interest.")
    check = serializers.ChoiceField(choices=list(rules.CHECKS.items()), required=False,
                                    help_text="Statutory check requested / received: which check.")
    recommendation = serializers.ChoiceField(choices=RECOMMENDATION_CHOICES, required=False,
                                             help_text="Panel recommendation.")
    decision = serializers.ChoiceField(choices=DECISION_CHOICES, required=False, help_text="Agency decision.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text=f"Closed: one of {', '.join(rules.CLOSE_REASONS)}. "
                                             "Paused, match ended: free text.")


ENDPOINTS = journey_events.event_endpoints(
    RECORDS, model=HouseholdEvent, prefix="Household", record_pk="household_pk", record_doc="The household's id.",
    details=HouseholdEventDetailsSerializer, corrects_details=False, kind_choices=HOUSEHOLD_KIND_CHOICES,
    texts=journey_events.EventTexts(
        subject="household", list="A household's assessment events (superseded included)",
        retrieve="One household event",
        create="Record an event (adopters.services.record_event); a refusal is a 400 saying why",
        correct="Correct the date of, or withdraw, an event (adopters.services.correct_event)",
        event_doc="A household's event: the same shape as a child's journey event."),
)
HouseholdEventViewSet = ENDPOINTS.viewset
