"""Browser test of this stop's pages (issues 14 and 15) on the demo region: search, the retention schedule and
setting a period (with its error page), the subject access exports for a child and an adopter, the list of SSDA903
imports and a dry run's page with "Import these files" and findings by rule. axe-core checks each page at WCAG 2.2
AA, and each reflows at 320 px."""

import os
import shutil

import pytest
from django.core.management import call_command

from permanence.adopters.models import Applicant
from permanence.children.models import Child
from permanence.interchange.tests.helpers import files_903, kids
from permanence.organisations.models import Organisation, Staff
from tests import test_browser
from tests.test_browser import CHROMIUM, sign_in
from tests.test_browser_family_finding import assert_accessible, assert_reflows

browser_page = test_browser.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]


def check(page, base, what, path):
    response = page.goto(f"{base}{path}")
    assert response.status == 200, (what, response.status)
    assert_accessible(page, what)
    assert_reflows(page, what)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_this_stops_pages_are_accessible_and_reflow(live_server, browser_page):
    call_command("demo", "--children", "60", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base, page = live_server.url, browser_page
    raa = Organisation.objects.get(code="AW")
    child = Child.objects.filter(la__raa=raa).order_by("pk").first()
    applicant = Applicant.objects.filter(household__raa=raa).order_by("pk").first()

    sign_in(page, base, "hos.aw")
    page.get_by_role("navigation").first.wait_for()
    for what, path in {
        "Search": "/search/",
        "Search results": f"/search/?q={child.last_name[:4]}",
        "Records due for disposal": "/records/retention/",
        "Set a retention period": "/records/retention/periods/household_not_proceeded/",
        "A child's subject access export": f"/records/subject-access/children/{child.pk}/",
        "An adopter's subject access export": f"/records/subject-access/adopters/{applicant.pk}/",
    }.items():
        check(page, base, what, path)
    # The period form's errors: a summary linked to each field, and still accessible.
    page.goto(f"{base}/records/retention/periods/adoption_case/")
    page.get_by_label("How many years should these records be kept?").fill("99")
    page.get_by_role("button", name="Set the period").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "at least 100 years" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "Set a retention period, with errors")

    # A data officer's dry run, its page and the list of imports.
    from permanence.interchange import services

    officer = Staff.objects.get(username="data.aw")
    la = child.la
    dry = services.import_903(files=files_903(kids(count=4), [2025]), la=la, actor=officer, dry_run=True,
                              validate=False).batch
    page.context.clear_cookies()
    sign_in(page, base, officer.username)
    page.get_by_role("navigation").first.wait_for()
    check(page, base, "SSDA903 imports", "/ssda903/imports/")
    check(page, base, "A dry run", f"/ssda903/imports/{dry.pk}/")
