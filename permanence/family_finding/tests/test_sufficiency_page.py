"""The sufficiency page: the region's waiting children against its waiting approved households, by band, with
the figures counted by hand on a small world, the CSV and XLSX equal to the tables, the filters, the cache and
the empty state. Who may see it: test_pages_access.py."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from permanence.adopters import services as household_services
from permanence.children import services as child_services
from permanence.family_finding import profiles
from permanence.organisations.models import Role

from .conftest import AT_PO, IDENTIFIED, TODAY, approved_household

URL = reverse("family_finding:sufficiency")


@pytest.fixture
def region_world(world):
    """North RAA's households: ONE takes one child aged 0 to 4, TWO up to two (sibling groups) aged 0 to 2, HOLD
    (on hold) any one child aged 0 to 17. Its waiting children: Robin (3, at placement order, LA 901), Wren (9
    months, identified only, LA 902), Otto (10, at PO) and Ada (4) and Bea (2), placed together at PO. South RAA
    has Quentin and a household of its own: never counted for North."""
    w = world
    household_services.set_capacity(actor=None, household=w.household, children_max=1, age_max_years=4)
    household_services.set_capacity(actor=None, household=w.second, children_max=2, sibling_groups=True,
                                    age_max_years=2)
    w.hold = approved_household(w.raa, "Holloway", age_max_years=17, on_hold=True, on_hold_reason="Moving house")
    w.baby = w.child(w.la_keeps, events=IDENTIFIED, first_name="Wren", dob=date(2024, 11, 5))
    w.older = w.child(events=AT_PO, first_name="Otto", dob=date(2015, 4, 20))
    group = child_services.create_sibling_group(actor=None, la=w.la, name="The Testcase siblings", plan="together")
    w.child(events=AT_PO, first_name="Ada", sibling_group=group, dob=date(2021, 6, 1))
    w.child(events=AT_PO, first_name="Bea", sibling_group=group, dob=date(2023, 2, 1))
    w.child(w.other_la, events=AT_PO, first_name="Quentin")
    approved_household(w.other_raa, "Zanzibar")
    return w


def test_the_figures_counted_by_hand(region_world):
    # By hand, on 1 September 2025 (ages are the oldest child's, in whole years):
    #   Robin (3): ONE takes him; TWO's ages stop at 2; HOLD is on hold.                       -> 1 household
    #   Wren (0): ONE and TWO.                                                                 -> 2 households
    #   Otto (10): ONE and TWO by age alone, HOLD by its status alone.                         -> none
    #   Ada and Bea (4 and 2): ONE by number alone, TWO by age alone (Ada), HOLD by two rules. -> none
    # ONE and TWO could each take a child; HOLD none.
    f = profiles.sufficiency_figures(region_world.raa, TODAY)
    assert (f["children"], f["children_without_household"]) == (4, 2)
    assert (f["households"], f["households_without_child"], f["households_without_child_not_taking"]) == (3, 1, 1)
    rows = {(d["key"], r["band"]): (r["children"], r["without_household"], r["households_open"],
                                    profiles.nearest_text(r)) for d in f["dimensions"] for r in d["rows"]}
    assert {k: v for k, v in rows.items() if k[0] == "age"} == {
        ("age", "Under 1"): (1, 0, 2, ""),
        ("age", "3 to 4"): (2, 1, 1, "age range (1 child), number of children (1 child)"),
        ("age", "10 and over"): (1, 1, 0, "age range (1 child), approval status (1 child)"),
    }
    assert {k: v for k, v in rows.items() if k[0] == "sibling_group"} == {
        ("sibling_group", "1 child"): (3, 1, 2, "age range (1 child), approval status (1 child)"),
        ("sibling_group", "2 children"): (1, 1, 0, "age range (1 child), number of children (1 child)"),
    }
    assert rows[("needs", "Needs not recorded")][:3] == (4, 2, 2)
    targets = [(t["dimension"], t["households"], t["text"]) for t in f["targets"]]
    assert targets[:4] == [
        ("Age band", 1, "1 more household open to children aged 3 to 4 (most often kept out by: age range)"),
        ("Age band", 1, "1 more household open to children aged 10 and over (most often kept out by: age range)"),
        ("Sibling group size", 1, "1 more household open to one child (most often kept out by: age range)"),
        ("Sibling group size", 1, "1 more household open to sibling groups of 2 (most often kept out by: age "
                                  "range)")]
    # Filters: only those with a placement order (Wren is not), or one LA's children (households stay the RAA's).
    po = profiles.sufficiency_figures(region_world.raa, TODAY, include_before_po=False)
    # without Wren, TWO (ages 0 to 2) has no child either
    assert (po["children"], po["children_without_household"], po["households_without_child"]) == (3, 2, 2)
    keeps = profiles.sufficiency_figures(region_world.raa, TODAY, la=region_world.la_keeps)
    assert (keeps["children"], keeps["children_without_household"], keeps["households"]) == (1, 0, 3)
    assert keeps["households_without_child"] == 1  # only Wren counted: ONE and TWO take her, HOLD none


def _tables(body: str) -> list[list[str]]:
    rows = []
    for table in re.findall(r'<table class="govuk-table[^"]*" id="table-[a-z_]+">(.*?)</table>', body, re.S):
        dimension = re.search(r"Children waiting by ([^<]+)</caption>", table).group(1)
        for tr in re.findall(r"<tbody.*?</tbody>", table, re.S)[0].split("</tr>")[:-1]:
            cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
            rows.append([dimension, *cells[:4], "" if cells[4] == "–" else cells[4]])
    return rows


def test_the_page_chart_table_and_downloads(client, region_world):
    client.force_login(region_world.user(Role.RAA_TEAM_MANAGER))
    body = client.get(URL).content.decode()
    assert re.search(r'id="total-children">4<', body) and re.search(r'id="total-without">2<', body)
    assert "1 on hold or paused" in body and "Worked out on" in body
    assert "2 more households open to children whose needs are not recorded" in body.split('id="targets"')[1]
    for key in ("age", "sibling_group", "needs", "heritage"):
        assert f'id="chart-{key}"' in body and f'id="table-{key}"' in body
    assert '<title>3 to 4: 2 waiting</title>' in body and '<title>3 to 4: 1 with no household</title>' in body
    assert not re.search(r"Robin|Wren|Otto|Ada|Bea|Okafor|Lindqvist|Holloway", body)  # figures only
    table = _tables(body)
    assert ["age band", "3 to 4", "2", "1", "1", "age range (1 child), number of children (1 child)"] in table
    download = client.get(reverse("family_finding:sufficiency-export-csv"))
    lines = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["Dimension", "Band", "Children waiting", "Without a household",
                        "Households open to at least one", "Nearest misses"]
    assert [[r[0].lower(), *r[1:]] for r in lines[1:]] == table
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(reverse("family_finding:sufficiency-export-xlsx")).content)).active
    cells = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[1:] == [[r[0], *r[1:]] for r in lines[1:]]


def test_the_filters_and_the_downloads_follow_them(client, region_world):
    client.force_login(region_world.user(Role.RAA_FAMILY_FINDER))
    body = client.get(URL + "?children=po").content.decode()
    assert re.search(r'id="total-children">3<', body) and "with a placement order, not yet linked" in body
    assert "children=po" in body.split('id="export-links"')[1]
    lines = list(csv.reader(io.StringIO(b"".join(client.get(
        reverse("family_finding:sufficiency-export-csv") + "?children=po").streaming_content).decode("utf-8-sig"))))
    assert ["Age band", "Under 1"] not in [r[:2] for r in lines]  # Wren, the only baby, is identified only
    one = client.get(URL + "?la=902").content.decode()
    assert re.search(r'id="total-children">1<', one) and "children of Keepham" in one


def test_the_figures_are_kept_for_the_day_and_worked_out_again_on_request(client, region_world):
    client.force_login(region_world.user(Role.RAA_HEAD_OF_SERVICE))
    assert re.search(r'id="total-children">4<', client.get(URL).content.decode())
    region_world.child(events=AT_PO, first_name="Nell", dob=date(2024, 1, 1))
    assert re.search(r'id="total-children">4<', client.get(URL).content.decode())  # cached for the day
    assert re.search(r'id="total-children">5<', client.get(URL + "?refresh=1").content.decode())
    assert re.search(r'id="total-children">5<', client.get(URL).content.decode())


def test_no_waiting_children(client, world):
    client.force_login(world.user(Role.BOARD_MEMBER))
    body = client.get(URL + "?la=902").content.decode()
    assert 'id="no-children"' in body and "No child is waiting in Keepham" in body
    assert "2 approved households are waiting" in body and 'id="table-age"' not in body
    f = profiles.sufficiency_figures(world.raa, TODAY, la=world.la_keeps)
    assert (f["children"], f["targets"], [len(d["rows"]) for d in f["dimensions"]]) == (0, [], [0, 0, 0, 0])
    lines = b"".join(client.get(reverse("family_finding:sufficiency-export-csv") + "?la=902").streaming_content)
    assert lines.decode("utf-8-sig").strip().count("\n") == 0  # the header alone
