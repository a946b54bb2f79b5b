"""SSDA903 imports as background jobs: progress that moves, the result at the end, a failure that changes nothing,
who sees a job, the command line's progress bar, and the runners (at once in tests, queued for a worker)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from permanence.children import services as child_services
from permanence.core.models import AuditEvent
from permanence.interchange import jobs as import_jobs
from permanence.interchange.models import ImportBatch, ReturnRow
from permanence.interchange.tests.helpers import files_903, kids, state_of_db
from permanence.jobs import services as jobs
from permanence.jobs.models import Job, JobFile

DATA_OFFICER = ("NR", "data_officer")


def upload(client, region, count=6, dry_run=False, who=DATA_OFFICER):
    client.force_login(region.staff[who])
    files = [SimpleUploadedFile(n, c) for n, c in files_903(kids(count=count), [2024, 2025])]
    data = {"la": region.la.pk, "files": files}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("interchange:upload"), data)


@pytest.fixture
def recorded(monkeypatch):
    """Every progress write, as the database then held it (stage, done, total, percent)."""
    seen = []
    write = jobs.Progress.__call__

    def record(self, stage, done=0, total=0, percent=None, step=None):
        self.every = 0  # record every step, not twice a second
        write(self, stage, done, total, percent, step)
        seen.append(Job.objects.values_list("state", "stage", "done", "total", "percent").get(pk=self.job.pk))

    monkeypatch.setattr(jobs.Progress, "__call__", record)
    return seen


@pytest.mark.django_db
def test_progress_moves_and_the_result_appears(client, region, recorded):
    response = upload(client, region, count=6)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("interchange:job", args=[job.pk])
    assert {s[0] for s in recorded} == {"running"}
    percents = [s[4] for s in recorded]
    assert percents == sorted(percents) and len(set(percents)) >= 5  # it moves, and only forwards
    stages = [s[1] for s in recorded]
    files = len(files_903(kids(count=6), [2024, 2025]))
    assert f"Read {files} of {files} files" in stages
    children = next(s for s in recorded if s[1].startswith("Checked") and s[2] == s[3])
    assert children[1] == f"Checked {children[3]} of {children[3]} children" and children[3] > 0
    assert any(s.startswith("Ran the DfE validation rules on") for s in stages)
    assert any(s.startswith("Compared ") for s in stages) and "Saving the changes" in stages
    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert (job.state, job.percent, job.result["batch"], job.result["status"]) == ("succeeded", 100, batch.pk,
                                                                                   "applied")
    assert job.actor == region.staff[DATA_OFFICER] and job.la == region.la and job.finished_at >= job.started_at
    assert not JobFile.objects.exists()  # the upload is not kept once the job has ended
    # The page leads to the import's own result page; the JSON says where.
    page = client.get(reverse("interchange:job", args=[job.pk]))
    assert page.status_code == 302 and page.url == reverse("interchange:batch", args=[batch.pk])
    state = client.get(reverse("interchange:job-progress", args=[job.pk])).json()
    assert state == {"state": "succeeded", "label": "Finished", "stage": "Finished", "done": job.done,
                     "total": job.total, "percent": 100, "finished": True, "error": "",
                     "result_url": reverse("interchange:batch", args=[batch.pk])}
    assert list(AuditEvent.objects.filter(object_type="jobs.job").values_list("action", flat=True).order_by(
        "pk")) == ["job.queued", "job.succeeded"]
    # The SSDA903 page lists the user's jobs.
    listed = client.get(reverse("interchange:upload")).content.decode()
    assert "Your recent uploads" in listed and reverse("interchange:job", args=[job.pk]) in listed


@pytest.mark.django_db
def test_a_job_that_fails_half_way_changes_nothing_and_says_why(client, region, monkeypatch):
    before = state_of_db()
    write = child_services.WRITER.bulk_apply

    def half_way(*args, **kwargs):
        write(*args, **kwargs)  # the children and events are written …
        raise RuntimeError("the disk is full")  # … then it fails

    monkeypatch.setattr(child_services.WRITER, "bulk_apply", half_way)
    upload(client, region, count=6)
    job = Job.objects.get()
    assert job.state == "failed"
    assert job.error.startswith("The job failed unexpectedly (RuntimeError). Nothing was changed.")
    assert "disk" not in job.error  # the exception's text (which could hold anything) is not shown
    assert state_of_db() == before
    assert not ImportBatch.objects.exists() and not ReturnRow.objects.exists() and not JobFile.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="ssda903.").exists()
    assert AuditEvent.objects.filter(action="job.failed", object_id=str(job.pk)).exists()
    page = client.get(reverse("interchange:job", args=[job.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "The import failed: nothing was changed" in text and job.error in text
    assert 'http-equiv="refresh"' not in text and "job-progress.js" not in text  # it no longer refreshes
    state = client.get(reverse("interchange:job-progress", args=[job.pk])).json()
    assert state["finished"] and state["state"] == "failed" and state["result_url"] is None


@pytest.mark.django_db
def test_queued_for_a_worker_then_run(client, region, settings):
    """With a queue (as in production) the upload only queues the job; the page refreshes itself until a worker
    (here: the task the worker would run) has run it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = upload(client, region, count=4, dry_run=True)
    job = Job.objects.get()
    assert (job.state, job.percent, job.label) == ("queued", 0, f"SSDA903 dry run for {region.la.name}")
    assert job.task_id and JobFile.objects.filter(job=job).count() > 0 and not ImportBatch.objects.exists()
    page = client.get(response.url)
    text = page.content.decode()
    assert page.status_code == 200 and "Waiting to start" in text
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in text
    assert "app/job-progress.js" in text and reverse("interchange:job-progress", args=[job.pk]) in text
    main = text.split('id="main-content"')[1].split("</main>")[0]
    assert "<script" not in main and "<script>" not in text.split("</main>")[1]  # the polling is a static file
    assert client.get(reverse("interchange:job-progress", args=[job.pk])).json()["state"] == "queued"
    from permanence.jobs.tasks import run_job

    assert run_job.call(job.pk) == "succeeded"
    assert jobs.run(job.pk) == "succeeded"  # a job runs once: a second delivery does nothing
    assert ImportBatch.objects.get().status == "dry_run" and ImportBatch.objects.count() == 1
    assert client.get(response.url).url == reverse("interchange:batch", args=[ImportBatch.objects.get().pk])


