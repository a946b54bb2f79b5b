"""The cost calculator and the daily cost of care pages: hand-computed figures, what-ifs, validation, the empty
state, who sees the children behind the figures, the download, and role × own/other organisation access.

The cohort (permanence.testing region: North RAA 'NR' with LAs 901 and 902; South RAA 'SR' with LA 903), every
day count worked out by hand. Financial year 2023 to 2024 (adoption orders 1 April 2023 to 31 March 2024):
  P1 (901) entered care 01/01/2022, moved in 01/06/2023: 516 days, 90 beyond 426.
  P2 (902) entered care 01/06/2022, moved in 01/05/2023: 334 days, 0 beyond.
  P3 (901) entered care 01/09/2021, moved in 01/01/2023: 487 days, 61 beyond.
Baseline, financial year 2022 to 2023:
  Q1 (901) entered care 01/04/2020, moved in 01/04/2022: 730 days (2021 is not a leap year), 304 beyond.
  Q2 (902) entered care 01/01/2021, moved in 01/03/2022: 424 days, 0 beyond.
At £123.45 a day: cost 151 × £123.45 = £18,640.95. Averages beyond the target: baseline 304/2 = 152, period
151/3; cost avoided (152 − 151/3) × 3 × £123.45 = (456 − 151) × £123.45 = 305 × £123.45 = £37,652.25.
"""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from permanence import access
from permanence.core.models import AuditEvent, ExportLog
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.performance import cost_forms, measures, services
from permanence.performance.models import DailyCostOfCare
from permanence.testing import each_case

D = date
DOB = D(2015, 6, 1)
USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]
OWN_LAS = {"NR": ["901", "902"], "SR": ["903"]}
FY24 = "/performance/cost/?scope=raa&year=2024"


def adopted(entered, placed, ao):
    """A journey from entering care to an adoption order: plan, ADM, PO, match, then moving in on `placed`."""
    return [("entered_care", entered), ("permanence_plan", entered + timedelta(days=14)),
            ("should_be_placed", entered + timedelta(days=28)), ("placement_order", entered + timedelta(days=90)),
            ("match_decision", placed - timedelta(days=30)), ("placed_for_adoption", placed),
            ("adoption_order", ao)]


@pytest.fixture
def costs(region):
    r = region
    kids = {
        "P1": r.child(r.la, dob=DOB, first_name="Pone", events=adopted(D(2022, 1, 1), D(2023, 6, 1), D(2023, 10, 1))),
        "P2": r.child(r.la_keeps, dob=DOB, first_name="Ptwo",
                      events=adopted(D(2022, 6, 1), D(2023, 5, 1), D(2023, 9, 1))),
        "P3": r.child(r.la, dob=DOB, first_name="Pthree",
                      events=adopted(D(2021, 9, 1), D(2023, 1, 1), D(2023, 12, 1))),
        "Q1": r.child(r.la, dob=DOB, first_name="Qone", events=adopted(D(2020, 4, 1), D(2022, 4, 1), D(2022, 9, 1))),
        "Q2": r.child(r.la_keeps, dob=DOB, first_name="Qtwo",
                      events=adopted(D(2021, 1, 1), D(2022, 3, 1), D(2022, 6, 1))),
    }
    return region, kids


@pytest.fixture
def configured(db):
    return services.set_daily_cost_of_care(actor=None, amount="123.45", valid_from=D(2020, 4, 1),
                                           source="Synthetic test figure")


