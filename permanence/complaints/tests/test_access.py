"""Every role × own RAA / another RAA / an LA × every complaints and feedback page, through the test client.

Complaints: the RAA's team managers, head of service and complaints officer (own RAA's); the complaints officer
and team managers record. Feedback summaries: managers and the quality lead. Feedback entry: any RAA staff.
Everyone else: 404, the same as a missing record."""

import re
from datetime import date

import pytest
from django.urls import reverse

from permanence.complaints.models import Complaint, FeedbackResponse, FeedbackSurvey
from permanence.core.models import RecordView
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role

from .access_urls import FEEDBACK_ENTRY, FEEDBACK_SUMMARY, READ_PAGES, RECORD_PAGES
from .helpers import make_complaint

USERS = [(code, role) for code in ("NR", "SR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]
SEE = {Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.COMPLAINTS_OFFICER}
RECORD = {Role.RAA_TEAM_MANAGER, Role.COMPLAINTS_OFFICER}
SUMMARY = {Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.RAA_QUALITY_LEAD}


@pytest.fixture
def north_complaint(region):
    return make_complaint(region.raa, themes=["Delay"])


def _url(name, complaint, survey):
    if name in ("complaints:list", "complaints:add", "complaints:feedback", "complaints:home", "complaints:summary-pdf",
                "complaints:summary-xlsx"):
        return reverse(name)
    if name == "complaints:feedback-add":
        return reverse(name, args=[survey.pk])
    return reverse(name, args=[complaint.pk])


LISTS = {"complaints:list", "complaints:add", "complaints:summary-pdf", "complaints:summary-xlsx"}  # each RAA's own list: another RAA's staff see theirs


def _expected(name, code, role):
    raas = ("NR", "SR") if name in LISTS else ("NR",)
    if name in READ_PAGES:
        ok = code in raas and role in SEE
    elif name in RECORD_PAGES:
        ok = code in raas and role in RECORD
    elif name in FEEDBACK_SUMMARY:
        ok = code in ("NR", "SR") and role in SUMMARY
    else:
        ok = code in ("NR", "SR")
    return ok


@pytest.mark.parametrize("name", [*READ_PAGES, *RECORD_PAGES, *FEEDBACK_SUMMARY, *FEEDBACK_ENTRY])
def test_page_access_matrix(client, region, north_complaint, name):
    survey = FeedbackSurvey.objects.get(point="preparation", version=1)
    url = _url(name, north_complaint, survey)
    for code, role in USERS:
        client.force_login(region.staff[(code, role)])
        if name == "complaints:extend":
            response = client.post(url)
            allowed = response.status_code == 302
        else:
            response = client.get(url)
            allowed = response.status_code == 200
        assert allowed == _expected(name, code, role), (name, code, role, response.status_code)
        if not allowed:
            assert response.status_code == 404, (name, code, role)


def test_a_missing_complaint_is_the_same_404(client, region):
    client.force_login(region.staff[("NR", Role.COMPLAINTS_OFFICER)])
    assert client.get(reverse("complaints:detail", args=[10**9])).status_code == 404
    assert client.get("/quality/complaints/abc/").status_code == 404


def test_recording_a_complaint_through_the_page(client, region):
    client.force_login(region.staff[("NR", Role.COMPLAINTS_OFFICER)])
    response = client.post(reverse("complaints:add"), {})
    assert response.status_code == 200
    assert "Enter the date the complaint was received" in response.content.decode()
    response = client.post(reverse("complaints:add"), {
        "received_on_day": "2", "received_on_month": "3", "received_on_year": "2026", "complainant_type": "adopter",
        "summary": "Calls not returned"})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.raa == region.raa
    page = client.get(reverse("complaints:detail", args=[complaint.pk]))
    assert "16 March 2026" in page.content.decode()  # stage 1 due: 10 working days after Monday 2 March
    assert RecordView.objects.filter(object_id=str(complaint.pk), viewer=region.staff[("NR", Role.COMPLAINTS_OFFICER)]
                                     ).exists()


def test_overdue_list_on_the_page(client, region, monkeypatch):
    from permanence.complaints import views

    monkeypatch.setattr(views, "today", lambda: date(2026, 3, 24))
    make_complaint(region.raa, received_on=date(2026, 3, 9), summary="Second")
    make_complaint(region.raa, received_on=date(2026, 3, 2), summary="First")
    client.force_login(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    html = client.get(reverse("complaints:list")).content.decode()
    overdue = html[html.index('id="overdue"'):html.index('id="open"')]
    assert overdue.index("16 March 2026") < overdue.index("23 March 2026")


def test_entering_feedback_and_the_summary(client, region):
    survey = FeedbackSurvey.objects.get(point="preparation", version=1)
    client.force_login(region.staff[("NR", Role.RAA_FAMILY_FINDER)])
    url = reverse("complaints:feedback-add", args=[survey.pk])
    for useful in ("4", "5"):
        response = client.post(url, {"received_on_day": "2", "received_on_month": "3", "received_on_year": "2026",
                                     "useful": useful, "ready": "yes"})
        assert response.status_code == 302
    assert FeedbackResponse.objects.filter(raa=region.raa, survey=survey).count() == 2
    client.force_login(region.staff[("NR", Role.RAA_QUALITY_LEAD)])
    html = client.get(reverse("complaints:feedback")).content.decode()
    assert "Mean 4.5 out of 5" in html and "Yes 2, no 0" in html
    client.force_login(region.staff[("SR", Role.RAA_QUALITY_LEAD)])
    assert "Mean 4.5" not in client.get(reverse("complaints:feedback")).content.decode()


def test_a_complaint_about_a_child_through_access(client, region):
    """?child= goes through access.get_child_for: a team manager links their RAA's child; another RAA's is a 404."""
    own, other = region.child(region.la), region.child(region.other_la)
    client.force_login(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    assert client.get(reverse("complaints:add") + f"?child={other.pk}").status_code == 404
    response = client.post(reverse("complaints:add") + f"?child={own.pk}", {
        "received_on_day": "2", "received_on_month": "3", "received_on_year": "2026", "complainant_type": "child",
        "summary": "Not told about the move"})
    assert response.status_code == 302
    assert Complaint.objects.get().child == own


@pytest.mark.parametrize("role, sections", [
    (Role.RAA_TEAM_MANAGER, ["blueprint:reviews", "disruptions:list", "complaints:list", "complaints:feedback"]),
    (Role.RAA_QUALITY_LEAD, ["blueprint:reviews", "disruptions:list", "complaints:feedback"]),
    (Role.COMPLAINTS_OFFICER, ["complaints:list"]),
    (Role.RAA_FAMILY_FINDER, []),
])
def test_the_quality_home_lists_what_each_role_may_use(client, region, role, sections):
    """One navigation item, "Quality", for every member of an RAA's staff: its page links to the quality tools
    this role may open (and no others), and to the current survey at each point for entering a response."""
    client.force_login(region.staff[("NR", role)])
    nav = client.get(reverse("complaints:home"))
    html = nav.content.decode()
    assert nav.status_code == 200 and re.search(r'href="/quality/" aria-current="page">\s*<strong[^>]*>Quality</strong>', html)
    for name in ("blueprint:reviews", "disruptions:list", "complaints:list", "complaints:feedback"):
        assert (f'href="{reverse(name)}"' in html) == (name in sections), (role, name)
    for point in ("preparation", "approval", "placement", "support_close"):
        survey = FeedbackSurvey.objects.filter(point=point).order_by("-version").first()
        assert reverse("complaints:feedback-add", args=[survey.pk]) in html


@pytest.mark.parametrize("role", [Role.RAA_QUALITY_LEAD, Role.COMPLAINTS_OFFICER])
def test_the_quality_roles_land_on_the_quality_home(client, region, role):
    client.force_login(region.staff[("NR", role)])
    assert client.get("/").url == reverse("complaints:home")
