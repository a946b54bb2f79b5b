"""/api/v1/ family finding: links (the links board, a link, opening one, its steps), shortlists (saved runs of the
matching engine; running one), the rankings computed now (the households for a child, the children for a
household) and the child's matching profile (read only).

Access is the pages': links through access.links_visible_to / get_link_for, shortlists through
shortlists_visible_to / get_shortlist_for, running the engine for a child needs access.can_family_find_for.
A household is named only to those who see it (access.households_named_for): the child's LA sees it as the
anonymised profile (family_finding.selectors.anonymised_household), never its name. Writes go through
family_finding.services.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from permanence import access
from permanence.adopters.models import Household
from permanence.api import journey_events
from permanence.api.fields import PlausibleDateField
from permanence.children.models import Child
from permanence.core import audit
from permanence.family_finding import profiles, rankings, rules, selectors, services
from permanence.family_finding.journey import RECORDS
from permanence.family_finding.models import ChildMatchingProfile, Link, LinkEvent, ShortlistEntry

ID = r"\d{1,18}"
MAX_ID = 10**18 - 1
EARLIEST = date(2000, 1, 1)  # rankings before this are refused (the engine counts back from the day)
LINK_STAGE_CHOICES = [(s.value, label) for s, label in rules.STAGE_LABELS.items()]
LINK_KIND_CHOICES = [(k.value, label) for k, label in rules.KIND_LABELS.items()]
LINK_DECISION_CHOICES = list(rules.DECISIONS.items())


def _refuse_field(field: str, message: str):
    return serializers.ValidationError({field: [message]})


def _today() -> date:
    return services.today()


# ---------------------------------------------------------------------------------------------
# Who and what: the references every family-finding answer uses


class ChildRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField(source="full_name")


class HouseholdRefSerializer(serializers.Serializer):
    """A household: its name only for those who see the household (its own agency); null for everyone else."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text="Null when you see the household anonymised.")
    agency = serializers.CharField(help_text="The code of the household's agency.")


def household_ref(household: Household, named: set[int]) -> dict:
    return {"id": household.pk, "reference": household.reference,
            "name": household.name if household.pk in named else None, "agency": household.raa.code}


class AnonymisedApplicantSerializer(serializers.Serializer):
    age = serializers.IntegerField(allow_null=True)
    ethnicity = serializers.CharField()
    religion = serializers.CharField(allow_null=True, help_text="Null for roles kept from special-category data "
                                                                "(data officers).")
    languages = serializers.CharField()


class AnonymisedCapacitySerializer(serializers.Serializer):
    children = serializers.ListField(child=serializers.IntegerField(), help_text="The fewest and the most.")
    ages = serializers.ListField(child=serializers.IntegerField(), help_text="The youngest and the oldest, in years.")
    sibling_groups = serializers.BooleanField()
    sexes = serializers.CharField()
    early_permanence = serializers.BooleanField()
    contact = serializers.DictField(child=serializers.BooleanField())


class AnonymisedHouseholdSerializer(serializers.Serializer):
    """What the child's LA sees of a linked household: no names, addresses or dates of birth."""

    reference = serializers.CharField()
    agency = serializers.CharField(help_text="The agency's name.")
    relationship = serializers.CharField()
    applicants = AnonymisedApplicantSerializer(many=True)
    other_children = serializers.IntegerField(help_text="Children under 18 living there.")
    area = serializers.CharField(help_text="The postcode area only.")
    approved = serializers.CharField(help_text="The month approved.")
    previous_adopters = serializers.BooleanField()
    approved_foster_carers = serializers.BooleanField()
    capacity = AnonymisedCapacitySerializer(allow_null=True)


# ---------------------------------------------------------------------------------------------
# Links