def listed(body: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-child="(\d+)"', body)]


def total(body: str, key: str) -> str:
    row = body.split('id="totals"')[1].split(f'data-key="{key}"')[1].split("</tr>")[0]
    return re.search(r'cell--numeric">([^<]*)<', row).group(1)


def child_row(body: str, child) -> str:
    return body.split(f'data-child="{child.pk}"')[1].split("</tr>")[0]


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


# ---------------------------------------------------------------------------------------------
# Figures


def test_hand_computed_totals_per_child_and_cost_avoided(client, costs, configured):
    region, kids = costs
    response = get(client, region.staff[("NR", "raa_head_of_service")], FY24)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Financial year 2023 to 2024" in body
    assert total(body, "children") == "3" and total(body, "children_beyond") == "2"
    assert total(body, "COST_EXCESS_DAYS") == "151" and total(body, "average") == "50.3"
    assert total(body, "COST") == "£18,640.95"
    assert total(body, "baseline_children") == "2" and total(body, "baseline_average") == "152.0"
    assert total(body, "COST_AVOIDED") == "£37,652.25"
    # The method, in plain English and with its numbers.
    assert "Cost avoided = (the average days beyond the target per child in the baseline" in body
    assert "(152.0 − 50.3) × 3 × £123.45 = £37,652.25: 305.0 days beyond the target avoided" in body
    # The defaults, with their sources.
    assumptions = body.split('id="assumptions"')[1].split("</dl>")[0]
    assert "426 days" in assumptions and "A1 threshold in force on 31 March 2024" in assumptions
    assert "£123.45 a day" in assumptions and "Synthetic test figure" in assumptions
    assert "Children adopted from 1 April 2022 to 31 March 2023" in assumptions
    assert 'id="what-if"' not in body
    # The children behind the figures, most days beyond the target first, linked to their records.
    assert listed(body) == [kids["P1"].pk, kids["P3"].pk, kids["P2"].pk]
    p1 = child_row(body, kids["P1"])
    assert "1 January 2022" in p1 and "1 June 2023" in p1 and ">516<" in p1 and ">90<" in p1
    assert "£11,110.50" in p1 and f'/children/{kids["P1"].pk}/' in p1 and "Transferton" in p1
    assert ">61<" in child_row(body, kids["P3"]) and "£7,530.45" in child_row(body, kids["P3"])
    assert "£0.00" in child_row(body, kids["P2"]) and "Keepham" in child_row(body, kids["P2"])
    assert 'id="hidden"' not in body
    assert 'id="export-links"' in body and "/performance/cost/export/?scope=raa&amp;year=2024&amp;format=csv" in body


def test_an_la_sees_its_own_children_only(client, costs, configured):
    region, kids = costs
    body = get(client, region.staff[("901", "data_officer")], "/performance/cost/?scope=901&year=2024").content.decode()
    assert total(body, "children") == "2" and total(body, "COST_EXCESS_DAYS") == "151"
    assert total(body, "COST") == "£18,640.95"
    # Baseline: Q1 only, 304 beyond. (304 − 75.5) × 2 × £123.45 = 457 × £123.45 = £56,416.65.
    assert total(body, "COST_AVOIDED") == "£56,416.65"
    assert sorted(listed(body)) == sorted([kids["P1"].pk, kids["P3"].pk])


def test_defaults_are_the_last_complete_financial_year_and_the_year_before(client, costs, configured, monkeypatch):
    region, _ = costs
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2024, 5, 15))
    body = get(client, region.staff[("NR", "raa_team_manager")], "/performance/cost/").content.decode()
    assert "Financial year 2023 to 2024" in body and total(body, "COST_AVOIDED") == "£37,652.25"
    assert '<option value="2024" selected>' in body
    # On 30 March 2024 the 2023 to 2024 year has not ended yet.
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2024, 3, 30))
    body = client.get("/performance/cost/").content.decode()
    assert "Financial year 2022 to 2023" in body and total(body, "children") == "2"


def test_what_if_daily_cost_and_target(client, costs, configured):
    region, _ = costs
    body = get(client, region.staff[("NR", "raa_head_of_service")], FY24 + "&daily_cost=%C2%A3200").content.decode()
    assert 'id="what-if"' in body and "What-if: these figures use £200.00 a day" in body
    assert "not the configured daily cost of care (£123.45 a day from 1 April 2020)" in body
    assert total(body, "COST") == "£30,200.00" and total(body, "COST_AVOIDED") == "£61,000.00"
    # Target 400: P1 116, P3 87 (203 days); baseline Q1 330, Q2 24 (average 177): (531 − 203) × £123.45.
    body = client.get(FY24 + "&target_days=400").content.decode()
    assert 'id="what-if"' not in body
    assert total(body, "COST_EXCESS_DAYS") == "203" and total(body, "COST") == "£25,060.35"
    assert total(body, "COST_AVOIDED") == "£40,491.60"
    assert "The target you entered (the A1 threshold in force is 426 days)" in body


