"""What every access module shares: who counts as signed-in staff, and the one not-found answer.

"Missing" and "not yours" are the same answer: a 404 saying nothing about whether the record exists. Every
get_*_for in this package goes through get_or_404 (or not_found when the role alone rules the record out).
"""

from __future__ import annotations

from typing import NoReturn

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404


def active(user) -> bool:
    """An active, signed-in member of staff with an organisation: the only users any access is given to."""
    return bool(user and user.is_authenticated and user.is_active and getattr(user, "organisation_id", None))


def not_found(what: str) -> NoReturn:
    """The 404 for a record of this kind, whether it is missing or not the user's."""
    raise Http404(f"No {what} found")


def get_or_404(rows, what: str, **lookup):
    """One row of `rows` (a queryset already scoped to what the user may see), else not_found(what).

    A malformed key (a word where a number belongs) is a missing record too, never a 500."""
    try:
        return rows.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        not_found(what)
