"""Browser test of the idle sign-out's warning (issue 15, core/idle.py, app/js/idle-warning.js): with a short idle
time, the dialog opens before the end with focus on it, "Stay signed in" keeps the session without leaving the page
(what was typed stays), and axe-core finds nothing wrong with the page while the dialog is open."""

import shutil

import pytest

from permanence.organisations.models import Role
from permanence.testing import PASSWORD
from tests import test_browser
from tests.test_browser import CHROMIUM
from tests.test_browser_family_finding import assert_accessible

browser_page = test_browser.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]

TIME_LEFT = "() => fetch('/session/time-left/').then((r) => r.json()).then((d) => d.seconds_left)"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_warning_opens_before_the_idle_sign_out_and_stay_signed_in_keeps_the_page(
        live_server, browser_page, region, settings):
    settings.SESSION_IDLE_SECONDS = 20  # the dialog opens after 5 seconds without activity
    settings.SESSION_IDLE_WARNING_SECONDS = 15
    user = region.user(Role.RAA_FAMILY_FINDER)
    base, page = live_server.url, browser_page
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/children/")
    dialog = page.get_by_role("dialog", name="You're about to be signed out")
    assert not dialog.is_visible()  # closed until the warning time
    page.locator("input[name=q]").fill("half-typed search")

    dialog.wait_for(state="visible", timeout=15_000)
    assert "You'll be signed out in 15 seconds to protect the records." in dialog.inner_text()
    assert page.evaluate("() => document.activeElement.id") == "idle-warning-heading"  # focus moved to it
    assert page.evaluate(TIME_LEFT) <= 15
    assert_accessible(page, "Idle warning dialog")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Stay signed in"
    page.keyboard.press("Enter")

    dialog.wait_for(state="hidden")
    assert page.evaluate(TIME_LEFT) > 15  # the session was refreshed
    assert page.url == f"{base}/children/"  # never left the page
    assert page.locator("input[name=q]").input_value() == "half-typed search"
    assert page.evaluate("() => document.activeElement.name") == "q"  # focus back where it was
