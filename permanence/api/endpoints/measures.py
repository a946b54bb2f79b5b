"""/api/v1/measures/: the Adoption Scorecard, the quarterly figures and the adopters' measures.

Aggregate figures only, for users who may see them (access.can_see_aggregates), scoped to the LAs they may see
(access.las_visible_to) or their own RAA (access.raa_for_aggregates). The figures come from the same functions
as `permanence report` and the scorecard page (performance.reports.scorecard_report / quarterly_report,
performance.adopter_measures.adopter_measures), so they cannot disagree. Counts of 1–4 read "<5" unless `suppress=false`.
"""

from __future__ import annotations

import re
from datetime import date

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from permanence import access
from permanence.adopters.models import Enquiry, Household
from permanence.adopters.rules import CLOSE_REASON_LABELS, STAGE_LABELS, Stage
from permanence.api.fields import PlausibleDateField
from permanence.performance import measures, members, reports
from permanence.performance import rules as perf_rules
from permanence.performance.adopter_measures import adopter_measures

EARLIEST_YEAR = 2000
QUARTER_RE = re.compile(r"^\d{4}Q[1-4]$")


latest_year_ending = perf_rules.latest_year_ending  # the latest 31 March that has passed, as the page offers


# ---------------------------------------------------------------------------------------------
# Parameters


class ScopeSerializer(serializers.Serializer):
    la = serializers.CharField(required=False, allow_blank=True, max_length=20,
                               help_text="An LA code: one of the LAs you may see.")
    raa = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                help_text="Your RAA's code: its member LAs on each date. Without `la` or `raa`: "
                                          "your RAA if you have one, else your LA.")
    suppress = serializers.BooleanField(required=False, default=True,
                                        help_text="Show counts of 1–4 as \"<5\" (the default, as the command line). "
                                                  "`false` for figures that stay inside the RAA.")

    def validate(self, attrs):
        if attrs.get("la") and attrs.get("raa"):
            raise serializers.ValidationError({"la": ["Give an LA or an RAA, not both."]})
        return attrs


class ScorecardParamsSerializer(ScopeSerializer):
    year_ending = serializers.IntegerField(required=False, min_value=EARLIEST_YEAR, max_value=9999,
                                           help_text="The year of the 31 March the three years end on "
                                                     "(default: the latest).")

    def validate_year_ending(self, value):
        latest = latest_year_ending(timezone.localdate())
        if value > latest:
            raise serializers.ValidationError(f"The latest year you can ask for is {latest}.")
        return value


class QuarterlyParamsSerializer(ScopeSerializer):
    quarter = serializers.RegexField(QUARTER_RE, max_length=6,
                                     help_text="A quarter of the financial year starting in April of the year named: "
                                               "2025Q1 is April–June 2025, 2025Q4 is January–March 2026.")

    def validate_quarter(self, value):
        year = int(value[:4])
        if not EARLIEST_YEAR <= year <= timezone.localdate().year:
            raise serializers.ValidationError(f"Ask for a quarter from {EARLIEST_YEAR} to this year.")
        try:
            perf_rules.parse_quarter(value)
        except ValueError as err:
            raise serializers.ValidationError(str(err)) from None
        return value


class ProspectiveParamsSerializer(ScopeSerializer):
    po_from = PlausibleDateField(kind="period", help_text="The first day of the cohort: children whose first placement order "
                                              "is dated from this day…")
    po_to = PlausibleDateField(kind="period", help_text="…to this day (inclusive).")
    as_of = PlausibleDateField(kind="period", required=False, help_text="The journeys as they stood on this day (default: "
                                                            "today); children still waiting count to it.")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        today = timezone.localdate()
        attrs.setdefault("as_of", today)
        for name in ("po_from", "po_to", "as_of"):
            if attrs[name].year < EARLIEST_YEAR:
                raise serializers.ValidationError({name: [f"Give a date from {EARLIEST_YEAR}."]})
        problems = perf_rules.cohort_problems(attrs["po_from"], attrs["po_to"], attrs["as_of"], today)
        if problems:
            raise serializers.ValidationError({field: [message] for field, message in problems.items()})
        return attrs


class MembersParamsSerializer(ScopeSerializer):
    half_year = serializers.RegexField(r"^\d{4}H[12]$", max_length=6,
                                       help_text="A half of the financial year starting in April of the year "
                                                 "named: 2025H1 is April–September 2025, 2025H2 is October 2025–"
                                                 "March 2026.")

    def validate_half_year(self, value):
        if not EARLIEST_YEAR <= int(value[:4]) <= timezone.localdate().year:
            raise serializers.ValidationError(f"Ask for a half-year from {EARLIEST_YEAR} that has begun.")
        try:
            period = members.parse_half_year(value)
        except ValueError as err:
            raise serializers.ValidationError(str(err)) from None
        if period.start > timezone.localdate():
            raise serializers.ValidationError(f"Ask for a half-year from {EARLIEST_YEAR} that has begun.")
        return value


