"""A list export made by a job is written row by row to a temporary file and kept (and sent) a part at a time
(issue 16): the file is the page's own download, and the job's memory does not grow with the rows."""

import hashlib
import tracemalloc

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from permanence.core import exports
from permanence.jobs import files
from permanence.jobs.models import Job, JobOutput, JobOutputPart
from permanence.jobs.tests.helpers import content
from permanence.jobs.tests.test_files import MANAGER, body, rows_of_csv, rows_of_xlsx


@pytest.fixture
def many_children(region):
    return [region.child(first_name=f"Kid{i}", last_name=f"Surname{i}") for i in range(12)]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_export_is_kept_and_sent_in_parts_and_is_the_pages_own_file(client, region, many_children,
                                                                              settings, monkeypatch, fmt):
    client.force_login(region.staff[MANAGER])
    url = reverse(f"children:export-{fmt}")
    settings.PERMANENCE_EXPORT_JOB_ROWS = 10**9
    immediate = body(client.get(url))
    monkeypatch.setattr(JobOutputPart, "SIZE", 300)  # a few parts even for twelve children
    settings.PERMANENCE_EXPORT_JOB_ROWS = 1
    client.get(url)
    job = Job.objects.get()
    assert job.state == Job.State.SUCCEEDED, job.error
    output = JobOutput.objects.get(job=job)
    parts = list(JobOutputPart.objects.filter(output=output).order_by("index").values_list("index", "data"))
    assert len(parts) > 2 and [i for i, _ in parts] == list(range(len(parts)))
    assert all(len(d) == 300 for _, d in parts[:-1]) and 0 < len(parts[-1][1]) <= 300
    assert bytes(output.data) == b"" and output.size == sum(len(d) for _, d in parts) == job.result["size"]
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.streaming and int(download["Content-Length"]) == output.size
    kept = content(download)
    if fmt == "csv":
        assert kept == immediate  # byte for byte
        assert [r[4] for r in rows_of_csv(kept)[1:]] == [r[4] for r in rows_of_csv(immediate)[1:]]
    else:
        assert rows_of_xlsx(kept) == rows_of_xlsx(immediate)  # cell for cell (a zip's times differ)
        assert len(rows_of_xlsx(kept)) == 13
    assert job.result["rows"] == output.rows == 12


@pytest.mark.django_db
def test_a_file_that_fails_while_being_written_leaves_no_parts(client, region, many_children, settings,
                                                              monkeypatch):
    written = exports.write_csv

    def half(rows, columns, out):
        written(iter(list(rows)[:3]), columns, out)
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_csv", half)
    settings.PERMANENCE_EXPORT_JOB_ROWS = 1
    client.force_login(region.staff[MANAGER])
    client.get(reverse("children:export-csv"))
    assert Job.objects.get().state == Job.State.FAILED
    assert not JobOutput.objects.exists() and not JobOutputPart.objects.exists()


def _jobs(first: int, n: int) -> None:
    """n rows to export, with labels that do not compress away (an XLSX is a zip)."""
    now = timezone.now()
    Job.objects.bulk_create([Job(kind="test.rows", label=f"Row {i}", error=_text(i), created_at=now,
                                 stage="Finished") for i in range(first, first + n)], batch_size=500)


def _text(i: int) -> str:
    return "".join(hashlib.sha256(f"{i}.{j}".encode()).hexdigest() for j in range(12))  # 768 characters


COLUMNS = [exports.Column("Label", lambda j: j.label), exports.Column("Text", lambda j: j.error),
           exports.Column("Made", lambda j: j.created_at)]


def _peak_of_a_job_export(user, fmt: str) -> tuple[int, int]:
    """(peak Python memory while the job wrote and kept the file, the file's size)."""
    holder = Job.objects.create(kind=files.EXPORT, label="Export", actor=user, created_at=timezone.now())
    request = RequestFactory().get(f"/jobs-test/export.{fmt}")
    request.user = user
    sink = files.Sink(holder, lambda *args, **kwargs: None)
    rows = Job.objects.filter(kind="test.rows").order_by("pk")
    tracemalloc.start()
    try:
        token = files._SINK.set(sink)
        try:
            exports.export_response(request, rows=rows, columns=COLUMNS, what="jobs.test", fmt=fmt,
                                    filename="jobs")
        finally:
            files._SINK.reset(token)
        name, content_type, source, count = sink.file
        output = files._save(holder, sink, name=name, content_type=content_type, source=source, rows=count)
        sink.close()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == rows.count() and output.parts.count() >= 1
    return peak, output.size


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_job_export_holds_a_chunk_of_rows_not_the_file(region, fmt):
    """Twice the rows: the file twice the size, the job's peak memory hardly more (a whole file in memory would
    add at least the second half's bytes)."""
    user = region.staff[MANAGER]
    _jobs(0, 6000)
    _peak_of_a_job_export(user, fmt)  # once first: what is imported and cached on first use is not the rows'
    peak_1, size_1 = _peak_of_a_job_export(user, fmt)
    _jobs(6000, 6000)
    peak_2, size_2 = _peak_of_a_job_export(user, fmt)
    assert size_2 > 1.8 * size_1
    assert peak_2 - peak_1 < (size_2 - size_1) / 4, (peak_1, peak_2, size_1, size_2)
