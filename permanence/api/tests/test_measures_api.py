"""/api/v1/measures/: the same figures as `permanence report` and the pages (the same functions), and 400s for
bad parameters (never a 500)."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from permanence.adopters.models import Enquiry, Household
from permanence.api.tests.conftest import TO_PANEL, make_household, token_client
from permanence.organisations.models import Role
from permanence.performance import measures
from permanence.performance.adopter_measures import adopter_measures
from permanence.performance.tests.test_measures import cohort  # noqa: F401 (fixture)


def cli(*args) -> dict:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.mark.parametrize("suppress", [True, False], ids=["suppressed", "not-suppressed"])
def test_scorecard_is_the_command_lines(cohort, suppress):  # noqa: F811
    region, _ = cohort
    api = token_client(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    flag = [] if suppress else ["--no-suppress"]
    for who, code in (("la", "901"), ("la", "902"), ("raa", "NR")):
        response = api.get(reverse("api:measures-scorecard"),
                           {who: code, "year_ending": 2022, "suppress": str(suppress).lower()})
        assert response.status_code == 200, response.json()
        assert response.json() == cli("scorecard", f"--{who}", code, "--year-ending", "2022", "--format", "json",
                                      *flag)
    by_key = {f["key"]: f for f in api.get(reverse("api:measures-scorecard"),
                                           {"la": "901", "year_ending": 2022, "suppress": "false"}).json()["figures"]}
    assert {k: (by_key[k]["value"], by_key[k]["n"], by_key[k]["unit"], by_key[k]["threshold"])
            for k in ("A1", "A2")} == {"A1": (331, 3, "days", 426), "A2": (133, 3, "days", 121)}
    # ... and the page's own figures (the page is never suppressed).
    direct = measures.scorecard(measures.scope_for_la(region.la), 2022)
    assert [(f["key"], f["value"], f["n"]) for f in by_key.values()] == [(f.key, f.value, f.n) for f in direct]


def test_quarterly_is_the_command_lines(cohort):  # noqa: F811
    region, _ = cohort
    api = token_client(region.staff[("NR", Role.DATA_OFFICER)])
    for suppress, flag in (("true", []), ("false", ["--no-suppress"])):
        response = api.get(reverse("api:measures-quarterly"), {"raa": "NR", "quarter": "2020Q2", "suppress": suppress})
        assert response.status_code == 200
        assert response.json() == cli("quarterly", "--raa", "NR", "--quarter", "2020Q2", "--format", "json", *flag)
    # An LA's team manager: their LA only (the default scope).
    la_manager = token_client(region.staff[("901", Role.LA_TEAM_MANAGER)])
    response = la_manager.get(reverse("api:measures-quarterly"), {"quarter": "2020Q2"})
    assert response.json() == cli("quarterly", "--la", "901", "--quarter", "2020Q2", "--format", "json")


@pytest.mark.parametrize(("params", "field"), [
    ({"year_ending": "twenty"}, "year_ending"),
    ({"year_ending": 1999}, "year_ending"),
    ({"year_ending": 9999}, "year_ending"),
    ({"year_ending": 2022, "la": "901", "raa": "NR"}, "la"),
    ({"year_ending": 2022, "la": "999"}, "la"),
    ({"year_ending": 2022, "raa": "SR"}, "raa"),
    ({"year_ending": 2022, "suppress": "perhaps"}, "suppress"),
])
def test_bad_scorecard_parameters_are_400s(region, params, field):
    api = token_client(region.staff[("NR", Role.BOARD_MEMBER)])
    response = api.get(reverse("api:measures-scorecard"), params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize(("params", "field"), [
    ({}, "quarter"), ({"quarter": "2025Q5"}, "quarter"), ({"quarter": "25Q1"}, "quarter"),
    ({"quarter": "1999Q1"}, "quarter"), ({"quarter": "9999Q4"}, "quarter"),
])
def test_bad_quarterly_parameters_are_400s(region, params, field):
    api = token_client(region.staff[("NR", Role.BOARD_MEMBER)])
    response = api.get(reverse("api:measures-quarterly"), params)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize(("params", "field"), [
    ({}, "start"), ({"start": "2025-01-01"}, "end"), ({"start": "2025-02-01", "end": "2025-01-01"}, "end"),
    ({"start": "0001-01-01", "end": "2025-01-01"}, "start"), ({"start": "2025-01-01", "end": "9999-12-31"}, "end"),
    ({"start": "2025-01-01", "end": "2025-02-30"}, "end"), ({"start": "2025-01-01", "end": "2025-12-31",
                                                            "raa": "SR"}, "raa"),
])
def test_bad_adopter_parameters_are_400s(region, params, field):
    api = token_client(region.staff[("NR", Role.BOARD_MEMBER)])
    response = api.get(reverse("api:measures-adopters"), params)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field


def test_adopter_measures_are_adopters_measures(region, adopters_today):
    for n in range(6):
        make_household(region.raa, f"North{n}", events=TO_PANEL)
    make_household(region.raa, "Closed", events=[("closed", date(2025, 2, 1), {"reason": "withdrew"})])
    make_household(region.other_raa, "South", events=TO_PANEL)
    api = token_client(region.staff[("NR", Role.BOARD_MEMBER)])
    start, end = date(2025, 1, 1), date(2025, 6, 30)
    data = api.get(reverse("api:measures-adopters"), {"start": start, "end": end, "suppress": "false"}).json()
    m = adopter_measures(Household.objects.filter(raa=region.raa), Enquiry.objects.filter(raa=region.raa), start, end)
    assert [(f["key"], f["label"], f["value"], f["n"], f["unit"], f["threshold"]) for f in data["figures"]] == [
        (f.key, f.label, f.value, f.n, f.unit, None) for f in m.figures.values()]
    by_key = {f["key"]: f for f in data["figures"]}
    assert by_key["registrations"]["value"] == 7 and by_key["stage_2_starts"]["value"] == 6
    assert data["scope"] == {"kind": "raa", "code": "NR", "label": "North RAA"}
    assert data["withdrawals"] == [{"stage": "roi", "stage_label": "Registration of interest received",
                                    "reason": "withdrew", "reason_label": "The applicants withdrew", "count": 1}]
    suppressed = api.get(reverse("api:measures-adopters"), {"start": start, "end": end}).json()
    small = {f["key"]: f for f in suppressed["figures"]}
    assert small["withdrawals"]["value"] == "<5" and small["withdrawals"]["suppressed"] is True
    assert small["registrations"]["value"] == 7 and suppressed["withdrawals"][0]["count"] == "<5"
    # Board members see the figures but never the households.
    assert api.get(reverse("api:household-list")).status_code == 404
    # LA staff: adopters are the RAA's, so no adopters' figures.
    la = token_client(region.staff[("901", Role.LA_TEAM_MANAGER)])
    assert la.get(reverse("api:measures-adopters"), {"start": start, "end": end}).status_code == 404


def test_prospective_and_members_are_the_command_lines(cohort, monkeypatch):  # noqa: F811
    from django.utils import timezone

    region, _ = cohort
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2022, 5, 15))
    api = token_client(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    response = api.get(reverse("api:measures-prospective"), {"raa": "NR", "po_from": "2020-04-01",
                                                              "po_to": "2021-03-31", "as_of": "2021-06-30",
                                                              "suppress": "false"})
    assert response.status_code == 200, response.json()
    assert response.json() == cli("prospective", "--raa", "NR", "--po-from", "2020-04-01", "--po-to", "2021-03-31",
                                  "--as-of", "2021-06-30", "--no-suppress")
    by_key = {f["key"]: f for f in response.json()["figures"]}
    assert (by_key["P_PO_TO_MATCH"]["value"], by_key["P_PO_TO_MATCH"]["n"]) == (182, 4)  # as test_measures
    response = api.get(reverse("api:measures-members"), {"la": "901", "half_year": "2020H2"})
    assert response.status_code == 200, response.json()
    assert response.json() == cli("members", "--la", "901", "--half-year", "2020H2")
    assert response.json()["sections"] and response.json()["summary"]
    for params, field in (({"half_year": "2020H3"}, "half_year"), ({"half_year": "2030H1"}, "half_year"),
                          ({"half_year": "2020H1", "la": "903"}, "la")):
        response = api.get(reverse("api:measures-members"), params)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field, params
    for params, field in (({"po_from": "2021-04-01", "po_to": "2020-04-01"}, "po_to"),
                          ({"po_from": "2020-04-01", "po_to": "2021-03-31", "as_of": "2030-01-01"}, "as_of"),
                          ({"po_from": "not a date", "po_to": "2021-03-31"}, "po_from")):
        response = api.get(reverse("api:measures-prospective"), params)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field, params
