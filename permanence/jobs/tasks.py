"""The one task the queue runs: a Job, by id (its kind says what it does)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from permanence.jobs import services

    return services.run(job_id)
