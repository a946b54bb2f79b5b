"""SSDA903 import and export (permanence.interchange): whose 903 files a user may import and export, and the
imports and conflicts they may open. The rows come from permanence.interchange.selectors."""

from __future__ import annotations

from django.db.models import QuerySet

from permanence.access.common import active, get_or_404
from permanence.organisations.models import Organisation, Role

SSDA903_RAA_ROLES = frozenset({Role.DATA_OFFICER, Role.RAA_TEAM_MANAGER})
SSDA903_LA_ROLES = frozenset({Role.DATA_OFFICER})


def las_for_903(user) -> QuerySet[Organisation]:
    """LAs whose 903 files this user may import, and whose journeys they may export as 903 tables:
    an RAA's data officers and team managers for its member LAs; an LA's data officer for that LA."""
    las = Organisation.objects.filter(kind=Organisation.Kind.LA)
    if not active(user):
        return las.none()
    org = user.organisation
    if org.kind == Organisation.Kind.RAA and user.role in SSDA903_RAA_ROLES:
        return las.filter(raa=org)
    if org.kind == Organisation.Kind.LA and user.role in SSDA903_LA_ROLES:
        return las.filter(pk=org.pk)
    return las.none()


def can_import_for(user, la: Organisation) -> bool:
    return la is not None and las_for_903(user).filter(pk=la.pk).exists()


def can_use_903(user) -> bool:
    return las_for_903(user).exists()


def get_903_la_for(user, code: str) -> Organisation:
    return get_or_404(las_for_903(user), "local authority", code=code)


def get_import_for(user, pk):
    from permanence.interchange import selectors

    return get_or_404(selectors.imports_of_las(las_for_903(user)).select_related("la", "actor"), "import", pk=pk)


def get_import_conflict_for(user, pk):
    from permanence.interchange import selectors

    return get_or_404(selectors.conflicts_of_las(las_for_903(user)).select_related(
        "child", "child__la", "batch", "ours_event"), "conflict", pk=pk)


def import_jobs_for(user):
    """SSDA903 import jobs: only the person who started one sees it, while they may still import for its LA."""
    from permanence.interchange.jobs import KIND
    from permanence.jobs import selectors

    if not active(user):
        return selectors.jobs_started_by(None, KIND, []).none()
    return selectors.jobs_started_by(user, KIND, las_for_903(user)).select_related("la")


def get_import_job_for(user, pk):
    return get_or_404(import_jobs_for(user), "job", pk=pk)
