"""A file job's pages: its progress (refreshing itself until it ends), then the download link or why it failed;
the progress as JSON for the page's script; the download, only for the person who asked, until it expires."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from permanence import access
from permanence.core.exports import attachment
from permanence.jobs import files
from permanence.jobs import services as jobs
from permanence.jobs.models import JobOutput


def _seen(j):
    """A running job whose process on this machine has gone is shown as failed, not "Running" for ever."""
    if j.state == j.State.RUNNING and jobs.recover_stopped([j.pk]):
        j.refresh_from_db()
    return j


def _output(j):
    return JobOutput.objects.defer("data").filter(job=j, expires_at__gt=timezone.now()).first()


def _state(j) -> dict:
    return {"state": j.state, "label": j.get_state_display(), "stage": j.stage, "done": j.done, "total": j.total,
            "percent": j.percent, "finished": j.finished, "error": j.error}


@never_cache
def job(request, pk: int):
    files.purge_expired()
    j = _seen(access.get_file_job_for(request.user, pk))
    state = _state(j)
    output = _output(j) if j.state == j.State.SUCCEEDED else None
    return render(request, "jobs/job.html", {"job": j, "state": state, "output": output,
                                             "back": j.params.get("path", "")})


@never_cache
def job_progress(request, pk: int):
    return JsonResponse(_state(_seen(access.get_file_job_for(request.user, pk))))


@never_cache
def download(request, pk: int):
    """The file, for the person who asked only (others: 404), until it expires (then 404 too)."""
    files.purge_expired()
    j = access.get_file_job_for(request.user, pk)
    if j.kind not in files.FILE_KINDS:
        raise Http404("Not found")
    output = JobOutput.objects.defer("data").filter(job=j, expires_at__gt=timezone.now()).first()
    if output is None:
        raise Http404("Not found")
    kept = output.parts.count()
    if kept > 1:  # a large export: sent a part at a time, as it is kept
        response = StreamingHttpResponse(files.parts(output), content_type=output.content_type)
        response["Content-Length"] = str(output.size)
    elif kept == 1:
        response = HttpResponse(next(files.parts(output)), content_type=output.content_type)
    else:  # bytes kept whole (a file made before files were kept in parts)
        response = HttpResponse(bytes(JobOutput.objects.values_list("data", flat=True).get(pk=output.pk)),
                                content_type=output.content_type)
    return attachment(response, output.name)


def download_url(j) -> str:
    return reverse("jobs:download", args=[j.pk])
