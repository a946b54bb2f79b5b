"""The national comparisons on a large installation: the figures are worked out by a background job (progress on the
job's page, then back to the comparison), kept keyed by the data's latest change so a repeated request is instant,
and worked out again once the records change. A small installation works them out in the request, as before."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.children import services as child_services
from permanence.jobs import files
from permanence.jobs import services as jobs
from permanence.jobs.models import Job, JobOutput
from permanence.performance import measures
from permanence.performance.tests.test_comparison import cells, many  # noqa: F401 - the fixture

URL = "/performance/comparison/?period=year&count=2"
HEAD = ("NR", "raa_head_of_service")


def main_without_the_note(response) -> str:
    """The page's main content (not the sign-out form's token), less the note saying when the figures were made."""
    body = response.content.decode().split("<main")[1].split("</main>")[0]
    if 'id="figures-at"' in body:
        before, after = body.split('<p class="govuk-body-s" id="figures-at">')
        body = before + after.split("</p>", 1)[1]
    return body


@pytest.fixture
def large(settings):
    settings.PERMANENCE_COMPARISON_JOB_CHILDREN = 0  # every installation counts as large


@pytest.mark.django_db
def test_a_small_installation_works_the_figures_out_in_the_request(client, many):  # noqa: F811
    client.force_login(many.staff[HEAD])
    response = client.get(URL)
    assert response.status_code == 200 and not Job.objects.exists()
    assert cells(response.content.decode(), "2021-04-01") == ["90", "154", "122", "not-loaded"]


@pytest.mark.django_db
def test_a_large_installation_works_them_out_in_a_job_and_keeps_them(client, many, settings,  # noqa: F811
                                                                       monkeypatch):
    client.force_login(many.staff[HEAD])
    inline = client.get(URL)
    settings.PERMANENCE_COMPARISON_JOB_CHILDREN = 0
    seen = []
    write = jobs.Progress.__call__

    def record(self, stage, done=0, total=0, percent=None, step=None):
        self.every = 0
        write(self, stage, done, total, percent, step)
        seen.append(Job.objects.values_list("stage", "percent").get(pk=self.job.pk))

    monkeypatch.setattr(jobs.Progress, "__call__", record)
    response = client.get(URL)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job", args=[job.pk])
    assert job.kind == files.FIGURES and job.state == Job.State.SUCCEEDED
    assert [s[0] for s in seen] == ["Working out the figures",
                                    "Grouped the local authorities by their case holding policy",
                                    # 2 groups, 901, 902 and all LAs:
                                    "Working out A2 for 5 groups and local authorities over 2 periods",
                                    "Worked out the figures", "Saving the figures"]
    assert [s[1] for s in seen] == sorted(s[1] for s in seen)
    back = client.get(response.url)  # the job's page, once finished, goes back to the comparison
    assert back.status_code == 302 and back.url == URL
    kept = client.get(URL)
    assert kept.status_code == 200 and b'id="figures-at"' in kept.content
    assert main_without_the_note(kept) == main_without_the_note(inline)  # the same figures as worked out in the request

    def never(*args, **kwargs):
        raise AssertionError("worked out again")

    monkeypatch.setattr(measures, "group_trend", never)
    assert client.get(URL).status_code == 200 and Job.objects.count() == 1  # instant: kept, no new job
    # Another person who sees the same LAs shares them; one who sees others does not.
    client.force_login(many.staff[("NR", "raa_team_manager")])
    assert client.get(URL).status_code == 200 and Job.objects.count() == 1
    client.force_login(many.staff[("SR", "raa_head_of_service")])
    assert client.get(URL).status_code == 302 and Job.objects.count() == 2


@pytest.mark.django_db
def test_kept_figures_are_worked_out_again_once_the_records_change(client, many, large, settings):  # noqa: F811
    settings.PERMANENCE_COMPARISON_FRESH_SECONDS = 0
    client.force_login(many.staff[HEAD])
    client.get(URL)
    assert client.get(URL).status_code == 200 and Job.objects.count() == 1
    child = many.child(many.la, first_name="New", dob=date(2015, 1, 1))
    child_services.record_event(child=child, kind="entered_care", date=date(2022, 1, 10), actor=None,
                                check_role=False)
    assert client.get(URL).status_code == 302 and Job.objects.count() == 2
    # A busy site: figures a few minutes old are still shown though the data has moved on.
    settings.PERMANENCE_COMPARISON_FRESH_SECONDS = 300
    many.child(many.la, first_name="Newer")
    assert client.get(URL).status_code == 200 and Job.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_comparison_job_says_why_and_keeps_nothing(client, many, large, monkeypatch):  # noqa: F811
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(measures, "group_trend", broken)
    client.force_login(many.staff[HEAD])
    response = client.get(URL)
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and "ValueError" in job.error and not JobOutput.objects.exists()
    page = client.get(response.url)
    assert page.status_code == 200 and job.error.encode() in page.content
