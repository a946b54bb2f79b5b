"""The six-monthly report for elected members: half-years, hand-computed half-year figures (a child counted once
however many times the event happened), suppression, comparison columns and their words, and the page, PDF,
spreadsheet and CLI showing the same figures to the people allowed to see them."""

import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from permanence import access
from permanence.adopters.tests.test_services import TO_APPROVAL, household, walk
from permanence.core.models import ExportLog
from permanence.jobs.tests.helpers import fetched
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.performance import measures, members, rules
from permanence.testing import each_case

D = date
DOB = D(2020, 6, 1)
USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]
OWN_LAS = {"NR": ["901", "902"], "SR": ["903"]}
URL = "/performance/reports/members/"


def journey(entered, plan, sbp, *rest):
    return [("entered_care", entered), ("permanence_plan", plan), ("should_be_placed", sbp), *rest]


@pytest.fixture
def half_years(region):
    """Children of LA 901, around 2025H1 (April–September 2025); previous 2024H2 (October 2024–March 2025);
    a year earlier 2024H1 (April–September 2024). Day counts worked out by hand (2024 is a leap year)."""
    r, la = region, region.la
    kids = {}
    # Twice: matched in 2025Q1 (1 May), the link ended, matched again in 2025Q2 (1 Aug), placed 1 Sep 2025.
    # PO 03/06/2024 (2024H1). Prospective (cohort: first PO in 2024H1, on 30/09/2025): 03/06/2024→01/08/2025 = 424.
    kids["Twice"] = r.child(la, dob=DOB, events=journey(
        D(2024, 1, 10), D(2024, 2, 1), D(2024, 3, 1), ("placement_order", D(2024, 6, 3)),
        ("linked", D(2025, 4, 15)), ("match_decision", D(2025, 5, 1)),
        ("link_ended", D(2025, 6, 10), {"reason": "adopters withdrew"}),
        ("linked", D(2025, 7, 15)), ("match_decision", D(2025, 8, 1)), ("placed_for_adoption", D(2025, 9, 1))))
    # M2–M5: ADM decision in 2024H1, PO in 2024H2, matched in 2025H1, not yet placed on 30/09/2025.
    for name, entered, sbp, po, match in [
        ("M2", D(2024, 2, 1), D(2024, 4, 2), D(2024, 10, 1), D(2025, 4, 10)),  # waiting 364 days on 30/09/2025
        ("M3", D(2024, 2, 1), D(2024, 4, 2), D(2024, 11, 1), D(2025, 5, 10)),  # 333
        ("M4", D(2024, 3, 1), D(2024, 5, 1), D(2024, 12, 2), D(2025, 7, 10)),  # 302
        ("M5", D(2024, 3, 1), D(2024, 5, 1), D(2025, 1, 6), D(2025, 9, 10)),  # 267
    ]:
        kids[name] = r.child(la, dob=DOB, events=journey(
            entered, D(entered.year, entered.month + 1, 1), sbp, ("placement_order", po), ("match_decision", match)))
    # Adopted in 2025H1. Ad1: A1 = A10 = 01/01/2023→01/01/2024 = 365; A2 = 01/06→01/11/2023 = 153.
    kids["Ad1"] = r.child(la, dob=DOB, events=journey(
        D(2023, 1, 1), D(2023, 2, 1), D(2023, 3, 1), ("placement_order", D(2023, 6, 1)),
        ("match_decision", D(2023, 11, 1)), ("placed_for_adoption", D(2024, 1, 1)), ("adoption_order", D(2025, 7, 1))))
    # Ad2: A1 = 01/06/2023→01/06/2024 = 366; A2 = 02/10/2023→01/04/2024 = 182. Matched and placed in 2024H1.
    kids["Ad2"] = r.child(la, dob=DOB, events=journey(
        D(2023, 6, 1), D(2023, 7, 1), D(2023, 8, 1), ("placement_order", D(2023, 10, 2)),
        ("match_decision", D(2024, 4, 1)), ("placed_for_adoption", D(2024, 6, 1)), ("adoption_order", D(2025, 8, 1))))
    # Ad3: adopted in 2024H2. A1 = 01/01/2022→01/07/2023 = 546 (18 months: not within 14); A2 = 01/06/2022→
    # 01/03/2023 = 273. The only child in the scorecard for the three years ending 31 March 2025.
    kids["Ad3"] = r.child(la, dob=DOB, events=journey(
        D(2022, 1, 1), D(2022, 2, 1), D(2022, 3, 1), ("placement_order", D(2022, 6, 1)),
        ("match_decision", D(2023, 3, 1)), ("placed_for_adoption", D(2023, 7, 1)), ("adoption_order", D(2025, 1, 15))))
    # Changed: PO 01/05/2024 (2024H1), plan changed away from adoption on 01/06/2025 (2025H1).
    kids["Changed"] = r.child(la, dob=DOB, events=journey(
        D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1), ("placement_order", D(2024, 5, 1)),
        ("plan_changed", D(2025, 6, 1), {"reason": "RD1"})))
    # In South's LA 903: never counts for 901 or North.
    r.child(r.other_la, dob=DOB, last_name="Elsewhere", events=journey(
        D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1), ("placement_order", D(2024, 6, 1)),
        ("match_decision", D(2025, 5, 1))))
    return region, kids


