"""Files made by background jobs (jobs/files.py): only the person who asked sees the job or downloads
its file, and only while they may still do what made it (the kind's own rule, checked again every time)."""

from __future__ import annotations

from permanence.access.common import active, get_or_404, not_found


def file_jobs_for(user):
    """The export and report jobs this user started."""
    from permanence.jobs import files
    from permanence.jobs.models import Job

    if not active(user):
        return Job.objects.none()
    return Job.objects.filter(actor=user, kind__in=files.FILE_KINDS)


def get_file_job_for(user, pk):
    from permanence.jobs import files

    job = get_or_404(file_jobs_for(user), "job", pk=pk)
    if not files.ALLOWED[job.kind](user, job):
        not_found("job")
    return job
