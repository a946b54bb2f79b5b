"""Signing out after a time without activity (issue 15, core/idle.py): the server's time-out, the keep-alive that
the warning dialog's "Stay signed in" calls, the message and the way back to the page, the audit entry."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from permanence.core import idle
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role
from permanence.testing import PASSWORD

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0
MINUTE = 60


class Clock:
    """The idle middleware's clock, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = T0
        monkeypatch.setattr(idle, "_now", lambda: self.now)

    def minutes_later(self, minutes: float) -> None:
        self.now += minutes * MINUTE


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def finder(region):
    return region.user(Role.RAA_FAMILY_FINDER)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_default_is_30_minutes_with_a_2_minute_warning(settings):
    assert settings.SESSION_IDLE_MINUTES == 30 and settings.SESSION_IDLE_SECONDS == 30 * 60
    assert idle.warning_seconds() == 120
    assert idle.idle_message() == "You were signed out after 30 minutes without activity. Sign in to carry on."


def test_each_request_refreshes_and_a_request_after_the_idle_time_goes_to_sign_in(client, clock, finder):
    client.force_login(finder)
    assert client.get("/children/").status_code == 200
    for _ in range(3):  # active for an hour and a half, never 30 minutes apart
        clock.minutes_later(29)
        assert client.get("/children/").status_code == 200
    clock.minutes_later(30.1)
    response = client.get("/children/?stage=should_be_placed")
    assert response.status_code == 302
    assert response.url == reverse("sign-in") + "?next=" + quote("/children/?stage=should_be_placed")
    assert not _signed_in(client)
    page = client.get(response.url)
    assert "You were signed out after 30 minutes without activity" in page.content.decode()
    row = AuditEvent.objects.filter(object_id=str(finder.pk), action__startswith="sign-out").get()
    assert row.action == "sign-out.idle" and row.actor_id == finder.pk and row.after["idle_minutes"] == 30


def test_signing_in_again_returns_to_the_page(client, clock, finder):
    client.force_login(finder)
    client.get("/children/")
    clock.minutes_later(31)
    to_sign_in = client.get("/children/?la=901")
    signed_in = client.post(to_sign_in.url, {"username": finder.username, "password": PASSWORD,
                                             "next": "/children/?la=901"})
    assert signed_in.status_code == 302 and signed_in.url == "/children/?la=901"
    assert client.get(signed_in.url).status_code == 200


def test_stay_signed_in_keeps_the_session_alive_without_leaving_the_page(client, clock, finder):
    client.force_login(finder)
    client.get("/children/")
    clock.minutes_later(28)  # the dialog is showing: two minutes left
    kept = client.post(reverse("session-keep-alive"))
    assert kept.status_code == 200 and kept.json() == {"seconds_left": 30 * 60, "warning_seconds": 120}
    clock.minutes_later(28)  # 56 minutes since the page was opened, 28 since "Stay signed in"
    assert client.get("/children/").status_code == 200 and _signed_in(client)


def test_asking_how_long_is_left_does_not_count_as_activity(client, clock, finder):
    client.force_login(finder)
    client.get("/children/")
    clock.minutes_later(20)
    assert client.get(reverse("session-time-left")).json() == {"seconds_left": 600, "warning_seconds": 120}
    clock.minutes_later(10.5)
    assert client.get(reverse("session-time-left")).json()["seconds_left"] == 0
    assert not _signed_in(client)
    assert client.get("/children/").status_code == 302


def test_the_keep_alive_needs_the_csrf_token_and_a_signed_in_session(finder, clock):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(finder)
    page = browser.get("/children/")
    assert browser.post(reverse("session-keep-alive")).status_code == 403
    token = page.context["csrf_token"]
    assert browser.post(reverse("session-keep-alive"), HTTP_X_CSRFTOKEN=str(token)).status_code == 200
    assert browser.get(reverse("session-keep-alive")).status_code == 405
    clock.minutes_later(31)
    late = browser.post(reverse("session-keep-alive"), HTTP_X_CSRFTOKEN=str(token))
    assert late.status_code == 302 and late.url.startswith(reverse("sign-in"))  # too late: signed out


def test_the_absolute_maximum_stays(client, clock, finder, settings):
    client.force_login(finder)
    client.get("/children/")
    for _ in range(16):  # 8 hours in half-hour steps, never idle
        clock.minutes_later(29)
        client.get("/children/")
    assert _signed_in(client)
    clock.minutes_later(29)
    response = client.get("/children/")
    assert response.status_code == 302
    assert "signed in for 8 hours" in client.get(response.url).content.decode()
    assert AuditEvent.objects.filter(object_id=str(finder.pk), action="sign-out.maximum").exists()


def test_signed_in_pages_carry_the_warning_dialog_and_its_script(client, finder, settings):
    settings.SESSION_IDLE_SECONDS = 300
    client.force_login(finder)
    body = client.get("/children/").content.decode()
    assert 'role="dialog"' in body and 'aria-modal="true"' in body and 'data-idle-seconds="300"' in body
    assert 'data-warning-seconds="120"' in body and "app/js/idle-warning" in body
    assert "You'll be signed out in 2 minutes to protect the records." in body
    assert "Stay signed in" in body and "<script>" not in body
    client.logout()
    sign_in = client.get(reverse("sign-in")).content.decode()
    assert "idle-warning" not in sign_in
