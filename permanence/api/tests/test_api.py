"""The API's behaviour: filters, derived facts, writes through the services, errors, pagination, tokens."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from permanence.api.models import ApiToken
from permanence.api.tests.conftest import token_client
from permanence.children.models import JourneyEvent
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY


@pytest.fixture
def world(region):
    own = region.child(region.la, first_name="Ownchild", events=[*PLACEMENT_ORDER_JOURNEY,
                                                                 ("placement_order", date(2024, 9, 4))])
    keeps = region.child(region.la_keeps, first_name="Keepchild", events=PLACEMENT_ORDER_JOURNEY)
    return region, own, keeps


def test_children_list_filters_like_the_page(world):
    region, own, keeps = world
    api = token_client(region.staff[("NR", Role.RAA_FAMILY_FINDER)])
    url = reverse("api:child-list")
    assert {c["first_name"] for c in api.get(url).json()["results"]} == {"Ownchild", "Keepchild"}
    assert [c["first_name"] for c in api.get(url, {"la": "901"}).json()["results"]] == ["Ownchild"]
    assert [c["first_name"] for c in api.get(url, {"stage": "placement_order"}).json()["results"]] == ["Ownchild"]
    assert [c["first_name"] for c in api.get(url, {"holder": "la"}).json()["results"]] == ["Keepchild"]
    assert [c["first_name"] for c in api.get(url, {"q": "keepchild"}).json()["results"]] == ["Keepchild"]
    bad = api.get(url, {"stage": "nonsense", "priority": "perhaps"})
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"stage", "priority"}


def test_pagination(world):
    region, *_ = world
    for n in range(3):
        region.child(region.la, first_name=f"Extra{n}")
    api = token_client(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    page = api.get(reverse("api:child-list"), {"page_size": 2, "include_closed": "true"}).json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert len(api.get(reverse("api:child-list"), {"page_size": 100000}).json()["results"]) == 5
    assert api.get(reverse("api:child-list"), {"page": 99}).status_code == 404


def test_child_detail_has_the_derived_facts(world):
    region, own, _ = world
    api = token_client(region.staff[("NR", Role.RAA_FAMILY_FINDER)])
    data = api.get(reverse("api:child-detail", args=[own.pk])).json()
    derived = data["derived"]
    assert data["stage"] == derived["stage"] == "placement_order"
    assert derived["case_holder"]["code"] == "NR"  # 901 transfers to the RAA at the placement order
    assert [p["holder"] for p in derived["holder_history"]] == ["la", "raa"]
    assert derived["holder_history"][-1]["start"] == "2024-09-04"
    assert all({"label", "due", "overdue", "days_left"} <= set(a) for a in derived["due_actions"])
    assert isinstance(derived["priority_reasons"], list)
    assert "linked" in derived["recordable_kinds"]


def test_recording_an_event_goes_through_the_service(world):
    region, own, _ = world
    user = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    api = token_client(user)
    url = reverse("api:child-event-list", args=[own.pk])
    created = api.post(url, {"kind": "linked", "date": "2024-10-01", "details": {"adopters": "H-12"}},
                       format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["details"] == {"adopters": "H-12"}
    assert AuditEvent.objects.filter(action="event.recorded", child_id=own.pk, actor=user).exists()
    assert api.get(reverse("api:child-detail", args=[own.pk])).json()["stage"] == "linked"
    # The service refuses an impossible event: 400 with its message, nothing saved.
    refused = api.post(url, {"kind": "adoption_order", "date": "2024-10-02"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] is None and refused.json()["errors"][0]["message"]
    # The role check is the service's too: an LA social worker cannot record a link.
    worker = token_client(region.staff[("901", Role.LA_SOCIAL_WORKER)])
    assert worker.post(url, {"kind": "matching_panel", "date": "2024-10-03",
                             "details": {"recommendation": "match"}}, format="json").status_code == 400
    assert JourneyEvent.objects.filter(child=own).count() == len(PLACEMENT_ORDER_JOURNEY) + 2


def test_correcting_and_withdrawing_an_event(world):
    region, own, _ = world
    api = token_client(region.staff[("901", Role.LA_SOCIAL_WORKER)])
    event = own.events.get(kind="identified")
    url = reverse("api:child-event-correct", args=[own.pk, event.pk])
    assert api.post(url, {"date": "2024-02-02"}, format="json").json()["errors"][0]["field"] == "reason"
    corrected = api.post(url, {"reason": "Typo", "date": "2024-02-02"}, format="json")
    assert corrected.status_code == 200, corrected.json()
    body = corrected.json()
    assert body["withdrawn"] is False and body["event"]["date"] == "2024-02-02" and body["event"]["corrects"] == event.pk
    again = api.post(url, {"reason": "Again", "date": "2024-02-03"}, format="json")
    assert again.status_code == 400 and "already been corrected" in again.json()["errors"][0]["message"]
    events = api.get(reverse("api:child-event-list", args=[own.pk])).json()["results"]
    assert any(e["superseded"] for e in events)


def test_error_bodies_are_consistent(world):
    region, own, _ = world
    api = token_client(region.staff[("NR", Role.RAA_FAMILY_FINDER)])
    url = reverse("api:child-event-list", args=[own.pk])
    response = api.post(url, {"kind": "linked", "date": "not a date", "details": {"recommendation": "perhaps"}},
                        format="json")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"date", "details.recommendation"}
    assert api.delete(reverse("api:child-detail", args=[own.pk])).json()["errors"][0]["code"] == "method_not_allowed"
    assert api.post(url, "kind=linked", content_type="text/plain").status_code == 415


def test_token_command_issues_lists_and_revokes(world):
    region, own, _ = world
    user = region.staff[("NR", Role.DATA_OFFICER)]
    out = StringIO()
    call_command("api_token", user.username, "--name", "Nightly sync", stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=user)
    assert raw.startswith(f"pmn_{token.prefix}_") and raw not in token.digest  # only a digest is stored
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get(reverse("api:me")).json()["username"] == user.username
    listing = StringIO()
    call_command("api_token", user.username, "--list", stdout=listing)
    assert token.prefix in listing.getvalue() and "active" in listing.getvalue()
    call_command("api_token", user.username, "--revoke", token.prefix, stdout=StringIO())
    assert client.get(reverse("api:me")).status_code == 401
    assert AuditEvent.objects.filter(action__in=["api_token.issued", "api_token.revoked"]).count() == 2
    with pytest.raises(CommandError):
        call_command("api_token", "nobody", stdout=StringIO())


def test_a_token_expires(world, settings):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from permanence.api import services as api_services

    region, own, _ = world
    user = region.staff[("NR", Role.DATA_OFFICER)]
    token, raw = api_services.issue_token(actor=None, user=user, name="Nightly sync")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get(reverse("api:me")).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = client.get(reverse("api:me"))
    assert refused.status_code == 401 and "expired" in refused.content.decode()
    listing = StringIO()
    call_command("api_token", user.username, "--list", stdout=listing)
    assert "expired" in listing.getvalue()
    short, _ = api_services.issue_token(actor=None, user=user, name="One week", days=7)
    assert timedelta(days=6) < short.expires_at - timezone.now() <= timedelta(days=7)
    for days in (0, settings.API_TOKEN_MAX_DAYS + 1):
        with pytest.raises(ValidationError):
            api_services.issue_token(actor=None, user=user, name="Too long", days=days)
    with pytest.raises(CommandError):
        call_command("api_token", user.username, "--days", "400", stdout=StringIO(), stderr=StringIO())


def test_the_schema_documents_errors_and_pagination(world):
    region, *_ = world
    schema = token_client(region.staff[("NR", Role.RAA_FAMILY_FINDER)]).get(reverse("api:schema"))
    import json

    doc = json.loads(schema.content)
    assert "Error" in doc["components"]["schemas"]
    children = doc["paths"]["/api/v1/children/"]["get"]
    assert {"page", "page_size", "q", "la", "stage", "holder", "priority", "overdue"} <= {
        p["name"] for p in children["parameters"]}
    assert children["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}


@pytest.mark.parametrize("who, name, args", [
    (Role.RAA_SUPPORT_WORKER, "api:support-case-list", False),  # an LA's code looked up: a 500 on PostgreSQL
    (Role.RAA_FAMILY_FINDER, "api:child-event-list", True),
    (Role.RAA_TEAM_MANAGER, "api:household-list", False),
])
def test_a_nul_character_or_a_body_nested_too_deep_is_a_400_with_the_error_body(world, who, name, args):
    """No JSON body reaches a field or a lookup with a NUL character (PostgreSQL text cannot hold one) or with
    nesting deeper than any endpoint takes (Python's parser would run out of stack): the documented error body,
    on every endpoint, before any view code runs."""
    region, own, _ = world
    api = token_client(region.staff[("NR", who)])
    url = reverse(name, args=[own.pk] if args else [])
    for body in ({"placing_la": "90\x001", "kind": "linked"}, {"note": ["ok", {"deep": "a\x00b"}]},
                 {"k\x00ey": 1}):
        response = api.post(url, body, format="json")
        assert response.status_code == 400, body
        (error,) = response.json()["errors"]
        assert "NUL character" in error["message"]
    deep = "[" * 100_000 + "]" * 100_000
    response = api.post(url, deep, content_type="application/json")
    assert response.status_code == 400 and "nested more than 32 levels" in response.json()["errors"][0]["message"]
    assert api.post(url, "[" * 40 + "]" * 40, content_type="application/json").status_code == 400
