"""Every role: a file job's pages answer only the person who asked, and only while they may still do what made
it; another person's job and a missing job give the same 404."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from permanence import access
from permanence.jobs import files
from permanence.jobs.models import Job, JobOutput
from permanence.jobs.tests.access_urls import PAGES
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role

USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]


def finished_job(user, kind):
    now = timezone.now()
    job = Job.objects.create(kind=kind, label="A file", actor=user, created_at=now, state=Job.State.SUCCEEDED,
                             params={"path": "/children/", "who": files._who(user)})
    JobOutput.objects.create(job=job, name="a.csv", content_type="text/csv", data=b"x", size=1, created_at=now,
                             expires_at=now + files.keep_for())
    return job


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [files.EXPORT, files.REPORT])
def test_file_job_pages_for_every_role(client, region, kind):
    someone = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    theirs = finished_job(someone, kind)
    # Whoever a list's page let through (its own rule) keeps their file; a report's also needs the figures.
    allowed = {files.EXPORT: access.active, files.REPORT: access.can_see_aggregates}[kind]
    for code, role in USERS:
        user = region.staff[(code, role)]
        own = finished_job(user, kind)
        client.force_login(user)
        for name in PAGES:
            mine = client.get(reverse(name, args=[own.pk])).status_code
            assert mine == (200 if allowed(user) else 404), (code, role, name)
            if user != someone:
                assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, (code, role, name)
            assert client.get(reverse(name, args=[10**9])).status_code == 404


@pytest.mark.django_db
def test_signed_out_goes_to_sign_in(client, region):
    job = finished_job(region.staff[("NR", Role.RAA_TEAM_MANAGER)], files.EXPORT)
    for name in PAGES:
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 302 and reverse("sign-in") in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["role", "organisation", "left"])
def test_a_file_is_not_theirs_once_their_role_or_organisation_changes(client, region, change):
    user = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    job = finished_job(user, files.EXPORT)
    client.force_login(user)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    if change == "role":
        user.role = Role.RAA_FAMILY_FINDER
    elif change == "organisation":
        user.organisation = region.other_raa
    else:
        user.is_active = False
    user.save()
    if change != "left":
        client.force_login(user)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == (404 if change != "left" else 302)  # one who left is signed out
    with pytest.raises(Http404):
        access.get_file_job_for(user, job.pk)
