"""For tests of pages whose files are made by a background job (jobs/files.py): ask for the file as a person would,
and if the page sends them to a job, follow it to the download (the tests run jobs at once)."""

from django.urls import resolve, reverse

from permanence.jobs.models import Job


def fetched(client, url: str, **kwargs):
    """The file at `url`: the response itself when it downloads at once, else the job's download."""
    response = client.get(url, **kwargs)
    if response.status_code == 302 and response.url.startswith("/jobs/"):
        job = Job.objects.get(pk=resolve(response.url).kwargs["pk"])
        assert job.state == Job.State.SUCCEEDED, job.error
        return client.get(reverse("jobs:download", args=[job.pk]))
    return response


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
