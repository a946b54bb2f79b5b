"""The dashboard's trend charts (issue 14): counts and the A10 and A2 averages, a bar per quarter with its figure,
in the page's font; and no page of figures shows a measure's raw key ("children_adopted") as words."""

import re
from datetime import date

from django.utils import timezone

from permanence.performance import measures, rules, views
from permanence.performance.tests.test_measures import cohort, ids  # noqa: F401 (fixture)

D = date


def _chart_values(body: str, chart_id: str) -> list[str]:
    svg = body.split(f'id="{chart_id}"')[1].split("</svg>")[0]
    return re.findall(r'class="app-chart__value"[^>]*>([^<]*)<', svg)


def _visible_text(body: str) -> str:
    body = re.sub(r"<(script|style|title|desc)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_the_trend_charts_show_counts_a10_and_a2(client, cohort, monkeypatch):  # noqa: F811
    region, _ = cohort
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2022, 5, 15))
    client.force_login(region.staff[("NR", "board_member")])
    body = client.get("/performance/dashboard/").content.decode()
    quarters = [q.label for q in views.last_quarters(D(2022, 5, 15))]
    e = next(i for i, label in enumerate(quarters) if label.startswith("2020-21 Q2"))
    counts = _chart_values(body, "trend-chart-children-adopted")
    assert len(counts) == 12 and sum(int(n) for n in counts) == 5 and counts[e] == "1"
    a2 = _chart_values(body, "trend-chart-a2")
    assert a2[e] == "306"  # E alone: placement order to match, 306 days (hand-worked in test_measures)
    # The quarters with nobody adopted have no average, so no bar.
    assert all(a2[i] == "–" for i, n in enumerate(counts) if n == "0") and counts.count("0") >= 7
    trend = measures.scorecard_trend(measures.scope_for_raa(region.raa), views.last_quarters(D(2022, 5, 15)))
    a10 = _chart_values(body, "trend-chart-a10")
    assert a10 == ["–" if figs["A10"].value is None else str(round(figs["A10"].value)) for _q, figs in trend]
    assert any(v != "–" for v in a10)
    # Each chart is labelled by its title and the trend table's caption, where its numbers are.
    for chart in ("children-adopted", "a10", "a2"):
        assert re.search(rf'aria-labelledby="[\w-]+ trend-caption"[^>]*id="trend-chart-{chart}"', body), chart
    table = body.split('id="trend"')[1].split("</table>")[0]
    assert ">A10<" in table and ">A2<" in table
    # The page's font, not the SVG's own (a 9 px serif before).
    assert 'font-size="9"' not in body and 'class="app-chart"' in body


def test_no_figure_page_shows_a_raw_measure_key(client, cohort, monkeypatch):  # noqa: F811
    region, _ = cohort
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2022, 5, 15))
    raw = {key for key in rules.MEASURES if not key.isupper()}
    assert "children_adopted" in raw
    client.force_login(region.staff[("NR", "raa_head_of_service")])
    for url in ("/performance/scorecard/", "/performance/scorecard/?year_ending=2022", "/performance/dashboard/"):
        response = client.get(url)
        assert response.status_code == 200, url
        words = set(re.findall(r"[A-Za-z0-9_]+", _visible_text(response.content.decode())))
        assert not (words & raw), (url, words & raw)