def rows(report):
    return {(s["key"], r["key"]): r for s in report["sections"] for r in s["rows"]}


def values(row):
    return tuple(row[c]["value"] for c in members.COLUMNS)


# ---------------------------------------------------------------------------------------------
# Half-years


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2025H1", D(2025, 4, 1), D(2025, 9, 30)),
    ("2025H2", D(2025, 10, 1), D(2026, 3, 31)),
    (" 2024h2 ", D(2024, 10, 1), D(2025, 3, 31)),
    ("2024-H1", D(2024, 4, 1), D(2024, 9, 30)),
])
def test_parse_half_year(text, start, end):
    period = members.parse_half_year(text)
    assert (period.start, period.end) == (start, end)
    assert members.half_year_code(period) == text.strip().upper().replace("-", "")


def test_half_year_labels_and_neighbours():
    assert members.parse_half_year("2025H1").label == "April 2025 to September 2025 (first half of 2025-26)"
    assert members.parse_half_year("2025H2").label == "October 2025 to March 2026 (second half of 2025-26)"
    assert members.previous_half_year("2025H1") == "2024H2" and members.previous_half_year("2025H2") == "2025H1"
    assert members.same_half_year_earlier("2025H2") == "2024H2"
    assert members.half_year_of(D(2026, 3, 31)) == "2025H2" and members.half_year_of(D(2025, 4, 1)) == "2025H1"
    assert members.last_complete_half_years(D(2025, 9, 30), 2) == ["2024H2", "2024H1"]
    assert members.last_complete_half_years(D(2025, 10, 1), 1) == ["2025H1"]
    assert members.last_complete_half_years(D(2026, 2, 1), 1) == ["2025H1"]
    assert members.scorecard_year_ending(members.parse_half_year("2025H1")) == 2025  # 31 March 2025
    assert members.scorecard_year_ending(members.parse_half_year("2025H2")) == 2026  # ends on 31 March 2026


@pytest.mark.parametrize("bad", ["2025H3", "2025H0", "2025Q1", "H1", "", "25H1", "nonsense", "2025H1H2", "1999H1"])
def test_parse_half_year_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="half-year"):
        members.parse_half_year(bad)


def test_the_earliest_half_year_compares_with_earlier_ones(region):
    """2000H1 may be asked for; the half-years it is compared with (1999H2, 1999H1) are not refused."""
    report = members.members_report(measures.scope_for_la(region.la), "2000H1")
    assert report["period"]["start"] == "2000-04-01"
    assert [c["start"] for c in report["comparisons"].values()] == ["1999-10-01", "1999-04-01"]



# ---------------------------------------------------------------------------------------------
# Changes in words


def fig(value, unit="days", available=True):
    return {"value": value, "unit": unit, "available": available}


