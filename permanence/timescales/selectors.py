from datetime import date

from django.db.models import Q

from permanence.timescales.models import Timescale
from permanence.timescales.rules import TimescaleFact


def timescales_in_force(on: date, subject: str = Timescale.Subject.CHILD) -> list[TimescaleFact]:
    rows = (
        Timescale.objects.filter(subject=subject, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("key", "-valid_from")
    )
    latest: dict[str, TimescaleFact] = {}
    for row in rows:
        latest.setdefault(row.key, row.as_fact())
    return list(latest.values())


def timescales_by_day(subject: str = Timescale.Subject.CHILD):
    """`in_force(day)` for many days at one query: what timescales_in_force(day, subject) gives, from every row of
    the subject read once (a figure that checks each case against the timescales of its own day, say)."""
    rows = list(Timescale.objects.filter(subject=subject).order_by("key", "-valid_from"))
    found: dict[date, list[TimescaleFact]] = {}

    def in_force(day: date) -> list[TimescaleFact]:
        if day not in found:
            latest: dict[str, TimescaleFact] = {}
            for row in rows:
                if row.valid_from <= day and (row.valid_to is None or row.valid_to >= day):
                    latest.setdefault(row.key, row.as_fact())
            found[day] = list(latest.values())
        return found[day]

    return in_force
