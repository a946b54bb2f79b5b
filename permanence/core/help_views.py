"""The footer's pages: help and contact, the accessibility statement, the privacy notice and cookies (issue 14
item 9). They open without signing in (someone locked out needs them most); the names and addresses in them
come from settings, so each deployment says who runs it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

PAGES = {
    "help": ("help/help.html", "Help and contact"),
    "accessibility": ("help/accessibility.html", "Accessibility statement"),
    "privacy": ("help/privacy.html", "Privacy notice"),
    "cookies": ("help/cookies.html", "Cookies"),
}


def _context() -> dict:
    return {
        "operator": settings.PERMANENCE_OPERATOR,
        "support_email": settings.PERMANENCE_SUPPORT_EMAIL,
        "dpo_email": settings.PERMANENCE_DPO_EMAIL,
        "idle_minutes": getattr(settings, "SESSION_IDLE_MINUTES", None),
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_expires": ("1 year" if settings.CSRF_COOKIE_AGE and settings.CSRF_COOKIE_AGE >= 365 * 86400
                         else f"{(settings.CSRF_COOKIE_AGE or 0) // 86400} days" if settings.CSRF_COOKIE_AGE
                         else "When you close your browser"),
        "statement_date": settings.PERMANENCE_ACCESSIBILITY_STATEMENT_DATE,
    }


def _page(name: str):
    template, title = PAGES[name]

    @login_not_required
    def view(request):
        return render(request, template, {**_context(), "title": title})

    view.__name__ = f"{name}_page"
    return view


help_page = _page("help")
accessibility = _page("accessibility")
privacy = _page("privacy")
cookies = _page("cookies")