@pytest.mark.parametrize(("now", "then", "direction", "words", "difference", "text"), [
    (fig(300), fig(320), rules.LOWER, "better", -20, "20 days shorter (better)"),
    (fig(330), fig(320), rules.LOWER, "worse", 10, "10 days longer (worse)"),
    (fig(80, "%"), fig(90, "%"), rules.HIGHER, "worse", -10, "10 percentage points lower (worse)"),
    (fig(90, "%"), fig(80.5, "%"), rules.HIGHER, "better", 9.5, "9.5 percentage points higher (better)"),
    (fig(42, "children"), fig(37, "children"), None, "more", 5, "5 more"),
    (fig(6, "children"), fig(9, "children"), None, "fewer", -3, "3 fewer"),
    (fig(7, "children"), fig(7, "children"), None, "no change", 0, "No change"),
    (fig(300), fig(300), rules.LOWER, "no change", 0, "No change"),
    (fig(301), fig(300), rules.LOWER, "worse", 1, "1 day longer (worse)"),
    (fig(51, "%"), fig(50, "%"), rules.HIGHER, "better", 1, "1 percentage point higher (better)"),
    (fig("<5", "children"), fig(9, "children"), None, "not compared", None, "Not compared: small numbers"),
    (fig(300), fig(None), rules.LOWER, "not compared", None, "–"),
    (fig(None, available=False), fig(None, available=False), None, "not compared", None, "–"),
])
def test_change_in_words(now, then, direction, words, difference, text):
    assert members.change(now, then, direction) == {"difference": difference, "words": words, "text": text}


# ---------------------------------------------------------------------------------------------
# The figures, by hand


def test_half_year_counts_hand_computed(half_years):
    region, _kids = half_years
    scope = measures.scope_for_la(region.la)
    report = members.members_report(scope, "2025H1", suppress=False)
    got = rows(report)
    assert report["period"]["code"] == "2025H1"
    assert report["comparisons"]["previous"]["code"] == "2024H2"
    assert report["comparisons"]["year_earlier"]["code"] == "2024H1"
    # (2025H1, 2024H2, 2024H1)
    expected = {
        "Q_AO": (2, 1, 0),  # Ad1, Ad2 | Ad3 | –
        "Q_PLACED": (1, 0, 1),  # Twice | – | Ad2
        "Q_MATCHED": (5, 0, 1),  # Twice (twice: counted once), M2–M5 | – | Ad2
        "Q_EARLY_PERMANENCE": (0, 0, 0),
        "Q_PO": (0, 4, 2),  # – | M2–M5 | Twice, Changed
        "Q_ADM": (0, 0, 4),  # – | – | M2–M5
        "Q_PLAN_CHANGED": (1, 0, 0),  # Changed
        "Q_DISRUPTIONS": (0, 0, 0),
    }
    for key, triple in expected.items():
        assert values(got[("children", key)]) == triple, key
    # Twice was matched once in each quarter: the two quarters add up to 6, the half-year counts it once.
    by_quarter = [next(f for f in measures.quarterly_children(scope, q) if f.key == "Q_MATCHED").value
                  for q in ("2025Q1", "2025Q2")]
    assert by_quarter == [3, 3]
    # Waiting on the last day: M2–M5 (matched, not placed) | Twice, M2–M5, Changed | Twice, Changed.
    assert values(got[("waiting", "Q_WAITING")]) == (4, 6, 2)
    # (364 + 333 + 302 + 267) / 4 = 316.5 → 317 | (301 + 181 + 150 + 119 + 84 + 334) / 6 = 194.8 → 195 |
    # (119 + 152) / 2 = 135.5 → 136.
    assert values(got[("waiting", "Q_WAITING_AVG_DAYS")]) == (317, 195, 136)
    assert got[("waiting", "Q_WAITING_AVG_DAYS")]["change_previous"]["words"] == "worse"  # waiting longer
    assert got[("waiting", "Q_WAITING")]["change_previous"] == {"difference": -2, "words": "fewer",
                                                              "text": "2 fewer"}
    # Children adopted in each half-year (retrospective): A10 (365 + 366) / 2 = 365.5 → 366 | 546 | none.
    a10 = got[("timeliness", "A10")]
    assert values(a10) == (366, 546, None) and a10["current"]["n"] == 2
    assert a10["change_previous"] == {"difference": -180, "words": "better", "text": "180 days shorter (better)"}
    assert a10["change_year_earlier"]["words"] == "not compared"
    assert a10["threshold"] == 426 and a10["current"]["basis"] == "retrospective"
    # A2 (153 + 182) / 2 = 167.5 → 168 | 273; A3: both moved in within 14 months | Ad3 took 18 months.
    assert values(got[("timeliness", "A2")]) == (168, 273, None)
    assert got[("timeliness", "A2")]["change_previous"]["words"] == "better"
    assert values(got[("timeliness", "A3")]) == (100, 0, None)
    assert got[("timeliness", "A3")]["change_previous"]["words"] == "better"
    # Prospective: first PO in 2024H1 (Twice, Changed), as on 30/09/2025: Twice matched after 424 days.
    assert values(got[("prospective", "P_COHORT")])[0] == 2
    assert values(got[("prospective", "P_MATCHED")])[0] == 1 and values(got[("prospective", "P_LEFT")])[0] == 1
    assert values(got[("prospective", "P_PO_TO_MATCH")])[0] == 424
    assert next(s for s in report["sections"] if s["key"] == "prospective")["basis"] == "prospective"
    # The scorecard in force on 30/09/2025 ends 31/03/2025 (Ad3 only); on 31/03/2025 the same one; a year
    # earlier the one ending 31/03/2024 (nobody adopted).
    card = got[("scorecard", "A1")]
    assert values(card) == (546, 546, None)
    assert card["change_previous"]["words"] == "same period" and card["change_year_earlier"]["words"] == "not compared"
    scorecard = next(s for s in report["sections"] if s["key"] == "scorecard")
    assert scorecard["columns"]["current"] == "3 years ending 31 March 2025"
    assert scorecard["columns"]["year_earlier"] == "3 years ending 31 March 2024"
    assert values(got[("scorecard", "children_adopted")]) == (1, 1, 0)
    assert ("scorecard", "A11") not in got  # adopters: the RAA's
    # A single LA: adopters are the RAA's.
    adopters = next(s for s in report["sections"] if s["key"] == "adopters")
    assert adopters["rows"] == [] and "recruited, assessed and approved by North RAA" in adopters["note"]
    assert report["summary"][:4] == [
        "2 children were adopted in these six months, 1 more than in the previous six months and 2 more than in the "
        "same six months a year earlier.",
        "1 child moved in with their adoptive family and 5 children were matched with adopters.",
        "The court granted placement orders for no children, and no children were the subject of a decision that "
        "they should be placed for adoption.",
        "On 30 September 2025, 4 children with a placement order were waiting to move in with an adoptive family; "
        "none of them had waited 18 months or more.",
    ]
    assert ("Children adopted in these six months waited on average 366 days from entering care to moving in with "
            "their adoptive family, within the national threshold of 426 days, shorter than in the previous six "
            "months.") in report["summary"]


