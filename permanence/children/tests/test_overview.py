"""The overview's counts by stage and LA: an RAA's few LAs across (so the table fits a 1280 px window), many down."""

import re
from datetime import date

import pytest

from permanence.children import views as child_views
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY


def _cells(html):
    table = html[html.index('id="overview"'):html.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


@pytest.fixture
def counted(region, client):
    region.child(events=PLACEMENT_ORDER_JOURNEY)
    region.child(events=PLACEMENT_ORDER_JOURNEY)
    region.child(region.la_keeps, events=[("entered_care", date(2024, 1, 10))])
    client.force_login(region.user(Role.RAA_HEAD_OF_SERVICE))
    return client


@pytest.mark.django_db
def test_an_raas_few_las_go_across(counted):
    rows = _cells(counted.get("/overview/").content.decode())
    assert rows[0] == ["Stage", "Keepham (902)", "Transferton (901)", "All"]  # the LAs by name
    by_stage = {r[0]: r[1:] for r in rows[1:]}
    assert by_stage["Should be placed for adoption"] == ["0", "2", "2"]
    assert by_stage["In care"] == ["1", "0", "1"]
    assert by_stage["Total"] == ["1", "2", "3"]


@pytest.mark.django_db
def test_many_las_go_down(counted, monkeypatch):
    monkeypatch.setattr(child_views, "OVERVIEW_LAS_ACROSS", 1)
    rows = _cells(counted.get("/overview/").content.decode())
    assert rows[0][0] == "Local authority" and rows[0][-1] == "Total"
    by_la = {r[0]: r[1:] for r in rows[1:]}
    assert by_la["Transferton (901)"][-1] == "2" and by_la["Keepham (902)"][-1] == "1" and by_la["All"][-1] == "3"
