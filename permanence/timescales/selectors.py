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
