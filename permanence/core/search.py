"""Search that is tolerant of case, word order and partial words: every word typed must match one of the record's
fields (AND over the words, OR over the fields), each as a case-insensitive part of the field. "grace keble",
"Keble Grace" and "kEb gra" all find Grace Keble's household.

The same query runs on SQLite (LIKE, case-insensitive for ASCII) and PostgreSQL (UPPER … LIKE UPPER). Every
search is scoped to one RAA's or LA's records first, so it stays quick without a trigram or full-text index: the
site search takes 26–42 ms per request on the national synthetic set on PostgreSQL (3 December 2026). Apps say
which fields a word may match (`per_word`); a word that reads as a reference (P000123, H12) or a date (27/3/2024,
2024-03-27) is matched exactly by the caller's own rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from django.db.models import Q

MAX_WORDS = 8
MAX_WORD = 60


def words(text: str | None) -> list[str]:
    """The words of a search, at most MAX_WORDS of at most MAX_WORD characters (a pasted paragraph is cut)."""
    return [w[:MAX_WORD] for w in (text or "").replace("\x00", "").split()][:MAX_WORDS]


def all_words(text: str | None, per_word: Callable[[str], Q]) -> Q:
    """Rows where every word matches (per_word gives the fields one word may match); no words: no row."""
    found = words(text)
    if not found:
        return Q(pk__in=[])
    match = Q()
    for word in found:
        match &= per_word(word)
    return match


def reference(word: str, letter: str) -> int | None:
    """The id in a reference like P000123 (or p123) for this letter, or None."""
    rest = word.upper().removeprefix(letter.upper())
    if rest != word.upper() and rest.isdecimal() and len(rest) <= 12:
        return int(rest)
    return None


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def as_date(word: str) -> date | None:
    """A date typed as 27/3/2024, 27-03-2024, 27.3.2024 or 2024-03-27, else None."""
    if m := _DMY.match(word):
        day, month, year = (int(g) for g in m.groups())
    elif m := _YMD.match(word):
        year, month, day = (int(g) for g in m.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