class LinkFilterSerializer(serializers.Serializer):
    """The links board's filters, as query parameters (ended links are included unless `open`)."""

    stage = serializers.ChoiceField(choices=LINK_STAGE_CHOICES, required=False, allow_blank=True,
                                    help_text="Only links at this stage.")
    stale = serializers.BooleanField(required=False, default=False,
                                     help_text="Only open links with no activity by their activity due date.")
    open = serializers.BooleanField(required=False, default=False, help_text="Only open links.")
    child = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                     help_text="Only links covering this child (id).")
    household = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                         help_text="Only links with this household (id).")


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    raa = serializers.CharField(source="raa.code", help_text="The RAA family-finding for the child.")
    la = serializers.CharField(source="la.code", help_text="The child's LA.")
    child = ChildRefSerializer(help_text="The child the link was opened for.")
    children = serializers.SerializerMethodField(help_text="Every child it covers (a sibling group placed "
                                                           "together).")
    sibling_group = serializers.CharField(source="sibling_group.name", allow_null=True, default=None)
    household = serializers.SerializerMethodField()
    household_profile = serializers.SerializerMethodField(
        help_text="The anonymised household, for those who do not see it by name (null for those who do).")
    family_finder = serializers.CharField(source="family_finder.get_full_name", allow_null=True, default=None)
    opened_on = PlausibleDateField()
    stage = serializers.ChoiceField(choices=LINK_STAGE_CHOICES)
    stage_label = serializers.CharField()
    stage_since = PlausibleDateField(allow_null=True)
    last_activity_on = PlausibleDateField(allow_null=True)
    activity_due = PlausibleDateField(kind="planned", allow_null=True, help_text="An open link with no activity by this date "
                                                                    "is stale.")
    stale = serializers.SerializerMethodField(help_text="Open, with no activity by its activity due date (today).")
    ended_on = PlausibleDateField(allow_null=True)
    ended_reason = serializers.CharField()
    shortlist_entry = serializers.IntegerField(source="shortlist_entry_id", allow_null=True)

    @extend_schema_field(ChildRefSerializer(many=True))
    def get_children(self, obj) -> list[dict]:
        return ChildRefSerializer(obj.children.all(), many=True).data

    @extend_schema_field(HouseholdRefSerializer)
    def get_household(self, obj) -> dict:
        return household_ref(obj.household, self.context["named"])

    @extend_schema_field(AnonymisedHouseholdSerializer(allow_null=True))
    def get_household_profile(self, obj) -> dict | None:
        if obj.household_id in self.context["named"]:
            return None
        return AnonymisedHouseholdSerializer(selectors.anonymised_household(
            obj.household, self.context["today"], religion=self.context["special_category"])).data

    def get_stale(self, obj) -> bool:
        return bool(obj.is_open and obj.activity_due is not None and obj.activity_due < self.context["today"])


class LinkDetailSerializer(LinkSerializer):
    recordable_kinds = serializers.ListField(child=serializers.CharField(),
                                             help_text="Steps your role may record next on this link.")


class LinkOpenSerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=MAX_ID,
                                     help_text="The child's id (its sibling group is linked with it when placed "
                                               "together).")
    household = serializers.IntegerField(min_value=1, max_value=MAX_ID,
                                         help_text="An approved household's id (any agency's).")
    shortlist_entry = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                               help_text="The shortlist entry the household was put forward in.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


def _link_context(user, links, today) -> dict:
    return {"named": access.households_named_for(user, {link.household_id for link in links}), "today": today,
            "special_category": access.sees_special_category(user)}


def links_list(user, filters: dict, today: date):
    qs = access.links_visible_to(user)
    if filters.get("open"):
        qs = selectors.open_links(qs)
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("stale"):
        qs = qs.filter(selectors.stale_q(today))
    if filters.get("child"):
        qs = qs.filter(children=filters["child"])
    if filters.get("household"):
        qs = qs.filter(household=filters["household"])
    return selectors.in_board_order(qs).select_related("raa", "household__capacity").prefetch_related(
        "household__applicants", "household__members")


class LinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """Links, as the links board and the link's page: a link you may not see is a 404."""

    lookup_value_regex = ID
    serializer_class = LinkSerializer

    def get_queryset(self):
        return access.links_visible_to(self.request.user)

    @extend_schema(parameters=[LinkFilterSerializer], summary="Links (the links board, with its filters)")
    def list(self, request, *args, **kwargs):
        if not access.can_see_links(request.user):
            raise Http404
        params = LinkFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        today = _today()
        page = self.paginate_queryset(links_list(request.user, params.validated_data, today))
        return self.get_paginated_response(
            LinkSerializer(page, many=True, context=_link_context(request.user, page, today)).data)

    @extend_schema(responses=LinkDetailSerializer, summary="A link, with the steps your role may record next")
    def retrieve(self, request, *args, **kwargs):
        link = access.get_link_for(request.user, kwargs["pk"])
        RECORDS.log_view(request.user, link, request.path)
        return Response(self._detail(request.user, link))

    def _detail(self, user, link: Link) -> dict:
        today = _today()
        state = rules.replay(services.event_facts(link))
        link.recordable_kinds = [k.value for k in access.link_kinds_for(user, link, state,
                                                                        services.policy_on(link, today))]
        return LinkDetailSerializer(link, context=_link_context(user, [link], today)).data

    @extend_schema(request=LinkOpenSerializer, responses={201: LinkDetailSerializer},
                   summary="Open a link: shortlist a household for a child (family_finding.services.open_link)")
    def create(self, request, *args, **kwargs):
        user = request.user
        if not access.can_see_links(user):
            raise Http404
        body = LinkOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            child = access.get_child_for(user, d["child"])
        except Http404:
            raise _refuse_field("child", "Give the id of a child you may see.") from None
        if not access.can_family_find_for(user, child):
            raise PermissionDenied
        household = profiles.household_pool(child.la.raa, include_inter_agency=True).filter(
            pk=d["household"]).first()
        if household is None:
            raise _refuse_field("household", "Give the id of an approved household.")
        entry = None
        if d.get("shortlist_entry"):
            entry = ShortlistEntry.objects.filter(
                pk=d["shortlist_entry"], shortlist__in=access.shortlists_visible_to(user),
                shortlist__children=child).first()
            if entry is None:
                raise _refuse_field("shortlist_entry", "Give the id of an entry on one of this child's shortlists.")
        link = services.open_link(actor=user, child=child, household=household, on=_today(), shortlist_entry=entry,
                                  note=d["note"])
        return Response(self._detail(user, access.get_link_for(user, link.pk)), status=status.HTTP_201_CREATED)


class LinkEventDetailsSerializer(serializers.Serializer):
    """Details some steps take (the link's journey says which are required for which step)."""

    by = serializers.ChoiceField(choices=list(rules.INTEREST_BY.items()), required=False,
                                 help_text="Expression of interest: who expressed it.")
    panel_date = PlausibleDateField(kind="planned", required=False, help_text="Matching panel booked: the panel's date.")
    recommendation = serializers.ChoiceField(choices=list(rules.RECOMMENDATIONS.items()), required=False,
                                             help_text="Matching panel recommendation.")
    decision = serializers.ChoiceField(choices=LINK_DECISION_CHOICES, required=False, help_text="Match decision.")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                    help_text="Other activity: what happened.")
    reason = serializers.ChoiceField(choices=list(rules.END_REASONS.items()), required=False,
                                     help_text="Ended: why the link ended.")
    why = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                help_text="Ended by a decline: what the adopters or the agency said (it is shown on "
                                          "the household's next shortlists).")

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if values.get("panel_date"):
            values["panel_date"] = values["panel_date"].isoformat()
        return values


EVENTS = journey_events.event_endpoints(
    RECORDS, model=LinkEvent, prefix="Link", record_pk="link_pk", record_doc="The link's id.",
    details=LinkEventDetailsSerializer, corrects_details=True, kind_choices=LINK_KIND_CHOICES,
    texts=journey_events.EventTexts(
        subject="child", list="A link's steps (superseded ones included)", retrieve="One step of a link",
        create="Record a step (family_finding.services.record_event); a refusal is a 400 saying why",
        correct="Correct or withdraw a step (family_finding.services.correct_event)",
        event_doc="A step of a link: the same shape as a child's journey event."),
)
LinkEventViewSet = EVENTS.viewset


# ---------------------------------------------------------------------------------------------
# Rankings: the engine run now, not saved


class ContributionSerializer(serializers.Serializer):
    factor = serializers.CharField()
    points = serializers.FloatField()
    reason = serializers.CharField()
    text = serializers.CharField(help_text="For example '+12 needs margin: accepts more than the child needs …'.")


class RuleFailedSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField()


class RankedSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    key = serializers.CharField(help_text="The engine's key: H000045 (a household), P000012 (a child), S000003 "
                                          "(a sibling group placed together).")
    score = serializers.FloatField()
    contributions = ContributionSerializer(many=True)
    distance_miles = serializers.FloatField(allow_null=True)
    inter_agency = serializers.BooleanField()
    agency = serializers.CharField()
    agency_kind = serializers.CharField()
    fee = serializers.IntegerField(allow_null=True, help_text="The inter-agency fee, in pounds.")
    open_links = serializers.IntegerField()
    first_places = serializers.IntegerField(allow_null=True)
    waiting_since = PlausibleDateField(allow_null=True)


