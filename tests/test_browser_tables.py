"""Browser test of the lists and figures (issue 14) on the demo region, for a few roles: the caseload, the
children list, the adopters' pipeline, the support cases, the panels, the links board, the overview, the
scorecard, the dashboard, the comparison of groups and the members' report pass axe-core (WCAG 2.2 AA) and do not widen the page at 320 or 375 px; the overview fits a 1280 px
window; a team manager's header and navigation take at most two rows at 1280 px; a column header sorts its list;
the charts use the page's font at 16px; no summary-list key breaks mid-word; no name runs into a reference."""

import os
import re
import shutil

import pytest
from django.core.management import call_command

from permanence.children.models import Child
from tests import test_browser
from tests.test_browser import ARTIFACTS, CHROMIUM, sign_in
from tests.test_browser_family_finding import assert_accessible

browser_page = test_browser.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]

GLUED = re.compile(r"[a-z][PHSR]\d{6}\b")  # a name run into a reference: "LockettP000308"
BROKEN_KEYS = """() => { const out = [];
  for (const key of document.querySelectorAll('.govuk-summary-list__key')) {
    const walker = document.createTreeWalker(key, NodeFilter.SHOW_TEXT); let node;
    while ((node = walker.nextNode())) { const re = /\\S+/g; let m;
      while ((m = re.exec(node.data))) { const r = document.createRange();
        r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        if (new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1) out.push(m[0]); } } }
  return out; }"""
NAV_ROWS = """() => { const items = [...document.querySelectorAll('.govuk-service-navigation__item')];
  return new Set(items.map(li => Math.round(li.getBoundingClientRect().top))).size; }"""


def page_width(page, width: int) -> int:
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate("() => document.documentElement.scrollWidth")


def check(page, base, what, path):
    response = page.goto(f"{base}{path}")
    assert response.status == 200, (what, response.status)
    assert_accessible(page, what)
    widths = {w: page_width(page, w) for w in (320, 375)}
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=str(ARTIFACTS / f"{what}-320px.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert widths == {320: 320, 375: 375}, f"{what} widens the page: {widths}"
    text = page.evaluate("() => document.body.innerText")
    assert not GLUED.findall(text), (what, GLUED.findall(text)[:5])
    for width in (375, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(BROKEN_KEYS) == [], (what, width)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lists_and_figures_fit_sort_and_read(live_server, browser_page):
    call_command("demo", "--children", "60", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base, page = live_server.url, browser_page
    child = Child.objects.filter(la__raa__code="AW").order_by("pk").first()

    sign_in(page, base, "tm.aw")
    page.get_by_role("navigation").first.wait_for()
    # The team manager's header and navigation: two rows of items at most, the user's name in the header bar.
    assert page.evaluate(NAV_ROWS) <= 2
    assert page.locator("header .govuk-generic-header .app-user-nav").count() == 1
    for what, path in {
        "Children list": "/children/",
        "Children list sorted by stage": "/children/?sort=stage&order=descending",
        "Adopters pipeline": "/adopters/",
        "Support cases": "/support/cases/",
        "Panels": "/adopters/panels/",
        "Links board": "/family-finding/links/?show=team",
        "Overview": "/overview/",
        "Scorecard": "/performance/scorecard/",
        "Performance dashboard": "/performance/dashboard/",
        "Comparison of groups": "/performance/comparison/",
        "Members' report": "/performance/reports/members/?scope=raa",
        "A child's record": f"/children/{child.pk}/",
    }.items():
        check(page, base, what, path)

    # A column header sorts the list, server-side, and says so.
    page.goto(f"{base}/children/")
    page.get_by_role("link", name=re.compile(r"^Stage")).click()
    page.wait_for_url(re.compile(r"sort=stage"))
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Stage")
    page.get_by_role("link", name=re.compile(r"^Stage")).click()
    page.wait_for_url(re.compile(r"order=descending"))
    assert page.locator('th[aria-sort="descending"]').inner_text().startswith("Stage")
    assert page.locator('th[aria-sort="none"]').count() == 4

    # The overview fits a 1280 px window (its table inside the page's width, nothing scrolled).
    page.goto(f"{base}/overview/")
    fits = page.evaluate("""() => { const t = document.querySelector('#overview');
      return [document.documentElement.scrollWidth, t.parentElement.scrollWidth, t.parentElement.clientWidth]; }""")
    assert fits[0] <= 1280 and fits[1] <= fits[2], fits

    # The charts: counts, A10 and A2, in the page's font at 16px or more.
    page.goto(f"{base}/performance/dashboard/")
    for chart in ("trend-chart-children-adopted", "trend-chart-a10", "trend-chart-a2"):
        font = page.evaluate("""id => { const svg = document.getElementById(id);
          const s = getComputedStyle(svg.querySelector('text'));
          return [s.fontFamily, parseFloat(s.fontSize), svg.getBoundingClientRect().width / svg.viewBox.baseVal.width];
        }""", chart)  # the text's size times the SVG's scale: its size on the screen
        assert "GDS Transport" in font[0] and font[1] * font[2] >= 16, (chart, font)

    # A family finder and an LA social worker: their caseloads and lists.
    for username, pages in (("ff.amara", {"Family finder's caseload": "/caseload/", "Links board, mine": "/family-finding/links/"}),
                            ("sw.bristol", {"LA social worker's caseload": "/caseload/", "Children, LA": "/children/"})):
        page.context.clear_cookies()
        sign_in(page, base, username)
        page.get_by_role("navigation").first.wait_for()
        for what, path in pages.items():
            check(page, base, what, path)
