"""Comparisons of groups of LAs over time against England (seed 000, Figures 1–2).

Issue 9 item 7 changed these tests by design: what was "the national average" (every LA in the installation) is now
`result.installation`, labelled "All local authorities in Permanence"; `result.national` and the page's England
column are the published England figures loaded (NationalFigure) – none here, so "not-loaded" – and the columns
"against the national change/average" compare with England's loaded figures (test_national_figures.py loads some).

The region (permanence.testing): North RAA 'NR' with 901 (RAA holds from the PO since 01/01/2020) and 902 (LA keeps
since 01/01/2020); South RAA 'SR' with 903 (RAA holds since 01/01/2020). Every child below enters care 200 days
before its placement order, is matched `a2` days after the order and moves in 30 days after the match, so its A2 is
`a2` and its A1 (= A10) is a2 + 230. Averages were worked out by hand.
"""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from permanence import access
from permanence.core.models import ExportLog
from permanence.organisations import services as org_services
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.performance import measures, rules
from permanence.testing import each_case

D = date
FY19, FY20, FY21 = rules.financial_year(2019), rules.financial_year(2020), rules.financial_year(2021)
RAA_HOLDS = rules.CASE_HOLDING_GROUP_LABELS[rules.RAA_HOLDS]
LA_KEEPS = rules.CASE_HOLDING_GROUP_LABELS[rules.LA_KEEPS_CASE]
USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]
OWN_LAS = {"NR": ["901", "902"], "SR": ["903"]}


def adopted(region, la, *, ao: date, a2: int | None, po: date | None = None):
    """A child adopted on `ao`: PO (if a2 is not None) → match a2 days later → moved in 30 days later."""
    po = po or ao - timedelta(days=a2 + 30 + 60 if a2 is not None else 300)
    entered = po - timedelta(days=200)
    events = [("entered_care", entered), ("permanence_plan", entered + timedelta(days=30)),
              ("should_be_placed", entered + timedelta(days=60))]
    if a2 is not None:
        match = po + timedelta(days=a2)
        events += [("placement_order", po), ("match_decision", match)]
    else:
        match = po
        events += [("match_decision", match)]
    events += [("placed_for_adoption", match + timedelta(days=30)), ("adoption_order", ao)]
    return region.child(la, dob=D(2015, 6, 1), events=events)


@pytest.fixture
def small(region):
    """A few children per LA and year; 902 moves to 'the RAA holds the case (aged 2 or under)' from 01/06/2021."""
    r = region
    org_services.set_policy(actor=None, la=r.la_keeps, effective_from=D(2021, 6, 1),
                            case_holding="raa_at_po_age_limit", age_limit=2)
    for la, ao, a2 in [
        # 2019-20
        (r.la, D(2019, 9, 1), 100), (r.la, D(2020, 3, 31), 200), (r.la_keeps, D(2019, 4, 1), 300),
        (r.other_la, D(2019, 12, 1), 50),
        (r.la_keeps, D(2019, 10, 1), None),  # no placement order: adopted, but not in A2
        # 2020-21
        (r.la, D(2020, 4, 1), 80), (r.la_keeps, D(2020, 6, 1), 150), (r.la_keeps, D(2021, 3, 1), 250),
        (r.other_la, D(2020, 8, 1), 60), (r.other_la, D(2021, 1, 1), 70),
        # 2021-22
        (r.la, D(2021, 5, 1), 90), (r.la_keeps, D(2022, 3, 31), 121),
        # 2022-23: outside every period below
        (r.la, D(2022, 4, 1), 5),
    ]:
        adopted(r, la, ao=ao, a2=a2)
    return r


def values(series: rules.GroupSeries) -> list[tuple]:
    return [(f.value, f.n) for f in series.figures]


# ---------------------------------------------------------------------------------------------
# Measures


def test_financial_years_and_periods():
    assert FY19 == rules.Period(D(2019, 4, 1), D(2020, 3, 31), "2019-20")
    assert rules.complete_financial_years(D(2022, 5, 15), 3) == [FY19, FY20, FY21]
    assert rules.complete_financial_years(D(2022, 3, 31), 1) == [rules.financial_year(2020)]
    assert rules.complete_financial_years(D(2022, 4, 1), 1) == [FY21]
    assert rules.short_label(rules.parse_quarter("2020Q2")) == "2020-21 Q2"


