"""Role × own/other RAA for every SSDA903 page; the upload through HTTP, including the size limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permanence.interchange import services
from permanence.interchange.models import ImportBatch, ImportConflict
from permanence.interchange.tests.helpers import TODAY, files_903, kids, state_of_db
from permanence.jobs.models import Job
from permanence.organisations.models import ROLE_ORGANISATION_KINDS

USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]
ALLOWED_FOR_901 = {("NR", "data_officer"), ("NR", "raa_team_manager"), ("901", "data_officer")}
ANY_903 = ALLOWED_FOR_901 | {("SR", "data_officer"), ("SR", "raa_team_manager"), ("902", "data_officer"),
                             ("903", "data_officer")}


@pytest.fixture
def world(region):
    files = files_903(kids(count=6), [2025])
    batch = services.import_903(files=files, la=region.la, actor=None, on=TODAY, validate=False).batch
    child = batch.la.children.first()
    conflict = ImportConflict.objects.create(batch=batch, child=child, key="field:sex", label="Sex",
                                             ours={"value": child.sex}, theirs={"value": "U"})
    return region, batch, conflict


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "role"), USERS, ids=[f"{r}@{c}" for c, r in USERS])
def test_pages_by_role_and_organisation(client, world, code, role):
    region, batch, conflict = world
    client.force_login(region.staff[(code, role)])
    mine = (code, role) in ALLOWED_FOR_901
    any_la = (code, role) in ANY_903
    for url, expected in [
        (reverse("interchange:upload"), 200 if any_la else 404),
        (reverse("interchange:conflicts"), 200 if any_la else 404),
        (reverse("interchange:export"), 200 if any_la else 404),
        (reverse("interchange:export") + "?la=901&year=2025", 200 if mine else 404),
        (reverse("interchange:batch", args=[batch.pk]), 200 if mine else 404),
        (reverse("interchange:conflict", args=[conflict.pk]), 200 if mine else 404),
    ]:
        response = client.get(url)
        assert response.status_code == expected, url
    before = state_of_db()
    response = client.post(reverse("interchange:conflict", args=[conflict.pk]), {"decision": "accept"})
    assert response.status_code == (302 if mine else 404)
    if not mine:
        assert state_of_db() == before


@pytest.mark.django_db
def test_upload_through_the_page(client, region):
    client.force_login(region.staff[("NR", "data_officer")])
    files = [SimpleUploadedFile(n, c) for n, c in files_903(kids(count=6), [2025])]
    response = client.post(reverse("interchange:upload"), {"la": region.la.pk, "files": files, "dry_run": "on"})
    batch = ImportBatch.objects.get()
    job = Job.objects.get()
    # The upload is a job (run at once in the tests): its page leads to the import's result.
    assert response.status_code == 302 and response.url == reverse("interchange:job", args=[job.pk])
    assert job.state == "succeeded" and job.result["batch"] == batch.pk
    done = client.get(response.url)
    assert done.status_code == 302 and done.url == reverse("interchange:batch", args=[batch.pk])
    assert batch.status == "dry_run"
    page = client.get(done.url).content.decode()
    assert "This was a dry run: nothing was changed" in page
    assert "Findings by child, table, row and field" in page


@pytest.mark.django_db
def test_upload_refused_shows_where(client, region):
    client.force_login(region.staff[("NR", "data_officer")])
    bad = SimpleUploadedFile("e.csv", b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
                                      b"HOME_POST,PL_POST,URN\r\n1,99/99/2023,S,C2,N1,U6,PR1,,,,,,\r\n")
    response = client.post(reverse("interchange:upload"), {"la": region.la.pk, "files": [bad]}, follow=True)
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "DECOM “99/99/2023” is not a date" in page


@pytest.mark.django_db
def test_upload_for_an_la_outside_the_raa_is_refused(client, region):
    client.force_login(region.staff[("NR", "data_officer")])
    files = [SimpleUploadedFile(n, c) for n, c in files_903(kids(count=3), [2025])]
    before = state_of_db()
    response = client.post(reverse("interchange:upload"), {"la": region.other_la.pk, "files": files})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert state_of_db() == before and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_upload_over_the_limit_is_refused_before_reading(client, region, settings):
    settings.SSDA903_MAX_UPLOAD_BYTES = 512
    client.force_login(region.staff[("NR", "data_officer")])
    files = [SimpleUploadedFile(n, c) for n, c in files_903(kids(count=6), [2025])]
    before = state_of_db()
    response = client.post(reverse("interchange:upload"), {"la": region.la.pk, "files": files})
    assert response.status_code == 413
    assert "over the 512 bytes limit" in response.content.decode()
    assert state_of_db() == before and not ImportBatch.objects.exists()
