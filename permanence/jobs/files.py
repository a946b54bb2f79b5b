"""Files made in the background: large list exports and the big report PDFs (issue 16, item 3).

A list page's export (core.exports.export_response) of more than PERMANENCE_EXPORT_JOB_ROWS rows, and the
report PDFs (the quarterly report, the ASGLB return, the members' report), are not made in the web request:

    if (queued := files.queue_report(request, label="Quarterly report for Leeds, 2025Q4 (PDF)")):
        return queued            # in the web request: a job is queued and the user sent to its page

The job *replays the page's own view* for the person who asked (a GET of the same path and query, as them):
the view checks access again and builds the rows or the report exactly as the immediate download would, and
export_response / pdf_response, seeing that they run inside a job (`active()`), write the file here instead of
answering – so the job's file is the immediate path's file, and no app declares its exports twice. Progress is
"Wrote 1,200 of 4,800 rows" for an export and the stage for a PDF. The export log entries the view makes are
held back and written with the file, in one transaction: a job that fails has written no file and no log.

The file (JobOutput) is downloadable only by the person who asked (access.get_file_job_for: missing and
not-yours are the same 404), while they are still who the page let through (active, same role, same organisation:
_allowed_export), and is deleted PERMANENCE_JOB_FILE_HOURS
after it was made (purge_expired: run by every file job, the job pages and `permanence worker`).
"""

from __future__ import annotations

import io
import logging
import tempfile
import typing
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone

from permanence.jobs import services as jobs
from permanence.jobs.models import Job, JobOutput, JobOutputPart

logger = logging.getLogger(__name__)

EXPORT = "file.export"
REPORT = "file.report"
FILE_KINDS = (EXPORT, REPORT)
ROWS_EVERY = 200  # rows between progress writes (Progress itself writes at most twice a second)


def threshold() -> int:
    return int(getattr(settings, "PERMANENCE_EXPORT_JOB_ROWS", 2000))


def keep_for() -> timedelta:
    return timedelta(hours=int(getattr(settings, "PERMANENCE_JOB_FILE_HOURS", 24)))


class Sink:
    """Where export_response and pdf_response put the file when they run inside a file job."""

    def __init__(self, job: Job, progress: jobs.Progress):
        self.job = job
        self.progress = progress
        self.logs: list[dict] = []
        self.file: tuple[str, str, typing.BinaryIO, int] | None = None  # name, content type, the file, rows
        self._temporary: list[typing.BinaryIO] = []

    # -- exports -------------------------------------------------------------------------------------------
    def counted(self, rows, count: int):
        """The rows, reporting "Wrote n of N rows" as they are written (up to 95 %)."""
        from permanence.core.exports import _iterate

        low = 50 if self.job.kind == REPORT else 0  # a report has worked out its figures first
        self.progress(f"Wrote 0 of {count:,} rows", 0, count, percent=low, step="rows")
        i = 0
        for i, row in enumerate(_iterate(rows), start=1):
            yield row
            if i % ROWS_EVERY == 0:
                self.progress(f"Wrote {i:,} of {count:,} rows", i, count,
                              percent=low + (95 - low) * i / max(count, 1), step="rows")
        self.progress(f"Wrote {i:,} of {count:,} rows", i, count, percent=95, step="rows")

    def temporary_file(self) -> typing.BinaryIO:
        """A temporary file to write the job's file to (deleted when the job has saved it, or failed)."""
        out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(), after the file is saved
        self._temporary.append(out)
        return out

    def put_file(self, name: str, content_type: str, out: typing.BinaryIO, rows: int = 0) -> HttpResponse:
        """The job's file is what was written to `out` (kept a part at a time when the job saves it)."""
        self.file = (name, content_type, out, rows)
        return HttpResponse(status=204)

    def put(self, name: str, content_type: str, data: bytes, rows: int = 0) -> HttpResponse:
        return self.put_file(name, content_type, io.BytesIO(data), rows)

    def close(self) -> None:
        for out in self._temporary:
            out.close()
        self._temporary = []

    # -- PDFs ----------------------------------------------------------------------------------------------
    def stage(self, text: str, percent: int) -> None:
        self.progress(text, 0, 0, percent=percent, step=text)