def test_suppressed_by_default(half_years):
    region, _kids = half_years
    report = members.members_report(measures.scope_for_la(region.la), "2025H1")
    got = rows(report)
    assert report["suppressed"] is True
    assert values(got[("children", "Q_AO")]) == ("<5", "<5", 0)  # zero identifies nobody
    assert values(got[("children", "Q_MATCHED")]) == (5, 0, "<5")
    assert got[("children", "Q_MATCHED")]["change_previous"]["text"] == "5 more"
    assert got[("children", "Q_AO")]["change_previous"]["words"] == "not compared"  # a difference could reveal
    assert values(got[("waiting", "Q_WAITING")]) == ("<5", 6, "<5")
    assert values(got[("timeliness", "A10")]) == ("<5", "<5", None)  # an average over 1–4 children
    assert got[("timeliness", "A10")]["current"]["n"] == "<5"
    assert "Fewer than 5 children were adopted in these six months." in report["summary"]
    assert all("child_ids" not in f for f in report["figures"])
    text = json.dumps(report)
    assert "Elsewhere" not in text and "Testcase" not in text


def test_raa_report_has_adopters_and_counts_its_las(half_years):
    region, _kids = half_years
    walk(household(region, name="Approved"), None, TO_APPROVAL)  # approved 27 June 2025, still waiting
    report = members.members_report(measures.scope_for_raa(region.raa), "2025H1", suppress=False)
    got = rows(report)
    assert values(got[("adopters", "Q_ADOPTER_APPROVALS")]) == (1, 0, 0)
    assert got[("adopters", "Q_ADOPTERS_WAITING")]["current"]["value"] == 1
    assert got[("adopters", "Q_ADOPTER_APPROVED_6_MONTHS")]["direction"] == rules.HIGHER
    assert ("1 household was approved as adopters, and 1 approved household was waiting to be matched with a "
            "child on 30 September 2025.") in report["summary"]
    assert ("scorecard", "A11") in got
    assert values(got[("children", "Q_MATCHED")]) == (5, 0, 1)  # 903's child is South's
    south = rows(members.members_report(measures.scope_for_raa(region.other_raa), "2025H1", suppress=False))
    assert values(south[("children", "Q_MATCHED")]) == (1, 0, 0)


