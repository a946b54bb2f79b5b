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


def start_import(*, files, la: Organisation, actor, dry_run: bool, validate: bool = True) -> Job:
    """Queue an import (or dry run) of these files for this LA. Raises PermissionDenied as the import does."""
    if actor is not None and not access.can_import_for(actor, la):
        raise PermissionDenied("You cannot import 903 files for this local authority.")
    pairs = [(f.name, f) if not isinstance(f, tuple) else f for f in files]
    label = f"SSDA903 {'dry run' if dry_run else 'import'} for {la.name}"
    return jobs.start(kind=KIND, actor=actor, la=la, label=label, files=pairs,
                      params={"dry_run": dry_run, "validate": validate})


def _allowed(user, job: Job) -> bool:
    return job.la is not None and access.can_import_for(user, job.la)


def _run(job: Job, progress: jobs.Progress) -> dict:
    held = jobs.files_of(job)

    def fetch(i):
        return lambda: jobs.file_data(job, i)

    def step(what, done, total):
        text, pct = services.progress_text(what, done, total)
        progress(text, done, total, percent=pct, step=what)

    result = services.import_903(files=[(name, (size, fetch(i))) for i, (name, size) in enumerate(held)],
                                 la=job.la, actor=job.actor, dry_run=job.params.get("dry_run", False),
                                 validate=job.params.get("validate", True), progress=step)
    counts = {k: v for k, v in result.summary.items() if isinstance(v, int)}
    return {"batch": result.batch.pk, "status": result.batch.status, "counts": counts}


jobs.register(KIND, _run, _allowed)
