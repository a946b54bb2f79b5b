"""The home page and the task list (issue 14, items 1 and 2): every role lands on its own work; each task links to
the page that does it and goes when it is done; a manager sees the team's; the order is the due date, the earliest
first and undated last."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.urls import reverse

from permanence.children import services as child_services
from permanence.home import tasks as T
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.performance import services as surgery_services
from permanence.testing import PLACEMENT_ORDER_JOURNEY, each_case

USERS = [(code, role) for code in ("NR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code == "NR" else "la") in kinds]
# Roles whose work is not on records go where it is (worked out from the role, not from access).
ELSEWHERE = {Role.BOARD_MEMBER: "overview", Role.SYSTEM_ADMINISTRATOR: "organisations:policies",
             Role.RAA_QUALITY_LEAD: "complaints:home", Role.COMPLAINTS_OFFICER: "complaints:home"}
# The section of the home page that is each role's own (its id on the page).
OWN_SECTION = {
    Role.RAA_FAMILY_FINDER: "caseload-summary", Role.LA_SOCIAL_WORKER: "caseload-summary",
    Role.RAA_ASSESSING_SOCIAL_WORKER: "households-heading", Role.RAA_SUPPORT_WORKER: "support-summary",
    Role.PANEL_ADVISER: "panels-heading", Role.DATA_OFFICER: "imports-heading",
    Role.RAA_TEAM_MANAGER: "team-heading", Role.LA_TEAM_MANAGER: "team-heading",
    Role.RAA_HEAD_OF_SERVICE: "dashboard-links", Role.AGENCY_DECISION_MAKER: "tasks-heading",
}


def task_links(html: str) -> list[str]:
    table = re.search(r'<table class="govuk-table" id="tasks">(.*?)</table>', html, re.S)
    return re.findall(r'<a class="govuk-link" href="([^"]+)">', table.group(1)) if table else []


def test_every_role_lands_on_its_own_work(client, region):
    def check(code, role):
        user = region.staff[(code, role)]
        client.force_login(user)
        response = client.get("/")
        if role in ELSEWHERE and not (role == Role.SYSTEM_ADMINISTRATOR and code != "NR"):
            assert response.status_code == 302 and response.url == reverse(ELSEWHERE[role])
            return
        html = response.content.decode()
        assert response.status_code == 200 and "Your work" in html
        assert f'id="{OWN_SECTION[role]}"' in html, role
        assert 'id="no-tasks"' in html  # an empty region: each role's empty state, not an error

    each_case(USERS, check, client=client)


def test_a_due_action_is_a_task_that_links_to_doing_it_and_goes_when_done(client, region):
    sw = region.staff[("901", Role.LA_SOCIAL_WORKER)]
    child = region.child(first_name="Tasked", events=[("entered_care", date(2024, 1, 10))], la_social_worker=sw)
    assert child.next_due_date is not None  # the permanence plan, 4 months after entering care
    client.force_login(sw)
    html = client.get("/").content.decode()
    detail = reverse("children:detail", args=[child.pk])
    assert f"{detail}#due-actions" in task_links(html)
    assert child.next_due_label in html and "Overdue by" in html
    # On the child's page the due action links to the form that does it: recording one of its end events.
    page = client.get(detail).content.decode()
    due_rows = re.search(r'id="due-actions">(.*?)</table>', page, re.S).group(1)
    forms = re.findall(r'href="(/children/\d+/events/new/([a-z_]+)/)"', due_rows)
    assert forms, "the due action has no link to do it"
    url, kind = forms[0]
    assert kind == "permanence_plan" and client.get(url).status_code == 200
    child_services.record_event(child=child, kind=kind, date=date(2024, 5, 2), actor=sw)
    html = client.get("/").content.decode()
    assert f"{detail}#due-actions" not in task_links(html) and 'id="no-tasks"' in html


def test_surgery_actions_are_the_owners_tasks_and_done_ones_are_listed(client, region):
    tm, ff = region.staff[("NR", Role.RAA_TEAM_MANAGER)], region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    child = region.child(first_name="Surgeried", events=PLACEMENT_ORDER_JOURNEY, family_finder=ff)
    today = child_services.today()
    action = surgery_services.agree_action(actor=tm, child=child, text="Ring the foster carer about the move",
                                           owner=ff, due_by=today + timedelta(days=3), agreed_on=today)
    client.force_login(ff)
    html = client.get("/").content.decode()
    url = reverse("performance:surgery-action", args=[action.pk])
    assert url in task_links(html) and "Ring the foster carer" in html and "3 days left" in html
    assert client.get(url).status_code == 200
    surgery_services.complete_action(actor=ff, action=action, on=today, outcome="Rang")
    html = client.get("/").content.decode()
    assert url not in task_links(html)
    assert 'id="completed"' in html and "Ring the foster carer" in html
    # Filter by kind: only surgery actions, or none of them.
    assert task_links(client.get("/", {"kind": "surgery"}).content.decode()) == []
    assert client.get("/", {"kind": "nonsense"}).status_code == 200


def test_a_manager_sees_the_teams_work_and_tasks(client, region):
    tm, ff = region.staff[("NR", Role.RAA_TEAM_MANAGER)], region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    other_ff = region.staff[("SR", Role.RAA_FAMILY_FINDER)]
    child = region.child(first_name="Teamed", events=[("entered_care", date(2024, 1, 10))], family_finder=ff)
    region.child(region.other_la, first_name="Southern", events=PLACEMENT_ORDER_JOURNEY, family_finder=other_ff)
    region.child(first_name="Nobodys", events=PLACEMENT_ORDER_JOURNEY)
    client.force_login(tm)
    html = client.get("/").content.decode()
    team = re.search(r'<table class="govuk-table" id="team">(.*?)</table>', html, re.S).group(1)
    assert ff.get_full_name() in team and other_ff.last_name not in team
    unallocated = re.search(r'id="unallocated">(.*?)</ul>', html, re.S).group(1)
    assert "Children with no family finder: 1" in unallocated
    assert f"/children/{child.pk}/" not in " ".join(task_links(html))  # the manager's own list: not the team's
    team_view = client.get("/", {"tasks": "team"}).content.decode()
    assert f"/children/{child.pk}/#due-actions" in task_links(team_view)
    assert "Whose" in team_view and "Southern" not in team_view
    # A worker has no team view: the parameter is ignored.
    client.force_login(ff)
    assert "Whose" not in client.get("/", {"tasks": "team"}).content.decode()


def test_decisions_and_panel_work_are_tasks(client, match_world):
    from permanence.adopters import services as household_services
    from permanence.adopters.tests.match_world import PANEL_DATE

    w, region = match_world, match_world.region
    adviser = region.staff[("NR", Role.PANEL_ADVISER)]
    adm = region.staff[("NR", Role.AGENCY_DECISION_MAKER)]
    item = household_services.book_match_item(actor=adviser, panel=w.panel, children=[w.child],
                                              household=w.household)
    client.force_login(adviser)
    papers = reverse("adopters:item-papers", args=[w.panel.pk, item.pk])
    assert papers in task_links(client.get("/").content.decode())
    w.clock.set(PANEL_DATE + timedelta(days=1))
    recommendation = reverse("adopters:item-recommendation", args=[w.panel.pk, item.pk])
    assert recommendation in task_links(client.get("/").content.decode())
    household_services.record_recommendation(actor=adviser, item=item, recommendation="match",
                                            reasons="A good fit")
    assert recommendation not in task_links(client.get("/").content.decode())
    client.force_login(adm)
    decision = reverse("adopters:match-decision", args=[item.pk])
    assert decision in task_links(client.get("/").content.decode())
    assert client.get(decision).status_code == 200
    household_services.record_decision(actor=adm, item=item, decision="agreed", on=PANEL_DATE + timedelta(days=1))
    html = client.get("/").content.decode()
    assert decision not in task_links(html) and 'id="completed"' in html
    # An LA's ADM decides its own children's matches and sees the household by its reference only, as on the
    # match decision pages.
    w.clock.set(PANEL_DATE - timedelta(days=10))
    kept = household_services.book_match_item(actor=adviser, panel=w.panel, children=[w.keepham_child],
                                              household=w.other_household)
    w.clock.set(PANEL_DATE + timedelta(days=1))
    household_services.record_recommendation(actor=adviser, item=kept, recommendation="match", reasons="Fits")
    la_adm = region.staff[("902", Role.AGENCY_DECISION_MAKER)]
    client.force_login(la_adm)
    html = client.get("/").content.decode()
    assert reverse("adopters:match-decision", args=[kept.pk]) in task_links(html)
    household_services.record_decision(actor=la_adm, item=kept, decision="agreed", on=PANEL_DATE + timedelta(days=1))
    html = client.get("/").content.decode()
    assert 'id="completed"' in html and f"Prospective adopters {w.other_household.reference}" in html
    assert "Brennan" not in html


def test_the_home_page_makes_the_same_queries_however_much_work_there_is(client, region):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tm, ff = region.staff[("NR", Role.RAA_TEAM_MANAGER)], region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    today = child_services.today()

    def add_work(n):
        for _ in range(n):
            child = region.child(events=[("entered_care", date(2024, 1, 10))], family_finder=ff)
            action = surgery_services.agree_action(actor=tm, child=child, text="Ring", owner=ff, due_by=today,
                                                   agreed_on=today)
            surgery_services.agree_action(actor=tm, child=child, text="Write", owner=ff, due_by=today,
                                          agreed_on=today)
            surgery_services.complete_action(actor=ff, action=action, on=today, outcome="Done")

    counts = []
    for n, user in ((2, ff), (10, ff), (0, tm)):
        add_work(n)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/", {"tasks": "team"}).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts  # twelve children, twenty-four actions: no query per row


def test_every_task_opens_for_the_person_it_is_shown_to(client, match_world):
    """Whatever the role, a task never links to a page its person may not open."""
    def check(code, role):
        from permanence.adopters import services as household_services

        w, region = match_world, match_world.region
        ff, tm = region.staff[("NR", Role.RAA_FAMILY_FINDER)], region.staff[("NR", Role.RAA_TEAM_MANAGER)]
        child_services.update_child(actor=None, child=w.child, family_finder=ff)
        child_services.update_child(actor=None, child=w.unlinked, la_social_worker=region.staff[("901",
                                                                                               Role.LA_SOCIAL_WORKER)])
        household_services.book_match_item(actor=region.staff[("NR", Role.PANEL_ADVISER)], panel=w.panel,
                                           children=[w.child], household=w.household)
        today = child_services.today()
        surgery_services.agree_action(actor=tm, child=w.child, text="Chase the CPR", owner=ff, due_by=today,
                                      agreed_on=today)
        from permanence.adopted_adults.tests.conftest import make_request

        make_request(region.raa, worker=region.staff[("NR", Role.RAA_SUPPORT_WORKER)], steps=[
            ("triaged", date(2025, 3, 5), {"priority": "standard"}), ("records_requested", date(2025, 3, 6), {"agency": "Northshire County Council"})])
        user = region.staff[(code, role)]
        client.force_login(user)
        response = client.get("/", {"tasks": "team"})
        if response.status_code == 302:
            return
        for url in task_links(response.content.decode()):
            assert client.get(url.split("#")[0]).status_code == 200, url

    each_case(USERS, check, client=client)


def test_tasks_come_earliest_first_and_undated_last():
    day = date(2026, 1, 10)
    made = [T.Task(T.CONFLICT, "Decide", "B", "/b", None), T.Task(T.DUE, "Do", "A", "/a", day),
            T.Task(T.SURGERY, "Ring", "C", "/c", day - timedelta(days=400)), T.Task(T.DUE, "Do", "D", "/d", None)]
    assert [t.url for t in T._ordered(made)] == ["/c", "/a", "/b", "/d"]
    assert [t.status(day) for t in T._ordered(made)] == ["overdue", "today", "none", "none"]
    assert T.Task(T.DUE, "x", "y", "/", day + timedelta(days=7)).status(day) == "soon"
    assert T.Task(T.DUE, "x", "y", "/", day + timedelta(days=8)).status(day) == "later"


def test_a_list_cut_at_its_limit_says_there_are_more(client, region, monkeypatch):
    sw = region.staff[("901", Role.LA_SOCIAL_WORKER)]
    for n in range(3):
        region.child(first_name=f"Many{n}", events=[("entered_care", date(2024, 1, 10))], la_social_worker=sw)
    client.force_login(sw)
    html = client.get("/").content.decode()
    assert 'id="count-tasks">3<' in html and 'id="tasks-cut"' not in html
    monkeypatch.setattr(T, "LIMIT_PER_SOURCE", 2)
    html = client.get("/").content.decode()
    assert 'id="count-tasks">2+<' in html and 'id="tasks-cut"' in html


def test_an_adopted_adults_request_is_its_workers_task_until_it_is_done(client, region):
    """A waiting request's first interview and the chase of the records asked of another agency are its worker's
    tasks (and the team's, for the manager), linked to the request; recording them ends them."""
    from permanence.adopted_adults import services as adult_services
    from permanence.adopted_adults.tests.conftest import TODAY, make_request

    worker, tm = region.staff[("NR", Role.RAA_SUPPORT_WORKER)], region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    request = make_request(region.raa, worker=worker, steps=[
        ("triaged", date(2025, 3, 5), {"priority": "standard"}),
        ("records_requested", date(2025, 3, 6), {"agency": "Northshire County Council"})])
    unallocated = make_request(region.raa, first_name="Una")  # nobody's task
    theirs = make_request(region.other_raa, first_name="Bea", worker=region.staff[("SR", Role.RAA_SUPPORT_WORKER)])
    assert request.interview_due is not None and request.chase_due is not None
    detail = reverse("adopted_adults:detail", args=[request.pk])

    tasks = T.tasks_for(worker, TODAY)
    mine = [t for t in tasks if t.url.startswith(detail)]
    assert [(t.text, t.due) for t in mine] == sorted(
        [("Hold the first interview", request.interview_due),
         ("Chase the records requested from other agencies", request.chase_due)], key=lambda p: p[1])
    assert not [t for t in tasks if reverse("adopted_adults:detail", args=[unallocated.pk]) in t.url
                or reverse("adopted_adults:detail", args=[theirs.pk]) in t.url]
    client.force_login(worker)
    assert f"{detail}#due-heading" in task_links(client.get("/").content.decode())
    assert client.get(detail).status_code == 200
    team = T.tasks_for(tm, TODAY, people=[tm, worker])
    assert {t.owner_id for t in team if t.url.startswith(detail)} == {worker.pk}

    adult_services.record_event(adult=request, kind="first_interview", date=date(2025, 4, 1), actor=None,
                                check_role=False, on=TODAY)
    adult_services.record_event(adult=request, kind="records_received", date=date(2025, 4, 2), actor=None,
                                check_role=False, details={"agency": "Northshire County Council"}, on=TODAY)
    assert not [t for t in T.tasks_for(worker, TODAY) if t.url.startswith(detail)]
