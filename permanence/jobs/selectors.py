from django.db.models import QuerySet

from permanence.jobs.models import Job


def jobs_started_by(user, kind: str, las) -> QuerySet[Job]:
    """The jobs of this kind that this user started, for these LAs."""
    return Job.objects.filter(kind=kind, actor=user, la__in=las)
