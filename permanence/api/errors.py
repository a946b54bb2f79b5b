"""One error body for every failure: {"errors": [{"field": ..., "message": ..., "code": ...}]}.

`field` is null for errors about the whole request, or a dotted path ("details.reason") into the body
or query string. A refused write (a service's ValidationError) is a 400 with the service's messages;
missing and not-yours are both 404 with the same body.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NOT_FOUND = "Not found."


def _flatten(detail: Any, field: str | None = None) -> list[dict]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else (f"{field}.{key}" if field else str(key))
            out += _flatten(value, name if key not in ("non_field_errors", "__all__") else field)
        return out
    if isinstance(detail, list):
        out = []
        for i, value in enumerate(detail):
            # A list of messages stays on the field; a list of objects (nested items) gets an index.
            out += _flatten(value, f"{field}.{i}" if isinstance(value, dict) and field else field)
        return out
    return [{"field": field, "message": str(detail), "code": getattr(detail, "code", None) or "invalid"}]


def from_django(err: DjangoValidationError) -> list[dict]:
    if hasattr(err, "error_dict"):
        return [{"field": None if f == "__all__" else f, "message": m, "code": "invalid"}
                for f, errors in err.error_dict.items() for e in errors for m in e.messages]
    return [{"field": None, "message": m, "code": "invalid"} for m in err.messages]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return Response({"errors": from_django(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404 | exceptions.NotFound):
        # The same body whether the record is missing or not the caller's, and for an invalid page.
        return Response({"errors": [{"field": None, "message": NOT_FOUND, "code": "not_found"}]},
                        status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    else:
        detail = getattr(exc, "detail", response.data)
        errors = [{"field": None, "message": str(detail),
                   "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error")}]
    response.data = {"errors": errors}
    if getattr(exc, "etag", None):  # a 412 (api/preconditions.py): the version the record is at now
        response["ETag"] = exc.etag
    return response