def test_case_holding_groups_follow_policy_versions(small, django_assert_num_queries):
    r = small
    fy18 = rules.financial_year(2018)
    with django_assert_num_queries(1):
        groups = measures.case_holding_groups([fy18, FY19, FY20, FY21])
    assert set(groups) == {RAA_HOLDS, LA_KEEPS}
    # Before 01/01/2020 no LA had a policy: the LA keeps the case.
    assert groups[RAA_HOLDS][fy18] == frozenset()
    assert groups[LA_KEEPS][fy18] == {r.la.pk, r.la_keeps.pk, r.other_la.pk}
    assert groups[RAA_HOLDS][FY19] == groups[RAA_HOLDS][FY20] == {r.la.pk, r.other_la.pk}
    assert groups[LA_KEEPS][FY19] == groups[LA_KEEPS][FY20] == {r.la_keeps.pk}
    # 902's age-limited transfer from 01/06/2021 counts as 'the RAA holds the case' from 2021-22.
    assert groups[RAA_HOLDS][FY21] == {r.la.pk, r.la_keeps.pk, r.other_la.pk}
    assert groups[LA_KEEPS][FY21] == frozenset()


def test_case_holding_membership_is_pure():
    p1 = rules.Period(D(2020, 1, 1), D(2020, 12, 31), "2020")
    p2 = rules.Period(D(2021, 1, 1), D(2021, 12, 31), "2021")
    got = rules.case_holding_membership({
        1: [(D(2020, 12, 31), "raa_at_po")],  # in force on the period's last day
        2: [(D(2019, 1, 1), "raa_at_po"), (D(2021, 6, 1), "la_keeps")],  # moves back to the LA in 2021
        3: [],  # no policy: the LA keeps the case
    }, [p1, p2])
    assert got[rules.RAA_HOLDS] == {p1: {1, 2}, p2: {1}}
    assert got[rules.LA_KEEPS_CASE] == {p1: {3}, p2: {2, 3}}


def test_group_trend_by_policy_hand_computed(small, django_assert_num_queries):
    periods = [FY19, FY20, FY21]
    groups = measures.case_holding_groups(periods)
    with django_assert_num_queries(2):  # one milestone query for every group and period, one for England's figures
        result = measures.group_trend(groups, periods)
    assert result.measure == "A2" and result.periods == tuple(periods)
    raa, keeps = result.groups
    assert (raa.label, keeps.label) == (RAA_HOLDS, LA_KEEPS)
    # RAA holds: 2019-20 901 100, 200 + 903 50 = 350/3 = 116.7; 2020-21 901 80 + 903 60, 70 = 70;
    # 2021-22 901 90 + 902 121 (902 moved group) = 105.5, rounded half up.
    assert values(raa) == [(117, 3), (70, 3), (106, 2)]
    assert [p.las for p in raa.points] == [2, 2, 3]
    # LA keeps: 902 only, then nobody. The child with no placement order is not in A2.
    assert values(keeps) == [(300, 1), (200, 2), (None, 0)]
    # All LAs in Permanence: 650/4 = 162.5; 610/5 = 122; 211/2 = 105.5.
    assert values(result.installation) == [(163, 4), (122, 5), (106, 2)]
    assert result.installation.kind == "installation" and result.installation.points[0].las is None
    assert result.installation.label == "All local authorities in Permanence"
    # England: no published figure loaded, so none – never the installation's average.
    assert values(result.national) == [(None, None)] * 3 and result.national.kind == "national"
    assert {f.note for f in result.national.figures} == {"No published England figure loaded"}
    # Change from the first period to the last: days and whole per cent of the first.
    assert raa.change == rules.Change(-11, -9)  # 106 − 117; −11/117 = −9.4%
    assert keeps.change == rules.Change(None, None)
    assert result.installation.change == rules.Change(-57, -35)  # −57/163 = −35.0%
    assert result.national.change == rules.Change(None, None)
    assert raa.points[0].children_by_la == {small.la.pk: 2, small.other_la.pk: 1}


def test_group_trend_a1_chosen_group_and_per_la(small):
    r = small
    result = measures.group_trend({"North pair": {r.la.pk, r.la_keeps.pk}}, [FY19, FY20, FY21], "A1",
                                  per_la=[r.la])
    (pair,) = result.groups
    # A1 = A2 + 230 days. The child with no PO counts for A1 too: entered care 500 days before its adoption order,
    # moved in 270 days before it: 230 days. 2019-20: (330 + 430 + 530 + 230)/4 = 380; 2020-21: (310 + 380 +
    # 480)/3 = 390; 2021-22: (320 + 351)/2 = 335.5.
    assert values(pair) == [(380, 4), (390, 3), (336, 2)]
    assert [p.las for p in pair.points] == [2, 2, 2]
    assert values(result.installation)[0] == (360, 5)  # + 903's 280: 1800/5
    (own,) = result.las
    assert (own.label, own.code, own.kind) == ("Transferton (901)", "901", "la")
    assert values(own) == [(380, 2), (310, 1), (320, 1)]
    with pytest.raises(ValueError):
        measures.group_trend({}, [FY19], "A3")
    with pytest.raises(ValueError):
        measures.group_trend({}, [])


