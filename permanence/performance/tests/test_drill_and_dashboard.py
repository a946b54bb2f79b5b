"""The drill-down behind each scorecard figure, and the board dashboard: figures, access (role × own/other RAA)."""

import re
from datetime import date

from django.utils import timezone

from permanence import access
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.performance import measures, services, views
from permanence.performance.tests.test_measures import cohort, ids  # noqa: F401 (fixture)
from permanence.testing import each_case

D = date
USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]
OWN_LAS = {"NR": ["901", "902"], "SR": ["903"]}


def listed(body: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-child="(\d+)"', body)]


def test_drill_lists_the_children_behind_the_figure(client, cohort):  # noqa: F811
    region, kids = cohort
    client.force_login(region.staff[("NR", "raa_head_of_service")])
    figure = next(f for f in measures.scorecard(measures.scope_for_raa(region.raa), 2022) if f.key == "A2")
    response = client.get("/performance/drill/?report=scorecard&key=A2&scope=raa&year=2022")
    assert response.status_code == 200
    body = response.content.decode()
    assert len(listed(body)) == figure.n == 4
    assert tuple(sorted(listed(body))) == ids(kids, "A", "B", "C", "E")
    # The dates that make up A2 for child A: PO 01/06/2020, match 01/09/2020, 92 days.
    row = body.split(f'data-child="{kids["A"].pk}"')[1].split("</tr>")[0]
    assert "1 Jun 2020" in row and "1 Sep 2020" in row and ">92<" in row and "Transferton" in row
    assert f'/children/{kids["A"].pk}/' in row
    assert 'id="hidden"' not in body
    # The scorecard links each children's figure here.
    page = client.get("/performance/scorecard/?scope=raa&year_ending=2022").content.decode()
    assert "/performance/drill/?report=scorecard&amp;key=A2&amp;scope=raa&amp;year=2022" in page
    for bad in ("key=Q_PO", "key=nope", "key=A2&report=quarterly", "key=A2&year=abc", "key=A2&report=other"):
        assert client.get(f"/performance/drill/?scope=raa&year=2022&{bad}").status_code == 404, bad


def test_drill_counts_children_outside_the_users_access(client, cohort):  # noqa: F811
    region, kids = cohort
    # 903 belonged to North until the end of 2020: G (adopted 01/06/2020) counts for North, but is South's now.
    services.record_raa_membership(actor=None, la=region.other_la, raa=region.raa, valid_from=None,
                                   valid_to=D(2020, 12, 31))
    services.record_raa_membership(actor=None, la=region.other_la, raa=region.other_raa, valid_from=D(2021, 1, 1))
    client.force_login(region.staff[("NR", "raa_team_manager")])
    body = client.get("/performance/drill/?key=children_adopted&scope=raa&year=2022").content.decode()
    assert kids["G"].pk not in listed(body) and len(listed(body)) == 5
    assert 'id="hidden"' in body and "1 child in this figure is outside your access" in body
    assert "Elsewhere" not in body


def test_drill_and_dashboard_access(client, region):
    def check(code, role):
        child = region.child(region.la, dob=D(2015, 1, 1), events=[
            ("entered_care", D(2020, 1, 10)), ("permanence_plan", D(2020, 2, 1)), ("should_be_placed", D(2020, 3, 1)),
            ("placement_order", D(2020, 6, 1)), ("match_decision", D(2020, 9, 1)), ("placed_for_adoption", D(2020, 10, 1)),
            ("adoption_order", D(2021, 6, 1))])
        user = region.staff[(code, role)]
        client.force_login(user)
        drills = access.can_see_aggregates(user) and access.can_see_child_records(user)
        own = OWN_LAS.get(code, [code])
        for scope in ("raa", "901", "902", "903"):
            response = client.get(f"/performance/drill/?key=A1&scope={scope}&year=2022")
            may = drills and (scope in own or (scope == "raa" and code in OWN_LAS))
            assert response.status_code == (200 if may else 404), scope
            if may and scope in ("raa", "901") and code in ("NR", "901"):
                assert listed(response.content.decode()) == [child.pk]
        if role == "board_member":
            assert not drills  # aggregates only
        dashboard = client.get("/performance/dashboard/")
        assert dashboard.status_code == (200 if access.can_see_aggregates(user) else 404)
        if dashboard.status_code == 200:
            body = dashboard.content.decode()
            assert "Testcase" not in body and not re.search(r"Child\d", body) and "data-child" not in body
            assert sorted(re.findall(r'data-la="(\w+)"', body)) == own
            if code in ("SR", "903"):
                assert "Transferton" not in body and "Keepham" not in body

    each_case(USERS, check, client=client)


def test_dashboard_figures_trend_and_las(client, cohort, monkeypatch):  # noqa: F811
    region, _ = cohort
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2022, 5, 15))
    quarters = views.last_quarters(D(2022, 5, 15))
    assert len(quarters) == 12 and quarters[-1].start == D(2022, 1, 1) and quarters[0].start == D(2019, 4, 1)
    client.force_login(region.staff[("NR", "board_member")])
    body = client.get("/performance/dashboard/").content.decode()
    headline = body.split('id="headline"')[1].split("</table>")[0]
    a1 = headline.split('data-key="A1"')[1].split("</tr>")[0]
    assert "315 days" in a1 and "426 days" in a1 and "govuk-tag--green" in a1
    trend = body.split('id="trend"')[1].split("</table>")[0]
    # Adopted by quarter (North): D 2019Q1 (01/04/2019); E 2020Q2 (01/08/2020); B 2020Q3 (01/12/2020);
    # C 2020Q4 (31/03/2021); A 2021Q1 (01/06/2021).
    adopted = [int(n) for n in re.findall(r'</th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
                                          trend)]
    assert len(adopted) == 12 and sum(adopted) == 5
    e_row = trend.split("2020-21 Q2")[1].split("</tr>")[0]
    assert ">1<" in e_row and "425 days" in e_row  # E: A1 425, A2 306
    assert "306 days" in e_row
    assert 'aria-labelledby="trend-chart-title trend-caption"' in body and "<desc" in body
    by_la = body.split('id="by-la"')[1].split("</table>")[0]
    row_901 = by_la.split('data-la="901"')[1].split("</tr>")[0]
    assert "331 days" in row_901  # scorecard_by_la: 901's A1
    assert "/performance/drill/" not in body  # board members: aggregates only


def test_dashboard_is_a_few_queries(client, cohort, django_assert_max_num_queries):  # noqa: F811
    region, _ = cohort
    client.force_login(region.staff[("NR", "raa_head_of_service")])
    # 30, and the adoption support tables: the version (the newest audit id) and each support family's reads;
    # and 2 for the idle sign-out (the session is saved on every request, issue 15).
    with django_assert_max_num_queries(40):
        assert client.get("/performance/dashboard/").status_code == 200
