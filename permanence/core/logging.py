"""Structured logs: one JSON line per request and per background job, with no personal data.

A request line says the method, the path, the status, how long it took, the signed-in user's id (a number,
never a name) and a request id (the caller's X-Request-ID when it is a plain token, otherwise a new one; sent
back in the response's X-Request-ID). The query string is never logged as typed: only the names of its
parameters, and the values of the few that are never personal (SAFE_QUERY_KEYS: page, sort, format...);
every other value, a search term above all, is written as "~". Request and response bodies are never logged.

A job line (`log_job`) is for the job queue's workers: the job's id, kind and state, how long it took and
counts; the caller passes only ids and numbers.

Both go to the loggers "permanence.requests" and "permanence.jobs" (settings.LOGGING), formatted by
JsonFormatter, one object per line on standard error.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

request_logger = logging.getLogger("permanence.requests")
job_logger = logging.getLogger("permanence.jobs")

# Query parameters whose values are never personal: paging, ordering, output format, dates, codes of organisations.
SAFE_QUERY_KEYS = frozenset({
    "page", "per_page", "page_size", "sort", "order", "ordering", "format", "export", "quarter", "year",
    "year_ending", "half_year", "as_of", "on", "la", "raa", "stage", "status", "kind", "tab", "view",
})
REDACTED = "~"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


TRACE_FRAMES = 20


def _short(filename: str) -> str:
    """A frame's file from the package or library it is in ("permanence/children/views.py",
    "django/core/handlers/base.py"), not the machine's paths."""
    for marker in ("/site-packages/", "/dist-packages/"):
        if marker in filename:
            return filename.rsplit(marker, 1)[1]
    if "/permanence/" in filename:
        return "permanence/" + filename.rsplit("/permanence/", 1)[1]
    return filename


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: ts, level, logger, event, and the record's `fields` (see `log_event`)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            # The exception's type and where it was raised: its message (and the frames' values) can carry
            # values from the request, so neither is written.
            line["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "Exception"
            line["trace"] = [f"{_short(frame.filename)}:{frame.lineno} in {frame.name}"
                             for frame in traceback.extract_tb(record.exc_info[2])[-TRACE_FRAMES:]]
            if record.name == "django.request":
                line["event"] = "unhandled error"  # Django's message repeats the path with its query string
        return json.dumps(line, default=str, separators=(",", ":"))


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields) -> None:
    logger.log(level, event, extra={"fields": fields})


def log_job(*, job_id, kind: str, state: str, duration_ms: float | None = None, error: str | None = None,
            level: int | None = None, **counts) -> None:
    """One JSON line for a job: id, kind (e.g. "ssda903.import"), state ("queued", "running", "done",
    "failed"), duration and plain counts (e.g. children_checked=120). `error` names the failure's type or a
    fixed sentence – never a value from the data (no names, no file contents)."""
    fields = {"job_id": job_id, "kind": kind, "state": state}
    if duration_ms is not None:
        fields["duration_ms"] = round(duration_ms, 1)
    if error is not None:
        fields["error"] = error
    fields.update(counts)
    if level is None:
        level = logging.ERROR if state == "failed" else logging.INFO
    log_event(job_logger, "job", level, **fields)


def safe_path(path: str, query_string: str) -> str:
    """The path with the query string's values redacted except for SAFE_QUERY_KEYS."""
    if not query_string:
        return path
    pairs = [(key, value if key in SAFE_QUERY_KEYS else REDACTED)
             for key, value in parse_qsl(query_string, keep_blank_values=True)]
    return f"{path}?{urlencode(pairs, safe=REDACTED)}" if pairs else path


def request_id_for(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Logs every request that reaches the application (static files are served before it, unlogged)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_for(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        response["X-Request-ID"] = request.request_id
        log_event(
            request_logger, "request",
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            method=request.method,
            path=safe_path(request.path, request.META.get("QUERY_STRING", "")),
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=user_id,
            request_id=request.request_id,
        )
        return response
