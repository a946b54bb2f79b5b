"""The long command-line commands draw a progress bar on a terminal (as import-903 does), and the worker deletes
the files whose time is up when it starts."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from permanence.jobs import files
from permanence.jobs.models import Job, JobOutput


class Terminal(io.StringIO):
    def isatty(self):
        return True


def frames(err: Terminal) -> list[str]:
    return err.getvalue().split("\r")[1:]


def percents(shown: list[str]) -> list[int]:
    return [int(f.rstrip().rsplit(" ", 1)[-1].rstrip("%")) for f in shown]


@pytest.mark.django_db
def test_the_report_command_shows_a_progress_bar(region):
    err = Terminal()
    call_command("report", "quarterly", "--la", "901", "--quarter", "2025Q1", "--format", "csv",
                 stdout=io.StringIO(), stderr=err)
    shown = frames(err)
    assert re.match(r"\[\.{30}\] Working out the quarterly figures +0%", shown[0])
    assert "Writing the CSV file" in shown[1]
    assert percents(shown) == sorted(percents(shown)) and percents(shown)[-1] == 100
    assert shown[-1].startswith("[" + "#" * 30 + "] Done") and shown[-1].endswith("\n")


@pytest.mark.django_db
def test_the_903_export_command_shows_a_progress_bar(region, tmp_path):
    err = Terminal()
    call_command("export_903", la=["901", "902"], out=str(tmp_path), stdout=io.StringIO(), stderr=err)
    shown = frames(err)
    assert [f.split("] ")[1].split("  ")[0] for f in shown] == [
        "Exported 0 of 2 local authorities", "Exported 1 of 2 local authorities", "Done"]
    assert percents(shown) == [0, 50, 100]


@pytest.mark.django_db
def test_not_on_a_terminal_only_the_last_line(region):
    err = io.StringIO()
    call_command("report", "quarterly", "--la", "901", "--quarter", "2025Q1", "--format", "csv",
                 stdout=io.StringIO(), stderr=err)
    assert err.getvalue().count("\r") == 1 and "Done" in err.getvalue()


@pytest.mark.django_db
def test_the_worker_deletes_expired_files_when_it_starts(region, monkeypatch):
    from permanence.jobs.management.commands import worker

    monkeypatch.setattr(worker, "call_command", lambda *args, **kwargs: None)
    now = timezone.now()
    for hours in (-1, 1):
        job = Job.objects.create(kind=files.EXPORT, label="x", created_at=now, state=Job.State.SUCCEEDED)
        JobOutput.objects.create(job=job, name=f"{hours}.csv", content_type="text/csv", data=b"x", size=1,
                                 created_at=now, expires_at=now + timedelta(hours=hours))
    err = io.StringIO()
    call_command("worker", "--batch", stderr=err)
    assert "1 file(s) made by jobs had expired and were deleted." in err.getvalue()
    assert list(JobOutput.objects.values_list("name", flat=True)) == ["1.csv"]