_SINK: ContextVar[Sink | None] = ContextVar("permanence_file_job", default=None)


def active() -> Sink | None:
    """The file job this code runs in, if it does (export_response and pdf_response ask)."""
    return _SINK.get()


def can_queue(request) -> bool:
    """A real person's web request, not inside a job already (a job writes its file itself)."""
    return active() is None and getattr(getattr(request, "user", None), "pk", None) is not None


def _who(user) -> dict:
    return {"role": getattr(user, "role", ""), "organisation": getattr(user, "organisation_id", None)}


def start(request, *, kind: str, label: str, count: int = 0, extra: dict | None = None) -> Job:
    # Who they were when they asked: the page's own rule let them, and holds while their role and organisation do.
    return jobs.start(kind=kind, actor=request.user, label=label,
                      params={"path": request.get_full_path(), "count": count, "who": _who(request.user),
                              **(extra or {})})


def queued(job: Job) -> HttpResponse:
    return redirect("jobs:job", pk=job.pk)


def queue_export(request, *, filename: str, fmt: str, count: int) -> HttpResponse | None:
    """Queue a large export and send the user to its page; None when it is small or this runs in a job."""
    if count <= threshold() or not can_queue(request):
        return None
    return queued(start(request, kind=EXPORT, label=f"Export of {filename} as {fmt.upper()} ({count:,} rows)",
                        count=count))


def queue_report(request, *, label: str) -> HttpResponse | None:
    """Queue a report file (a PDF, a return) and send the user to its page; None inside the job that makes it."""
    if not can_queue(request):
        return None
    return queued(start(request, kind=REPORT, label=label))


def step(text: str, done: int = 0, total: int = 0, percent: float | None = None) -> None:
    """Inside a file job, say how far the work has got (a report's stages); nothing outside one."""
    sink = active()
    if sink is not None:
        sink.progress(text, done, total, percent=percent, step=text.split(" ")[0])


def defer_log(**kwargs) -> bool:
    """Inside a file job, hold an export log entry back to be written with the file; False outside one."""
    sink = active()
    if sink is None:
        return False
    sink.logs.append(kwargs)
    return True


# -- running ---------------------------------------------------------------------------------------------------

def _request(job: Job) -> tuple[HttpRequest, object]:
    path, _, query = str(job.params.get("path", "")).partition("?")
    try:
        match = resolve(path)
    except Resolver404:
        raise jobs.JobRefused("The page this file came from is no longer there. Nothing was saved.") from None
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.META = {"REQUEST_METHOD": "GET", "QUERY_STRING": query, "PATH_INFO": path,
                    "SERVER_NAME": "permanence-job", "SERVER_PORT": "80", "HTTP_ACCEPT": "*/*",
                    # A host the site answers to, should a page or template ask for one.
                    "HTTP_HOST": next((h.lstrip(".") for h in settings.ALLOWED_HOSTS
                                       if not h.startswith("*") and h != "."), "localhost")}
    request.GET = QueryDict(query)
    request.user = job.actor
    request.resolver_match = match
    request._dont_enforce_csrf_checks = True
    return request, match


def replay(job: Job, progress: jobs.Progress) -> Sink:
    """Run the page's view as the person who asked, with this job's sink: the view checks access again."""
    if job.actor is None:
        raise jobs.JobRefused("Only a person can ask for this file. Nothing was saved.")
    request, match = _request(job)
    sink = Sink(job, progress)
    token = _SINK.set(sink)
    try:
        match.func(request, *match.args, **match.kwargs)
    except (Http404, PermissionDenied):
        sink.close()
        raise jobs.JobRefused("You can no longer see these records, so the file was not made. Nothing was saved.") \
            from None
    except BaseException:
        sink.close()  # a file half-written is deleted with its temporary file
        raise
    finally:
        _SINK.reset(token)
    return sink