class ExcludedSerializer(serializers.Serializer):
    key = serializers.CharField()
    rules_failed = RuleFailedSerializer(many=True)


class HouseholdRankedSerializer(RankedSerializer):
    household = HouseholdRefSerializer()


class HouseholdExcludedSerializer(ExcludedSerializer):
    household = HouseholdRefSerializer()


class ChildRankedSerializer(RankedSerializer):
    children = ChildRefSerializer(many=True, help_text="The children in it you may see.")


class ChildExcludedSerializer(ExcludedSerializer):
    children = ChildRefSerializer(many=True, help_text="The children in it you may see.")


class RankingBase(serializers.Serializer):
    direction = serializers.CharField()
    on = PlausibleDateField(kind="period")
    subject = serializers.DictField(help_text="The child's (or household's) profile as the engine saw it.")
    weights = serializers.DictField(help_text="The weights in force: version, source, valid from, points, scales.")
    rules = serializers.ListField(child=serializers.CharField(), help_text="The hard rules checked, in order.")
    cap = serializers.IntegerField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())


class HouseholdRankingSerializer(RankingBase):
    """The households for a child, best first, and those left out with every rule that left them out."""

    ranked = HouseholdRankedSerializer(many=True)
    excluded = HouseholdExcludedSerializer(many=True)


class ChildRankingSerializer(RankingBase):
    """The waiting children for a household, best first, and those left out with why."""

    ranked = ChildRankedSerializer(many=True)
    excluded = ChildExcludedSerializer(many=True)


class RankingQuerySerializer(serializers.Serializer):
    on = PlausibleDateField(kind="period", required=False, help_text="The date to rank on (default today; not in the future).")

    def validate_on(self, value):
        if value > _today():
            raise serializers.ValidationError("The date cannot be in the future.")
        if value < EARLIEST:
            raise serializers.ValidationError("The date must be on or after 1 January 2000.")
        return value


class ChildRankingQuerySerializer(RankingQuerySerializer):
    include_inter_agency = serializers.BooleanField(required=False, default=False,
                                                    help_text="Include other agencies' approved households.")


def households_ranking(user, child: Child, on: date, *, include_inter_agency: bool) -> dict:
    data = rankings.households_for_child(child, on, include_inter_agency=include_inter_agency).explanation()
    ids = [profiles.key_id(e["key"]) for e in data["ranked"] + data["excluded"]]
    households = {h.pk: h for h in Household.objects.filter(pk__in=ids).select_related("raa")}
    named = access.households_named_for(user, ids)
    for entry in data["ranked"] + data["excluded"]:
        entry["household"] = household_ref(households[profiles.key_id(entry["key"])], named)
    return data


def _unit_children(user, keys: list[str]) -> dict[str, list[Child]]:
    """{engine key: the children in it the user may see}."""
    visible = access.children_visible_to(user)
    singles = [profiles.key_id(k) for k in keys if k.startswith("P")]
    groups = [profiles.key_id(k) for k in keys if k.startswith("S")]
    out: dict[str, list[Child]] = {k: [] for k in keys}
    for child in visible.filter(pk__in=singles).order_by("pk"):
        out[profiles.child_key(child.pk)].append(child)
    for child in visible.filter(sibling_group__in=groups).order_by("date_of_birth", "pk"):
        out[profiles.group_key(child.sibling_group_id)].append(child)
    return out


def children_ranking(user, household: Household, on: date) -> dict:
    data = rankings.children_for_household(household, on).explanation()
    entries = data["ranked"] + data["excluded"]
    kids = _unit_children(user, [e["key"] for e in entries])
    for entry in entries:
        entry["children"] = ChildRefSerializer(kids[entry["key"]], many=True).data
    return data


CHILD_PK = OpenApiParameter("child_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The child's id.")
HOUSEHOLD_PK = OpenApiParameter("household_pk", OpenApiTypes.INT, OpenApiParameter.PATH,
                                description="The household's id.")