class AdopterParamsSerializer(serializers.Serializer):
    raa = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                help_text="Your RAA's code (the default): adopters are recruited by the RAA.")
    start = PlausibleDateField(kind="period", help_text="The first day of the period.")
    end = PlausibleDateField(kind="period", help_text="The last day of the period (figures about those waiting are as at "
                                          "this day).")
    suppress = serializers.BooleanField(required=False, default=True,
                                        help_text="Show counts of 1–4 as \"<5\" (the default).")

    def validate(self, attrs):
        for name in ("start", "end"):
            if not EARLIEST_YEAR <= attrs[name].year <= 2100:
                raise serializers.ValidationError({name: [f"Give a date from {EARLIEST_YEAR} to 2100."]})
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": ["The end of the period is before its start."]})
        return attrs


# ---------------------------------------------------------------------------------------------
# Response shapes (for the schema: the bodies are the reports' own dicts, served as they are)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(help_text="A number, \"<5\" once suppressed, or null when there is nothing to "
                                            "average.")
    n = serializers.JSONField(help_text="How many children (or households) are counted; \"<5\" once suppressed.")
    unit = serializers.CharField()
    threshold = serializers.FloatField(allow_null=True)
    direction = serializers.CharField(allow_null=True, required=False)
    rag = serializers.CharField(allow_null=True, required=False)
    basis = serializers.CharField(required=False)
    period_start = PlausibleDateField(kind="period", required=False)
    period_end = PlausibleDateField(kind="period", required=False)
    note = serializers.CharField(required=False)
    available = serializers.BooleanField(required=False)
    suppressed = serializers.BooleanField()


class ReportScopeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    start = PlausibleDateField(kind="period")
    end = PlausibleDateField(kind="period")
    label = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    report = serializers.CharField()
    scope = ReportScopeSerializer()
    period = PeriodSerializer()
    basis = serializers.DictField(child=serializers.CharField())
    suppressed = serializers.BooleanField()
    figures = FigureSerializer(many=True)


class MembersReportSerializer(ReportSerializer):
    comparisons = serializers.JSONField(help_text="The half-years compared: this one, the previous one and the "
                                                  "same one a year earlier.")
    sections = serializers.JSONField(help_text="The report's sections, each with its rows: three columns and the "
                                               "change in words.")
    summary = serializers.JSONField(help_text="The plain-English summary sentences.")


class SourceRowSerializer(serializers.Serializer):
    source = serializers.CharField()
    enquiries = serializers.JSONField()
    rois = serializers.JSONField()
    approved = serializers.JSONField()
    roi_rate = serializers.JSONField()
    approval_rate = serializers.JSONField()


class WithdrawalSerializer(serializers.Serializer):
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    count = serializers.JSONField()


class AdopterReportSerializer(ReportSerializer):
    by_source = SourceRowSerializer(many=True)
    withdrawals = WithdrawalSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Scopes


def _require_aggregates(user) -> None:
    if not access.can_see_aggregates(user):
        raise Http404


SCOPE_REFUSED = {"raa": "Give your own RAA's code.", "la": "Give the code of one of your local authorities."}


def scope_for(user, la_code: str | None, raa_code: str | None) -> measures.Scope:
    """The scope asked for, decided by access.measure_scope_for (as the pages' scopes are): a scope that is not the
    user's is a 400 on its parameter here (missing and not-yours alike)."""
    try:
        return access.measure_scope_for(user, la=la_code, raa=raa_code).scope
    except access.MeasureScopeRefused as refused:
        raise serializers.ValidationError({refused.parameter: [SCOPE_REFUSED[refused.parameter]]}) from None


def _suppress_figure(fig: dict) -> dict:
    n = fig["n"]
    if not (isinstance(n, int) and 0 < n < perf_rules.SUPPRESS_BELOW):
        return fig
    value = perf_rules.suppress_count(fig["value"]) if fig["unit"] == "count" else perf_rules.SUPPRESSED
    return {**fig, "value": value, "n": perf_rules.SUPPRESSED, "suppressed": True}


