"""Every role × own RAA / another RAA × every adopted adults' page: only the RAA's adoption support workers,
team managers and head of service see its requests (everyone else: 404, as for a missing request); the head of
service reads but does not record (403); downloads are for the team managers and head of service. Every view is
logged."""

from django.urls import reverse

from permanence import access
from permanence.core import pdf
from permanence.core.models import ExportLog, RecordView
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role

from .access_urls import CREATE, EXPORTS, LIST_PAGES, REQUEST_FILES, REQUEST_PAGES

SUPPORT = {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}
RECORDERS = {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER}
EXPORTERS = {Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}
# Every role of the request's RAA (NR) and of an LA (901); the other RAA's (SR) support roles (its other roles
# are refused as NR's are).
USERS = [(code, role) for code in ("NR", "SR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds and (code != "SR" or role in SUPPORT)]


def request_url(name, adult):
    if name == "adopted_adults:record-event":
        return reverse(name, args=[adult.pk, "first_interview"])
    if name == "adopted_adults:correct-event":
        return reverse(name, args=[adult.pk, adult.events.get(kind="triaged").pk])
    return reverse(name, args=[adult.pk])


def test_every_role_of_each_organisation_on_every_page(client, world, monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: b"%PDF-")  # rendered for real in test_pages
    north = world.north
    for code, role in USERS:
        user = world.staff[(code, role)]
        client.force_login(user)
        support = role in SUPPORT and code in ("NR", "SR")
        own = support and code == "NR"
        who = f"{role}@{code}"
        for name in LIST_PAGES:
            response = client.get(reverse(name))
            assert response.status_code == (200 if support else 404), (who, name)
            assert (north.first_name.encode() in response.content) == own, (who, name)
        for name in CREATE:
            want = 404 if not support else 200 if role in RECORDERS else 403
            assert client.get(reverse(name)).status_code == want, (who, name)
        for name in EXPORTS[:1]:  # the CSV here; the XLSX (the same view) in test_views_and_downloads_are_logged
            response = client.get(reverse(name))
            want = 404 if not support else 200 if role in EXPORTERS else 403
            assert response.status_code == want, (who, name)
            if want == 200:
                body = b"".join(response.streaming_content) if response.streaming else response.content
                if name.endswith("csv"):
                    assert (north.reference.encode() in body) == own, (who, name)
        for name in REQUEST_PAGES:
            assert client.get(request_url(name, north)).status_code == (200 if own else 404), (who, name)
        for name in REQUEST_FILES:
            want = 404 if not own else 200 if role in EXPORTERS else 403
            assert client.get(request_url(name, north)).status_code == want, (who, name)
        allocate = client.post(reverse("adopted_adults:allocate", args=[north.pk]), {"worker": ""})
        assert allocate.status_code == (404 if not own else 302 if role in RECORDERS else 403), (who, "allocate")
    # The other RAA's request is theirs alone.
    client.force_login(world.user(Role.RAA_TEAM_MANAGER))
    assert client.get(reverse("adopted_adults:detail", args=[world.south.pk])).status_code == 404


def test_views_and_downloads_are_logged(client, world, monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: b"%PDF-")
    manager = world.user(Role.RAA_TEAM_MANAGER)
    client.force_login(manager)
    client.get(reverse("adopted_adults:detail", args=[world.north.pk]))
    assert RecordView.objects.filter(viewer=manager, object_type="adopted_adults.adultrequest",
                                     object_id=str(world.north.pk)).exists()
    client.get(reverse("adopted_adults:pdf", args=[world.north.pk]))
    assert client.get(reverse("adopted_adults:export-xlsx")).status_code == 200
    for role, want in ((Role.RAA_SUPPORT_WORKER, 403), (Role.RAA_FAMILY_FINDER, 404)):
        client.force_login(world.user(role))
        assert client.get(reverse("adopted_adults:export-xlsx")).status_code == want
    assert set(ExportLog.objects.filter(user__organisation=world.raa).values_list("what", "format")) == {
        ("adopted_adults.request", "pdf"), ("adopted_adults.list", "xlsx")}


def test_the_head_of_service_reads_but_cannot_record(client, world):
    head = world.user(Role.RAA_HEAD_OF_SERVICE)
    client.force_login(head)
    page = client.get(reverse("adopted_adults:detail", args=[world.north.pk])).content.decode()
    assert "There is nothing your role can record" in page and "Correct or withdraw" not in page
    form = client.get(request_url("adopted_adults:record-event", world.north)).content.decode()
    assert "support workers and team managers record" in form
    client.post(request_url("adopted_adults:record-event", world.north),
                {"date_day": "1", "date_month": "5", "date_year": "2025"})
    world.north.refresh_from_db()
    assert world.north.stage == "waiting"
    assert access.adult_request_kinds_for(head, world.north, None) == []


def test_family_finders_and_la_staff_never_see_a_request(world):
    for user in (world.user(Role.RAA_FAMILY_FINDER), world.user(Role.LA_SOCIAL_WORKER),
                 world.user(Role.LA_TEAM_MANAGER), world.user(Role.DATA_OFFICER, world.raa)):
        assert not access.adult_requests_visible_to(user).exists()
        assert access.adult_request_event_refusal(user, world.north, "first_interview") == \
            "You do not have access to this request."