def test_explicit_dates_no_baseline_and_delay_that_grew(client, costs, configured):
    region, _ = costs
    client.force_login(region.staff[("NR", "raa_head_of_service")])
    dates = ("&period=dates&period_from_day=1&period_from_month=4&period_from_year=2023"
             "&period_to_day=31&period_to_month=3&period_to_year=2024")
    body = client.get(f"/performance/cost/?scope=raa{dates}&baseline=none").content.decode()
    assert "1 April 2023 to 31 March 2024" in body and total(body, "COST") == "£18,640.95"
    assert 'data-key="COST_AVOIDED"' not in body
    # 2022-23 against 2021-22, when no child was adopted: no cost avoided to show, and the page says why.
    body = client.get("/performance/cost/?scope=raa&year=2023&baseline=dates&baseline_from_day=1"
                      "&baseline_from_month=4&baseline_from_year=2021&baseline_to_day=31&baseline_to_month=3"
                      "&baseline_to_year=2022").content.decode()
    assert total(body, "children") == "2" and total(body, "baseline_children") == "0"
    assert total(body, "COST_AVOIDED") == "–"
    assert "it needs children adopted in both the period and the baseline" in body


def test_negative_cost_avoided_says_delay_grew(client, region, configured):
    # Baseline 2022-23: one child 65 days beyond 426; period 2023-24: one child 173 days beyond.
    region.child(region.la, dob=DOB, events=adopted(D(2021, 1, 1), D(2022, 5, 7), D(2022, 9, 1)))  # 491 days
    region.child(region.la, dob=DOB, events=adopted(D(2021, 6, 1), D(2023, 1, 21), D(2023, 6, 1)))  # 599 days
    body = get(client, region.staff[("NR", "raa_head_of_service")], FY24).content.decode()
    assert total(body, "COST_EXCESS_DAYS") == "173" and total(body, "baseline_average") == "65.0"
    # (65 − 173) × 1 × £123.45 = −£13,332.60
    assert "Extra cost against the baseline (delay grew)" in body and total(body, "COST_AVOIDED") == "£13,332.60"
    assert "= minus £13,332.60" in body


# ---------------------------------------------------------------------------------------------
# Validation and the empty state


@pytest.mark.parametrize(("query", "messages"), [
    ("&period=dates&period_from_day=31&period_from_month=3&period_from_year=2024&period_to_day=1&period_to_month=4"
     "&period_to_year=2023", ["The end of the period must be the same as or after its start"]),
    ("&period=dates", ["Enter the start of the period", "Enter the end of the period"]),
    ("&period=dates&period_from_day=1&period_from_month=4&period_from_year=2023&period_to_day=1&period_to_month=13"
     "&period_to_year=2023", ["The end of the period must be a real date"]),
    ("&period=dates&period_from_day=3&period_to_day=1&period_to_month=4&period_to_year=23",
     ["The start of the period must include a month and year",
      "The year in the end of the period must include 4 numbers"]),
    ("&period=dates&period_from_day=1&period_from_month=4&period_from_year=2026&period_to_day=31&period_to_month=3"
     "&period_to_year=2027", ["The end of the period must be today or in the past"]),
    ("&daily_cost=-5", ["The daily cost must be more than £0"]),
    ("&daily_cost=0", ["The daily cost must be more than £0"]),
    ("&daily_cost=lots", ["Enter the daily cost in pounds and pence, like 150 or 150.50"]),
    ("&daily_cost=1.234", ["The daily cost must be in pounds and pence, with no more than 2 numbers after the point"]),
    ("&target_days=-1", ["The target must be 0 days or more"]),
    ("&target_days=12.5", ["Enter the target as a whole number of days, like 426"]),
    ("&target_days=99999", ["The target must be 36,500 days (100 years) or fewer"]),
    ("&baseline=dates&baseline_from_day=1&baseline_from_month=1&baseline_from_year=2023&baseline_to_day=1"
     "&baseline_to_month=6&baseline_to_year=2023", ["The baseline must end before the period starts"]),
    ("&baseline=sometimes", ["Select a baseline, or no baseline"]),
    ("&year=1999", ["Select a financial year from the list"]),
])
def test_validation_messages(client, costs, configured, monkeypatch, query, messages):
    region, _ = costs
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2026, 11, 26))
    response = get(client, region.staff[("NR", "raa_head_of_service")], FY24 + query)
    assert response.status_code == 200
    body = response.content.decode()
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    for message in messages:
        assert message in summary and 'class="govuk-error-message"' in body
    assert "<title>Error: " in body
    assert 'id="totals"' not in body


def test_dates_under_a_choice_not_selected_are_ignored(client, costs, configured):
    region, _ = costs
    body = get(client, region.staff[("NR", "raa_head_of_service")],
               FY24 + "&period=year&period_from_day=99&baseline=previous&baseline_to_month=x").content.decode()
    assert "govuk-error-summary" not in body and total(body, "COST") == "£18,640.95"
    assert "Financial year (optional)" not in body and "Start of the period (optional)" not in body