def _save(job: Job, sink: Sink, *, name: str, content_type: str, source: typing.BinaryIO,
          rows: int = 0) -> JobOutput:
    """Keep the job's file `source`, read and stored a part (JobOutputPart.SIZE) at a time, and write the export
    log entries the view held back, in one transaction."""
    from permanence.core.models import ExportLog

    now = timezone.now()
    with transaction.atomic():
        output = JobOutput.objects.create(job=job, name=name[:200], content_type=content_type, size=0, rows=rows,
                                          created_at=now, expires_at=now + keep_for())
        source.seek(0)
        size = index = 0
        while part := source.read(JobOutputPart.SIZE):
            JobOutputPart.objects.create(output=output, index=index, data=part)
            size, index = size + len(part), index + 1
            del part
        JobOutput.objects.filter(pk=output.pk).update(size=size)
        output.size = size
        for log in sink.logs:
            instance = log.pop("instance", None)
            ExportLog.objects.create(
                at=now, user=job.actor, what=log["what"], format=log["fmt"], filters=log.get("filters") or {},
                row_count=log["row_count"], path=str(log.get("path", ""))[:300], child_id=log.get("child_id"),
                object_type=instance._meta.label_lower if instance is not None else "",
                object_id=str(instance.pk) if instance is not None else "")
    return output


def _run_file(job: Job, progress: jobs.Progress) -> dict:
    purge_expired()
    if job.kind == REPORT:
        progress("Working out the figures", 0, 0, percent=5)
    sink = None
    try:
        sink = replay(job, progress)
        if sink.file is None:
            raise jobs.JobRefused("The page did not make a file this time (what it shows may have changed). "
                                  "Nothing was saved: ask for the file again.")
        name, content_type, source, rows = sink.file
        progress("Saving the file", 0, 0, percent=97)
        output = _save(job, sink, name=name, content_type=content_type, source=source, rows=rows)
    finally:
        if job.kind == EXPORT:
            forget_query(job)
        if sink is not None:
            sink.close()
    return {"file": name, "size": output.size, "rows": rows}


def parts(output: JobOutput) -> typing.Iterator[bytes]:
    """A kept file's bytes, a part at a time (one part's bytes held at once)."""
    for pk in list(JobOutputPart.objects.filter(output=output).order_by("index").values_list("pk", flat=True)):
        yield bytes(JobOutputPart.objects.values_list("data", flat=True).get(pk=pk))


def forget_query(job: Job) -> None:
    """A list export's query string (its filters, a search term among them) is kept only until the job has
    replayed the page (issue 15: no search term in clear in what is kept). The job keeps the page's bare path,
    its way back."""
    path = str(job.params.get("path", ""))
    if "?" in path:
        job.params = {**job.params, "path": path.partition("?")[0]}
        Job.objects.filter(pk=job.pk).update(params=job.params)


def purge_expired(now=None) -> int:
    """Delete the files whose time is up, and the uploads finished jobs kept (a dry run's, for
    "Import these files") past their time. Returns how many."""
    deleted, _ = JobOutput.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted + jobs.purge_kept_files(now)


def _allowed_export(user, job: Job) -> bool:
    """Each list has its own rule for who may take it out (most: access.can_export; the inter-agency fees: the
    finance roles…), decided by its view – which the job runs again as the person. On every look at the job and
    at download the person must still be who the view let through: active, the same role, the same organisation
    (what every access rule turns on); a change of either, or leaving, and the file is theirs no more."""
    from permanence.access.common import active

    return active(user) and job.params.get("who") == _who(user)


def _allowed_report(user, job: Job) -> bool:
    from permanence import access

    return _allowed_export(user, job) and access.can_see_aggregates(user)


ALLOWED = {EXPORT: _allowed_export, REPORT: _allowed_report}

jobs.register(EXPORT, _run_file, _allowed_export)
jobs.register(REPORT, _run_file, _allowed_report)