def adopter_report(raa, start: date, end: date, *, suppress: bool = True) -> dict:
    """performance.adopter_measures.adopter_measures for the RAA's households and enquiries (as the RAA's scorecard family
    does), as a report: each figure with key, label, value, n, unit, threshold."""
    m = adopter_measures(Household.objects.filter(raa=raa), Enquiry.objects.filter(raa=raa), start, end)
    figures = [{"key": f.key, "label": f.label, "value": f.value, "n": f.n, "unit": f.unit, "threshold": None,
                "suppressed": False} for f in m.figures.values()]
    count = perf_rules.suppress_count if suppress else (lambda v: v)
    by_source = [{"source": r.source, "enquiries": count(r.enquiries), "rois": count(r.rois),
                  "approved": count(r.approved),
                  "roi_rate": r.roi_rate if not suppress or r.enquiries >= perf_rules.SUPPRESS_BELOW
                  else perf_rules.SUPPRESSED,
                  "approval_rate": r.approval_rate if not suppress or r.enquiries >= perf_rules.SUPPRESS_BELOW
                  else perf_rules.SUPPRESSED} for r in m.by_source]
    withdrawals = [{"stage": stage, "stage_label": STAGE_LABELS[Stage(stage)], "reason": reason,
                    "reason_label": CLOSE_REASON_LABELS.get(reason, reason), "count": count(n)}
                   for (stage, reason), n in sorted(m.withdrawals.items())]
    return {
        "report": "adopters",
        "scope": {"kind": "raa", "code": raa.code, "label": raa.name},
        "period": {"start": start.isoformat(), "end": end.isoformat(),
                   "label": f"{start:%-d %B %Y} to {end:%-d %B %Y}"},
        "basis": {perf_rules.RETROSPECTIVE: perf_rules.BASIS_LABELS[perf_rules.RETROSPECTIVE]},
        "suppressed": suppress,
        "figures": [_suppress_figure(f) for f in figures] if suppress else figures,
        "by_source": by_source,
        "withdrawals": withdrawals,
    }


class MeasuresViewSet(viewsets.ViewSet):
    """Aggregate figures. 404 for roles that do not see aggregates (as the scorecard page)."""

    def _params(self, request, serializer_class) -> dict:
        _require_aggregates(request.user)
        params = serializer_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data

    @extend_schema(parameters=[ScorecardParamsSerializer], responses=ReportSerializer,
                   summary="The Adoption Scorecard (as `permanence report scorecard`)")
    @action(detail=False, methods=["get"])
    def scorecard(self, request):
        d = self._params(request, ScorecardParamsSerializer)
        scope = scope_for(request.user, d.get("la"), d.get("raa"))
        year = d.get("year_ending") or latest_year_ending(timezone.localdate())
        return Response(reports.scorecard_report(scope, year, suppress=d["suppress"]))

    @extend_schema(parameters=[QuarterlyParamsSerializer], responses=ReportSerializer,
                   summary="Quarterly figures (as `permanence report quarterly`)")
    @action(detail=False, methods=["get"])
    def quarterly(self, request):
        d = self._params(request, QuarterlyParamsSerializer)
        scope = scope_for(request.user, d.get("la"), d.get("raa"))
        return Response(reports.quarterly_report(scope, d["quarter"], suppress=d["suppress"]))

    @extend_schema(parameters=[ProspectiveParamsSerializer], responses=ReportSerializer,
                   summary="A prospective cohort by first placement order date (as `permanence report prospective`)")
    @action(detail=False, methods=["get"])
    def prospective(self, request):
        d = self._params(request, ProspectiveParamsSerializer)
        scope = scope_for(request.user, d.get("la"), d.get("raa"))
        return Response(reports.prospective_report(scope, d["po_from"], d["po_to"], d["as_of"],
                                                   suppress=d["suppress"]))

    @extend_schema(parameters=[MembersParamsSerializer], responses=MembersReportSerializer,
                   summary="The six-monthly report for elected members (as `permanence report members`)")
    @action(detail=False, methods=["get"])
    def members(self, request):
        d = self._params(request, MembersParamsSerializer)
        scope = scope_for(request.user, d.get("la"), d.get("raa"))
        return Response(members.members_report(scope, d["half_year"], suppress=d["suppress"]))

    @extend_schema(parameters=[AdopterParamsSerializer], responses=AdopterReportSerializer,
                   summary="Recruitment and assessment of adopters for your RAA (performance.adopter_measures)")
    @action(detail=False, methods=["get"])
    def adopters(self, request):
        d = self._params(request, AdopterParamsSerializer)
        raa = access.raa_for_aggregates(request.user)
        if raa is None:
            raise Http404  # adopters are the RAA's: an LA's staff have no adopters' figures
        if d.get("raa") and d["raa"] != raa.code:
            raise serializers.ValidationError({"raa": ["Give your own RAA's code."]})
        return Response(adopter_report(raa, d["start"], d["end"], suppress=d["suppress"]))
