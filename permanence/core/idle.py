"""Signing out after a time without activity (issue 15), with a warning first so nobody loses a half-written form.

- The server decides. IdleTimeoutMiddleware keeps the time of the session's last request; a request after
  SESSION_IDLE_SECONDS (settings: SESSION_IDLE_MINUTES, default 30) without one signs the person out (audited as
  "sign-out.idle"), and the next page sends them to sign in with "You were signed out after 30 minutes without
  activity", coming back to the page they asked for afterwards. The absolute maximum stays: SESSION_COOKIE_AGE
  (8 hours) after signing in, however active.
- The page warns. base.html carries the timings on the idle-warning dialog; app/js/idle-warning.js opens it
  SESSION_IDLE_WARNING_SECONDS (2 minutes) before the end. "Stay signed in" POSTs to `session-keep-alive` (with
  the CSRF token) without leaving the page, so what is typed stays; `session-time-left` tells the script how long
  is left without counting as activity (another tab may have been busy). Without JavaScript there is no warning,
  only the server's time-out.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

LAST_ACTIVITY = "permanence_last_activity"
SIGNED_IN_AT = "permanence_signed_in_at"


def idle_seconds() -> int:
    return int(settings.SESSION_IDLE_SECONDS)


def warning_seconds() -> int:
    return min(int(settings.SESSION_IDLE_WARNING_SECONDS), idle_seconds())


def _now() -> float:
    return timezone.now().timestamp()


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0 and seconds >= 3600:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds % 60 == 0 and seconds >= 60:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def idle_message() -> str:
    return f"You were signed out after {_duration(idle_seconds())} without activity. Sign in to carry on."


def seconds_left(request: HttpRequest) -> int:
    last = request.session.get(LAST_ACTIVITY)
    if last is None or not request.user.is_authenticated:
        return 0
    return max(0, int(idle_seconds() - (_now() - last)))


class IdleTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware, before LoginRequiredMiddleware (which then sends the
    signed-out request to sign in, with ?next= the page)."""

    # Asking how long is left is not activity.
    PASSIVE = ("session-time-left",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = _now()
            last = request.session.get(LAST_ACTIVITY)
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if last is not None and now - last > idle_seconds():
                self._sign_out(request, "idle", idle_message(), idle_minutes=idle_seconds() / 60)
            elif now - started > settings.SESSION_COOKIE_AGE:
                self._sign_out(request, "maximum", "You were signed out because you had been signed in for "
                               f"{_duration(settings.SESSION_COOKIE_AGE)}. Sign in to carry on.")
            elif not self._passive(request):
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)

    def _passive(self, request) -> bool:
        return request.path in {reverse(name) for name in self.PASSIVE}

    @staticmethod
    def _sign_out(request, why: str, message: str, **detail) -> None:
        request.permanence_sign_out = (why, detail)  # core.signin writes the audit entry with the reason
        logout(request)
        messages.info(request, message)


@login_not_required
@require_GET
def time_left(request):
    """{"seconds_left": n, "warning_seconds": w}: how long before the idle sign-out, without refreshing it."""
    return JsonResponse({"seconds_left": seconds_left(request), "warning_seconds": warning_seconds()},
                        headers={"Cache-Control": "no-store"})


@require_POST
def keep_alive(request):
    """"Stay signed in": the request itself is the activity (the middleware has refreshed the session)."""
    return JsonResponse({"seconds_left": seconds_left(request), "warning_seconds": warning_seconds()},
                        headers={"Cache-Control": "no-store"})


def dialog_context(request) -> dict:
    """Template context (a context processor): the warning dialog's timings for signed-in pages."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"idle_warning": {"idle_seconds": idle_seconds(), "warning_seconds": warning_seconds(),
                             "warning_text": _duration(warning_seconds())}}
