"""Starting and running background jobs, and reporting their progress.

    job = jobs.services.start(kind="ssda903.import", actor=user, la=la, label="…", params={…}, files=[…])

`start` records the Job (and its uploaded files) in one transaction, audits it, and hands its id to the task
queue (django-tasks: the DatabaseBackend in production, run by `permanence worker`; the in-process runner in the
demo; the ImmediateBackend in tests). Call it outside a transaction: a worker in another process must see the
row. `run` is what the queue calls: it marks the job running, calls the kind's handler with a Progress, records
the result or, if the handler raises, the reason – the handler's own writes are one transaction, so a failed job
has changed nothing – and deletes the uploaded files.
"""

from __future__ import annotations

import io
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models.functions import Substr
from django.utils import timezone

from permanence.core import audit
from permanence.core.logging import log_job
from permanence.jobs.models import Job, JobFile

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


class JobRefused(Exception):
    """Raised by a handler for a failure to show the user as it is (a plain sentence, no personal data)."""


@dataclass(frozen=True)
class Kind:
    handler: Callable[[Job, Progress], dict]
    # Checked again when the job runs and whenever its row is shown: may this user still see and run it?
    allowed: Callable[[object, Job], bool]


KINDS: dict[str, Kind] = {}


def register(kind: str, handler: Callable[[Job, Progress], dict], allowed: Callable[[object, Job], bool]) -> None:
    KINDS[kind] = Kind(handler, allowed)


def _read(f) -> bytes:
    if isinstance(f, bytes | bytearray | memoryview):
        return bytes(f)
    if hasattr(f, "chunks"):
        return b"".join(f.chunks(CHUNK))
    return f.read()


def start(*, kind: str, actor, label: str, la=None, params: dict | None = None,
          files: Iterable[tuple[str, object]] = (), files_of_job: Job | None = None) -> Job:
    """Record a job and queue it. `files`: (name, bytes or an open binary file / UploadedFile) pairs;
    `files_of_job`: a finished job whose kept files move to this one, in the same transaction (nothing is copied,
    and nothing is lost if queueing fails)."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, label=label[:200], actor=actor if getattr(actor, "pk", None) else None,
                                 la=la, params=params or {}, created_at=timezone.now(), stage="Waiting to start")
        names = []
        for name, f in files:
            data = _read(f)
            JobFile.objects.create(job=job, name=str(name)[:200], size=len(data), data=data)
            names.append(str(name)[:200])
            del data
        if files_of_job is not None:
            moved = JobFile.objects.filter(job=files_of_job)
            names += list(moved.order_by("pk").values_list("name", flat=True))
            if not moved.update(job=job):
                raise JobRefused("The files are no longer held.")
        audit.record_change(actor=actor, action="job.queued", instance=job,
                            after={"kind": kind, "la": getattr(la, "code", None), "files": names})
    from permanence.jobs.tasks import run_job

    try:
        result = run_job.enqueue(job.pk)
    except Exception:
        # Not queued: the job says so, and files moved from another job go back to it (nothing is lost).
        with transaction.atomic():
            if files_of_job is not None:
                JobFile.objects.filter(job=job).update(job=files_of_job)
            Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
                state=Job.State.FAILED, error="The job could not be queued. Nothing was changed.", stage="Failed",
                finished_at=timezone.now())
        raise
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


class Progress:
    """Records how far a job has got: what it is doing (a sentence for the page), done of total, and an
    overall percentage. Writes at most every `every` seconds, and always when the stage changes or ends."""

    def __init__(self, job: Job, every: float = 0.5):
        self.job = job
        self.every = every
        self._last = 0.0
        self._stage = None

    def __call__(self, stage: str, done: int = 0, total: int = 0, percent: float | None = None,
                 step: str | None = None) -> None:
        """`stage`: the sentence shown ("Checked 1,200 of 4,800 children"); `step`: which step it is (the stage
        itself if not given), so a step's sentences are written at most every `every` seconds."""
        now = time.monotonic()
        step = step or stage
        if step == self._stage and done < total and now - self._last < self.every:
            return
        self._stage, self._last = step, now
        pct = int(max(0, min(100, percent if percent is not None else (100 * done / total if total else 0))))
        Job.objects.filter(pk=self.job.pk).update(stage=stage[:200], done=done, total=total, percent=pct)


