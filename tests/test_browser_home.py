"""Browser test of the home page (issue 14, items 1 and 2) on the demo region: each role signs in to its own
work – checked with axe-core at WCAG 2.2 AA and for reflow at 320 px – and an LA social worker goes from a task on
her home page to the child's due action, records it, and sees the task gone."""

import os
import shutil
from datetime import date

import pytest
from django.core.management import call_command

from permanence.children import services as child_services
from permanence.organisations.models import Staff
from tests import test_browser
from tests.test_browser import CHROMIUM, sign_in
from tests.test_browser_family_finding import assert_accessible, assert_reflows

browser_page = test_browser.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]

# Each demo sign-in and the part of its home page that is that role's own.
HOMES = {
    "ff.amara": "#caseload-summary", "asw.gwen": "#households-heading", "support.kit": "#support-summary",
    "panel.aw": "#panels-heading", "adm.aw": "#tasks-heading", "data.aw": "#imports-heading",
    "tm.aw": "#team-heading", "hos.aw": "#dashboard-links", "sw.bristol": "#caseload-summary",
    "tm.bristol": "#team-heading",
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_role_signs_in_to_its_own_work_and_a_task_is_one_click_from_done(live_server, browser_page):
    call_command("demo", "--children", "60", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base, page = live_server.url, browser_page
    for username, section in HOMES.items():
        page.context.clear_cookies()
        sign_in(page, base, username)
        page.get_by_role("heading", name="Your work").wait_for()
        assert page.url.rstrip("/") == base, (username, page.url)
        assert page.locator(section).count() == 1, (username, section)
        assert_accessible(page, f"home of {username}")
        assert_reflows(page, f"home of {username}")

    # A child whose permanence plan is overdue, allocated to the Bristol social worker.
    sw = Staff.objects.get(username="sw.bristol")
    child = child_services.create_child(actor=None, la=sw.organisation, la_child_id="HOME-1", first_name="Wren",
                                        last_name="Tasklist", date_of_birth=date(2023, 5, 1), la_social_worker=sw)
    child_services.record_event(child=child, kind="entered_care", date=date(2024, 1, 10), actor=None,
                                check_role=False)
    page.context.clear_cookies()
    sign_in(page, base, sw.username)
    row = page.locator("#tasks tr", has_text="Wren Tasklist")
    row.get_by_role("link").click()
    due = page.locator("#due-actions tr", has_text="Agree the plan for adoption")
    due.get_by_role("link", name="Record").click()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Record").click()
    page.get_by_text("has been recorded").wait_for()
    page.goto(f"{base}/")
    page.get_by_role("heading", name="Your work").wait_for()
    assert page.locator("#tasks tr", has_text="Wren Tasklist").count() == 0
