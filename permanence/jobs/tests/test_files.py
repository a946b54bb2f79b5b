"""Large exports as background jobs (jobs/files.py): small exports download at once, large ones go to a job whose
file is the immediate path's file; progress moves; only the person who asked downloads it; it expires; a job that
fails says why and leaves no file and no export log."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from permanence.core.models import ExportLog
from permanence.jobs import files
from permanence.jobs import services as jobs
from permanence.jobs.models import Job, JobOutput
from permanence.organisations import services as org_services
from permanence.organisations.models import Role
from permanence.testing import PASSWORD

MANAGER = ("NR", Role.RAA_TEAM_MANAGER)


@pytest.fixture
def children(region):
    """Five of the North RAA's children, and one of the South's (never in North's files)."""
    made = [region.child(first_name=f"Kid{i}", last_name=f"Surname{i}") for i in range(5)]
    region.child(region.other_la, first_name="Elsewhere")
    return made


@pytest.fixture
def recorded(monkeypatch):
    """Every progress write, as the database then held it (stage, done, total, percent)."""
    seen = []
    write = jobs.Progress.__call__

    def record(self, stage, done=0, total=0, percent=None, step=None):
        self.every = 0
        write(self, stage, done, total, percent, step)
        seen.append(Job.objects.values_list("stage", "done", "total", "percent").get(pk=self.job.pk))

    monkeypatch.setattr(jobs.Progress, "__call__", record)
    return seen


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows_of_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def rows_of_xlsx(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_small_export_is_immediate_and_large_goes_to_a_job_with_the_same_file(client, region, children, settings,
                                                                              fmt):
    client.force_login(region.staff[MANAGER])
    url = reverse(f"children:export-{fmt}")
    settings.PERMANENCE_EXPORT_JOB_ROWS = 5  # exactly at the threshold: still immediate
    immediate = client.get(url)
    assert immediate.status_code == 200 and not Job.objects.exists()
    immediate_bytes = body(immediate)
    assert ExportLog.objects.filter(what="children.list").count() == 1

    settings.PERMANENCE_EXPORT_JOB_ROWS = 4  # one row over: a job
    response = client.get(url)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job", args=[job.pk])
    assert job.kind == files.EXPORT and job.state == Job.State.SUCCEEDED and job.actor == region.staff[MANAGER]
    page = client.get(response.url)
    assert b'id="job-download"' in page.content and b"5 rows" in page.content
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == immediate["Content-Disposition"]
    assert download["Content-Type"] == immediate["Content-Type"]
    if fmt == "csv":
        assert download.content == immediate_bytes  # byte for byte
        rows = rows_of_csv(download.content)
    else:
        rows = rows_of_xlsx(download.content)
        assert rows == rows_of_xlsx(immediate_bytes)
    assert len(rows) == 6 and sorted(r[4] for r in rows[1:]) == [f"Kid{i}" for i in range(5)]
    # Logged once more, when the file was made, with the row count and the page it came from.
    log = ExportLog.objects.filter(what="children.list").order_by("-pk").first()
    assert ExportLog.objects.filter(what="children.list").count() == 2
    assert log.row_count == 5 and log.format == fmt and log.path == url and log.user == region.staff[MANAGER]


@pytest.mark.django_db
def test_progress_counts_rows_written_of_how_many(client, region, children, settings, recorded, monkeypatch):
    settings.PERMANENCE_EXPORT_JOB_ROWS = 1
    monkeypatch.setattr(files, "ROWS_EVERY", 2)
    client.force_login(region.staff[MANAGER])
    client.get(reverse("children:export-csv"))
    stages = [s[0] for s in recorded]
    assert "Wrote 0 of 5 rows" in stages and "Wrote 2 of 5 rows" in stages and "Wrote 4 of 5 rows" in stages
    assert "Wrote 5 of 5 rows" in stages and stages[-1] == "Saving the file"
    wrote = [s for s in recorded if s[0].startswith("Wrote")]
    assert [s[1] for s in wrote] == [0, 2, 4, 5] and {s[2] for s in wrote} == {5}
    percents = [s[3] for s in recorded]
    assert percents == sorted(percents) and percents[-1] < 100  # forwards only; 100 only when finished
    job = Job.objects.get()
    assert job.percent == 100 and job.stage == "Finished"
    state = client.get(reverse("jobs:job-progress", args=[job.pk])).json()
    assert state["finished"] and state["percent"] == 100 and state["state"] == "succeeded"


@pytest.mark.django_db
def test_only_the_person_who_asked_sees_the_job_or_downloads_the_file(client, region, children, settings):
    settings.PERMANENCE_EXPORT_JOB_ROWS = 1
    owner = region.staff[MANAGER]
    client.force_login(owner)
    client.get(reverse("children:export-csv"))
    job = Job.objects.get()
    names = ("jobs:job", "jobs:job-progress", "jobs:download")
    assert all(client.get(reverse(n, args=[job.pk])).status_code == 200 for n in names)
    # A colleague who may export the same list, and someone from elsewhere: the same 404 as a missing job.
    colleague = org_services.create_staff(actor=None, organisation=region.raa, role=Role.RAA_TEAM_MANAGER,
                                          username="second.manager", first_name="Sam", last_name="Second",
                                          password=PASSWORD)
    for other in (colleague, region.staff[("SR", Role.RAA_TEAM_MANAGER)]):
        client.force_login(other)
        for n in names:
            assert client.get(reverse(n, args=[job.pk])).status_code == 404
            assert client.get(reverse(n, args=[10**9])).status_code == 404
    # The person who asked, once they may no longer export: 404 too (checked again at download).
    owner.role = Role.RAA_FAMILY_FINDER
    owner.save(update_fields=["role"])
    client.force_login(owner)
    from permanence import access

    assert not access.can_export(owner)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_the_file_is_deleted_when_it_expires(client, region, children, settings):
    settings.PERMANENCE_EXPORT_JOB_ROWS = 1
    settings.PERMANENCE_JOB_FILE_HOURS = 24
    client.force_login(region.staff[MANAGER])
    client.get(reverse("children:export-csv"))
    job = Job.objects.get()
    output = JobOutput.objects.get(job=job)
    assert output.expires_at - output.created_at == timedelta(hours=24)
    assert files.purge_expired(now=output.expires_at - timedelta(seconds=1)) == 0
    JobOutput.objects.filter(pk=output.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert not JobOutput.objects.exists()  # gone, not only hidden
    page = client.get(reverse("jobs:job", args=[job.pk]))
    assert b'id="job-expired"' in page.content and b'id="job-download"' not in page.content


@pytest.mark.django_db
def test_a_failing_export_says_why_and_leaves_no_file_and_no_log(client, region, children, settings, monkeypatch):
    settings.PERMANENCE_EXPORT_JOB_ROWS = 1
    from permanence.core import exports

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_csv", broken)
    client.force_login(region.staff[MANAGER])
    response = client.get(reverse("children:export-csv"))
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and "OSError" in job.error and "disk full" not in job.error
    assert not JobOutput.objects.exists() and not ExportLog.objects.exists()
    page = client.get(response.url)
    assert b"The file was not made: nothing was saved" in page.content and job.error.encode() in page.content
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_access_is_checked_again_when_the_job_runs(client, region, children, settings, monkeypatch):
    """Queued while allowed; by the time it runs the person may no longer export: refused, nothing made."""
    settings.PERMANENCE_EXPORT_JOB_ROWS = 1
    owner = region.staff[MANAGER]
    ran = jobs.run
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(owner)
    client.get(reverse("children:export-csv"))
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED
    owner.role = Role.RAA_FAMILY_FINDER
    owner.save(update_fields=["role"])
    assert ran(job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert job.error.startswith("You can no longer") and not JobOutput.objects.exists()
    assert not ExportLog.objects.exists()


@pytest.mark.django_db
def test_a_job_whose_view_now_refuses_is_refused(region, children):
    """The replayed view checks access itself (here: a list the person may not see)."""
    owner = region.staff[MANAGER]
    job = Job.objects.create(kind=files.EXPORT, label="x", actor=owner, created_at=timezone.now(),
                             params={"path": reverse("interchange:export") + "?la=903", "count": 9,
                                     "who": files._who(owner)})
    assert jobs.run(job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert "can no longer see" in job.error
    assert not JobOutput.objects.exists()


QUARTERLY_PDF = "/performance/reports/quarterly/?la=901&quarter=2020Q1&format=pdf"


@pytest.mark.django_db
def test_a_report_pdf_is_made_by_a_job_with_progress_by_stage(client, region, recorded):
    client.force_login(region.staff[MANAGER])
    response = client.get(QUARTERLY_PDF)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job", args=[job.pk])
    assert job.kind == files.REPORT and job.state == Job.State.SUCCEEDED
    assert job.label == "Quarterly report for Transferton, 2020Q1 (PDF)"
    stages = [s[0] for s in recorded]
    assert stages == ["Working out the figures", "Laying out the report", "Writing the PDF", "Saving the file"]
    percents = [s[3] for s in recorded]
    assert percents == sorted(percents) and len(set(percents)) == 4
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF")
    assert download["Content-Disposition"].startswith('attachment; filename="quarterly-901-2020Q1-')
    log = ExportLog.objects.get()  # logged once, when the file was made
    assert (log.what, log.format, log.path, log.user) == ("performance.quarterly", "pdf", QUARTERLY_PDF.split("?")[0],
                                                          region.staff[MANAGER])


@pytest.mark.django_db
def test_a_report_pdf_that_fails_says_why_and_logs_nothing(client, region, monkeypatch):
    from permanence.core import pdf

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(pdf, "render_pdf", broken)
    client.force_login(region.staff[MANAGER])
    response = client.get(QUARTERLY_PDF)
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and "MemoryError" in job.error
    # The view logged the export before making the PDF: held back, so nothing was written.
    assert not ExportLog.objects.exists() and not JobOutput.objects.exists()
    page = client.get(response.url)
    assert b"The file was not made" in page.content and b"Ask for it again" in page.content


@pytest.mark.django_db
def test_the_asglb_return_reports_each_area_as_it_goes(client, region, recorded):
    client.force_login(region.staff[("NR", Role.DATA_OFFICER)])
    client.get("/performance/reports/asglb/?quarter=2020Q1&format=csv")
    stages = [s[0] for s in recorded]
    assert stages[:4] == ["Working out the figures", "Worked out the figures for 0 of 3 areas",
                          "Worked out the figures for 1 of 3 areas", "Worked out the figures for 2 of 3 areas"]
    assert stages[-2:] == [f"Wrote {Job.objects.get().output.rows} of {Job.objects.get().output.rows} rows",
                           "Saving the file"]
    percents = [s[3] for s in recorded]
    assert percents == sorted(percents)


def list_exports() -> list[str]:
    """Every CSV download in the project that a list page offers (a URL name ending -csv that takes no argument)."""
    from django.urls import NoReverseMatch, get_resolver

    from tests.test_access_matrix import _names

    names = []
    for name in sorted(set(_names(get_resolver()))):
        if name.endswith("-csv"):
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
    return names


@pytest.mark.django_db
def test_every_list_export_makes_the_same_file_through_a_job(client, region, children, settings):
    """Each list's CSV, downloaded at once and made by a job, byte for byte (as the first of the North's staff
    who may download it)."""
    names = list_exports()
    assert {"children:export-csv", "adopters:enquiry-export-csv", "adopters:pipeline-export-csv"} <= set(names)
    staff = [u for (code, _role), u in sorted(region.staff.items()) if code in ("NR", "901")]
    compared = []
    for name in names:
        settings.PERMANENCE_EXPORT_JOB_ROWS = 10**9
        for user in staff:
            client.force_login(user)
            immediate = client.get(reverse(name))
            if immediate.status_code == 200:
                break
        else:
            continue
        settings.PERMANENCE_EXPORT_JOB_ROWS = -1  # even an empty list goes to a job
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith("/jobs/"), name
        job = Job.objects.get(pk=int(response.url.strip("/").split("/")[-1]))
        assert job.state == Job.State.SUCCEEDED, (name, job.error)
        download = client.get(reverse("jobs:download", args=[job.pk]))
        assert download.content == body(immediate), name
        assert download["Content-Disposition"] == immediate["Content-Disposition"], name
        compared.append(name)
    assert len(compared) >= 8, compared  # most lists: the children, enquiries, pipeline, panels, support …


@pytest.mark.django_db
@pytest.mark.parametrize("fails", [False, True], ids=["made", "failed"])
def test_an_export_job_keeps_no_search_term_once_it_has_run(client, region, children, settings, monkeypatch, fails):
    from permanence.core.models import AuditEvent, RecordView

    settings.PERMANENCE_EXPORT_JOB_ROWS = 0
    if fails:
        monkeypatch.setattr(files, "_save", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk full")))
    client.force_login(region.staff[MANAGER])
    response = client.get(reverse("children:export-csv") + "?q=Surname")
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == (Job.State.FAILED if fails else Job.State.SUCCEEDED)
    assert job.params["path"] == reverse("children:export-csv")
    if not fails:
        assert len(rows_of_csv(client.get(reverse("jobs:download", args=[job.pk])).content)) == 6  # the filter held
    kept = [str(v) for v in Job.objects.values_list("params", "label", "stage", "error", "result")]
    kept += [str(v) for v in AuditEvent.objects.filter(action__startswith="job.").values_list("before", "after")]
    kept += [str(v) for v in ExportLog.objects.values_list("path", "filters")]
    kept += [str(v) for v in RecordView.objects.values_list("path", "filters")]
    assert not [k for k in kept if "Surname" in k]
