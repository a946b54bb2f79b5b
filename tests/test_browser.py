"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Screenshots of the key pages are kept in test-artifacts/ (gitignored) for a person to look at.
"""

import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from permanence.children.models import Child
from permanence.children.services import today

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (synthetic demo users)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def sign_in(page, base, username):
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_la_social_worker_records_a_placement_order_and_the_case_moves_to_the_raa(live_server, browser_page):
    call_command("demo", "--children", "120", stdout=open(os.devnull, "w"))  # noqa: SIM115
    child = (Child.objects.filter(la__code="801", stage="should_be_placed", la_social_worker__isnull=False,
                                  date_of_birth__isnull=False)
             .select_related("la_social_worker", "case_holder", "la__raa").first())
    assert child is not None, "the demo region should have a Bristol child waiting for a placement order"
    assert child.case_holder == child.la
    page = browser_page
    sign_in(page, live_server.url, child.la_social_worker.username)
    page.get_by_role("heading", name="Your work").wait_for()
    page.goto(f"{live_server.url}/children/{child.pk}/")
    assert page.locator("#case-holder").inner_text().strip() == child.la.name
    page.get_by_role("link", name="Placement order granted").click()
    po_date = max(child.last_event_date, today() - timedelta(days=3))
    page.get_by_label("Day").fill(str(po_date.day))
    page.get_by_label("Month").fill(str(po_date.month))
    page.get_by_label("Year").fill(str(po_date.year))
    page.get_by_role("button", name="Record").click()
    page.get_by_text("Placement order granted has been recorded").wait_for()
    assert page.locator("#case-holder").inner_text().strip() == child.la.raa.name
    assert "transfers to the RAA" in page.locator("#case-holder-history").inner_text()
    page.screenshot(path=str(ARTIFACTS / "child-after-placement-order.png"), full_page=True)
    child.refresh_from_db()
    assert child.stage == "placement_order" and child.case_holder == child.la.raa


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_impossible_event_is_refused_on_the_page(live_server, browser_page):
    call_command("demo", "--children", "120", stdout=open(os.devnull, "w"))  # noqa: SIM115
    child = Child.objects.filter(la__code="801", stage="should_be_placed", la_social_worker__isnull=False).first()
    page = browser_page
    sign_in(page, live_server.url, child.la_social_worker.username)
    page.goto(f"{live_server.url}/children/{child.pk}/events/new/placement_order/")
    future = today() + timedelta(days=30)
    page.get_by_label("Day").fill(str(future.day))
    page.get_by_label("Month").fill(str(future.month))
    page.get_by_label("Year").fill(str(future.year))
    page.get_by_role("button", name="Record").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "cannot be in the future" in summary.inner_text()
    page.screenshot(path=str(ARTIFACTS / "refused-event.png"), full_page=True)
    child.refresh_from_db()
    assert child.stage == "should_be_placed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_head_of_service_drills_from_the_dashboard_into_the_children(live_server, browser_page):
    call_command("demo", "--children", "120", stdout=open(os.devnull, "w"))  # noqa: SIM115
    page = browser_page
    sign_in(page, live_server.url, "hos.aw")
    page.get_by_role("link", name="Performance dashboard").click()
    page.get_by_role("heading", name="Performance dashboard").wait_for()
    row = page.locator('#headline tr[data-key="A1"]')
    n = int(row.locator("td[data-n]").get_attribute("data-n"))
    assert n > 0, "the demo region should have children adopted in the last three years"
    page.screenshot(path=str(ARTIFACTS / "performance-dashboard.png"), full_page=True)
    row.get_by_role("link").click()
    page.get_by_role("heading", name="A1: the children behind the figure").wait_for()
    assert int(page.locator("#figure [data-n]").get_attribute("data-n")) == n
    children = page.locator("#children tbody tr[data-child]")
    assert children.count() == n  # the head of service sees every child of the RAA's LAs
    first = children.first.get_by_role("link")
    name = first.inner_text().strip()
    first.click()
    page.get_by_role("heading", name=name).wait_for()
    page.screenshot(path=str(ARTIFACTS / "performance-drill-child.png"), full_page=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_team_manager_runs_a_surgery_records_an_action_and_prints_the_agenda(live_server, browser_page):
    call_command("demo", "--children", "120", stdout=open(os.devnull, "w"))  # noqa: SIM115
    page = browser_page
    sign_in(page, live_server.url, "tm.aw")
    page.get_by_role("link", name="Performance surgery").click()
    page.get_by_role("heading", name="Performance surgery").wait_for()
    rows = page.locator("#surgery tbody tr[data-row]")
    assert rows.count() > 0, "the demo team manager's team should have milestones due or overdue"
    # The first row without an action yet: agree one at today's surgery, due in a fortnight.
    row = page.locator("#surgery tbody tr[data-row]", has_text="No action agreed yet").first
    name = row.locator("th a").first.inner_text().strip()
    row.get_by_role("link", name=f"Record action for {name}").click()
    page.get_by_label("Action agreed").fill("Ask the LA for the child's permanence report by Friday")
    page.get_by_label("Who owns it").select_option(index=1)
    day, due = today(), today() + timedelta(days=14)
    for field, value in (("due_by", due), ("agreed_on", day)):
        page.locator(f'input[name="{field}_day"]').fill(str(value.day))
        page.locator(f'input[name="{field}_month"]').fill(str(value.month))
        page.locator(f'input[name="{field}_year"]').fill(str(value.year))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Performance surgery").wait_for()
    row = page.locator("#surgery tbody tr[data-row]", has_text=name).first
    assert "Ask the LA for the child's permanence report by Friday" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "performance-surgery.png"), full_page=True)
    page.get_by_role("link", name="Print the agenda").click()
    page.get_by_text("Ask the LA for the child's permanence report by Friday").first.wait_for()
    assert name in page.content()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_data_officer_uploads_two_years_one_after_the_other_and_the_journey_starts_in_the_first(
        live_server, browser_page):
    from permanence.children.services import event_facts
    from permanence.interchange.ssda903 import mapping
    from permanence.interchange.tests.helpers import files_903, kids

    call_command("demo", "--children", "60", stdout=open(os.devnull, "w"))  # noqa: SIM115
    generated = kids(code="777", count=60, seed=5)
    first, second = 2024, 2025
    # A child who came into care and got a placement order in 2023/24 and is still in care in 2024/25: that
    # year's return starts part-way, with the episode the placement order began.
    start, end = date(2023, 4, 1), date(2024, 3, 31)
    child_id = next(k.la_child_id for k in generated if (ev := mapping.project(k.events))
                    and start <= ev[0].date <= end
                    and any(e.kind.value == "placement_order" and e.date <= end for e in ev)
                    and not any(e.kind.value == "adoption_order" and e.date <= end for e in ev)
                    and any(e.date > end for e in ev))
    entered = next(e.date for e in mapping.project(next(k for k in generated if k.la_child_id == child_id).events))
    page = browser_page
    sign_in(page, live_server.url, "data.bristol")
    for year in (first, second):
        page.goto(f"{live_server.url}/ssda903/")
        files = [{"name": name, "mimeType": "text/csv", "buffer": content}
                 for name, content in files_903(generated, [year], code="801")]
        page.get_by_label("SSDA903 files").set_input_files(files)
        page.get_by_role("button", name="Import").click()
        page.get_by_role("heading", name="SSDA903 import: Imported").wait_for()
    page.screenshot(path=str(ARTIFACTS / "ssda903-second-year-imported.png"), full_page=True)
    child = Child.objects.get(la__code="801", la_child_id=child_id)
    assert next(e.date for e in event_facts(child) if e.kind.value == "entered_care") == entered
    page.goto(f"{live_server.url}/children/{child.pk}/")
    timeline = page.locator(".moj-timeline").inner_text()
    assert "Entered care" in timeline and f"{entered.day} {entered:%B %Y}" in timeline
    page.get_by_role("link", name="Periods of care and SSDA903 returns").click()
    page.get_by_role("heading", name="Periods of care and SSDA903 returns").wait_for()
    body = page.locator("main").inner_text()
    assert "2023/24" in body and "2024/25" in body
    page.screenshot(path=str(ARTIFACTS / "ssda903-child-returns.png"), full_page=True)
