"""SSDA903 imports and dry runs as background jobs (permanence.jobs): the upload is held in the database, the
job reads it file by file, reports its progress, and leaves the import's result (an ImportBatch) to show.

The import's own writes are one transaction (services.import_903), so a job that fails changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from permanence import access
from permanence.interchange import services
from permanence.jobs import services as jobs
from permanence.jobs.models import Job
from permanence.organisations.models import Organisation

KIND = "ssda903.import"


def start_import(*, files=(), la: Organisation, actor, dry_run: bool, validate: bool = True,
                 files_of_job: Job | None = None) -> Job:
    """Queue an import (or dry run) of these files for this LA – or of the files another job kept
    (`files_of_job`, which move to the new job). Raises PermissionDenied as the import does."""
    if actor is not None and not access.can_import_for(actor, la):
        raise PermissionDenied("You cannot import 903 files for this local authority.")
    pairs = [(f.name, f) if not isinstance(f, tuple) else f for f in files]
    label = f"SSDA903 {'dry run' if dry_run else 'import'} for {la.name}"
    return jobs.start(kind=KIND, actor=actor, la=la, label=label, files=pairs,
                      params={"dry_run": dry_run, "validate": validate}, files_of_job=files_of_job)


def dry_run_job(batch) -> Job | None:
    """The dry run job that made this batch, while it still holds the uploaded files (jobs.KEEP_FILES_HOURS)."""
    from datetime import timedelta

    from django.utils import timezone

    if batch.status != batch.Status.DRY_RUN:
        return None
    since = timezone.now() - timedelta(hours=jobs.KEEP_FILES_HOURS)
    job = (Job.objects.filter(kind=KIND, state=Job.State.SUCCEEDED, result__batch=batch.pk, la_id=batch.la_id,
                              finished_at__gte=since).order_by("-pk").first())
    return job if job is not None and job.files.exists() else None


def import_after_dry_run(*, batch, actor) -> Job:
    """Import the files a dry run checked, without uploading them again: a new import job (the same validation)
    to which the dry run's files move, in one transaction – a second click finds none, and a failure to queue
    leaves them where they were. Refused when the files are no longer held."""
    from django.core.exceptions import ValidationError

    gone = ValidationError("The files from this dry run are no longer held (they are kept for "
                           f"{jobs.KEEP_FILES_HOURS} hours after it). Upload them again to import them.")
    jobs.purge_kept_files()
    source = dry_run_job(batch)
    if source is None:
        raise gone
    try:
        return start_import(la=batch.la, actor=actor, dry_run=False, validate=source.params.get("validate", True),
                            files_of_job=source)
    except jobs.JobRefused:
        raise gone from None


def _allowed(user, job: Job) -> bool:
    return job.la is not None and access.can_import_for(user, job.la)


def _run(job: Job, progress: jobs.Progress) -> dict:
    held = jobs.files_of(job)

    def fetch(i):
        return lambda: jobs.open_file(job, i)  # read a megabyte at a time, never whole

    def step(what, done, total):
        text, pct = services.progress_text(what, done, total)
        progress(text, done, total, percent=pct, step=what)

    result = services.import_903(files=[(name, (size, fetch(i))) for i, (name, size) in enumerate(held)],
                                 la=job.la, actor=job.actor, dry_run=job.params.get("dry_run", False),
                                 validate=job.params.get("validate", True), progress=step)
    counts = {k: v for k, v in result.summary.items() if isinstance(v, int)}
    # A dry run's upload is kept for "Import these files" (jobs.KEEP_FILES_HOURS); one refused for errors is not.
    keep = result.batch.status == result.batch.Status.DRY_RUN
    return {"batch": result.batch.pk, "status": result.batch.status, "counts": counts, "keep_files": keep}


jobs.register(KIND, _run, _allowed)
