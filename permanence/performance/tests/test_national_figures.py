"""Issue 9 item 7: published England figures loaded as data (NationalFigure), the command that loads and lists
them, the page that shows what is loaded, and the comparisons using them as England – never an average of the LAs
one installation holds."""

import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from permanence.core.audit import AuditEvent
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.performance import measures, rules, services
from permanence.performance.models import NationalFigure
from permanence.performance.tests.test_comparison import URL, cells, many  # noqa: F401 (fixture)
from permanence.testing import each_case

D = date
USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]
PAGE = "/performance/national-figures/"

GOOD = """measure,period,value,source,n
A2,2020-21,150,"DfE table X, illustrative for the test",
A2,2021-22,130,"DfE table X, illustrative for the test",4200
A1,2012-15,593,seed 003 table 1,
A3,2025Q1,47.5,A quarter's percentage,
"""


def write(tmp_path, text, name="england.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------------------------------------
# Periods and parsing (pure)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2019-20", D(2019, 4, 1), D(2020, 3, 31)),
    ("1999-00", D(1999, 4, 1), D(2000, 3, 31)),
    ("2012-15", D(2012, 4, 1), D(2015, 3, 31)),  # the scorecard: three years ending 31 March 2015
    ("2025Q1", D(2025, 4, 1), D(2025, 6, 30)),
    ("2025q4", D(2026, 1, 1), D(2026, 3, 31)),
])
def test_national_periods(text, start, end):
    p = rules.parse_national_period(text)
    assert (p.start, p.end) == (start, end)
    assert rules.parse_national_period(rules.national_period_text(p)) == p


@pytest.mark.parametrize("text", ["2019", "2019-21", "2019-2020", "19-20", "2025Q5", "", "March 2020"])
def test_bad_national_periods(text):
    with pytest.raises(ValueError):
        rules.parse_national_period(text)


# ---------------------------------------------------------------------------------------------
# Loading


@pytest.mark.django_db
def test_load_a_good_file_and_list_it(tmp_path, capsys):
    call_command("national_figures", "load", write(tmp_path, GOOD))
    assert "4 added, 0 replaced, 0 already loaded" in capsys.readouterr().out
    rows = {(f.measure, f.period): f for f in NationalFigure.objects.all()}
    assert set(rows) == {("A2", "2020-21"), ("A2", "2021-22"), ("A1", "2012-15"), ("A3", "2025Q1")}
    a2 = rows[("A2", "2021-22")]
    assert (a2.period_start, a2.period_end, a2.value, a2.n) == (D(2021, 4, 1), D(2022, 3, 31), 130, 4200)
    assert a2.source == "DfE table X, illustrative for the test" and a2.added_at is not None
    assert rows[("A2", "2020-21")].n is None and float(rows[("A3", "2025Q1")].value) == 47.5
    created = AuditEvent.objects.filter(action="performance.national_figure.created")
    assert created.count() == 4 and float(created.filter(object_id=str(a2.pk)).get().after["value"]) == 130
    call_command("national_figures", "list")
    listed = capsys.readouterr().out
    assert "A2\t2021-22\t130 days (n = 4200)\tDfE table X" in listed and "A3\t2025Q1\t47.5 %" in listed


@pytest.mark.django_db
def test_a_bad_file_loads_nothing_and_names_every_line(tmp_path):
    text = """measure,period,value,source
A2,2020-21,150,fine on its own
XX,2020-21,150,unknown measure
A2,2019-21,150,two years
A1,2020-21,-3,negative
A3,2020-21,120,over 100 per cent
A1,2020-21,abc,
A2,2020-21,151,the same measure and period again
"""
    with pytest.raises(CommandError) as err:
        call_command("national_figures", "load", write(tmp_path, text))
    message = str(err.value)
    assert "Nothing was loaded" in message
    assert "Line 3: measure 'XX' is not one Permanence knows" in message
    assert "Line 4: a period is one financial year (2019-20) or three years (2012-15)" in message
    assert "Line 5: value '-3' must be a number, 0 or more" in message
    assert "Line 6: value 120 is a percentage, so at most 100" in message
    assert "Line 7: value 'abc' must be a number, 0 or more; source is empty" in message
    assert "Line 8: A2 for 2020-21 is already on line 2" in message
    assert "Line 2" not in message.replace("already on line 2", "")
    assert not NationalFigure.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="performance.national_figure").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "problem"), [
    ("measure,period,value\nA2,2020-21,150\n", "Line 1: the columns must be measure, period, value and source"),
    ("measure,period,value,source,colour\nA2,2020-21,150,x,red\n", "not known: colour"),
    ("measure,period,value,source\n", "The file has no figures"),
    ("measure,period,value,source\nA2,2020-21,150,x,extra\n", "Line 2: it has more values than the header"),
])
def test_bad_headers_and_empty_files(text, problem):
    with pytest.raises(services.NationalFiguresRefused) as err:
        services.load_national_figures(actor=None, text=text)
    assert any(problem in p for p in err.value.problems), err.value.problems