def test_no_daily_cost_configured(client, costs):
    region, _ = costs
    response = get(client, region.staff[("NR", "raa_head_of_service")], FY24)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="no-cost"' in body and "No daily cost of care is set" in body and 'id="totals"' not in body
    assert 'href="/performance/cost/daily-cost/">Set the daily cost of care' in body
    # Someone who may not set it is told who can.
    body = get(client, region.staff[("NR", "raa_team_manager")], FY24).content.decode()
    assert 'id="no-cost"' in body and "/performance/cost/daily-cost/" not in body
    assert "Ask your RAA's system administrator or head of service" in body
    # A figure that starts after the period end does not apply to it.
    services.set_daily_cost_of_care(actor=None, amount="50", valid_from=D(2024, 4, 1), source="later")
    assert 'id="no-cost"' in client.get(FY24).content.decode()
    # A what-if figure still works.
    body = client.get(FY24 + "&daily_cost=100").content.decode()
    assert 'id="no-cost"' not in body and total(body, "COST") == "£15,100.00" and 'id="what-if"' in body
    # The export sends the user back to the page that explains.
    export = client.get(FY24.replace("/cost/", "/cost/export/") + "&format=csv")
    assert export.status_code == 302 and export.url.startswith("/performance/cost/?scope=raa&year=2024")
    assert not ExportLog.objects.exists()


def test_board_members_see_totals_only(client, costs, configured):
    region, _ = costs
    body = get(client, region.staff[("NR", "board_member")], FY24).content.decode()
    assert total(body, "COST") == "£18,640.95" and total(body, "COST_AVOIDED") == "£37,652.25"
    assert "data-child" not in body and 'id="children"' not in body and 'id="totals-only"' in body
    assert "Pone" not in body and "Testcase" not in body and "/children/" not in body
    assert "/performance/cost/export/" not in body
    assert client.get(FY24.replace("/cost/", "/cost/export/") + "&format=csv").status_code == 404