# ---------------------------------------------------------------------------------------------
# Page, PDF, spreadsheet and command line: the same figures


def _norm(value):
    if value in (None, ""):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("&lt;", "<")


def page_values(body: str) -> dict:
    out = {}
    for section, table in re.findall(r'data-section="(\w+)">(.*?)</table>', body, flags=re.S):
        for key, cells in re.findall(r'data-key="(\w+)">(.*?)</tr>', table, flags=re.S):
            found = dict(re.findall(r'data-column="(\w+)" data-value="([^"]*)"', cells))
            out[(section, key)] = tuple(_norm(found[c]) for c in members.COLUMNS)
    return out


def xlsx_values(content: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(content))["Figures"]
    sections = {"children", "waiting", "timeliness", "prospective", "adopters", "scorecard"}
    out = {}
    for row in sheet.iter_rows(values_only=True):
        if row[0] in sections and row[1]:
            out[(row[0], row[1])] = tuple(_norm(v) for v in row[4:7])
    return out


def report_values(report: dict) -> dict:
    return {k: tuple(_norm(v) for v in values(r)) for k, r in rows(report).items()}


def test_page_pdf_xlsx_and_cli_show_the_same_figures(client, half_years, monkeypatch):
    region, _kids = half_years
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2025, 11, 3))
    client.force_login(region.staff[("NR", "raa_head_of_service")])
    body = client.get(f"{URL}?scope=901&half_year=2025h1").content.decode()
    expected = report_values(members.members_report(measures.scope_for_la(region.la), "2025H1"))
    assert page_values(body) == expected and len(expected) > 25
    assert 'data-key="Q_MATCHED"' in body and 'data-words="not compared"' in body
    assert "Fewer than 5 children were adopted in these six months." in body.split('id="summary"')[1]
    assert "Testcase" not in body and "Elsewhere" not in body

    xlsx = client.get(f"{URL}?scope=901&half_year=2025H1&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx_values(xlsx.content) == expected
    summary = [r[0] for r in load_workbook(io.BytesIO(xlsx.content))["Summary"].iter_rows(values_only=True)]
    assert "Fewer than 5 children were adopted in these six months." in summary

    out = io.StringIO()
    call_command("report", "members", "--la", "901", "--half-year", "2025H1", "--format", "json", stdout=out)
    cli = json.loads(out.getvalue())
    assert report_values(cli) == expected and cli["suppressed"] is True
    assert {(f["section"], f["key"], f["column"]): _norm(f["value"]) for f in cli["figures"]} == {
        (s, k, c): v for (s, k), triple in expected.items() for c, v in zip(members.COLUMNS, triple, strict=True)}

    pdf = fetched(client, f"{URL}?scope=901&half_year=2025H1&format=pdf")  # made by a job
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert sorted(ExportLog.objects.values_list("what", "format")) == [
        ("performance.members", "pdf"), ("performance.members", "xlsx")]
    log = ExportLog.objects.get(format="xlsx")
    assert log.filters == {"scope": "901", "half_year": "2025H1"} and log.user == region.staff[("NR",
                                                                                              "raa_head_of_service")]
    for bad in ("half_year=2025H3", "half_year=nonsense", "format=docx", "half_year=2026H1", "scope=903"):
        assert client.get(f"{URL}?scope=901&{bad}").status_code == 404, bad


def test_the_page_is_a_bounded_number_of_queries(client, half_years, django_assert_max_num_queries, monkeypatch):
    region, _kids = half_years
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2025, 11, 3))
    client.force_login(region.staff[("NR", "raa_head_of_service")])
    # A few queries per measure family per column, not per child; and only the families the report shows (the
    # children's and the adopters'): 95 queries when every quarterly family was worked out for each column.
    with django_assert_max_num_queries(45):
        assert client.get(f"{URL}?scope=raa&half_year=2025H1").status_code == 200


