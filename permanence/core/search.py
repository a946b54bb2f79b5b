"""Search that is tolerant of case, word order and partial words: every word typed must match one of the record's
fields (AND over the words, OR over the fields), each as a case-insensitive part of the field. "grace keble",
"Keble Grace" and "kEb gra" all find Grace Keble's household.

The same query runs on SQLite (LIKE, case-insensitive for ASCII) and PostgreSQL (UPPER … LIKE UPPER). On
PostgreSQL the site search also finds close spellings ("Keeble" finds Keble, "Quatermaine" finds Quartermaine):
pg_trgm's word similarity (`%>`, at its default threshold of 0.6) on words of CLOSE_MIN letters or more. Both the
part-of-a-word test and the close spelling are served by one trigram index per searched field, on UPPER(field)
(core migration 0005); results that hold every word as typed come before close spellings, which the page marks.
SQLite has no trigram index: there the search is the plain part-of-a-word test. Every search is scoped to one
RAA's or LA's records first. Apps say which fields a word may match (`per_word`, through `holds`); a word that
reads as a reference (P000123, H12) or a date (27/3/2024, 2024-03-27) is matched exactly by the caller's own rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Upper

MAX_WORDS = 8
MAX_WORD = 60
SCOPE_IDS_MAX = 20_000  # a scope larger than this is searched through a subquery (SQLite's bound parameters)
CLOSE_MIN = 4  # shorter words have too few trigrams to tell a close spelling from chance


def finds_close_spellings() -> bool:
    """Whether this database finds close spellings (PostgreSQL with pg_trgm; not SQLite)."""
    return connection.vendor == "postgresql"


def holds(field: str, word: str, *, close: bool = False) -> Q:
    """The field holds the word as a part, in any case; with close=True, on PostgreSQL, also a close spelling of
    the word (pg_trgm word similarity: some run of the field's letters is spelt nearly like the word)."""
    match = Q(**{f"{field}__icontains": word})
    if close and len(word) >= CLOSE_MIN and finds_close_spellings():
        from django.contrib.postgres.lookups import TrigramWordSimilar

        match |= Q(TrigramWordSimilar(Upper(field), word.upper()))
    return match


def words(text: str | None) -> list[str]:
    """The words of a search, at most MAX_WORDS of at most MAX_WORD characters (a pasted paragraph is cut)."""
    return [w[:MAX_WORD] for w in (text or "").replace("\x00", "").split()][:MAX_WORDS]


def all_words(text: str | None, per_word: Callable[..., Q], *, close: bool = False) -> Q:
    """Rows where every word matches (per_word(word, close) gives the fields one word may match); no words: no
    row."""
    found = words(text)
    if not found:
        return Q(pk__in=[])
    match = Q()
    for word in found:
        match &= per_word(word, close)
    return match


@dataclass(frozen=True)
class Fields:
    """One kind of record's search: per_word(word, close) is the Q for the fields one word may match.

    `scoped`: per_word also takes `in_scope`, the ids of the rows searched (or None), to look up a related table
    (a household's applicants) by those ids rather than across every row of it: PostgreSQL costs the trigram
    operator like a plain comparison, and would otherwise scan every applicant in the country for each word.
    """

    per_word: Callable[..., Q]
    scoped: bool = False

    def q(self, text: str | None, *, close: bool = False, in_scope: list[int] | None = None) -> Q:
        per_word = partial(self.per_word, in_scope=in_scope) if self.scoped else self.per_word
        return all_words(text, per_word, close=close)

    def ids_of(self, rows: QuerySet) -> list[int] | None:
        """The ids of the rows searched, for a scoped search (None if it is not, or they are too many)."""
        if not self.scoped:
            return None
        ids = list(rows.order_by().values_list("pk", flat=True)[:SCOPE_IDS_MAX + 1])
        return ids if len(ids) <= SCOPE_IDS_MAX else None

    def find(self, rows: QuerySet, text: str) -> QuerySet:
        """The rows holding every word, as typed or (on PostgreSQL) as a close spelling, annotated
        `close_spelling` (1 where some word matched only as a close spelling, else 0) to put first those that hold
        every word as typed."""
        in_scope = self.ids_of(rows)
        if not finds_close_spellings():
            return rows.filter(self.q(text, in_scope=in_scope)).annotate(
                close_spelling=Value(0, output_field=IntegerField()))
        return rows.filter(self.q(text, close=True, in_scope=in_scope)).annotate(close_spelling=Case(
            When(self.q(text, in_scope=in_scope), then=Value(0)), default=Value(1), output_field=IntegerField()))


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
