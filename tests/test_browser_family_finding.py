"""Browser test of a link from the shortlist to the placement (issue 11): a family finder shortlists a household for
a demo child and takes the link to panel, the panel adviser records the recommendation, the ADM the match decision
(the LA's, or the RAA's when the LA delegates it), the family finder the introductions and the placement; then the
household's assessing worker sees each step on the link, the household's journey and the child's.

axe-core (an npm dev dependency, in node_modules after `make frontend`) checks the shortlist page, the link page and
an event form at WCAG 2.2 AA. Screenshots go to test-artifacts/ (gitignored).
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from permanence.adopters.models import Household
from permanence.children import rules as child_rules
from permanence.children import services as child_services
from permanence.children.models import Child
from permanence.family_finding import matching, profiles, rules
from permanence.family_finding.models import Link, Shortlist
from permanence.organisations.models import Role, Staff
from tests import test_browser
from tests.test_browser import ARTIFACTS, CHROMIUM, sign_in

browser_page = test_browser.browser_page  # the browser tests' fixture: Debian's Chromium, --no-sandbox

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]


def assert_accessible(page, what: str) -> None:
    """axe-core on the page as it is now: no violation of WCAG 2.2 AA (each is named with its nodes if any)."""
    assert AXE.exists(), f"axe-core is missing at {AXE}: run `make frontend`"
    # Evaluated, not added as a <script>: the site's Content-Security-Policy refuses inline script, and the browser
    # tests run under it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    assert result["passes"], f"{what}: axe-core checked nothing"
    violations = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
                  for v in result["violations"]]
    assert violations == [], f"{what}: {json.dumps(violations, indent=1)}"


def assert_reflows(page, what: str) -> None:
    """At 320 CSS pixels wide (WCAG 1.4.10) the page scrolls only vertically."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.screenshot(path=str(ARTIFACTS / f"{what}-320px.png"), full_page=True)
    page.set_viewport_size(size)
    assert widths[0] <= widths[1], f"{what} scrolls sideways at 320 px: {widths[0]} px wide"


def match_decider(child):
    """The ADM who decides this child's match under its LA's policy today: the LA's, or the RAA's if delegated."""
    policy = child_rules.policy_on(child_services.policies_for(child.la), child_services.today())
    side = policy.duty_side("match")
    agency = child.la if side == child_rules.LA else child.la.raa
    return Staff.objects.filter(organisation=agency, role=Role.AGENCY_DECISION_MAKER, is_active=True).first()


def pick_child():
    """A demo child on its own, waiting with a placement order and no open link, whose match decider can sign in
    and for whom the engine puts forward one of the RAA's own households with an assessing worker (worked out with
    the engine, read-only; the page then runs the shortlist for real)."""
    on = child_services.today()
    candidates = (Child.objects.filter(stage=child_rules.Stage.PLACEMENT_ORDER, sibling_group__isnull=True)
                  .exclude(links__stage__in=rules.OPEN_STAGES).select_related("la__raa").order_by("la__code", "pk"))
    for child in candidates:
        if match_decider(child) is None:
            continue
        raa = child.la.raa
        force = profiles.weights_for(raa, on)
        subject = profiles.child_profile(child, on)
        pool = profiles.household_profiles(profiles.household_pool(raa), on, searching_raa=raa,
                                           children=subject.children)
        ranking = matching.rank_households(subject, pool, force.weights, on, cap=force.cap)
        ids = [profiles.key_id(r.key) for r in ranking.ranked]
        if Household.objects.filter(pk__in=ids, assessing_social_worker__isnull=False).exists():
            return child
    return None


def fill_date(page, name: str, day) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(day.day))
    page.locator(f'input[name="{name}_month"]').fill(str(day.month))
    page.locator(f'input[name="{name}_year"]').fill(str(day.year))


