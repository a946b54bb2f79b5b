from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """?page=N&page_size=M (default 50, at most 500). A page past the end is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for p in parameters:
            p["schema"]["minimum"] = 1
            if p["name"] == self.page_size_query_param:
                p["schema"]["maximum"] = self.max_page_size
                p["description"] = f"Results per page (default {self.page_size}, at most {self.max_page_size})."
        return parameters
