"""Paging for every API list, and the two rules every list follows (issue 15):

1. More than one default page at once is an export. `page_size` above `page_size` (50) needs the export
   permission the pages' CSV/XLSX downloads need (access.can_list_in_bulk); without it the list is a 403
   ("Listing more than 50 records at once needs permission to export. Ask your team manager."). Walking the
   pages one by one at the default size stays open, and each page is logged.
2. Every list and search is logged (core.audit.record_list): which list, its filters (search terms as a keyed
   hash, never in clear) and how many records matched, before the page is sent.

Both happen in `paginate_queryset`, which every list endpoint calls, so a new endpoint cannot forget them.
"""

from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination

from permanence import access
from permanence.core import audit

PAGING_PARAMS = frozenset({"page", "page_size"})


def bulk_refusal(size: int) -> str:
    return f"Listing more than {size} records at once needs permission to export. Ask your team manager."


def list_name(request, view) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return match.view_name
    return f"api:{getattr(view, 'basename', type(view).__name__)}-list"


def query_filters(request) -> dict:
    """The query string's parameters but the paging ones, one value each unless given several times."""
    return {k: v[0] if len(v) == 1 else v for k, v in request.query_params.lists() if k not in PAGING_PARAMS}


def log_api_list(request, view, *, row_count: int, filters=None) -> None:
    """The log row of an API list or search (also for the few lists that are not paged)."""
    params = filters if filters is not None else query_filters(request)
    audit.record_list(viewer=request.user, what=list_name(request, view), path=request.path,
                      filters=params, row_count=row_count)


class Pagination(PageNumberPagination):
    """?page=N&page_size=M (default 50, at most 500; above 50 needs the export permission). A page past the
    end is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        size = self.get_page_size(request)
        if size is not None and size > self.page_size and not access.can_list_in_bulk(request.user):
            raise PermissionDenied(bulk_refusal(self.page_size))
        page = super().paginate_queryset(queryset, request, view)
        filters = query_filters(request)
        if page is not None:
            filters["page"] = self.page.number
        log_api_list(request, view, row_count=self.page.paginator.count if page is not None else len(queryset),
                     filters=filters)
        return page

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for p in parameters:
            p["schema"]["minimum"] = 1
            if p["name"] == self.page_size_query_param:
                p["schema"]["maximum"] = self.max_page_size
                p["description"] = (f"Results per page (default {self.page_size}, at most {self.max_page_size}; "
                                    f"more than {self.page_size} needs permission to export).")
        return parameters
