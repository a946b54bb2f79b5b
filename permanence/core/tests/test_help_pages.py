"""The footer's pages (issue 14 item 9): help and contact, the accessibility statement, the privacy notice and
cookies, linked from every page, open without signing in and at every step of signing in, and naming who runs
this deployment."""

import re

import pytest
from django.urls import reverse

from permanence.organisations.models import Role

PAGES = {"help": "Help and contact", "accessibility": "Accessibility statement", "privacy": "Privacy notice",
         "cookies": "Cookies"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_each_footer_page_opens_without_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f"<h1 class=\"govuk-heading-l\">{PAGES[name]}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_every_page_links_to_them_in_the_footer(client, region):
    def footer(path):
        return client.get(path).content.decode().split('<footer class="govuk-footer">', 1)[1]

    pages = [footer(reverse("sign-in"))]
    client.force_login(region.user(Role.RAA_FAMILY_FINDER))
    pages.append(footer(reverse("caseload")))
    for page in pages:
        for name, title in PAGES.items():
            assert f'href="{reverse(name)}">{title}</a>' in page, name


@pytest.mark.django_db
def test_they_open_before_a_temporary_password_is_changed_and_before_the_second_factor(client, region, settings):
    user = region.user(Role.RAA_FAMILY_FINDER)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client.force_login(user)
    assert client.get(reverse("caseload")).status_code == 302
    assert all(client.get(reverse(name)).status_code == 200 for name in PAGES)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    settings.OTP_REQUIRED = True
    client.force_login(user)
    assert client.get(reverse("caseload")).status_code == 302
    assert all(client.get(reverse(name)).status_code == 200 for name in PAGES)


@pytest.mark.django_db
def test_the_pages_say_who_runs_the_service_and_how_to_reach_them(client, settings):
    settings.PERMANENCE_OPERATOR = "the Example Valley Adoption Agency"
    settings.PERMANENCE_SUPPORT_EMAIL = "service@example.org"
    settings.PERMANENCE_DPO_EMAIL = "dpo@example.org"
    help_page = client.get(reverse("help")).content.decode()
    assert "run by the Example Valley Adoption Agency" in help_page
    assert 'href="mailto:service@example.org"' in help_page
    assert 'href="mailto:dpo@example.org"' in client.get(reverse("privacy")).content.decode()
    settings.PERMANENCE_SUPPORT_EMAIL = ""
    assert "Contact your agency's system administrator" in client.get(reverse("help")).content.decode()


@pytest.mark.django_db
def test_the_cookies_page_lists_the_cookies_the_site_sets(client, region, settings):
    page = client.get(reverse("cookies")).content.decode()
    listed = set(re.findall(r'<td class="govuk-table__cell">([\w-]+)</td>', page))
    # Sign in for real and collect every cookie the site sets: each must be on the page.
    client.get(reverse("sign-in"))
    user = region.user(Role.RAA_FAMILY_FINDER)
    client.post(reverse("sign-in"), {"username": user.username, "password": "not-it"}, REMOTE_ADDR="127.0.0.1")
    client.force_login(user)
    client.get(reverse("caseload"))
    assert set(client.cookies) <= listed, (set(client.cookies), listed)
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} <= listed


@pytest.mark.django_db
def test_the_accessibility_statement_follows_the_model_statement(client):
    page = client.get(reverse("accessibility")).content.decode()
    for heading in ("How accessible this service is", "Feedback and contact information", "Enforcement procedure",
                    "Compliance status", "Non-accessible content", "Preparation of this accessibility statement"):
        assert heading in page
