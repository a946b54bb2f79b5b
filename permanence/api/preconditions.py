"""Optimistic concurrency on the API (issue 16): every resource a client can change (PUT) answers GET with an
`ETag` – the record's version token (core.concurrency) – and a PUT or POST to it that sends `If-Match` is
applied only if the record is still that version: otherwise 412 Precondition Failed, with the API's error body
and the current ETag, and nothing is changed. The check and the write happen under one lock (the row is read
again with select_for_update inside the write's transaction), so two clients holding the same ETag cannot both
write. Without If-Match a write is applied (as before; docs/api.md asks clients to send it)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from django.db import models, transaction
from rest_framework import status
from rest_framework.exceptions import APIException

from permanence.core import concurrency

STALE_MESSAGE = ("Someone else changed this record since you read it. GET it again, check their changes, then "
                 "send yours with the new ETag in If-Match.")


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = STALE_MESSAGE
    default_code = "precondition_failed"

    def __init__(self, etag: str):
        super().__init__()
        self.etag = etag


NOTHING_YET = '"none"'


def etag(instance: models.Model | None, related: tuple[str, ...] = ()) -> str:
    """The resource's ETag: its version token; a resource with nothing recorded yet (no row) has its own."""
    if instance is None or instance.pk is None:
        return NOTHING_YET
    return concurrency.etag_for(instance, related)


@contextmanager
def guarded_write(request, lock: models.Model, tag: Callable[[], str]):
    """`with guarded_write(request, record, lambda: etag(...)) as fresh: <the write>` – the write in a
    transaction, after locking `lock` (the record, or the record a sub-resource belongs to, so that two first
    writes queue too) and checking the request's If-Match against `tag()` as it is now. Yields `lock` re-read."""
    with transaction.atomic():
        fresh = concurrency.locked(lock)
        if_match = request.headers.get("If-Match")
        if if_match is not None and if_match.strip():
            current = tag()
            tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
            if "*" in tags and current == NOTHING_YET:
                raise PreconditionFailed(current)  # "*": only if something is recorded (RFC 9110 13.1.1)
            if "*" not in tags and current not in tags:
                raise PreconditionFailed(current)
        yield fresh


def with_etag(response, instance: models.Model | None, related: tuple[str, ...] = ()):
    response["ETag"] = etag(instance, related)
    return response


def _schema():
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

    parameter = OpenApiParameter(
        "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
        description="The ETag from your last GET of this resource: the write is applied only if nobody has "
                    "changed it since (otherwise 412). Send it: without it the write is applied regardless.")
    response = OpenApiResponse(description="Precondition Failed: the record changed since the ETag in If-Match. "
                                           "The body is the usual error body; the ETag header is the current one.")
    return parameter, response


IF_MATCH, PRECONDITION_FAILED = _schema()
