"""Adopted adults' requests in the API (/api/v1/adopted-adult-requests/ and its events): the pages' access for
every role of the own RAA, another RAA and an LA; the services' writes (a refusal is a 400 saying why)."""

from datetime import date

from django.urls import reverse

from permanence.adopted_adults.models import AdultRequest
from permanence.api.tests.conftest import token_client
from permanence.core.models import RecordView
from permanence.organisations.models import Role

from .test_access import RECORDERS, SUPPORT, USERS


def test_every_role_on_every_endpoint(world):
    north = world.north
    event = north.events.get(kind="triaged")
    for code, role in USERS:
        user = world.staff[(code, role)]
        api = token_client(user)
        support = role in SUPPORT and code in ("NR", "SR")
        own = support and code == "NR"
        who = f"{role}@{code}"
        listed = api.get(reverse("api:adopted-adult-request-list"))
        assert listed.status_code == (200 if support else 404), who
        if support:
            assert [r["reference"] for r in listed.json()["results"]] == ([north.reference] if own else
                                                                          [world.south.reference]), who
        want = 200 if own else 404
        assert api.get(reverse("api:adopted-adult-request-detail", args=[north.pk])).status_code == want, who
        assert api.get(reverse("api:adopted-adult-request-event-list", args=[north.pk])).status_code == want, who
        assert api.get(reverse("api:adopted-adult-request-event-detail", args=[north.pk, event.pk])).status_code \
            == want, who
        corrected = api.post(reverse("api:adopted-adult-request-event-correct", args=[north.pk, event.pk]),
                             {"reason": "Check", "date": "2025-03-05"}, format="json")
        assert corrected.status_code == (404 if not own else 400), who  # nothing changed, or not allowed
        created = api.post(reverse("api:adopted-adult-request-list"), {}, format="json")
        assert created.status_code == (404 if not support else 400 if role in RECORDERS else 403), who


def test_recording_a_request_and_its_steps_through_the_api(world):
    api = token_client(world.worker)
    body = {"request_type": "access_records", "first_name": "Enid", "last_name": "Synthby",
            "date_of_birth": "1944-10-01", "received_on": "2025-08-28", "contact_method": "online",
            "adoption_agency": world.la.pk, "worker": world.worker.pk}
    made = api.post(reverse("api:adopted-adult-request-list"), body, format="json")
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["stage"] == "received" and made.json()["recordable_kinds"] == ["triaged", "withdrawn"]
    assert AdultRequest.objects.get(pk=pk).adoption_agency == world.la
    bad = api.post(reverse("api:adopted-adult-request-list"), {**body, "worker": world.user(
        Role.RAA_FAMILY_FINDER).pk}, format="json")
    assert bad.status_code == 400 and "support worker or team manager" in str(bad.json()), bad.json()
    events = reverse("api:adopted-adult-request-event-list", args=[pk])
    refused = api.post(events, {"kind": "first_interview", "date": "2025-08-29"}, format="json")
    assert refused.status_code == 400 and "follows triage" in str(refused.json())
    triaged = api.post(events, {"kind": "triaged", "date": "2025-08-29",
                                "details": {"priority": "seriously_ill", "reason": "In hospice care"}}, format="json")
    assert triaged.status_code == 201
    detail = api.get(reverse("api:adopted-adult-request-detail", args=[pk])).json()
    assert detail["priority"] == "seriously_ill" and detail["days_waiting"] == 4 and not detail["over_target"]
    assert RecordView.objects.filter(viewer=world.worker, object_id=str(pk)).exists()
    waiting = api.get(reverse("api:adopted-adult-request-list"), {"waiting": "true"}).json()["results"]
    assert [r["id"] for r in waiting] == [pk, world.north.pk]  # the priority first
    filtered = api.get(reverse("api:adopted-adult-request-list"), {"priority": "standard"}).json()["results"]
    assert [r["id"] for r in filtered] == [world.north.pk]


def test_the_head_of_service_reads_but_does_not_record(world):
    api = token_client(world.user(Role.RAA_HEAD_OF_SERVICE))
    events = reverse("api:adopted-adult-request-event-list", args=[world.north.pk])
    assert api.get(events).status_code == 200
    refused = api.post(events, {"kind": "first_interview", "date": str(date(2025, 5, 1))}, format="json")
    assert refused.status_code == 400 and "support workers and team managers" in str(refused.json())
    assert api.get(reverse("api:adopted-adult-request-detail", args=[world.north.pk])).json()[
        "recordable_kinds"] == []
