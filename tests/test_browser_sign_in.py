"""Browser test of a new member of staff's first sign-in (issue 15): a temporary password that must be changed, then
an authenticator app set up with its QR code's key, then their home page. axe-core checks each page at WCAG 2.2 AA,
and each reflows at 320 px."""

import shutil
from base64 import b32decode

import pytest
from django_otp.oath import totp

from permanence.organisations import services as org_services
from permanence.organisations.models import Role
from tests import test_browser
from tests.test_browser import CHROMIUM
from tests.test_browser_family_finding import assert_accessible, assert_reflows

browser_page = test_browser.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_member_of_staff_changes_a_temporary_password_sets_up_totp_and_reaches_home(
        live_server, browser_page, settings):
    settings.OTP_REQUIRED = True
    raa = org_services.create_organisation(actor=None, kind="raa", code="BRS", name="Browser RAA")
    org_services.create_staff(actor=None, organisation=raa, role=Role.RAA_FAMILY_FINDER, username="new.finder",
                              first_name="Nia", last_name="Finder", password="temporary-harbour-42", temporary=True)
    base, page = live_server.url, browser_page

    page.goto(f"{base}/sign-in/")
    assert_accessible(page, "Sign in")
    page.get_by_label("Username").fill("new.finder")
    page.get_by_label("Password").fill("temporary-harbour-42")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="Choose your own password").wait_for()
    page.get_by_role("button", name="Save password").click()  # nothing entered: the errors say what to do
    page.locator(".govuk-error-summary").get_by_text("Enter your current password").wait_for()
    assert_accessible(page, "Choose your own password, with errors")
    assert_reflows(page, "Choose your own password")
    page.get_by_label("Current password").fill("temporary-harbour-42")
    page.get_by_label("New password", exact=True).fill("granite-pelican-harbour-7")
    page.get_by_label("Confirm the new password").fill("granite-pelican-harbour-7")
    page.get_by_role("button", name="Save password").click()

    page.get_by_role("heading", name="Set up your second factor").wait_for()
    assert page.locator(".app-qr svg").count() == 1
    assert_accessible(page, "Set up your second factor")
    assert_reflows(page, "Set up your second factor")
    key = b32decode(page.locator("#two-factor-key").inner_text().strip())
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.locator("#recovery-codes li").count() == 10
    assert_accessible(page, "Recovery codes")
    page.get_by_role("link", name="I have kept my codes – continue").click()
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").count() == 1
    assert_accessible(page, "Home after first sign-in")