class MatchingProfileSerializer(serializers.ModelSerializer):
    """What matching needs to know about the child beyond its record and needs profile (read only here)."""

    recorded = serializers.BooleanField(help_text="False: nothing is recorded yet (the defaults are shown).")
    birth_family_la = serializers.CharField(source="birth_family_la.code", allow_null=True, default=None)
    avoid_las = serializers.ListField(child=serializers.CharField(), source="avoid_las_codes",
                                      help_text="Other LAs the child must not be placed in (codes).")

    class Meta:
        model = ChildMatchingProfile
        fields = ["recorded", "avoid_birth_family_la", "birth_family_la", "avoid_las", "avoid_places",
                  "reference_district", "max_distance_miles", "min_distance_miles", "require_known_distance",
                  "letterbox_contact", "direct_contact", "sibling_contact", "early_permanence", "religion",
                  "languages", "notes", "updated_at"]
        read_only_fields = fields


def matching_profile_data(child: Child) -> dict:
    profile = ChildMatchingProfile.objects.filter(child=child).select_related("birth_family_la").first()
    if profile is None:
        profile = ChildMatchingProfile(child=child)
        profile.recorded, profile.avoid_las_codes = False, []
    else:
        profile.recorded = True
        profile.avoid_las_codes = sorted(profile.avoid_las.values_list("code", flat=True))
    return MatchingProfileSerializer(profile).data


class ChildFamilyFindingViewSet(viewsets.GenericViewSet):
    """/children/{child_pk}/family-finding/: the child's ranking now and its matching profile."""

    serializer_class = HouseholdRankingSerializer
    pagination_class = None

    def child(self) -> Child:
        child = access.get_child_for(self.request.user, self.kwargs["child_pk"])
        if not access.can_see_links(self.request.user):
            raise Http404
        return child

    @extend_schema(parameters=[CHILD_PK, ChildRankingQuerySerializer], responses=HouseholdRankingSerializer,
                   summary="The households for a child now, ranked and excluded with why (not saved: POST "
                           "/shortlists/ saves one)")
    @action(detail=False, methods=["get"], url_path="ranking", url_name="ranking")
    def ranking(self, request, *args, **kwargs):
        child = self.child()
        if not access.can_family_find_for(request.user, child):
            raise PermissionDenied
        params = ChildRankingQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        audit.record_view(viewer=request.user, instance=child, path=request.path, child_id=child.pk)
        return Response(households_ranking(request.user, child, d.get("on") or _today(),
                                           include_inter_agency=d["include_inter_agency"]))

    @extend_schema(parameters=[CHILD_PK], responses=MatchingProfileSerializer,
                   summary="The child's matching profile (read only)")
    @action(detail=False, methods=["get"], url_path="matching-profile", url_name="matching-profile")
    def matching_profile(self, request, *args, **kwargs):
        child = self.child()
        if not access.can_see_matching_papers(request.user):
            raise PermissionDenied  # special-category data (religion): not for data officers
        audit.record_view(viewer=request.user, instance=child, path=request.path, child_id=child.pk)
        return Response(matching_profile_data(child))


class HouseholdFamilyFindingViewSet(viewsets.GenericViewSet):
    """/households/{household_pk}/family-finding/: the waiting children who might fit the household now."""

    serializer_class = ChildRankingSerializer
    pagination_class = None

    @extend_schema(parameters=[HOUSEHOLD_PK, RankingQuerySerializer], responses=ChildRankingSerializer,
                   summary="The RAA's waiting children for a household now, ranked and excluded with why")
    @action(detail=False, methods=["get"], url_path="ranking", url_name="ranking")
    def ranking(self, request, *args, **kwargs):
        household = access.get_household_for(request.user, self.kwargs["household_pk"])
        if not access.can_find_children_for(request.user, household):
            raise PermissionDenied  # the engine's reasons are matching papers (religion, heritage): as the page
        params = RankingQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        audit.record_view(viewer=request.user, instance=household, path=request.path)
        return Response(children_ranking(request.user, household, params.validated_data.get("on") or _today()))


# ---------------------------------------------------------------------------------------------
# Shortlists: saved runs


class ShortlistFilterSerializer(serializers.Serializer):
    child = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                     help_text="Only this child's shortlists (id).")


class ShortlistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = ChildRefSerializer(help_text="The child the search was run for.")
    children = serializers.SerializerMethodField()
    sibling_group = serializers.CharField(source="sibling_group.name", allow_null=True, default=None)
    on = PlausibleDateField(kind="period")
    created_by = serializers.CharField(source="created_by.get_full_name", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    weights_version = serializers.CharField()
    include_inter_agency = serializers.BooleanField()
    counts = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_children(self, obj) -> list[int]:
        return sorted(c.pk for c in obj.children.all())

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, obj) -> dict:
        return obj.explanation.get("counts", {})


class ShortlistEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.SerializerMethodField()
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    excluded = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.DictField(),
                                    help_text="Ranked: each factor's points and why; excluded: the rules it failed.")
    inter_agency = serializers.BooleanField()
    fee = serializers.IntegerField(allow_null=True)
    profile = serializers.SerializerMethodField(help_text="The household's profile as the engine saw it (null when "
                                                          "you see the household anonymised).")
    link = serializers.SerializerMethodField(help_text="The link opened from this entry, if any.")

    @extend_schema_field(HouseholdRefSerializer)
    def get_household(self, obj) -> dict:
        return household_ref(obj.household, self.context["named"])

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_profile(self, obj) -> dict | None:
        return obj.profile if obj.household_id in self.context["named"] else None

    def get_link(self, obj) -> int | None:
        link = self.context["links"].get(obj.pk)
        return link.pk if link else None


class ShortlistDetailSerializer(ShortlistSerializer):
    explanation = serializers.DictField(help_text="The engine's inputs: the child's profile, weights, rules, cap "
                                                  "and counts.")
    ranked = ShortlistEntrySerializer(many=True)
    excluded = ShortlistEntrySerializer(many=True)


class ShortlistRunSerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The child's id.")
    include_inter_agency = serializers.BooleanField(required=False, default=False)


def shortlist_detail(user, shortlist) -> dict:
    ranked, excluded = selectors.shortlist_entries(shortlist)
    context = {"named": access.households_named_for(user, {e.household_id for e in ranked + excluded}),
               "links": selectors.links_from_shortlist(shortlist)}
    shortlist.ranked, shortlist.excluded = ranked, excluded
    return ShortlistDetailSerializer(shortlist, context=context).data


class ShortlistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """Saved shortlists for the children you see (LA staff: their children's, households anonymised)."""

    lookup_value_regex = ID
    serializer_class = ShortlistSerializer

    def get_queryset(self):
        return access.shortlists_visible_to(self.request.user)

    @extend_schema(parameters=[ShortlistFilterSerializer], summary="Shortlists, newest first")
    def list(self, request, *args, **kwargs):
        if not access.can_see_links(request.user):
            raise Http404
        params = ShortlistFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = self.get_queryset().select_related("child", "sibling_group", "created_by").prefetch_related("children")
        if params.validated_data.get("child"):
            qs = qs.filter(children=params.validated_data["child"])
        page = self.paginate_queryset(qs.order_by("-on", "-pk"))
        return self.get_paginated_response(ShortlistSerializer(page, many=True).data)

    @extend_schema(responses=ShortlistDetailSerializer,
                   summary="A shortlist: every household ranked or excluded, with why, as it was on the day")
    def retrieve(self, request, *args, **kwargs):
        shortlist = access.get_shortlist_for(request.user, kwargs["pk"])
        audit.record_view(viewer=request.user, instance=shortlist.child, path=request.path,
                          child_id=shortlist.child_id)
        return Response(shortlist_detail(request.user, shortlist))

    @extend_schema(request=ShortlistRunSerializer, responses={201: ShortlistDetailSerializer},
                   summary="Run and save a shortlist for a child today (family_finding.services.shortlist)")
    def create(self, request, *args, **kwargs):
        user = request.user
        if not access.can_see_links(user):
            raise Http404
        body = ShortlistRunSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            child = access.get_child_for(user, body.validated_data["child"])
        except Http404:
            raise _refuse_field("child", "Give the id of a child you may see.") from None
        if not access.can_family_find_for(user, child):
            raise PermissionDenied
        saved = services.shortlist(child=child, actor=user,
                                   include_inter_agency=body.validated_data["include_inter_agency"])
        return Response(shortlist_detail(user, access.get_shortlist_for(user, saved.pk)),
                        status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------
# The RAA's figures: sufficiency and the inter-agency balance (aggregates: no child or household named)


class SufficiencyQuerySerializer(serializers.Serializer):
    la = serializers.CharField(required=False, max_length=10, help_text="Only this LA's children (its code).")
    include_before_po = serializers.BooleanField(
        required=False, default=True, help_text="Include the children identified before the placement order.")


class SufficiencyBandSerializer(serializers.Serializer):
    band = serializers.CharField()
    children = serializers.IntegerField(help_text="Children (a sibling group placed together: one) waiting.")
    without_household = serializers.IntegerField(help_text="Of them, those no household could take.")
    households_open = serializers.IntegerField(help_text="Households open to at least one of them.")
    nearest = serializers.ListField(child=serializers.DictField(), help_text="The rules that alone kept a "
                                    "household out, with how many of the children without a household each did.")
    no_near_miss = serializers.IntegerField(help_text="Children without a household missed by no single rule.")


class SufficiencyDimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rows = SufficiencyBandSerializer(many=True)


class SufficiencyTargetSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    households = serializers.IntegerField(help_text="More households needed.")
    text = serializers.CharField()


class SufficiencySerializer(serializers.Serializer):
    """The sufficiency page's figures, as the page shows them (cached per RAA, filters and day)."""

    raa = serializers.CharField()
    la = serializers.CharField(help_text="The LA whose children are counted; empty: every LA of the RAA.")
    include_before_po = serializers.BooleanField()
    on = PlausibleDateField(kind="period")
    worked_out_at = serializers.DateTimeField()
    weights = serializers.CharField(help_text="The matching weights' version.")
    cap = serializers.IntegerField(allow_null=True)
    children = serializers.IntegerField()
    children_without_household = serializers.IntegerField()
    households = serializers.IntegerField()
    households_without_child = serializers.IntegerField()
    households_without_child_not_taking = serializers.IntegerField(
        help_text="Of those, on hold or paused (the approval rule keeps them out).")
    dimensions = SufficiencyDimensionSerializer(many=True)
    targets = SufficiencyTargetSerializer(many=True)


class BalanceYearSerializer(serializers.Serializer):
    financial_year = serializers.CharField(source="label", help_text="2025/26.")
    bought = serializers.IntegerField(help_text="The RAA's children placed with another agency's adopters.")
    paid = serializers.IntegerField(help_text="Their fees (pounds), of those with a rate recorded.")
    bought_without_fee = serializers.IntegerField()
    sold = serializers.IntegerField(help_text="The RAA's adopters who took another agency's child.")
    received = serializers.IntegerField()
    sold_without_fee = serializers.IntegerField()
    net = serializers.IntegerField(help_text="Received less paid.")


class FamilyFindingFiguresViewSet(viewsets.GenericViewSet):
    """/family-finding/: the RAA's sufficiency and inter-agency balance, for those who see them on the pages."""

    serializer_class = SufficiencySerializer
    pagination_class = None

    @extend_schema(parameters=[SufficiencyQuerySerializer], responses=SufficiencySerializer,
                   summary="The RAA's waiting children against its waiting households, by band (aggregate)")
    @action(detail=False, methods=["get"], url_path="sufficiency", url_name="sufficiency")
    def sufficiency(self, request, *args, **kwargs):
        raa = access.raa_for_sufficiency(request.user)
        if raa is None:
            raise Http404
        params = SufficiencyQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        la = None
        if d.get("la"):
            la = access.las_visible_to(request.user).filter(code=d["la"]).first()
            if la is None:
                raise _refuse_field("la", "Choose one of your RAA's LAs by its code.")
        on = _today()
        figures = profiles.sufficiency_figures_today(raa, on, la=la, include_before_po=d["include_before_po"])
        return Response(SufficiencySerializer(figures).data)

    @extend_schema(responses=BalanceYearSerializer(many=True),
                   summary="The RAA's inter-agency placements bought and sold, and the fees, by financial year")
    @action(detail=False, methods=["get"], url_path="inter-agency", url_name="inter-agency")
    def inter_agency(self, request, *args, **kwargs):
        from permanence.family_finding import balance

        raa = access.raa_for_aggregates(request.user)
        if raa is None:
            raise Http404
        years = balance.by_year(profiles.inter_agency_placements(raa))
        return Response(BalanceYearSerializer(years, many=True).data)