def test_group_trend_takes_scopes_and_quarters(small):
    r = small
    quarters = [rules.parse_quarter("2019Q1"), rules.parse_quarter("2019Q2")]  # Apr–Jun, Jul–Sep 2019
    result = measures.group_trend({"North": measures.scope_for_raa(r.raa)}, quarters, national=False)
    assert result.national is None and result.installation is None
    # 902's 300 (01/04/2019) in Q1; 901's 100 (01/09/2019) in Q2.
    assert values(result.groups[0]) == [(300, 1), (100, 1)]


def test_query_count_does_not_grow_with_las_or_periods(small, django_assert_num_queries):
    r = small
    quarters = [rules.parse_quarter(f"{y}Q{q}") for y in (2019, 2020, 2021) for q in (1, 2, 3, 4)]
    groups = {"one": {r.la.pk}, "two": {r.la_keeps.pk}, "three": {r.other_la.pk}}
    with django_assert_num_queries(2):  # the milestones, and England's figures
        result = measures.group_trend(groups, quarters, per_la=[r.la, r.la_keeps, r.other_la])
    assert len(result.series) == 5 and all(len(s.points) == 12 for s in result.series)
    assert sum(f.n for f in result.installation.figures) == 4 + 5 + 2  # every A2 child in 2019-22


def test_disclosure_suppresses_small_groups_and_withholds_single_outside_las(small):
    r = small
    periods = [FY19, FY20, FY21]
    result = measures.group_trend(measures.case_holding_groups(periods), periods)
    raa, keeps = result.groups
    # Small groups reaching beyond the user's area: an average over 1–4 children is "<5"; 0 children shows nothing.
    shown = rules.disclosed_series(keeps, {r.la.pk, r.la_keeps.pk})
    assert values(shown) == [("<5", "<5"), ("<5", "<5"), (None, 0)]
    assert all(f.child_ids == () for f in shown.figures) and all(p.children_by_la == {} for p in shown.points)
    assert shown.change == rules.Change(None, None)
    # Chosen groups of the user's own LAs are not suppressed.
    assert values(rules.disclosed_series(keeps, {r.la_keeps.pk}, small=False))[:2] == [(300, 1), (200, 2)]
    # Not small, but only a few children (or one LA) outside the user's area: withheld, else 903 could be worked
    # out by subtracting 901 (whose figures the North user sees).
    big = rules.GroupPoint(FY19, rules.average_figure("A2", [(i, 10) for i in range(12)], FY19, "retrospective"),
                           2, {r.la.pk: 9, r.other_la.pk: 3})
    withheld = rules.disclosed_point(big, {r.la.pk}).figure
    assert (withheld.value, withheld.n, withheld.suppressed, withheld.note) == (None, None, True, rules.WITHHELD_NOTE)
    one_la = rules.replace(big, children_by_la={r.la.pk: 2, r.other_la.pk: 10})
    assert rules.disclosed_point(one_la, {r.la.pk}).figure.value is None
    two_las = rules.replace(big, children_by_la={r.la.pk: 2, r.other_la.pk: 5, r.la_keeps.pk: 5})
    assert rules.disclosed_point(two_las, {r.la.pk}).figure.value == 10
    assert rules.disclosed_point(big, {r.la.pk, r.other_la.pk}).figure.value == 10  # nothing outside


# ---------------------------------------------------------------------------------------------
# The page


@pytest.fixture
def many(region, monkeypatch):
    """Enough children for figures to show: periods 2020-21 and 2021-22 (today 15/05/2022, two years).
    901: 2020-21 100 ×3, 120 ×2 (108); 2021-22 90 ×5. 902: 200 ×5; 150 ×4 and 170 (154). 903: 60, 60; none."""
    r = region
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2022, 5, 15))
    for la, ao, a2s in [(r.la, D(2020, 9, 1), [100, 100, 100, 120, 120]), (r.la, D(2021, 9, 1), [90] * 5),
                        (r.la_keeps, D(2020, 10, 1), [200] * 5), (r.la_keeps, D(2021, 10, 1), [150] * 4 + [170]),
                        (r.other_la, D(2020, 11, 1), [60, 60])]:
        for a2 in a2s:
            adopted(r, la, ao=ao, a2=a2)
    return r


