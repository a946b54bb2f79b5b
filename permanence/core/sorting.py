"""A list's order from its column headers (issue 14): server-side, because the lists are paged and national.

    sorting = sorting_for(request, {"name": ("last_name", "first_name"), "due": ("next_due_date",)}, default="name")
    qs = qs.order_by(*sorting.order_by)
    ... render(..., {"sorting": sorting})

and in the table's head, one include per sortable column:

    {% include "includes/sortable_th.html" with column=sorting.columns.name label="Child" %}

The query string carries `sort=<key>` and `order=ascending|descending`. A key outside the list's whitelist, or an
order that is neither, is ignored (the default order, never an error). Every expression sorts with nulls last in
either direction, on SQLite and PostgreSQL alike, and the primary key breaks ties so paging is stable. Each
header links to its column's order (the other direction when it is the column in use), keeping the filters and
going back to the first page; the <th> says how the list is sorted with aria-sort.

A default written "-key" is that key descending; an expression written "-field" sorts against its column's
direction (the newest first among equal due dates, say). With no sort asked for, the list keeps its default order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, OrderBy, Value, When
from django.http import HttpRequest

ASCENDING, DESCENDING = "ascending", "descending"


@dataclass(frozen=True)
class Column:
    key: str
    aria_sort: str  # "ascending", "descending" or "none"
    url: str  # the query string (with its "?") that sorts by this column, the other way if it is the one in use

    @property
    def active(self) -> bool:
        return self.aria_sort != "none"


@dataclass(frozen=True)
class Sorting:
    key: str
    direction: str
    order_by: tuple
    columns: Mapping[str, Column]


def rank(field: str, values: Sequence) -> Case:
    """`field`'s value as its place in `values` (a journey's stages in order, say), others after them."""
    return Case(*(When(**{field: getattr(v, "value", v)}, then=Value(i)) for i, v in enumerate(values)),
                default=Value(len(values)), output_field=IntegerField())


def _ordered(expression, descending: bool) -> OrderBy:
    if isinstance(expression, str):
        if expression.startswith("-"):  # this part of the column sorts the other way (newest first, say)
            expression, descending = expression[1:], not descending
        expression = F(expression)
    return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)


def sorting_for(request: HttpRequest, columns: Mapping[str, Sequence], default: str, *,
                tie_breaker: str = "pk") -> Sorting:
    """The order asked for in the query string if its key is one of `columns`, else `default` ("key" or "-key")."""
    default_key = default.removeprefix("-")
    if default_key not in columns:
        raise ValueError(f"the default sort {default!r} is not one of the list's columns")
    default_direction = DESCENDING if default.startswith("-") else ASCENDING
    key = request.GET.get("sort", "")
    if key in columns:
        direction = DESCENDING if request.GET.get("order") == DESCENDING else ASCENDING
    else:
        key, direction = default_key, default_direction
    descending = direction == DESCENDING
    order_by = tuple(_ordered(e, descending) for e in columns[key]) + (
        (f"-{tie_breaker}" if descending else tie_breaker),)
    headers = {}
    for name in columns:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = name
        if name == key:
            query["order"] = ASCENDING if descending else DESCENDING
            aria = direction
        else:
            query["order"] = ASCENDING
            aria = "none"
        headers[name] = Column(key=name, aria_sort=aria, url=f"?{query.urlencode()}")
    return Sorting(key=key, direction=direction, order_by=order_by, columns=headers)
