"""Browser test of a letterbox exchange (issue 12): the demo RAA's support worker finds an exchange overdue to
arrive on the contact landing page and the overdue list, records it received, read and forwarded on the exchange
page, and sees it leave the overdue list.

axe-core checks the landing page, the overdue list, the exchange page and the step form (with and without its
error summary) at WCAG 2.2 AA; the overdue list must reflow at 320 px without scrolling sideways. Screenshots go to
test-artifacts/ (gitignored).
"""

import os
import shutil

import pytest
from django.core.management import call_command

from permanence.contact import selectors
from permanence.contact.models import LetterboxExchange
from permanence.contact.services import today
from permanence.organisations.models import Organisation, Role, Staff
from tests import test_browser
from tests.test_browser import ARTIFACTS, CHROMIUM, sign_in
from tests.test_browser_family_finding import assert_accessible, assert_reflows, fill_date

browser_page = test_browser.browser_page  # the browser tests' fixture: Debian's Chromium, --no-sandbox

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]


def record(page, label: str, day) -> None:
    page.get_by_role("link", name=f"Record {label}", exact=True).click()
    page.get_by_role("heading", name=f"Record {label}", level=1).wait_for()
    fill_date(page, "on", day)
    page.get_by_role("button", name=f"Record {label}").click()
    page.get_by_text(f"The exchange has been recorded as {label}.").wait_for()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_letterbox_exchange_from_overdue_to_forwarded(live_server, browser_page):
    call_command("demo", "--children", "120", stdout=open(os.devnull, "w"))  # noqa: SIM115
    raa = Organisation.objects.get(kind="raa", code="AW")
    worker = Staff.objects.filter(organisation=raa, role=Role.RAA_SUPPORT_WORKER, is_active=True).order_by("pk").first()
    day = today()
    t = selectors.contact_timescales(day)
    overdue = selectors.overdue_exchanges(
        LetterboxExchange.objects.filter(arrangement__plan__child__la__raa=raa), day, t, "arrive")
    assert overdue, "the demo region should have a letterbox exchange overdue to arrive"
    x = overdue[0].exchange
    base, page = live_server.url, browser_page

    # The landing page and the overdue list show it.
    sign_in(page, base, worker.username)
    page.goto(f"{base}/contact/")
    page.get_by_role("heading", name="Contact and birth relatives", level=1).wait_for()
    assert page.locator("#overdue tbody tr").count() >= 1
    assert_accessible(page, "The contact landing page")
    page.screenshot(path=str(ARTIFACTS / "contact-home.png"), full_page=True)
    page.get_by_role("link", name="Every overdue exchange").click()
    page.get_by_role("heading", name="Overdue letterbox exchanges", level=1).wait_for()
    page.get_by_label("To arrive", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**which=arrive**")
    row = page.locator("#overdue tbody tr", has_text=x.reference)
    assert row.count() == 1 and "Overdue to arrive" in row.inner_text()
    assert_accessible(page, "The overdue letterbox list")
    assert_reflows(page, "contact-overdue")

    # The exchange page: received (a date in the future is refused first), read, forwarded.
    row.get_by_role("link", name=x.reference).click()
    page.get_by_role("heading", name=f"Letterbox exchange {x.get_direction_display().lower()}").wait_for()
    assert page.locator("#status").inner_text().strip() == "Overdue to arrive"
    assert_accessible(page, "The letterbox exchange page")
    page.get_by_role("link", name="Record received", exact=True).click()
    page.get_by_role("heading", name="Record received", level=1).wait_for()
    assert_accessible(page, "The record received form")
    fill_date(page, "on", day.replace(year=day.year + 1))
    page.get_by_role("button", name="Record received").click()
    page.locator(".govuk-error-summary").get_by_text("The date it was received must be today or in the past").wait_for()
    assert_accessible(page, "The record received form with an error")
    fill_date(page, "on", day)
    page.get_by_role("button", name="Record received").click()
    page.get_by_text("The exchange has been recorded as received.").wait_for()
    assert page.locator("#status").inner_text().strip() == "Received, to read"
    assert page.get_by_role("link", name="Record forwarded", exact=True).count() == 0  # read first
    record(page, "read", day)
    assert page.locator("#status").inner_text().strip() == "Read, to forward"
    record(page, "forwarded", day)
    assert page.locator("#status").inner_text().strip() == "Forwarded"
    assert_accessible(page, "The forwarded exchange")
    page.screenshot(path=str(ARTIFACTS / "letterbox-forwarded.png"), full_page=True)
    x.refresh_from_db()
    assert (x.received_on, x.read_on, x.forwarded_on) == (day, day, day)

    page.goto(f"{base}/contact/letterbox/overdue/")
    assert page.locator("#overdue tbody tr", has_text=x.reference).count() == 0
