"""The command line, the exports and the scorecard page all give the measures' figures; access to the page."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command

from permanence import access
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.performance import measures, reports
from permanence.performance.tests.test_measures import cohort  # noqa: F401 (fixture)
from permanence.testing import each_case


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_cli_scorecard_json_has_key_value_n_unit_threshold(cohort):  # noqa: F811
    region, _ = cohort
    data = json.loads(run("scorecard", "--la", "901", "--year-ending", "2022", "--format", "json", "--no-suppress"))
    by_key = {f["key"]: f for f in data["figures"]}
    assert {k: (by_key[k]["value"], by_key[k]["n"], by_key[k]["unit"], by_key[k]["threshold"])
            for k in ("A1", "A10", "A2", "A3")} == {
        "A1": (331, 3, "days", 426), "A10": (230, 3, "days", 426), "A2": (133, 3, "days", 121), "A3": (67, 3, "%", None)}
    assert data["scope"]["code"] == "901" and data["basis"] == {"retrospective": pytest.approx(data["basis"]["retrospective"])}
    assert "child_ids" not in by_key["A1"]
    # The same figures as the function everything else calls.
    direct = measures.scorecard(measures.scope_for_la(region.la), 2022)
    assert [(f["key"], f["value"], f["n"]) for f in data["figures"]] == [(f.key, f.value, f.n) for f in direct]


def test_cli_suppresses_by_default(cohort):  # noqa: F811
    data = json.loads(run("scorecard", "--la", "901", "--year-ending", "2022"))
    by_key = {f["key"]: f for f in data["figures"]}
    assert data["suppressed"] is True
    assert (by_key["A1"]["value"], by_key["A1"]["n"], by_key["A1"]["rag"]) == ("<5", "<5", None)
    quarterly = json.loads(run("quarterly", "--raa", "NR", "--quarter", "2020Q2", "--format", "json"))
    q = {f["key"]: f for f in quarterly["figures"]}
    assert q["Q_MATCHED"]["value"] == "<5" and q["Q_EARLY_PERMANENCE"]["value"] == 0


def test_cli_csv_and_xlsx(cohort, tmp_path):  # noqa: F811
    text = run("quarterly", "--raa", "NR", "--quarter", "2020Q2", "--format", "csv", "--no-suppress")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["key"]: r["value"] for r in rows}["Q_WAITING"] == "4"
    out = tmp_path / "scorecard.xlsx"
    call_command("report", "scorecard", "--raa", "NR", "--year-ending", "2022", "--format", "xlsx", "--out",
                 str(out), stderr=io.StringIO())
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[:2] == ["scope", "key"])
    a1 = next(row for row in values[header:] if row[1] == "A1")
    assert a1[3:5] == [315, 5]


def test_cli_prospective_and_unknown_codes(cohort):  # noqa: F811
    data = json.loads(run("prospective", "--raa", "NR", "--po-from", "2020-04-01", "--po-to", "2021-03-31",
                          "--as-of", "2021-06-30", "--no-suppress"))
    assert {f["key"]: f["value"] for f in data["figures"]}["P_PO_TO_MATCH"] == 182
    assert list(data["basis"]) == ["prospective"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("scorecard", "--la", "999", "--year-ending", "2022")
    with pytest.raises(CommandError):
        run("quarterly", "--raa", "NR", "--quarter", "2020Q5")


def test_csv_escapes_formulas():
    report = {"report": "x", "scope": {"label": "=HYPERLINK(1)"}, "figures": [],
              "period": {"label": ""}, "basis": {}, "suppressed": True}
    assert reports.rows(report) == [["scope", *reports.COLUMNS]]
    report["figures"] = [dict.fromkeys(reports.COLUMNS, "")]
    assert reports.rows(report)[1][0] == "'=HYPERLINK(1)"


# ---------------------------------------------------------------------------------------------
# The page: role × own / other RAA

USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]


def test_scorecard_page_access(client, region):
    def check(code, role):
        from datetime import date as D

        region.child(region.la, dob=D(2015, 1, 1), events=[
            ("entered_care", D(2020, 1, 10)), ("permanence_plan", D(2020, 2, 1)), ("should_be_placed", D(2020, 3, 1)),
            ("placement_order", D(2020, 6, 1)), ("match_decision", D(2020, 9, 1)), ("placed_for_adoption", D(2020, 10, 1)),
            ("adoption_order", D(2021, 6, 1))])
        user = region.staff[(code, role)]
        client.force_login(user)
        sees = access.can_see_aggregates(user)
        response = client.get("/performance/scorecard/?year_ending=2022")
        assert response.status_code == (200 if sees else 404)
        own_las = {"NR": ["901", "902"], "SR": ["903"]}.get(code, [code])
        for la in ("901", "902", "903"):
            status = client.get(f"/performance/scorecard/?scope={la}&year_ending=2022").status_code
            assert status == (200 if sees and la in own_las else 404), la
        raa_status = client.get("/performance/scorecard/?scope=raa&year_ending=2022").status_code
        assert raa_status == (200 if sees and code in ("NR", "SR") else 404)
        if response.status_code == 200:
            body = response.content.decode()
            assert "Testcase" not in body and not re.search(r"Child\d", body)  # aggregates only
            if code in ("SR", "903"):
                assert "Transferton" not in body and "Keepham" not in body

    each_case(USERS, check, client=client)


def test_scorecard_page_shows_the_measures_figures(client, cohort):  # noqa: F811
    region, _ = cohort
    client.force_login(region.staff[("NR", "raa_head_of_service")])
    body = client.get("/performance/scorecard/?scope=raa&year_ending=2022").content.decode()
    assert 'data-key="A1"' in body and "315 days" in body and "426 days" in body
    assert client.get("/performance/scorecard/?year_ending=abc").status_code == 404
    assert client.get("/performance/scorecard/?year_ending=1990").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/performance/scorecard/").status_code == 302