@pytest.mark.django_db
def test_a_job_whose_user_lost_the_right_to_import_does_not_run(client, region, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    upload(client, region, count=3)
    job = Job.objects.get()
    region.staff[DATA_OFFICER].is_active = False
    region.staff[DATA_OFFICER].save()
    assert jobs.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "You can no longer do this: nothing was changed."
    assert not ImportBatch.objects.exists() and not JobFile.objects.exists()


WHO = [
    (DATA_OFFICER, 200),  # who started it
    (("NR", "raa_team_manager"), 404),  # may import for the LA, but did not start this job
    (("901", "data_officer"), 404),
    (("SR", "data_officer"), 404),  # another RAA's
    (("NR", "raa_support_worker"), 404),  # no SSDA903 role
    (("NR", "raa_family_finder"), 404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), WHO, ids=[f"{r}@{c}" for (c, r), _ in WHO])
def test_only_who_started_a_job_sees_it(client, region, settings, who, expected):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    upload(client, region, count=2)
    job = Job.objects.get()
    client.force_login(region.staff[who])
    for name in ("interchange:job", "interchange:job-progress"):
        assert client.get(reverse(name, args=[job.pk])).status_code == expected, name
        assert client.get(reverse(name, args=[job.pk + 1])).status_code == 404
    if expected == 404 and who[1] in ("data_officer", "raa_team_manager"):
        assert "Your recent uploads" not in client.get(reverse("interchange:upload")).content.decode()
    client.logout()
    assert client.get(reverse("interchange:job-progress", args=[job.pk])).status_code == 302  # sign in first


@pytest.mark.django_db
def test_start_import_refuses_an_la_the_user_may_not_import_for(region):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_jobs.start_import(files=files_903(kids(count=1), [2025]), la=region.other_la,
                                 actor=region.staff[DATA_OFFICER], dry_run=True)
    assert not Job.objects.exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_the_command_line_shows_a_progress_bar(region, tmp_path):
    for name, content in files_903(kids(count=5), [2025]):
        (tmp_path / name).write_bytes(content)
    err = Terminal()
    call_command("import_903", str(tmp_path), la="901", dry_run=True, no_dfe=True, stdout=io.StringIO(), stderr=err)
    frames = err.getvalue().split("\r")[1:]
    assert frames[0].startswith("[") and frames[0].rstrip().endswith("0%")
    assert any(re.search(r"\] Checked (\d+) of \1 children +\d+%", f) for f in frames)
    percents = [int(f.rstrip().rsplit(" ", 1)[-1].rstrip("%")) for f in frames]
    assert percents == sorted(percents) and percents[-1] == 100
    assert frames[-1].startswith("[" + "#" * 30 + "] Done") and frames[-1].endswith("\n")


@pytest.mark.django_db
def test_progress_is_written_at_most_twice_a_second_within_a_step(region, monkeypatch):
    job = Job.objects.create(kind=import_jobs.KIND, label="x", la=region.la, created_at=timezone.now())
    clock = iter([0.0, 0.1, 0.2, 0.7, 0.8, 0.9])
    monkeypatch.setattr(jobs.time, "monotonic", lambda: next(clock))
    progress = jobs.Progress(job)
    shown = []
    for stage, done, step in [("Checked 1 of 9 children", 1, "map"), ("Checked 2 of 9 children", 2, "map"),
                              ("Checked 3 of 9 children", 3, "map"), ("Checked 4 of 9 children", 4, "map"),
                              ("Compared 0 of 9 children", 0, "plan"),  # a new step: written at once
                              ("Compared 9 of 9 children", 9, "plan")]:  # a step's end: written at once
        progress(stage, done, 9, step=step)
        shown.append(Job.objects.values_list("stage", flat=True).get(pk=job.pk))
    assert shown == ["Checked 1 of 9 children", "Checked 1 of 9 children", "Checked 1 of 9 children",
                     "Checked 4 of 9 children", "Compared 0 of 9 children", "Compared 9 of 9 children"]


def _dead_pid() -> int:
    import subprocess

    proc = subprocess.Popen(["/bin/true"])  # noqa: S603 - a fixed command with no input
    proc.wait()
    return proc.pid


@pytest.mark.django_db
def test_a_job_whose_process_was_killed_is_failed_not_running_for_ever(client, region, settings, monkeypatch):
    """A worker killed mid-job (SIGKILL, out of memory, a restart) leaves its job "running": the job's page and the
    next `permanence worker` to start on that machine fail it with the reason, audited; nothing was changed
    (the handler's transaction never committed). A job whose process is alive, or runs on another machine, is
    left alone."""
    import os
    import socket

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    here = socket.gethostname()
    for _ in range(4):
        upload(client, region, count=2, dry_run=True)
    killed, killed_too, alive, elsewhere = Job.objects.order_by("pk")
    for job, host, pid in ((killed, here, _dead_pid()), (killed_too, here, _dead_pid()),
                           (alive, here, os.getppid()), (elsewhere, "another-machine", _dead_pid())):
        Job.objects.filter(pk=job.pk).update(state="running", worker_host=host, worker_pid=pid, stage="Checking")

    progress = client.get(reverse("interchange:job-progress", args=[killed.pk])).json()
    assert progress["state"] == "failed" and "stopped before it finished" in progress["error"]
    page = client.get(reverse("interchange:job", args=[killed.pk])).content.decode()
    assert "Nothing was changed: start it again." in page
    assert not JobFile.objects.filter(job=killed).exists()

    # The worker fails what a stopped process left, then hands over to django-tasks-db's db_worker (not run here:
    # it closes the database connection between jobs, and with it the test's transaction on PostgreSQL).
    from permanence.jobs.management.commands import worker

    handed_over = []
    monkeypatch.setattr(worker, "call_command", lambda *args, **kwargs: handed_over.append(args))
    err = io.StringIO()
    call_command("worker", "--batch", stderr=err)
    assert "1 job(s) left running by a process that stopped are now marked failed." in err.getvalue()
    assert handed_over == [("db_worker", "--no-reload", "--queue-name", "*", "--interval", "1.0", "--batch")]
    states = dict(Job.objects.values_list("pk", "state"))
    assert [states[j.pk] for j in (killed, killed_too, alive, elsewhere)] == ["failed", "failed", "running", "running"]
    assert AuditEvent.objects.filter(action="job.failed").count() == 2
    assert not ImportBatch.objects.exists()


# "Import these files" after a dry run, without uploading again (issue 14 item 6).


@pytest.mark.django_db
def test_a_dry_run_is_imported_without_uploading_again(client, region):
    from permanence.children.models import Child

    upload(client, region, count=4, dry_run=True)
    dry = ImportBatch.objects.get()
    assert dry.status == "dry_run" and not Child.objects.exists()
    assert JobFile.objects.count() == len(files_903(kids(count=4), [2024, 2025]))  # kept for the confirmation
    page = client.get(reverse("interchange:batch", args=[dry.pk])).content.decode()
    confirm = reverse("interchange:confirm", args=[dry.pk])
    assert 'id="confirm-dry-run"' in page and confirm in page and "Import these files" in page
    response = client.post(confirm)
    applied = ImportBatch.objects.exclude(pk=dry.pk).get()
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response.url == reverse("interchange:job", args=[job.pk])
    assert applied.status == "applied" and job.result["batch"] == applied.pk and job.actor == region.staff[DATA_OFFICER]
    assert applied.summary["children_created"] == dry.summary["children_created"] == Child.objects.count() > 0
    assert applied.changes == dry.changes  # what the dry run said is what happened
    assert not JobFile.objects.exists()  # the copy is gone once imported
    # A second click finds no files: it says so, and imports nothing more.
    again = client.post(confirm, follow=True)
    assert "no longer held" in again.content.decode() and ImportBatch.objects.count() == 2
    assert 'id="files-gone"' in client.get(reverse("interchange:batch", args=[dry.pk])).content.decode()


@pytest.mark.django_db
def test_a_dry_runs_files_are_kept_for_a_day_only_and_only_its_la_may_import_them(client, region):
    from datetime import timedelta

    upload(client, region, count=3, dry_run=True)
    dry = ImportBatch.objects.get()
    confirm = reverse("interchange:confirm", args=[dry.pk])
    client.force_login(region.staff[("SR", "data_officer")])  # another RAA's data officer: not theirs
    assert client.post(confirm).status_code == 404 and JobFile.objects.exists()
    client.force_login(region.staff[DATA_OFFICER])
    assert client.get(confirm).status_code == 405  # a GET changes nothing
    Job.objects.update(finished_at=timezone.now() - timedelta(hours=jobs.KEEP_FILES_HOURS, minutes=1))
    assert "no longer held" in client.post(confirm, follow=True).content.decode()
    assert not JobFile.objects.exists() and ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_an_import_keeps_no_files_and_offers_no_confirmation(client, region):
    upload(client, region, count=3)
    applied = ImportBatch.objects.get()
    assert not JobFile.objects.exists()
    assert 'id="confirm-dry-run"' not in client.get(reverse("interchange:batch", args=[applied.pk])).content.decode()
    assert client.post(reverse("interchange:confirm", args=[applied.pk])).status_code == 404


@pytest.mark.django_db
def test_an_import_that_cannot_be_queued_leaves_the_dry_runs_files_where_they_were(client, region, monkeypatch):
    from permanence.jobs import tasks

    upload(client, region, count=3, dry_run=True)
    dry = ImportBatch.objects.get()
    held = JobFile.objects.count()

    class Down:
        def enqueue(self, *args, **kwargs):
            raise RuntimeError("the queue is down")

    monkeypatch.setattr(tasks, "run_job", Down())
    page = client.post(reverse("interchange:confirm", args=[dry.pk]), follow=True).content.decode()
    assert "The import could not be started" in page and "the files are still held" in page
    assert JobFile.objects.count() == held and ImportBatch.objects.count() == 1
    assert 'id="confirm-dry-run"' in client.get(reverse("interchange:batch", args=[dry.pk])).content.decode()
    assert Job.objects.filter(state="failed", error__startswith="The job could not be queued").count() == 1


@pytest.mark.django_db
def test_a_dry_run_refused_for_errors_keeps_no_files_and_old_files_are_not_offered(client, region):
    from datetime import timedelta

    client.force_login(region.staff[DATA_OFFICER])
    bad = SimpleUploadedFile("header.csv", b"CHILD,SEX,DOB,ETHNIC\n1,1,01/01/2020,WBRI\n")
    client.post(reverse("interchange:upload"), {"la": region.la.pk, "files": [bad], "dry_run": "on"})
    assert ImportBatch.objects.get().status == "refused" and not JobFile.objects.exists()
    upload(client, region, count=3, dry_run=True)
    dry = ImportBatch.objects.get(status="dry_run")
    Job.objects.filter(result__batch=dry.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    page = client.get(reverse("interchange:batch", args=[dry.pk])).content.decode()
    assert 'id="confirm-dry-run"' not in page and 'id="files-gone"' in page