def record_step(page, link_url: str, label: str, day, *, choice: str | None = None, panel_date=None,
                check_page: bool = False) -> None:
    """From the link's page: follow the step's Record link, fill in the shared event form and record it."""
    page.goto(link_url)
    page.locator("#record").locator("xpath=..").get_by_role("link", name=label, exact=True).click()
    page.get_by_role("heading", name=label, level=1).wait_for()
    fill_date(page, "date", day)
    if choice is not None:
        page.get_by_label(choice, exact=True).check()
    if panel_date is not None:
        fill_date(page, "panel_date", panel_date)
    if check_page:
        assert_accessible(page, f"The {label} form")
        page.screenshot(path=str(ARTIFACTS / "link-event-form.png"), full_page=True)
    page.get_by_role("button", name="Record").click()
    page.get_by_text(f"{label} has been recorded.").wait_for()


def timeline_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(".moj-timeline__title").all_inner_texts()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_link_from_the_shortlist_to_the_placement_seen_by_the_households_worker(live_server, browser_page):
    call_command("demo", "--children", "120", stdout=open(os.devnull, "w"))  # noqa: SIM115
    child = pick_child()
    assert child is not None, "the demo region should have a child waiting with a placement order and no open link"
    adm = match_decider(child)
    family_finder = Staff.objects.filter(organisation=child.la.raa, role=Role.RAA_FAMILY_FINDER).order_by("pk").first()
    panel_adviser = Staff.objects.filter(organisation=child.la.raa, role=Role.PANEL_ADVISER).order_by("pk").first()
    day = child_services.today()
    base, page = live_server.url, browser_page

    # The family finder runs a shortlist from the child's family-finding page.
    sign_in(page, base, family_finder.username)
    page.goto(f"{base}/family-finding/children/{child.pk}/")
    page.get_by_role("heading", name=f"Family finding for {child.full_name}").wait_for()
    earlier = child.links.count()  # ended ones only (pick_child)
    assert page.locator("#links tbody tr").count() == earlier and page.locator("#no-links").count() == (earlier == 0)
    page.get_by_role("button", name="Run a shortlist today").click()
    page.get_by_role("heading", name=f"Households for {child.full_name}").wait_for()
    shortlist = Shortlist.objects.get(child=child)
    assert page.url == f"{base}/family-finding/shortlists/{shortlist.pk}/"
    ranked = list(shortlist.entries.filter(excluded=False).order_by("rank").select_related("household"))
    assert page.locator("#ranked tbody tr").count() == len(ranked) > 0
    entry = next(e for e in ranked if e.household.assessing_social_worker_id is not None)
    household, worker = entry.household, entry.household.assessing_social_worker
    row = page.locator("#ranked tbody tr").nth(ranked.index(entry))
    assert household.name in row.inner_text() and str(entry.score) in row.inner_text()
    assert_accessible(page, "The shortlist page")
    page.screenshot(path=str(ARTIFACTS / "shortlist.png"), full_page=True)

    # Shortlisting the household opens the link; the family finder takes it to the matching panel.
    row.get_by_role("button", name=f"Shortlist {household.reference}").click()
    link = Link.objects.get(child=child, household=household)
    page.get_by_text(f"Link {link.reference} opened: the household is shortlisted.").wait_for()
    link_url = f"{base}/family-finding/links/{link.pk}/"
    assert page.url == link_url
    assert page.locator("#stage").inner_text().strip() == "Shortlisted"
    record_step(page, link_url, "Contact with the household's worker", day, check_page=True)
    record_step(page, link_url, "Visit to the family", day)
    record_step(page, link_url, "Expression of interest", day, choice="The adopters")
    record_step(page, link_url, "Link agreed", day)
    record_step(page, link_url, "Matching panel booked", day, panel_date=day)
    page.goto(link_url)
    assert page.locator("#stage").inner_text().strip() == "Matching panel booked"
    # Only the panel records its recommendation, and only the ADM the decision: the family finder has no link to.
    record = page.locator("#record").locator("xpath=..")
    assert record.get_by_role("link", name="Matching panel recommendation").count() == 0
    assert record.get_by_role("link", name="Match decision").count() == 0

    # The household's worker finds the link on the links board (their households' links are "My links") and sees
    # the steps so far.
    page.context.clear_cookies()
    sign_in(page, base, worker.username)
    page.get_by_role("link", name="Links", exact=True).click()
    board_row = page.locator("#links tbody tr", has_text=link.reference)
    assert board_row.count() == 1 and "Matching panel booked" in board_row.inner_text()
    board_row.get_by_role("link", name=link.reference).click()
    page.get_by_role("heading", name=f"{child.full_name} with {household.name}").wait_for()
    assert timeline_titles(page) == ["Matching panel booked", "Link agreed", "Expression of interest",
                                     "Visit to the family", "Contact with the household's worker", "Shortlisted"]

    # The panel adviser records the panel's recommendation.
    page.context.clear_cookies()
    sign_in(page, base, panel_adviser.username)
    record_step(page, link_url, "Matching panel recommendation", day, choice="Recommended the match")

    # The ADM of the side the child's LA's policy gives the match decision to records it.
    page.context.clear_cookies()
    sign_in(page, base, adm.username)
    record_step(page, link_url, "Match decision", day, choice="Match agreed")
    assert page.locator("#stage").inner_text().strip() == "Matched"

    # The family finder records the introductions and the placement.
    page.context.clear_cookies()
    sign_in(page, base, family_finder.username)
    record_step(page, link_url, "Introductions started", day)
    record_step(page, link_url, "Placed (moved in)", day)
    assert page.locator("#stage").inner_text().strip() == "Placed"
    link.refresh_from_db()
    child.refresh_from_db()
    household.refresh_from_db()
    assert (link.stage, child.stage, household.stage) == ("placed", "placed", "matched")

    # The household's assessing worker sees each step: on the link (a placed link has left the board), the
    # household's journey and the child's.
    page.context.clear_cookies()
    sign_in(page, base, worker.username)
    page.goto(link_url)
    steps = ["Placed (moved in)", "Introductions started", "Match decision", "Matching panel recommendation",
             "Matching panel booked", "Link agreed", "Expression of interest", "Visit to the family",
             "Contact with the household's worker", "Shortlisted"]
    assert timeline_titles(page) == steps  # newest first
    journey = page.locator(".moj-timeline").inner_text()
    assert "Decision: Match agreed" in journey and "Recommendation: Recommended the match" in journey
    assert "Interest from the adopters." in journey and f"Matching panel on {day.day} {day:%B %Y}." in journey
    for who in (family_finder, panel_adviser, adm):
        assert f"by {who.get_full_name()}" in journey
    assert household.name in page.locator("main").inner_text()  # the household's own worker sees it by name
    page.screenshot(path=str(ARTIFACTS / "link-placed.png"), full_page=True)
    assert_accessible(page, "The link page")
    assert_reflows(page, "link-page")

    page.goto(f"{base}/adopters/households/{household.pk}/")
    page.get_by_role("heading", name=household.name).wait_for()
    assert "Matched with a child" in timeline_titles(page)
    assert page.locator("#stage").inner_text().strip() == "Matched"
    page.screenshot(path=str(ARTIFACTS / "household-matched.png"), full_page=True)

    page.goto(f"{base}/children/{child.pk}/")
    titles = timeline_titles(page)
    for label in ("Placed for adoption (moved in)", "Decision: match agreed", "Matching panel recommendation",
                  "Linked with prospective adopters"):
        assert label in titles, f"the child's journey should show {label!r}: {titles}"
    page.get_by_role("link", name="Family finding: links and shortlists").click()
    page.get_by_role("heading", name=f"Family finding for {child.full_name}").wait_for()
    links_row = page.locator("#links tbody tr", has_text=link.reference)
    assert links_row.count() == 1 and "Placed" in links_row.inner_text()
    assert page.locator("#links tbody tr").count() == earlier + 1
    page.screenshot(path=str(ARTIFACTS / "child-family-finding-placed.png"), full_page=True)