def test_children_outside_the_users_access_are_counted_not_shown(client, costs, configured):
    region, kids = costs
    # 903 belonged to North until the end of 2023: X (adopted 01/11/2023) counts for North, but is South's now.
    services.record_raa_membership(actor=None, la=region.other_la, raa=region.raa, valid_from=None,
                                   valid_to=D(2023, 12, 31))
    services.record_raa_membership(actor=None, la=region.other_la, raa=region.other_raa, valid_from=D(2024, 1, 1))
    x = region.child(region.other_la, dob=DOB, first_name="Xelsewhere",
                     events=adopted(D(2022, 1, 1), D(2023, 6, 1), D(2023, 11, 1)))  # 516 days, 90 beyond
    body = get(client, region.staff[("NR", "raa_team_manager")], FY24).content.decode()
    assert total(body, "children") == "4" and total(body, "COST_EXCESS_DAYS") == "241"
    assert x.pk not in listed(body) and len(listed(body)) == 3
    assert 'id="hidden"' in body and "1 child in these figures is outside your access and not listed." in body
    assert "Xelsewhere" not in body and "Elsewhere" not in body
    response = client.get(FY24.replace("/cost/", "/cost/export/") + "&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 4 and "Xelsewhere" not in str(rows)
    assert ExportLog.objects.get().filters["children_outside_access"] == 1


# ---------------------------------------------------------------------------------------------
# The download


def test_export_csv_and_xlsx_are_logged(client, costs, configured):
    region, kids = costs
    user = region.staff[("NR", "data_officer")]
    response = get(client, user, FY24.replace("/cost/", "/cost/export/") + "&format=csv&daily_cost=200")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="cost-of-care-NR-20230401-20240331-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, *data = rows
    assert header[:3] == ["Reference", "LA code", "LA"] and header[-5:] == [
        "Days in care", "Target (days)", "Days beyond the target", "Daily cost (£)", "Cost (£)"]
    first = dict(zip(header, data[0], strict=True))
    assert (first["First name"], first["Entered care"], first["Moved in (A10 basis)"]) == (
        "Pone", "2022-01-01", "2023-06-01")
    assert (first["Days in care"], first["Days beyond the target"], first["Daily cost (£)"], first["Cost (£)"]) == (
        "516", "90", "200.00", "18000.00")
    assert [r[header.index("First name")] for r in data] == ["Pone", "Pthree", "Ptwo"]
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.format, log.row_count) == (user, "performance.cost", "csv", 3)
    assert log.filters["what_if_daily_cost"] is True and log.filters["daily_cost"] == "200.00"
    assert log.filters["period_start"] == "2023-04-01" and log.filters["target_days"] == 426
    response = client.get(FY24.replace("/cost/", "/cost/export/") + "&format=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    assert ExportLog.objects.count() == 2
    assert client.get(FY24.replace("/cost/", "/cost/export/") + "&format=pdf").status_code == 404


# ---------------------------------------------------------------------------------------------
# The daily cost of care


def date_fields(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_daily_cost_history_and_adding_a_figure(client, region, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2025, 6, 1))
    services.set_daily_cost_of_care(actor=None, amount="100", valid_from=D(2020, 4, 1), source="Old figure",
                                    organisation=region.raa)
    user = region.staff[("NR", "system_administrator")]
    body = get(client, user, "/performance/cost/daily-cost/").content.decode()
    assert "£100.00" in body and "Old figure" in body and "In force today" in body
    response = client.post("/performance/cost/daily-cost/", {
        "amount": "£1,150.50", **date_fields("valid_from", D(2025, 4, 1)), "source": "  Finance unit cost 2025  "})
    assert response.status_code == 302 and response.url == "/performance/cost/daily-cost/"
    row = DailyCostOfCare.objects.get(valid_from=D(2025, 4, 1))
    assert (row.amount, row.source, row.organisation) == (Decimal("1150.50"), "Finance unit cost 2025", region.raa)
    audit = AuditEvent.objects.get(action="performance.daily_cost.created", object_id=str(row.pk))
    assert audit.actor == user and audit.after["source"] == "Finance unit cost 2025"
    body = client.get("/performance/cost/daily-cost/").content.decode()
    assert "Added: £1,150.50 a day from 1 April 2025." in body
    history = body.split('id="history"')[1].split("</table>")[0]
    assert history.index("2025-04-01") < history.index("2020-04-01")
    old = history.split('data-from="2020-04-01"')[1].split("</tr>")[0]
    assert "31 March 2025" in old and "In force today" not in old
    assert "In force today" in history.split('data-from="2025-04-01"')[1].split("</tr>")[0]


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "0"}, "The cost of a day in care must be more than £0"),
    ({"amount": "-3"}, "The cost of a day in care must be more than £0"),
    ({"amount": "abc"}, "Enter the cost of a day in care in pounds and pence, like 150 or 150.50"),
    ({"amount": ""}, "Enter the cost of a day in care"),
    ({"source": "   "}, "Enter where the figure comes from"),
    ({"source": "x" * 301}, "The source must be 300 characters or fewer"),
    ({"valid_from_day": "", "valid_from_month": "", "valid_from_year": ""}, "Enter the date the cost applies from"),
    ({"valid_from_month": ""}, "The date the cost applies from must include a month"),
    ({"valid_from_day": "2", "valid_from_month": "4", "valid_from_year": "2020"},
     "A daily cost already applies from 2 April 2020. Figures are added, not changed: choose another date"),
])
def test_daily_cost_validation(client, region, data, message):
    services.set_daily_cost_of_care(actor=None, amount="100", valid_from=D(2020, 4, 2), source="Earlier figure",
                                    organisation=region.other_raa)
    client.force_login(region.staff[("SR", "raa_head_of_service")])
    post = {"amount": "120", **date_fields("valid_from", D(2025, 4, 1)), "source": "Finance", **data}
    response = client.post("/performance/cost/daily-cost/", post)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert "<title>Error: " in body
    assert DailyCostOfCare.objects.count() == 1


def test_a_duplicate_saved_at_the_same_moment_is_an_error_not_a_crash(client, region, monkeypatch):
    services.set_daily_cost_of_care(actor=None, amount="100", valid_from=D(2025, 4, 1), source="First",
                                    organisation=region.raa)
    # As if another user saved a figure from the same date between the form's check and the save.
    monkeypatch.setattr(cost_forms.DailyCostForm, "clean_valid_from", lambda self: self.cleaned_data["valid_from"])
    client.force_login(region.staff[("NR", "raa_head_of_service")])
    response = client.post("/performance/cost/daily-cost/", {
        "amount": "120", **date_fields("valid_from", D(2025, 4, 1)), "source": "Second"})
    assert response.status_code == 200
    assert "A daily cost already applies from 1 April 2025" in response.content.decode()
    assert DailyCostOfCare.objects.get().source == "First"


def test_demo_loads_an_illustrative_daily_cost():
    from permanence.demo.management.commands.demo import DEMO_DAILY_COST

    amount, valid_from, source = DEMO_DAILY_COST
    assert "Synthetic illustrative figure" in source and "not a published or real cost" in source
    assert Decimal(amount) > 0 and valid_from <= D(2010, 4, 1) and len(source) <= 300


