"""A second factor for every member of staff (issue 15): set-up, the code at each sign-in, recovery codes, the
administrator's reset, and nothing opening before it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from permanence.core.models import AuditEvent
from permanence.organisations import services as org_services
from permanence.organisations.models import Role
from permanence.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.OTP_REQUIRED = True


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("sign-in"), {"username": username, "password": password}, REMOTE_ADDR="192.0.2.20")


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _set_up(client, user):
    _sign_in(client, user.username)
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two-factor-setup"), {"code": _code(device)})
    assert response.status_code == 302 and response.url == reverse("two-factor-recovery-codes")
    page = client.get(reverse("two-factor-recovery-codes")).content.decode()
    return device, re.findall(r"<li><code>([^<]+)</code></li>", page)


def _unthrottle(user):
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def _actions(user):
    return list(AuditEvent.objects.filter(object_type="organisations.staff", object_id=str(user.pk),
                                          action__startswith="two-factor").order_by("id")
                .values_list("action", flat=True))


def test_nothing_opens_until_a_second_factor_is_set_up(client, region):
    user = region.user(Role.RAA_FAMILY_FINDER)
    assert _sign_in(client, user.username).status_code == 302
    for url in ["/", "/children/", "/adopters/", "/performance/", reverse("password-change")]:
        page = client.get(url)
        assert page.status_code == 302 and page.url == reverse("two-factor-setup"), url
    assert client.get("/api/v1/children/").status_code == 403
    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200 and b"<svg" in page.content and b"two-factor-key" in page.content


def test_set_up_with_a_wrong_code_is_refused_and_a_right_one_gives_ten_recovery_codes(client, region):
    user = region.user(Role.RAA_FAMILY_FINDER)
    _sign_in(client, user.username)
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("two-factor-setup"), {"code": wrong})
    assert refused.status_code == 200 and b"The code is not right" in refused.content
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    empty = client.post(reverse("two-factor-setup"), {"code": ""})
    assert b"Enter the code" in empty.content
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    device.refresh_from_db()
    accepted = client.post(reverse("two-factor-setup"), {"code": _code(device)})
    assert accepted.status_code == 302
    codes = re.findall(r"<li><code>([^<]+)</code></li>", client.get(accepted.url).content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("two-factor-recovery-codes")).status_code == 302  # shown once only
    assert client.get("/").status_code == 200
    assert _actions(user) == ["two-factor.failed", "two-factor.set-up"]


def test_each_sign_in_asks_for_the_code_and_a_recovery_code_works_once(client, region):
    user = region.user(Role.RAA_TEAM_MANAGER)
    device, codes = _set_up(client, user)
    client.post(reverse("sign-out"))
    _sign_in(client, user.username)
    page = client.get("/")
    assert page.status_code == 302 and page.url == reverse("two-factor-verify")
    assert client.post(reverse("two-factor-verify"), {"code": "000000x"}).status_code == 200
    _unthrottle(user)  # django-otp makes the next try wait after a wrong code (1 s, then doubling)
    used = client.post(reverse("two-factor-verify"), {"code": codes[0]})
    assert used.status_code == 302 and client.get("/").status_code == 200
    assert StaticDevice.objects.get(user=user).token_set.count() == 9
    client.post(reverse("sign-out"))
    _sign_in(client, user.username)
    again = client.post(reverse("two-factor-verify"), {"code": codes[0]})
    assert again.status_code == 200 and b"The code is not right" in again.content
    # The app's code works (in a new 30-second window: a code is never accepted twice).
    _unthrottle(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    assert client.post(reverse("two-factor-verify"), {"code": _code(device)}).status_code == 302
    assert client.get("/").status_code == 200
    assert "two-factor.verified" in _actions(user) and "two-factor.failed" in _actions(user)


def test_a_temporary_password_is_changed_first_then_the_second_factor_is_set_up(client, region):
    org_services.create_staff(actor=None, organisation=region.raa, role=Role.RAA_FAMILY_FINDER,
                              username="new.starter", first_name="New", last_name="Starter",
                              password="temporary-harbour-42", temporary=True)
    _sign_in(client, "new.starter", "temporary-harbour-42")
    assert client.get("/").url == reverse("password-change")
    client.post(reverse("password-change"), {"old_password": "temporary-harbour-42",
                                             "new_password1": "granite-pelican-harbour-7",
                                             "new_password2": "granite-pelican-harbour-7"})
    assert client.get("/").url == reverse("two-factor-setup")


def test_an_administrator_resets_a_second_factor_of_their_own_staff_only(client, region, settings):
    settings.OTP_REQUIRED = False  # the administrator's own sign-in is not what this tests
    user = region.user(Role.RAA_FAMILY_FINDER)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=user, name="Recovery codes")
    admin = region.staff[("NR", Role.SYSTEM_ADMINISTRATOR)]
    client.force_login(admin)
    url = reverse("organisations:reset-two-factor", args=[user.pk])
    assert b"Reset second factor" in client.get(url).content
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    row = AuditEvent.objects.get(action="two-factor.reset", object_id=str(user.pk))
    assert row.actor_id == admin.pk
    other = region.staff[("SR", Role.RAA_FAMILY_FINDER)]
    assert client.get(reverse("organisations:reset-two-factor", args=[other.pk])).status_code == 404
    assert client.post(reverse("organisations:reset-two-factor", args=[10**12])).status_code == 404
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    assert client.post(url).status_code == 404
