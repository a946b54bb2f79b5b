"""Local targets (service, page, dashboard column) and drilling into every kind of figure: quarterly children's
counts and adopter figures (households)."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.adopters.tests.conftest import make_household
from permanence.core.audit import AuditEvent
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.performance import services
from permanence.performance.models import LocalTarget
from permanence.performance.tests.test_measures import cohort, ids  # noqa: F401 (fixture)
from permanence.testing import current_version, each_case

D = date
USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]


def listed(body: str, what: str = "child") -> list[int]:
    return [int(x) for x in re.findall(rf'data-{what}="(\d+)"', body)]


def test_add_local_target_validates_and_audits(region):
    hos = region.staff[("NR", "raa_head_of_service")]
    target = services.add_local_target(actor=hos, organisation=region.raa, key="A1", value=400,
                                       valid_from=D(2022, 3, 31), source="Board, 1 March 2022")
    assert AuditEvent.objects.filter(action="performance.local_target.created", object_id=str(target.pk)).exists()
    cases = [
        (dict(key="children_adopted"), "key", "Choose a measure that has a direction"),
        (dict(key="A3", value=120), "value", "a percentage is at most 100"),
        (dict(value=-1), "value", "0 or more"),
        (dict(source="  "), "source", "Say who set the target"),
        (dict(valid_from=D(2022, 3, 31)), "valid_from", "already has a A1 target from 31/03/2022"),
        (dict(valid_to=D(2020, 1, 1)), "valid_to", "The end cannot be before the start."),
    ]
    for change, field, message in cases:
        kwargs = dict(actor=hos, organisation=region.raa, key="A1", value=380, valid_from=D(2023, 3, 31),
                      source="Board")
        kwargs.update(change)
        with pytest.raises(ValidationError) as err:
            services.add_local_target(**kwargs)
        assert any(message in m for m in err.value.message_dict[field]), (change, err.value.message_dict)
    assert LocalTarget.objects.count() == 1


def test_dashboard_shows_the_figure_against_our_target(client, cohort, monkeypatch):  # noqa: F811
    from django.utils import timezone
    region, _ = cohort
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2022, 5, 15))
    hos = region.staff[("NR", "raa_head_of_service")]
    client.force_login(hos)
    body = client.get("/performance/dashboard/").content.decode()
    assert "Our target" not in body and "/performance/targets/" in body
    # North's A1 for the three years ending 31/03/2022 is 315 days; a 300-day target with a 10% margin: amber.
    services.add_local_target(actor=hos, organisation=region.raa, key="A1", value=300, valid_from=D(2021, 4, 1),
                              source="Board, 1 April 2021")
    services.add_local_target(actor=hos, organisation=region.raa, key="A2", value=200, valid_from=D(2023, 4, 1),
                              source="Not yet in force for 2022")
    body = client.get("/performance/dashboard/").content.decode()
    a1 = body.split('data-key="A1"')[1].split("</tr>")[0]
    assert 'data-target="300"' in a1 and 'data-target-rag="amber"' in a1 and "Just missed" in a1
    a2 = body.split('data-key="A2"')[1].split("</tr>")[0]
    assert 'data-target=""' in a2
    # The team manager sees the figure but may not set targets.
    client.force_login(region.staff[("NR", "raa_team_manager")])
    body = client.get("/performance/dashboard/").content.decode()
    assert 'data-target="300"' in body and "/performance/targets/" not in body


def test_targets_page_access(client, region):
    def check(code, role):
        user = region.staff[(code, role)]
        client.force_login(user)
        response = client.get("/performance/targets/")
        may = code in ("NR", "SR") and role in ("raa_head_of_service", "system_administrator")
        assert response.status_code == (200 if may else 404)
        if may:
            body = response.content.decode()
            own = {"NR": ["901", "902"], "SR": ["903"]}[code]
            options = re.findall(r'<option value="(\w+)"', body.split('name="organisation"')[1].split("</select>")[0])
            assert sorted(options) == sorted([code, *own])
            # Another RAA's LA cannot be chosen.
            other = "903" if code == "NR" else "901"
            response = client.post("/performance/targets/", {
                "organisation": other, "key": "A1", "value": "300", "valid_from_day": "31", "valid_from_month": "3",
                "valid_from_year": "2026", "source": "Board", **current_version(client, "/performance/targets/")})
            assert response.status_code == 200 and "Select who the target is for from the list" in response.content.decode()
            assert not LocalTarget.objects.exists()

    each_case(USERS, check, client=client)


def test_targets_page_adds_a_target_and_shows_errors(client, region):
    client.force_login(region.staff[("NR", "system_administrator")])
    response = client.post("/performance/targets/", {
        "organisation": "901", "key": "A2", "value": "", "valid_from_day": "31", "valid_from_month": "13",
        "valid_from_year": "2026", "source": "", **current_version(client, "/performance/targets/")})
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body and "Enter the target." in body
    assert not LocalTarget.objects.exists()
    response = client.post("/performance/targets/", {
        "organisation": "901", "key": "A2", "value": "110", "valid_from_day": "31", "valid_from_month": "3",
        "valid_from_year": "2026", "source": "Transferton cabinet, 3 March 2026",
        **current_version(client, "/performance/targets/")})
    assert response.status_code == 302
    target = LocalTarget.objects.get()
    assert (target.organisation.code, target.key, target.value, target.valid_from) == ("901", "A2", 110, D(2026, 3, 31))
    body = client.get("/performance/targets/").content.decode()
    assert "Transferton cabinet, 3 March 2026" in body


def test_drill_into_a_quarterly_count(client, cohort):  # noqa: F811
    region, kids = cohort
    client.force_login(region.staff[("NR", "raa_team_manager")])
    # Placement orders in April–June 2020 (2020Q1), North: A (901, 01/06/2020) and W3 (902, 01/05/2020).
    body = client.get("/performance/drill/?report=quarterly&key=Q_PO&scope=raa&quarter=2020Q1").content.decode()
    assert sorted(listed(body)) == sorted(ids(kids, "A", "W3"))
    assert "the children behind the figure" in body and "Back to the performance dashboard" in body
    # One LA's figure: 902 only.
    body = client.get("/performance/drill/?report=quarterly&key=Q_PO&scope=902&quarter=2020Q1").content.decode()
    assert listed(body) == list(ids(kids, "W3")) and "Back to the quarterly report" in body
    # The quarterly report page links its figures here.
    page = client.get("/performance/reports/quarterly/?la=902&quarter=2020Q1").content.decode()
    assert "/performance/drill/?report=quarterly&amp;key=Q_PO&amp;scope=902&amp;quarter=2020Q1" in page
    for bad in ("quarter=2020Q9", "quarter=20x0Q1", "key=A1"):
        url = f"/performance/drill/?report=quarterly&key=Q_PO&scope=raa&{bad}"
        assert client.get(url).status_code == 404, bad
    # The LA's social worker of 902 may not drill into the RAA's figures; board members never drill.
    client.force_login(region.staff[("NR", "board_member")])
    assert client.get("/performance/drill/?report=quarterly&key=Q_PO&scope=raa&quarter=2020Q1").status_code == 404


def test_drill_into_an_adopter_figure_lists_households(client, region):
    region_raa = region.raa
    first = make_household(region_raa, "Ashdown", roi=D(2025, 1, 6))
    second = make_household(region_raa, "Bellweather", roi=D(2025, 2, 3))
    make_household(region.other_raa, "Elsewhere", roi=D(2025, 2, 3))
    client.force_login(region.staff[("NR", "raa_team_manager")])
    url = "/performance/drill/?report=quarterly&key=Q_ADOPTER_REGISTRATIONS&scope=raa&quarter=2024Q4"
    body = client.get(url).content.decode()
    assert sorted(listed(body, "household")) == sorted([first.pk, second.pk])
    assert "the households behind the figure" in body and "Elsewhere" not in body
    # The quarterly report page for an LA does not carry adopter figures to drill into; LA staff never see
    # households.
    client.force_login(region.staff[("901", "la_team_manager")])
    assert client.get(url.replace("scope=raa", "scope=901")).status_code == 404


def test_prospective_page_and_its_drill_down(client, cohort, monkeypatch):  # noqa: F811
    from django.utils import timezone
    region, kids = cohort
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2021, 7, 1))
    client.force_login(region.staff[("NR", "raa_team_manager")])
    query = "scope=raa&po_from=2020-04-01&po_to=2021-03-31&as_of=2021-06-30"
    body = client.get(f"/performance/prospective/?{query}").content.decode()
    assert "Prospective: a cohort by placement order date" in body
    # Hand-computed in test_measures: (92 + 31 + 180 + 425) / 4 = 182, W1 and W3 still waiting.
    row = body.split('data-key="P_PO_TO_MATCH"')[1].split("</tr>")[0]
    assert 'data-value="182"' in row and 'data-n="4"' in row
    link = f"/performance/drill/?report=prospective&amp;key=P_WAITING&amp;{query.replace('&', '&amp;')}"
    assert link.replace("scope=raa&amp;", "") in body.replace("scope=raa&amp;", "")
    drill = client.get(f"/performance/drill/?report=prospective&key=P_WAITING&{query}").content.decode()
    assert sorted(listed(drill)) == sorted(ids(kids, "W1", "W3")) and "Back to the prospective cohort" in drill
    # Bad dates: a clear message, no figures, and no drill-down.
    for bad, message in (("po_from=2021-13-01", "The first date must be a real date"),
                         ("po_to=2019-01-01", "The last date must be the same as or after the first date"),
                         ("as_of=2030-01-01", "The report date cannot be in the future")):
        body = client.get(f"/performance/prospective/?scope=raa&{bad}").content.decode()
        assert message in body and "govuk-error-summary" in body and 'id="prospective"' not in body, bad
        url = f"/performance/drill/?report=prospective&key=P_WAITING&scope=raa&{bad}"
        assert client.get(url).status_code == 404
    # Board members see the figures but no links; LA staff of another RAA get 404 for the RAA scope.
    client.force_login(region.staff[("NR", "board_member")])
    body = client.get(f"/performance/prospective/?{query}").content.decode()
    assert 'data-value="182"' in body and "/performance/drill/" not in body
    client.force_login(region.staff[("903", "la_team_manager")])
    assert client.get(f"/performance/prospective/?{query}").status_code == 404
