"""Role × own/other RAA for every SSDA903 page; the upload through HTTP, including the size limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permanence.interchange import services
from permanence.interchange.models import ImportBatch, ImportConflict
from permanence.interchange.tests.helpers import TODAY, files_903, kids, state_of_db
from permanence.jobs.models import Job
from permanence.organisations.models import ROLE_ORGANISATION_KINDS
from permanence.testing import each_case

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
def test_pages_by_role_and_organisation(client, world):
    def check(code, role):
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
            (reverse("interchange:imports"), 200 if any_la else 404),
            (reverse("interchange:batch-findings", args=[batch.pk]), 200 if mine else 404),
            (reverse("interchange:conflict", args=[conflict.pk]), 200 if mine else 404),
        ]:
            response = client.get(url)
            assert response.status_code == expected, url
        if any_la:  # the list of imports holds its own LAs' only
            listed = client.get(reverse("interchange:imports")).content.decode()
            assert (reverse("interchange:batch", args=[batch.pk]) in listed) is mine
        before = state_of_db()
        response = client.post(reverse("interchange:conflict", args=[conflict.pk]), {"decision": "accept"})
        assert response.status_code == (302 if mine else 404)
        if not mine:
            assert state_of_db() == before
        # "Import these files" on an import (not a dry run) is no page for anyone; on another LA's dry run, a 404.
        assert client.post(reverse("interchange:confirm", args=[batch.pk])).status_code == 404

    each_case(USERS, check, client=client)


@pytest.mark.django_db
def test_a_dry_run_is_confirmed_only_by_those_who_import_for_its_la(client, region):
    def check(code, role):
        from permanence.interchange import jobs as import_jobs

        dry_job = import_jobs.start_import(files=files_903(kids(count=3), [2025]), la=region.la, actor=None,
                                           dry_run=True, validate=False)
        dry = ImportBatch.objects.get(pk=Job.objects.get(pk=dry_job.pk).result["batch"])
        client.force_login(region.staff[(code, role)])
        response = client.post(reverse("interchange:confirm", args=[dry.pk]))
        allowed = (code, role) in ALLOWED_FOR_901
        assert response.status_code == (302 if allowed else 404)
        assert ImportBatch.objects.filter(status="applied").exists() is allowed

    each_case(USERS, check, client=client)


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
    assert "Findings by rule" in page


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
    assert "Select one of the options shown for local authority" in response.content.decode()
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


@pytest.mark.django_db
def test_the_list_of_imports_says_who_when_and_what_changed(client, region, monkeypatch):
    from permanence.interchange import views

    client.force_login(region.staff[("NR", "raa_team_manager")])
    empty = client.get(reverse("interchange:imports")).content.decode()
    assert 'id="no-imports"' in empty
    batches = [services.import_903(files=files_903(kids(count=3 + n), [2025]), la=region.la,
                                   actor=region.staff[("NR", "data_officer")], on=TODAY, validate=False,
                                   dry_run=n == 1).batch for n in range(3)]
    monkeypatch.setattr(views, "IMPORTS_PAGE", 2)
    page = client.get(reverse("interchange:imports")).content.decode()
    links = [reverse("interchange:batch", args=[b.pk]) for b in batches]
    assert "3 uploads" in page and links[2] in page and links[1] in page and links[0] not in page
    assert page.index(links[2]) < page.index(links[1])  # newest first
    assert "Dry run: nothing changed" in page and "Imported" in page and "2024/25" in page
    assert str(region.staff[("NR", "data_officer")]) in page
    added = batches[2].summary["children_created"]
    assert f"{added} / {batches[2].summary['children_updated']}" in page
    second = client.get(reverse("interchange:imports"), {"page": 2}).content.decode()
    assert links[0] in second and "Dry run: nothing changed" not in second
    only = client.get(reverse("interchange:imports"), {"la": region.la_keeps.code}).content.decode()
    assert 'id="no-imports"' in only
    assert reverse("interchange:imports") in client.get(reverse("interchange:upload")).content.decode()


def test_findings_are_grouped_by_rule_with_counts_and_the_first_rows():
    from permanence.interchange.views import FIRST_OF_EACH_RULE, findings_by_rule

    def finding(severity, rule, n, message="Something is wrong"):
        return {"severity": severity, "rule": rule, "message": message, "child": f"C{n}", "row": n, "file": "e.csv",
                "table": "Episodes", "field": "DECOM", "year": 2025}

    findings = ([finding("warning", "103", n, "The ethnicity code is not valid") for n in range(40)]
                + [finding("warning", "", n, "Permanence's own check") for n in range(2)]
                + [finding("error", "", 1, "No Episodes table")]
                + [finding("warning", "388", n, "A period of care ends") for n in range(7)])
    groups = findings_by_rule(findings)
    assert [(g["severity"], g["rule"], g["count"]) for g in groups] == [
        ("error", "", 1), ("warning", "103", 40), ("warning", "388", 7), ("warning", "", 2)]
    assert [len(g["first"]) for g in groups] == [1, FIRST_OF_EACH_RULE, FIRST_OF_EACH_RULE, 2]
    assert [f["child"] for f in groups[1]["first"]] == [f"C{n}" for n in range(FIRST_OF_EACH_RULE)]
    assert sum(g["count"] for g in groups) == len(findings)


@pytest.mark.django_db
def test_the_import_page_shows_each_rule_once_and_every_finding_downloads(client, region):
    from permanence.core.models import ExportLog

    batch = services.import_903(files=files_903(kids(count=6), [2025]), la=region.la, actor=None, on=TODAY,
                                validate=False).batch
    rows = [{"severity": "warning", "rule": "103", "message": "The ethnicity code is not valid", "child": f"C{n}",
             "row": n + 2, "file": "header.csv", "table": "Header", "field": "ETHNIC", "year": 2025}
            for n in range(30)]
    ImportBatch.objects.filter(pk=batch.pk).update(findings=rows, findings_total=30)
    client.force_login(region.staff[("NR", "data_officer")])
    page = client.get(reverse("interchange:batch", args=[batch.pk])).content.decode()
    assert page.count("The ethnicity code is not valid") == 1 + 5  # the rule's summary, then its first five rows
    assert "Warning 103: The ethnicity code is not valid (30)" in page and "The first 5 of 30" in page
    assert "C4" in page and "C5</td>" not in page
    csv = client.get(reverse("interchange:batch-findings", args=[batch.pk]))
    body = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert csv.status_code == 200 and body.count("The ethnicity code is not valid") == 30
    assert body.splitlines()[0].lstrip("\ufeff") == "Severity,Rule,File,Table,Row,Field,Child,Collection year,Problem"
    assert ExportLog.objects.filter(what="ssda903.findings", row_count=30).exists()
    client.force_login(region.staff[("SR", "data_officer")])  # another RAA's: the same 404 as for the page
    assert client.get(reverse("interchange:batch-findings", args=[batch.pk])).status_code == 404


@pytest.mark.django_db
def test_an_empty_submission_is_a_form_error_and_records_nothing(client, region):
    client.force_login(region.staff[("NR", "data_officer")])
    response = client.post(reverse("interchange:upload"), {"la": region.la.pk})
    body = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in body
    assert "Choose the SSDA903 files to upload" in body and "This field is required" not in body
    empty = client.post(reverse("interchange:upload"), {"la": region.la.pk,
                                                        "files": [SimpleUploadedFile("e.csv", b"")]})
    assert "The file you chose is empty" in empty.content.decode()
    assert not ImportBatch.objects.exists() and not Job.objects.exists()
