"""The one clock: today's date in the site's time zone. Rules never read it (dates are parameters); services,
views and commands ask here."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