# ---------------------------------------------------------------------------------------------
# Access: every role × own organisation / another organisation


def test_cost_pages_access(client, region, configured):
    def check(code, role):
        region.child(region.la, dob=DOB, first_name="Ownchild",
                     events=adopted(D(2022, 1, 1), D(2023, 6, 1), D(2023, 10, 1)))
        user = region.staff[(code, role)]
        client.force_login(user)
        own = OWN_LAS.get(code, [code])
        sees_children = access.can_see_aggregates(user) and access.can_see_child_records(user)
        for scope in ("raa", "901", "902", "903"):
            may = access.can_see_aggregates(user) and (scope in own or (scope == "raa" and code in OWN_LAS))
            response = client.get(f"/performance/cost/?scope={scope}&year=2024")
            assert response.status_code == (200 if may else 404), scope
            if may:
                body = response.content.decode()
                assert ("data-child" in body or "No children to list" in body) == sees_children, scope
                assert ("Ownchild" in body) == (sees_children and scope in ("raa", "901") and code in ("NR", "901"))
                if code in ("SR", "903"):
                    assert "Transferton" not in body and "Keepham" not in body
            export = client.get(f"/performance/cost/export/?scope={scope}&year=2024&format=csv")
            may_export = may and access.can_export(user)
            assert export.status_code == (200 if may_export else 404), scope
            if may_export:
                content = b"".join(export.streaming_content).decode("utf-8-sig")
                assert ("Ownchild" in content) == (scope in ("raa", "901") and code in ("NR", "901"))
        if role == "board_member":
            assert not sees_children  # totals only
        may_set = code in ("NR", "SR") and role in ("system_administrator", "raa_head_of_service")
        assert client.get("/performance/cost/daily-cost/").status_code == (200 if may_set else 404)
        response = client.post("/performance/cost/daily-cost/", {
            "amount": "99.99", **date_fields("valid_from", D(2024, 4, 1)), "source": "Access test"})
        assert response.status_code == (302 if may_set else 404)
        assert DailyCostOfCare.objects.filter(source="Access test").exists() == may_set

    each_case(USERS, check, client=client)


def test_each_raa_sets_its_own_daily_cost_and_the_default_covers_the_rest(client, region, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2025, 6, 1))
    services.set_daily_cost_of_care(actor=None, amount="100", valid_from=D(2020, 4, 1), source="Default figure")
    services.set_daily_cost_of_care(actor=None, amount="250", valid_from=D(2024, 4, 1), source="North unit cost",
                                    organisation=region.raa)
    services.set_daily_cost_of_care(actor=None, amount="300", valid_from=D(2024, 4, 1), source="Own cost of 901",
                                    organisation=region.la)
    day = D(2025, 3, 31)
    assert measures.daily_cost_on(day, measures.cost_organisations(measures.scope_for_raa(region.raa))).amount == 250
    assert measures.daily_cost_on(day, measures.cost_organisations(measures.scope_for_la(region.la))).amount == 300
    assert measures.daily_cost_on(day, measures.cost_organisations(measures.scope_for_la(region.la_keeps))).amount \
        == 250  # 902 has none of its own: its RAA's
    assert measures.daily_cost_on(day, measures.cost_organisations(measures.scope_for_raa(region.other_raa))) \
        .amount == 100  # South has none: the default
    assert measures.daily_cost_on(D(2024, 3, 31), [region.raa]).amount == 100  # before North's own figure
    # Each RAA's settings page shows its own figures and the default, never another RAA's.
    south = get(client, region.staff[("SR", "raa_head_of_service")], "/performance/cost/daily-cost/").content.decode()
    assert "Default figure" in south and "North unit cost" not in south and "Own cost of 901" not in south
    north = get(client, region.staff[("NR", "raa_head_of_service")], "/performance/cost/daily-cost/").content.decode()
    assert "North unit cost" in north and "In force today" in north.split("North unit cost")[0].split("<tr")[-1]
    # The same date may be used by another organisation, not twice by one.
    services.set_daily_cost_of_care(actor=None, amount="120", valid_from=D(2024, 4, 1), source="South's",
                                    organisation=region.other_raa)
    with pytest.raises(ValidationError):
        services.set_daily_cost_of_care(actor=None, amount="120", valid_from=D(2024, 4, 1), source="again",
                                        organisation=region.other_raa)