def cells(body: str, period_start: str) -> list[str]:
    row = body.split('id="comparison"')[1].split(f'data-period="{period_start}"')[1].split("</tr>")[0]
    return re.findall(r'data-value="([^"]*)"', row)


def changes(body: str) -> list[tuple[str, str]]:
    table = body.split('id="changes"')[1].split("</table>")[0]
    return re.findall(r'data-change-days="([^"]*)"[^>]*>.*?data-change-percent="([^"]*)"', table, re.S)


URL = "/performance/comparison/"


def test_page_by_policy_for_the_north(client, many, django_assert_max_num_queries):
    r = many
    client.force_login(r.staff[("NR", "raa_head_of_service")])
    with django_assert_max_num_queries(14):  # 12, and 2 for the session saved on every request (idle sign-out)
        response = client.get(URL + "?period=year&count=2")
    assert response.status_code == 200
    body = response.content.decode()
    headers = re.findall(r'data-series="\d+">([^<]*)<', body.split('id="comparison"')[1].split("</thead>")[0])
    assert headers == [RAA_HOLDS, LA_KEEPS, "All local authorities in Permanence", "England (published figures)"]
    assert "National average" not in body and "national average" not in body
    # RAA holds 2020-21 = 901 ×5 + 903 ×2: only 2 children outside the North, from one LA: withheld. 2021-22: 901's.
    # LA keeps = 902: 200, 154. All LAs 2020-21 includes 903's two: withheld; 2021-22 = (450 + 770)/10 = 122.
    # England: nothing loaded.
    assert cells(body, "2020-04-01") == ["withheld", "200", "withheld", "not-loaded"]
    assert cells(body, "2021-04-01") == ["90", "154", "122", "not-loaded"]
    assert changes(body) == [("", ""), ("-46", "-23"), ("", ""), ("", "")]
    # The North's own LAs against England in 2021-22 (Figure 2): no England figure loaded, so it says so.
    by_la = body.split('id="by-la"')[1].split("</table>")[0]
    assert sorted(re.findall(r'data-la="(\w+)"', by_la)) == ["901", "902"]
    row = by_la.split('data-la="901"')[1].split("</tr>")[0]
    assert "108 days" in row and "90 days" in row and ">-18<" in row and ">-32<" not in row
    assert row.count("No published England figure loaded") == 2
    assert "Elsewhere" not in body and "Testcase" not in body and not re.search(r"Child\d", body)
    # The chart sits beside the table, labelled, with the table as its text alternative.
    assert 'aria-labelledby="comparison-chart-title comparison-caption"' in body and "<desc" in body
    # A line joins two or more figures in a row: only LA keeps has one; the others get a marker for 2021-22.
    # England (nothing loaded) has no marker, only its legend swatch.
    assert body.count("<polyline") == 1 and body.count("<path d=") == 4 + 4  # markers + the legend's swatches
    assert 'id="downloads"' in body


def test_page_for_the_south_withholds_single_la_groups(client, many):
    r = many
    client.force_login(r.staff[("SR", "raa_head_of_service")])
    body = client.get(URL + "?count=2").content.decode()
    # Seen from the South, RAA holds = 903 + 901 only (one LA outside): withheld; LA keeps = 902 alone: withheld.
    # All LAs in Permanence has 901 and 902 outside: 2020-21 (540 + 1000 + 120)/12 = 138.3; 2021-22 122.
    assert cells(body, "2020-04-01") == ["withheld", "withheld", "138", "not-loaded"]
    assert cells(body, "2021-04-01") == ["withheld", "withheld", "122", "not-loaded"]
    assert changes(body)[-2] == ("-16", "-12")  # −16/138 = −11.6%
    by_la = body.split('id="by-la"')[1].split("</table>")[0]
    assert re.findall(r'data-la="(\w+)"', by_la) == ["903"]
    assert "60 days" in by_la and "(n = 0)" in by_la  # 903's own figures, unsuppressed; none in 2021-22
    assert "Transferton" not in body and "Keepham" not in body


