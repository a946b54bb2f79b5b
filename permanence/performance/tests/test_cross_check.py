"""One organisation, one period, every way out: the dashboard, the scorecard page, the quarterly report (page and
spreadsheet), the ASGLB return, the API and the command line give the same figures.

The cohort has counts of 1–4, so the unsuppressed surfaces (pages inside the RAA, `--no-suppress`,
`suppress=false`) are compared with each other, and the suppressed ones (reports that leave the RAA, the CLI and
API defaults) with each other and with the unsuppressed figures passed through `rules.suppress`.
"""

import csv
import io
import json
import re
from datetime import date

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from permanence.api.tests.conftest import token_client
from permanence.jobs.tests.helpers import content, fetched
from permanence.organisations.models import Role
from permanence.performance import measures, rules
from permanence.performance.tests.test_measures import cohort  # noqa: F401 (fixture)

D = date


def cli(*args) -> dict:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def _num(text: str):
    text = text.replace("&lt;", "<")
    if text == "":
        return None
    if text == rules.SUPPRESSED:
        return text
    return float(text) if "." in text else int(text)


def page_figures(body: str, table_id: str) -> dict[str, tuple]:
    """(value, n) per measure key, read from a page's table (data-key rows, data-value and data-n cells)."""
    table = body.split(f'id="{table_id}"')[1].split("</table>")[0]
    out = {}
    for key, row in re.findall(r'data-key="(\w+)"(.*?)</tr>', table, flags=re.S):
        value = re.search(r'data-value="([^"]*)"', row)
        n = re.search(r'data-n="([^"]*)"', row)
        out[key] = (_num(value.group(1)) if value else None, _num(n.group(1)) if n else None)
    return out


def test_every_way_out_gives_the_same_scorecard(client, cohort, monkeypatch):  # noqa: F811
    region, _ = cohort
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2022, 5, 15))  # the dashboard shows 2022
    hos = region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)]
    client.force_login(hos)
    direct = {f.key: (f.value, f.n) for f in measures.scorecard(measures.scope_for_raa(region.raa), 2022)
              if f.available}
    assert direct["A1"] == (315, 5) and direct["children_adopted"] == (5, 5)  # hand-computed in test_measures

    dashboard = page_figures(client.get("/performance/dashboard/").content.decode(), "headline")
    scorecard = page_figures(client.get("/performance/scorecard/?scope=raa&year_ending=2022").content.decode(),
                             "scorecard")
    api = token_client(hos).get(reverse("api:measures-scorecard"),
                                {"raa": "NR", "year_ending": 2022, "suppress": "false"}).json()
    from_api = {f["key"]: (f["value"], f["n"]) for f in api["figures"] if f["available"]}
    from_cli = {f["key"]: (f["value"], f["n"]) for f in cli("scorecard", "--raa", "NR", "--year-ending", "2022",
                                                              "--no-suppress")["figures"] if f["available"]}
    assert dashboard == direct
    assert {k: v for k, v in scorecard.items() if k in direct} == direct
    assert from_api == direct == from_cli

    # Suppressed (what leaves the RAA): the CLI's and the API's defaults agree with rules.suppress.
    suppressed = {f.key: (f.value, f.n) for f in map(rules.suppress, measures.scorecard(
        measures.scope_for_raa(region.raa), 2022)) if f.available}
    api_default = token_client(hos).get(reverse("api:measures-scorecard"), {"raa": "NR", "year_ending": 2022}).json()
    assert {f["key"]: (f["value"], f["n"]) for f in api_default["figures"] if f["available"]} == suppressed
    assert {f["key"]: (f["value"], f["n"]) for f in cli("scorecard", "--raa", "NR", "--year-ending", "2022")[
        "figures"] if f["available"]} == suppressed


def test_every_way_out_gives_the_same_quarterly_figures(client, cohort):  # noqa: F811
    region, _ = cohort
    officer = region.staff[("NR", Role.DATA_OFFICER)]
    client.force_login(officer)
    quarter = "2020Q2"  # July–September 2020: C's PO and match, E's adoption order, W3 waiting, ...
    for la in (region.la, region.la_keeps):
        expected = {f.key: (f.value, f.n) for f in map(rules.suppress, measures.quarterly_children(
            measures.scope_for_la(la), quarter))}
        assert any(v not in (0, None) for v, _ in expected.values())
        page = client.get(f"/performance/reports/quarterly/?la={la.code}&quarter={quarter}").content.decode()
        assert {k: v for k, (v, _n) in page_figures(page, "quarterly").items()} == \
            {k: v for k, (v, _n) in expected.items()}
        sheet = load_workbook(io.BytesIO(client.get(
            f"/performance/reports/quarterly/?la={la.code}&quarter={quarter}&format=xlsx").content)).active
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        from_xlsx = {r[header.index("Measure")]: (r[header.index("Value")], r[header.index("n")]) for r in rows[1:]}
        assert {k: tuple(None if x in ("", None) else x for x in v) for k, v in from_xlsx.items()} == expected
        from_cli = {f["key"]: (f["value"], f["n"]) for f in cli("quarterly", "--la", la.code, "--quarter",
                                                                  quarter)["figures"]}
        assert from_cli == expected
        api = token_client(officer).get(reverse("api:measures-quarterly"), {"la": la.code, "quarter": quarter})
        assert {f["key"]: (f["value"], f["n"]) for f in api.json()["figures"]} == expected
        # The ASGLB return carries the same rows for this LA.
        response = fetched(client, f"/performance/reports/asglb/?quarter={quarter}&format=csv")  # made by a job
        text = content(response).decode()
        asglb = [r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))) if r["Area code"] == la.code]
        assert {r["Measure"]: (_num(r["Value"]), _num(r["n"])) for r in asglb} == expected


def test_the_dashboards_one_query_gives_the_scorecard_and_each_las(cohort):  # noqa: F811
    region, _ = cohort
    from permanence.performance import services

    # 903 counted for North until the end of 2020, so North's scorecard includes a child of an LA it no
    # longer has; the LAs side by side are North's LAs now.
    services.record_raa_membership(actor=None, la=region.other_la, raa=region.raa, valid_from=None,
                                   valid_to=D(2020, 12, 31))
    services.record_raa_membership(actor=None, la=region.other_la, raa=region.other_raa, valid_from=D(2021, 1, 1))
    scope = measures.scope_for_raa(region.raa)
    las = [region.la, region.la_keeps]
    main, by_la = measures.scorecard_with_las(scope, 2022, las)
    assert [f.as_dict(with_ids=True) for f in main] == [f.as_dict(with_ids=True)
                                                         for f in measures.scorecard(scope, 2022)]
    apart = measures.scorecard_by_la(2022, las)
    assert {k: [f.as_dict(with_ids=True) for f in v] for k, v in by_la.items()} == \
        {k: [f.as_dict(with_ids=True) for f in v] for k, v in apart.items()}
    assert next(f for f in main if f.key == "children_adopted").n == 6  # G (903, adopted 01/06/2020) included
