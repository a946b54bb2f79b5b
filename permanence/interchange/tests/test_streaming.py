"""The upload is read as a stream (issue 16, item 3): a CSV table row by row from its file, a job's file from the
database a slice at a time – never a whole-bytes copy – with the same tables and findings as from bytes."""

import io

import pytest

from permanence.interchange.ssda903 import parse
from permanence.interchange.tests.helpers import files_903, kids
from permanence.jobs import services as jobs
from permanence.jobs.models import Job, JobFile


class Sipping(io.RawIOBase):
    """A file that answers only reads of a bounded size, and says how much it was asked for at most."""

    def __init__(self, data: bytes):
        self.f = io.BytesIO(data)
        self.largest = 0

    def read(self, n=-1):
        assert n is not None and 0 <= n <= 1 << 20, "the whole file was asked for"
        self.largest = max(self.largest, n)
        return self.f.read(n)

    def seek(self, offset, whence=0):
        return self.f.seek(offset, whence)


def tables(parsed):
    return [(t.file, t.table, [(r.row, r.values) for r in t.rows]) for t in parsed.tables]


@pytest.mark.parametrize("extra", [b"", "\nÉ,".encode("cp1252")], ids=["utf-8", "cp1252"])
def test_a_csv_is_read_in_slices_with_the_same_result(extra):
    files = files_903(kids(count=25), [2025])
    files = [(n, c + extra) if "Episodes" in n else (n, c) for n, c in files]
    streams = [(n, Sipping(c)) for n, c in files]
    assert tables(parse.parse_files(streams)) == tables(parse.parse_files(files))
    assert [f.as_dict() for f in parse.parse_files([(n, Sipping(c)) for n, c in files]).findings] == \
        [f.as_dict() for f in parse.parse_files(files).findings]
    assert all(s.largest <= 1 << 20 for _, s in streams)


@pytest.mark.django_db
def test_a_jobs_file_is_read_from_the_database_a_slice_at_a_time(monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK", 1024)
    files = files_903(kids(count=400), [2025])
    job = Job.objects.create(kind="ssda903.import", label="t", params={}, created_at="2026-03-15T00:00Z")
    for n, c in files:
        JobFile.objects.create(job=job, name=n, size=len(c), data=c)
    big = max(range(len(files)), key=lambda i: len(files[i][1]))
    assert len(files[big][1]) > 8192
    assert jobs.open_file(job, big).read() == files[big][1]
    reads = []
    readinto = jobs.StoredFile.readinto
    monkeypatch.setattr(jobs.StoredFile, "readinto", lambda self, b: reads.append(len(b)) or readinto(self, b))
    streamed = parse.parse_files([(n, (lambda i=i: jobs.open_file(job, i))) for i, (n, _) in enumerate(files)])
    assert tables(streamed) == tables(parse.parse_files(files))
    # Slices of at most the text decoder's chunk or the buffer, whichever is larger: never the whole file.
    assert len(reads) > len(files) and max(reads) <= 8192