def run(job_id: int) -> str:
    """Run one queued job (the queue's task calls this). Returns the job's final state."""
    job = Job.objects.select_related("actor", "la").filter(pk=job_id).first()
    if job is None or job.state != Job.State.QUEUED:
        return job.state if job else "missing"
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=timezone.now(), stage="Starting",
                                         worker_host=socket.gethostname()[:255], worker_pid=os.getpid())
    log_job(job_id=job.pk, kind=job.kind, state="running")
    began = time.monotonic()
    kind = KINDS.get(job.kind)
    try:
        if kind is None:
            raise JobRefused("This kind of job is not known here.")
        if job.actor is not None and not kind.allowed(job.actor, job):
            raise JobRefused("You can no longer do this: nothing was changed.")
        result = kind.handler(job, Progress(job))
    except JobRefused as refused:
        _fail(job, str(refused))
        log_job(job_id=job.pk, kind=job.kind, state="failed", duration_ms=1000 * (time.monotonic() - began),
                error="refused")
    except Exception as exc:  # noqa: BLE001 - a job never dies silently: the page says it failed
        log_job(job_id=job.pk, kind=job.kind, state="failed", duration_ms=1000 * (time.monotonic() - began),
                error=type(exc).__name__)
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, f"The job failed unexpectedly ({type(exc).__name__}). Nothing was changed. Try again, and if "
                   "it fails again tell your system administrator.")
    else:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED, result=result or {}, percent=100,
                                                 stage="Finished", finished_at=timezone.now())
            audit.record_change(actor=job.actor, action="job.succeeded", instance=job,
                                after={"kind": job.kind, "result": result or {}})
        log_job(job_id=job.pk, kind=job.kind, state="done", duration_ms=1000 * (time.monotonic() - began),
                **{k: v for k, v in (result or {}).get("counts", {}).items() if isinstance(v, int)})
    finally:
        state = Job.objects.values_list("state", flat=True).get(pk=job.pk)
        kept = Job.objects.values_list("result", flat=True).get(pk=job.pk) or {}
        if not (state == Job.State.SUCCEEDED and kept.get("keep_files")):
            JobFile.objects.filter(job_id=job.pk).delete()  # kept only when the handler says (a dry run to confirm)
    return state


def _fail(job: Job, message: str) -> None:
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error=message, stage="Failed",
                                             finished_at=timezone.now())
        audit.record_change(actor=job.actor, action="job.failed", instance=job,
                            after={"kind": job.kind, "error": message})


STOPPED = ("The process running this job stopped before it finished (it was restarted, killed or the machine "
           "stopped). Nothing was changed: start it again.")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def recover_stopped(job_ids: Iterable[int] | None = None) -> int:
    """Fail the running jobs whose process on this machine has gone (a worker killed mid-job, a web process
    restarted while its thread ran a job): their handler's writes were one transaction that never committed,
    so nothing was changed and the page must say so rather than "Running" for ever. `permanence worker` calls
    it when it starts, and the job's page when it shows a running job. A job run on another machine is left to
    that machine's worker (a process elsewhere cannot be seen from here). Returns how many were failed."""
    host = socket.gethostname()[:255]
    running = Job.objects.filter(state=Job.State.RUNNING, worker_host=host, worker_pid__isnull=False)
    if job_ids is not None:
        running = running.filter(pk__in=list(job_ids))
    failed = 0
    for job in running.select_related("actor"):
        if job.worker_pid == os.getpid() or _alive(job.worker_pid):
            continue
        with transaction.atomic():
            if not Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
                    state=Job.State.FAILED, error=STOPPED, stage="Failed", finished_at=timezone.now()):
                continue  # another page or worker failed it first: it logs and tidies
            audit.record_change(actor=job.actor, action="job.failed", instance=job,
                                after={"kind": job.kind, "error": "process stopped"})
            JobFile.objects.filter(job_id=job.pk).delete()
        failed += 1
        log_job(job_id=job.pk, kind=job.kind, state="failed", error="process stopped")
    return failed


KEEP_FILES_HOURS = 24  # how long a finished job's kept files (a dry run's upload) are held


def purge_kept_files(now=None) -> int:
    """Delete the files that finished jobs kept (a dry run's upload, for "Import these files") once they are
    older than KEEP_FILES_HOURS. Returns how many files were deleted."""
    from datetime import timedelta

    cutoff = (now or timezone.now()) - timedelta(hours=KEEP_FILES_HOURS)
    deleted, _ = JobFile.objects.filter(job__finished_at__lt=cutoff).delete()
    return deleted


def files_of(job: Job) -> list[tuple[str, int]]:
    """The job's uploaded files: (name, size), in upload order."""
    return list(JobFile.objects.filter(job=job).values_list("name", "size"))


class StoredFile(io.RawIOBase):
    """An uploaded file held in the database, read a slice at a time (SUBSTR of the column): never whole."""

    def __init__(self, pk: int, size: int):
        self.pk, self.size, self.pos = pk, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def readinto(self, b) -> int:
        want = min(len(b), self.size - self.pos)
        if want <= 0:
            return 0
        data = bytes(JobFile.objects.filter(pk=self.pk).annotate(
            part=Substr("data", self.pos + 1, want, output_field=models.BinaryField())).values_list(
            "part", flat=True).get())
        b[:len(data)] = data
        self.pos += len(data)
        return len(data)


def open_file(job: Job, index: int) -> io.BufferedReader:
    """One uploaded file as a binary file read from the database a megabyte at a time (CHUNK)."""
    pk, size = JobFile.objects.filter(job=job).values_list("pk", "size")[index]
    return io.BufferedReader(StoredFile(pk, size), buffer_size=CHUNK)


def file_data(job: Job, index: int) -> bytes:
    """One uploaded file's bytes, read when needed (only one file's bytes held at a time)."""
    pk = JobFile.objects.filter(job=job).values_list("pk", flat=True)[index]
    return bytes(JobFile.objects.values_list("data", flat=True).get(pk=pk))