def test_the_report_works_out_only_the_families_it_shows(half_years, django_assert_max_num_queries):
    """The quarterly families it does not show (adoption support, contact, adopted adults, the fund, links) are not
    worked out: none of their tables is read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    region, _kids = half_years
    with CaptureQueriesContext(connection) as seen:
        report = members.members_report(measures.scope_for_raa(region.raa), "2025H1")
    read = " ".join(q["sql"] for q in seen.captured_queries)
    for table in ("support_supportcase", "contact_", "adopted_adults_", "support_fund_", "family_finding_link"):
        assert table not in read, table
    assert "adopters_householdevent" in read
    assert read.count('FROM "performance_threshold"') == 1  # the thresholds, read once for the whole report
    shown = {f["key"] for f in report["figures"]}
    assert {"Q_ADOPTER_APPROVALS", "Q_AO", "A2", "P_WAITING"} <= shown


def test_thresholds_are_read_once_within_one_reading_and_afresh_outside(region, django_assert_num_queries):
    from permanence.performance import services as performance_services

    with django_assert_num_queries(1), measures.one_reading():
        first = measures.thresholds()
        assert measures.thresholds() is first
        with measures.one_reading():
            assert measures.thresholds() is first
    performance_services.add_threshold(actor=None, key="ADOPTER_APPROVAL_MONTHS", value=5, unit="months",
                                       valid_from=D(2025, 4, 1), source="A stricter local definition")
    assert len(measures.thresholds()) == len(first) + 1


def test_cli_csv_and_xlsx(half_years, tmp_path):
    out = io.StringIO()
    call_command("report", "members", "--raa", "NR", "--half-year", "2025H1", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("scope,key,label,value") and any(",Q_MATCHED,Children matched with adopters,5,"
                                                                 in line for line in lines)
    path = tmp_path / "members.xlsx"
    call_command("report", "members", "--raa", "NR", "--half-year", "2025H1", "--format", "xlsx", "--out", str(path))
    assert xlsx_values(path.read_bytes())[("children", "Q_MATCHED")] == ("5", "0", "<5")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="half-year"):
        call_command("report", "members", "--la", "901", "--half-year", "2025Q1", stdout=io.StringIO())


def test_default_half_year_is_the_last_complete_one(client, half_years, monkeypatch):
    region, _kids = half_years
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2025, 10, 14))
    client.force_login(region.staff[("901", "la_team_manager")])
    body = client.get(URL).content.decode()
    assert 'data-half-year="2025H1"' in body and "Transferton" in body
    assert '<option value="2025H1" selected>' in body and "not over yet" not in body


# ---------------------------------------------------------------------------------------------
# Access: role × own / other organisation


def test_members_report_access(client, region, monkeypatch):
    def check(code, role):
        monkeypatch.setattr(timezone, "localdate", lambda *a: D(2025, 11, 3))
        region.child(region.la, dob=DOB, events=journey(
            D(2024, 1, 10), D(2024, 2, 1), D(2024, 3, 1), ("placement_order", D(2024, 6, 3))))
        user = region.staff[(code, role)]
        client.force_login(user)
        sees = access.can_see_aggregates(user)
        own = OWN_LAS.get(code, [code])
        for scope in ("raa", "901", "902", "903", "999"):
            may = sees and (scope in own or (scope == "raa" and code in OWN_LAS))
            response = client.get(f"{URL}?scope={scope}&half_year=2024H1")
            assert response.status_code == (200 if may else 404), scope
            if may:
                body = response.content.decode()
                assert "Testcase" not in body and not re.search(r"Child\d", body)
            if not may:
                assert client.get(f"{URL}?scope={scope}&half_year=2024H1&format=xlsx").status_code == 404, scope
        assert client.get(f"{URL}?half_year=2024H1").status_code == (200 if sees else 404)
        assert not ExportLog.objects.exists()

    each_case(USERS, check, client=client)