def test_page_with_chosen_groups_and_export(client, many):
    r = many
    client.force_login(r.staff[("NR", "raa_team_manager")])
    url = URL + "?groups=chosen&count=2&g1=901&g1=902&name1=North+pair&g2=902&name2=%3DHYPERLINK(1)&measure=A2"
    body = client.get(url).content.decode()
    # North pair 2020-21 (540 + 1000)/10 = 154; 2021-22 (450 + 770)/10 = 122. Group 2 = 902: 200, 154.
    assert cells(body, "2020-04-01") == ["154", "200", "withheld", "not-loaded"]
    assert cells(body, "2021-04-01") == ["122", "154", "122", "not-loaded"]
    assert changes(body)[:2] == [("-32", "-21"), ("-46", "-23")]  # −32/154 = −20.8%
    assert "North pair" in body and 'value="901" checked' in body
    before = ExportLog.objects.count()
    response = client.get(url + "&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Period", "Start", "End", "North pair (days)", "North pair: children counted (n)"]
    assert rows[0][5].startswith("'=HYPERLINK")  # a group name never runs as a formula
    assert rows[1][:7] == ["2020-21", "2020-04-01", "2021-03-31", "154", "10", "200", "5"]
    assert rows[1][7:] == ["withheld", "withheld", "No published England figure loaded", ""]
    assert rows[0][7] == "All local authorities in Permanence (days)"
    assert rows[0][9] == "England (published figures) (days)"
    assert rows[3][:4] == ["Change from the first period to the last (days)", "", "", "-32"]
    assert ExportLog.objects.count() == before + 1
    log = ExportLog.objects.latest("pk")
    assert log.what == "performance.comparison" and log.filters["g1"] == ["901", "902"]
    xlsx = client.get(url + "&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_chart_by_quarter(client, many):
    client.force_login(many.staff[("SR", "raa_head_of_service")])
    body = client.get(URL + "?period=quarter&count=16").content.decode()
    assert len(re.findall(r"data-period=", body)) == 16
    svg = body.split('id="comparison-chart"')[1].split("</svg>")[0]
    # 16 quarters to 2021-22 Q4: every other one labelled, the latest always; the y axis 0–200 in four steps.
    assert re.findall(r'text-anchor="middle">(20\d\d-\d\d Q\d)<', svg)[-2:] == ["2021-22 Q2", "2021-22 Q4"]
    assert len(re.findall(r'text-anchor="middle">(20\d\d-\d\d Q\d)<', svg)) == 8
    # Seen from the South every quarter's groups and national figure have one LA outside: all withheld, no lines.
    assert re.findall(r'dominant-baseline="middle">(\d+)<', svg) == ["0", "25", "50", "75", "100"]
    assert "<polyline" not in svg and "<path" not in svg
    client.force_login(many.staff[("NR", "raa_head_of_service")])
    svg = client.get(URL + "?period=quarter&count=16").content.decode().split('id="comparison-chart"')[1]
    assert re.findall(r'dominant-baseline="middle">(\d+)<', svg.split("</svg>")[0]) == ["0", "50", "100", "150", "200"]


def test_chosen_mode_without_las_asks_for_one(client, many):
    client.force_login(many.staff[("NR", "raa_head_of_service")])
    body = client.get(URL + "?groups=chosen").content.decode()
    assert "govuk-error-summary" in body and "Choose at least one local authority for a group" in body
    assert cells(body, "2021-04-01") == ["122", "not-loaded"]  # all the installation's LAs, and England


@pytest.mark.parametrize("query", ["measure=A3", "period=month", "count=1", "count=x", "groups=all",
                                   "format=pdf", "groups=chosen&g1=903", "groups=chosen&g2=nope"])
def test_bad_parameters_are_404(client, many, query):
    client.force_login(many.staff[("NR", "raa_head_of_service")])
    assert client.get(f"{URL}?{query}").status_code == 404


def test_comparison_access(client, region):
    def check(code, role):
        adopted(region, region.la, ao=D(2020, 9, 1), a2=100)
        user = region.staff[(code, role)]
        client.force_login(user)
        sees = access.can_see_aggregates(user)
        own = OWN_LAS.get(code, [code])
        foreign = "903" if "901" in own or "902" in own else "901"
        response = client.get(URL)
        assert response.status_code == (200 if sees else 404)
        if sees:
            body = response.content.decode()
            assert sorted(re.findall(r'data-la="(\w+)"', body)) == own
            assert "Testcase" not in body and "data-child" not in body
            if code in ("SR", "903"):
                assert "Transferton" not in body and "Keepham" not in body
            else:
                assert "Elsewhere" not in body
            assert ('id="downloads"' in body) == access.can_export(user)
        chosen = client.get(f"{URL}?groups=chosen&g1={own[0]}")
        assert chosen.status_code == (200 if sees else 404)
        assert client.get(f"{URL}?groups=chosen&g1={foreign}").status_code == 404
        assert client.get(f"{URL}?groups=chosen&g1={own[0]}&g2={foreign}").status_code == 404
        exported = client.get(f"{URL}?format=csv")
        assert exported.status_code == (200 if access.can_export(user) else 404)

    each_case(USERS, check, client=client)
