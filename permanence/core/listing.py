"""A page's list, paged and logged: every list and search a person is shown goes in the view log (issue 15).

    page = listing.paginate(request, qs, PAGE_SIZE)

is Django's `Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))` plus one RecordView row (through
core.audit.record_list): the page's URL name ("children:list"), its filters (the query string, search terms as
keyed hashes) and how many records matched. A list shown without paging logs with `listing.log(request, n)`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from permanence.core import audit


def _what(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else request.path


def log(request: HttpRequest, row_count: int, *, what: str | None = None, filters: Mapping | None = None) -> None:
    audit.record_list(viewer=request.user, what=what or _what(request), path=request.path,
                      filters=request.GET if filters is None else filters, row_count=row_count)


def paginate(request: HttpRequest, rows, per_page: int, *, what: str | None = None,
             filters: Mapping | None = None) -> Page:
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    log(request, page.paginator.count, what=what, filters=filters)
    return page


def query_without_page(request: HttpRequest) -> str:
    """The list's query string (its filters and order) without its page: what its downloads are asked with, so a
    file has the rows of the list as the person sees it, in the same order."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