@pytest.mark.django_db
def test_reloading_the_same_file_changes_nothing_and_another_value_needs_replace(tmp_path, capsys):
    path = write(tmp_path, GOOD)
    call_command("national_figures", "load", path)
    call_command("national_figures", "load", path)
    assert "0 added, 0 replaced, 4 already loaded and unchanged" in capsys.readouterr().out
    assert NationalFigure.objects.count() == 4
    assert AuditEvent.objects.filter(action="performance.national_figure.created").count() == 4
    revised = write(tmp_path, "measure,period,value,source\nA2,2021-22,128,DfE revised table X\n"
                              "A10,2021-22,400,DfE table Y\n", "revised.csv")
    with pytest.raises(CommandError) as err:
        call_command("national_figures", "load", revised)
    assert ("Line 2: England A2 for 2021-22 is already loaded as 130 (DfE table X, illustrative for the test); to "
            "replace it, load the file with --replace") in str(err.value)
    assert not NationalFigure.objects.filter(measure="A10").exists()  # all or nothing
    call_command("national_figures", "load", revised, "--replace")
    assert "1 added, 1 replaced, 0 already loaded" in capsys.readouterr().out
    a2 = NationalFigure.objects.get(measure="A2", period="2021-22")
    assert (a2.value, a2.n, a2.source) == (128, None, "DfE revised table X")
    replaced = AuditEvent.objects.get(action="performance.national_figure.replaced")
    assert replaced.object_id == str(a2.pk) and replaced.before["source"].startswith("DfE table X")
    assert replaced.after["source"] == "DfE revised table X"


@pytest.mark.django_db
def test_the_shipped_seed_003_figures_load(capsys):
    call_command("national_figures", "load", str(services.SEED_003_ENGLAND))
    got = {f.measure: f for f in NationalFigure.objects.filter(period="2012-15")}
    assert {k: rules._num(f.value) for k, f in got.items()} == {"A1": 593, "A2": 223, "A3": 47}  # seed 003 tables
    assert all("England 3 year average" in f.source and "seed 003" in f.source for f in got.values())
    assert (got["A1"].period_start, got["A1"].period_end) == (D(2012, 4, 1), D(2015, 3, 31))


# ---------------------------------------------------------------------------------------------
# The comparison uses them


def load(text, actor=None):
    return services.load_national_figures(actor=actor, text="measure,period,value,source\n" + text)


def test_group_trend_takes_england_from_the_loaded_figures(many):  # noqa: F811
    load("A2,2020-21,150,DfE A\nA2,2021-22,130,DfE B\nA1,2021-22,999,another measure\n")
    periods = [rules.financial_year(2020), rules.financial_year(2021)]
    result = measures.group_trend({"901": {many.la.pk}}, periods)
    assert [f.value for f in result.national.figures] == [150, 130]
    assert [f.note for f in result.national.figures] == ["Source: DfE A", "Source: DfE B"]
    assert result.national.label == "England (published figures)" and result.national.change == rules.Change(-20, -13)
    # The installation's own average is still there, labelled as what it is: (540 + 1000 + 120)/12; 1220/10.
    assert [f.value for f in result.installation.figures] == [138, 122]
    a1 = measures.group_trend({"901": {many.la.pk}}, periods, "A1")
    assert [f.value for f in a1.national.figures] == [None, 999]


