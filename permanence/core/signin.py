"""Signing in and out (issue 15): the audit trail of every sign-in, failure, lockout and sign-out, the forced change
of a temporary password, and no-store on every page.

Throttling and lockout are django-axes' (settings.AXES_*): this module only records what axes and Django report.
A failed sign-in never records the password, and records the username typed only when it names a member of
staff (a password typed into the username box must not reach the log).
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from permanence.core.models import AuditEvent

STAFF_TYPE = "organisations.staff"


def client_address(request) -> str:
    if request is None:
        return ""
    address = getattr(request, "axes_ip_address", None)
    return address or request.META.get("REMOTE_ADDR", "")


def _known(username: str | None):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def record(action: str, *, staff=None, request=None, actor=None, detail: dict | None = None) -> AuditEvent:
    after = {"address": client_address(request)}
    if staff is not None:
        after["username"] = staff.username
    after.update(detail or {})
    return AuditEvent.objects.create(
        at=timezone.now(), actor=actor if actor is not None else staff, action=action, object_type=STAFF_TYPE,
        object_id=str(staff.pk) if staff is not None else "", after=after)


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    record("sign-in", staff=user, request=request)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        # Signed out by the server (core.idle): after a time without activity, or at the absolute maximum.
        why, detail = getattr(request, "permanence_sign_out", (None, {})) if request is not None else (None, {})
        record(f"sign-out.{why}" if why else "sign-out", staff=user, request=request, detail=detail)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    staff = _known(credentials.get("username"))
    record("sign-in.failed", staff=staff, request=request, actor=None,
           detail={} if staff is not None else {"username": "(not a member of staff)"})


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    staff = _known(username)
    record("sign-in.locked-out", staff=staff, request=request, actor=None,
           detail={} if staff is not None else {"username": "(not a member of staff)"})


# Pages someone who must change their password, or give their second factor, may still open.
# The footer's pages hold nothing personal and say how to get help: open at every step of signing in.
_FOOTER_PAGES = ("help", "accessibility", "privacy", "cookies")
_OPEN_WHILE_CHANGING = ("password-change", "sign-out", *_FOOTER_PAGES)
_OPEN_BEFORE_SECOND_FACTOR = ("two-factor-setup", "two-factor-verify", "two-factor-recovery-codes", "sign-out",
                              *_FOOTER_PAGES)


def _refuse_api(detail: str = "Sign in with your second factor before using the API.",
                code: str = "second_factor_required"):
    from django.http import JsonResponse
    return JsonResponse({"detail": detail, "code": code}, status=403)


class PasswordChangeRequiredMiddleware:
    """A member of staff with a temporary password sees only the page that changes it (and sign-out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in _OPEN_WHILE_CHANGING}
            static = request.path.startswith("/static/")
            if request.path not in allowed and not static:
                if request.path.startswith("/api/"):
                    return _refuse_api("Change your temporary password before using the API.",
                                       "password_change_required")
                return redirect(f"{reverse('password-change')}")
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """With settings.OTP_REQUIRED, a signed-in member of staff opens nothing until they have given their second
    factor this session: those with none set up are sent to set one up, the others to enter a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django_otp import user_has_device

        user = getattr(request, "user", None)
        if (settings.OTP_REQUIRED and user is not None and user.is_authenticated
                and not getattr(user, "must_change_password", False) and not user.is_verified()
                and not request.path.startswith("/static/")):
            allowed = {reverse(name) for name in _OPEN_BEFORE_SECOND_FACTOR}
            if request.path not in allowed:
                if request.path.startswith("/api/"):
                    return _refuse_api()
                target = "two-factor-verify" if user_has_device(user) else "two-factor-setup"
                return redirect(reverse(target))
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in member of staff sees, nor any API answer, is kept by a browser or a proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        return response
