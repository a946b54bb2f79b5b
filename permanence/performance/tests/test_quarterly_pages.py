"""The quarterly report to each LA (page, PDF, XLSX) and the RAA's ASGLB-style return: the same figures as
`permanence report quarterly` (reports.quarterly_report), suppressed, and who may get them."""

import csv
import io
import re
from datetime import date

from openpyxl import load_workbook

from permanence import access
from permanence.core.models import ExportLog
from permanence.jobs.tests.helpers import content, fetched
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.performance import measures, reports
from permanence.performance.tests.test_measures import cohort  # noqa: F401 (fixture)
from permanence.testing import each_case

USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]
OWN_LAS = {"NR": ["901", "902"], "SR": ["903"]}


def shown(value) -> str:
    return "" if value is None else str(value)


def test_quarterly_page_xlsx_and_pdf_match_the_report(client, cohort):  # noqa: F811
    region, _ = cohort
    expected = reports.quarterly_report(measures.scope_for_la(region.la), "2020Q2")
    assert expected["suppressed"] is True
    client.force_login(region.staff[("NR", "raa_team_manager")])
    body = client.get("/performance/reports/quarterly/?la=901&quarter=2020q2").content.decode()
    got = dict(re.findall(r'data-key="(\w+)">.*?data-value="([^"]*)"', body, flags=re.S))
    assert got == {f["key"]: shown(f["value"]).replace("<", "&lt;") for f in expected["figures"]}
    assert "&lt;5" in got.values()  # suppressed: the report leaves the RAA
    response = client.get("/performance/reports/quarterly/?la=901&quarter=2020Q2&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Measure", "Description", "Value", "n"]
    assert [(r[0], shown(r[2])) for r in values[1:]] == [(f["key"], shown(f["value"])) for f in expected["figures"]]
    pdf = fetched(client, "/performance/reports/quarterly/?la=901&quarter=2020Q2&format=pdf")  # made by a job
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert sorted(ExportLog.objects.values_list("what", "format")) == [
        ("performance.quarterly", "pdf"), ("performance.quarterly", "xlsx")]
    for bad in ("quarter=2020Q5", "quarter=nonsense", "format=docx"):
        assert client.get(f"/performance/reports/quarterly/?la=901&{bad}").status_code == 404, bad


def test_asglb_return_one_row_per_measure_per_la_suppressed(client, cohort):  # noqa: F811
    region, _ = cohort
    client.force_login(region.staff[("NR", "data_officer")])
    response = fetched(client, "/performance/reports/asglb/?quarter=2020Q2&format=csv")  # made by a job
    text = content(response).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_area: dict[str, list] = {}
    for row in rows:
        by_area.setdefault(row["Area code"], []).append((row["Measure"], row["Value"], row["n"]))
    assert list(by_area) == ["901", "902", "NR"]
    for code, scope in (("901", measures.scope_for_la(region.la)), ("902", measures.scope_for_la(region.la_keeps)),
                        ("NR", measures.scope_for_raa(region.raa))):
        expected = reports.quarterly_report(scope, "2020Q2")["figures"]
        assert by_area[code] == [(f["key"], shown(f["value"]), shown(f["n"])) for f in expected], code
    nr = {k: v for k, v, _ in by_area["NR"]}
    assert nr["Q_MATCHED"] == "<5" and nr["Q_EARLY_PERMANENCE"] == "0"
    assert "Elsewhere" not in text and all(r["Quarter"] == "2020Q2" for r in rows)
    xlsx = fetched(client, "/performance/reports/asglb/?quarter=2020Q2&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == len(rows) + 1
    assert ExportLog.objects.filter(what="performance.asglb_return").count() == 2


def test_quarterly_reports_access(client, region):
    def check(code, role):
        region.child(region.la, dob=date(2015, 1, 1), events=[
            ("entered_care", date(2020, 1, 10)), ("permanence_plan", date(2020, 2, 1)),
            ("should_be_placed", date(2020, 3, 1)), ("placement_order", date(2020, 6, 1))])
        user = region.staff[(code, role)]
        client.force_login(user)
        sees = access.can_see_aggregates(user)
        own = OWN_LAS.get(code, [code])
        for la in ("901", "902", "903", "999"):
            status = client.get(f"/performance/reports/quarterly/?la={la}&quarter=2020Q1").status_code
            assert status == (200 if sees and la in own else 404), la
        asglb = fetched(client, "/performance/reports/asglb/?quarter=2020Q1")
        assert asglb.status_code == (200 if sees and code in OWN_LAS else 404)
        if asglb.status_code == 200:
            text = content(asglb).decode("utf-8-sig")
            assert "Testcase" not in text and ("Transferton" in text) == (code == "NR")

    each_case(USERS, check, client=client)