def test_the_page_shows_the_loaded_england_figures_and_compares_with_them(client, many):  # noqa: F811
    load("A2,2020-21,150,DfE A\nA2,2021-22,130,DfE B\n")
    client.force_login(many.staff[("NR", "raa_head_of_service")])
    body = client.get(URL + "?period=year&count=2").content.decode()
    assert cells(body, "2020-04-01") == ["withheld", "200", "withheld", "150"]
    assert cells(body, "2021-04-01") == ["90", "154", "122", "130"]
    assert "No published England figure loaded" not in body.split('id="changes"')[1]
    # 901: 108 -> 90, change −18; England 150 -> 130, change −20: −18 − (−20) = 2; 2021-22 90 − 130 = −40.
    row = body.split('id="by-la"')[1].split('data-la="901"')[1].split("</tr>")[0]
    assert ">-18<" in row and ">2<" in row and ">-40<" in row
    # LA keeps (902): 200 -> 154, −46 against England's −20: −26; 154 − 130 = 24.
    table = body.split('id="changes"')[1].split("</table>")[0]
    keeps = table.split('data-series="2"')[1].split("</tr>")[0]
    assert ">-26<" in keeps and ">24<" in keeps


def test_england_for_only_the_last_period_compares_the_last_and_says_so_for_the_change(client, many):  # noqa: F811
    load("A2,2021-22,130,DfE B\n")
    client.force_login(many.staff[("NR", "raa_head_of_service")])
    body = client.get(URL + "?period=year&count=2").content.decode()
    assert cells(body, "2020-04-01")[-1] == "not-loaded" and cells(body, "2021-04-01")[-1] == "130"
    row = body.split('id="by-la"')[1].split('data-la="901"')[1].split("</tr>")[0]
    assert ">-40<" in row and row.count("No published England figure loaded") == 1


# ---------------------------------------------------------------------------------------------
# The page of loaded figures


def test_empty_state_explains_how_to_load(client, region):
    client.force_login(region.staff[("NR", "data_officer")])
    body = client.get(PAGE).content.decode()
    assert "No published England figures are loaded yet" in body
    assert "permanence national-figures load" in body and 'id="national-figures"' not in body


def test_page_lists_what_is_loaded(client, region):
    hos = region.staff[("NR", "raa_head_of_service")]
    load("A2,2021-22,130,DfE table X\nA1,2012-15,593,seed 003 table 1\n", actor=hos)
    client.force_login(hos)
    body = client.get(PAGE).content.decode()
    table = body.split('id="national-figures"')[1].split("</table>")[0]
    assert re.findall(r'data-measure="(\w+)" data-period="([\w-]+)" data-value="(\d+)"', table) == [
        ("A1", "2012-15", "593"), ("A2", "2021-22", "130")]
    assert "DfE table X" in table and "130 days" in table and "1 April 2021 to 31 March 2022" in table
    assert "No published England figures are loaded yet" not in body


def test_national_figures_page_access(client, region):
    def check(code, role):
        load("A2,2021-22,130,DfE table X\n")
        user = region.staff[(code, role)]
        client.force_login(user)
        may = role in (Role.DATA_OFFICER, Role.RAA_HEAD_OF_SERVICE, Role.SYSTEM_ADMINISTRATOR)
        response = client.get(PAGE)
        assert response.status_code == (200 if may else 404)
        if may:  # published national figures: the same for every organisation
            assert "DfE table X" in response.content.decode()

    each_case(USERS, check, client=client)


def test_national_figures_page_needs_sign_in_and_an_active_user(client, region):
    response = client.get(PAGE)
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    officer = region.staff[("NR", "data_officer")]
    officer.is_active = False
    officer.save()
    client.force_login(officer)
    assert client.get(PAGE).status_code in (302, 404)


@pytest.mark.django_db
def test_the_demo_loads_illustrative_england_figures_labelled_so():
    from permanence.demo.management.commands.demo import demo_england_csv

    loaded = services.load_national_figures(actor=None, text=demo_england_csv(D(2026, 5, 1)))
    assert len(loaded.added) == 15  # A2, A1, A10 × the last five financial years
    assert {f.period for f in loaded.added} == {"2021-22", "2022-23", "2023-24", "2024-25", "2025-26"}
    assert all("illustrative, not published figures" in f.source for f in loaded.added)
