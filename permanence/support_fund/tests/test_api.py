"""/api/v1/support-fund-applications/ and /api/v1/support-providers/: the pages' access, filters, a draft made."""

from django.urls import reverse

from permanence.api.tests.conftest import token_client
from permanence.organisations.models import Role
from permanence.support_fund.models import FundApplication

from .test_access import SUPPORT, USERS


def test_every_role_sees_only_its_own_raas_applications_and_providers(fund_world):
    for code, role in USERS:
        _sees_own(fund_world, code, role)


def _sees_own(fund_world, code, role):
    client = token_client(fund_world.staff[(code, role)])
    north, south = fund_world.north, fund_world.south
    listed = client.get(reverse("api:support-fund-application-list"))
    one = client.get(reverse("api:support-fund-application-detail", args=[north.submitted.pk]))
    providers = client.get(reverse("api:support-provider-list"))
    if role in SUPPORT and code in ("NR", "SR"):
        side = north if code == "NR" else south
        assert listed.status_code == 200
        assert {r["id"] for r in listed.json()["results"]} == {side.draft.pk, side.submitted.pk, side.approved.pk}
        assert [p["name"] for p in providers.json()["results"]] == [side.provider.name]
        assert one.status_code == (200 if code == "NR" else 404)
    else:
        assert (listed.status_code, one.status_code, providers.status_code) == (404, 404, 404)


def test_filters_and_the_detail_shows_the_headroom(fund_world):
    client = token_client(fund_world.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    north = fund_world.north
    got = client.get(reverse("api:support-fund-application-list"), {"status": "approved"}).json()["results"]
    assert [r["id"] for r in got] == [north.approved.pk]
    got = client.get(reverse("api:support-fund-application-list"), {"status": "draft", "kind": "therapy"}).json()
    assert [r["id"] for r in got["results"]] == [north.draft.pk]
    assert client.get(reverse("api:support-fund-application-list"), {"financial_year": 2024}).json()["results"] == []
    assert client.get(reverse("api:support-fund-application-list"), {"status": "nonsense"}).status_code == 400
    detail = client.get(reverse("api:support-fund-application-detail", args=[north.submitted.pk])).json()
    # 2025/26: £3,000 in all; the child's approved £700 counts against the submitted £600 application
    assert detail["limit"]["financial_year"] == 2025
    assert detail["limit"]["limit"] == "3000.00" and detail["limit"]["headroom"] == "2300.00"
    assert detail["status"] == "submitted" and "Hart" not in str(detail)


def test_a_draft_is_made_through_the_service(fund_world):
    north, south = fund_world.north, fund_world.south
    worker = token_client(fund_world.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    url = reverse("api:support-fund-application-list")
    made = worker.post(url, {"case": north.case.pk, "kind": "assessment", "amount_requested": "1200.00",
                             "description": "Sensory assessment", "provider": north.provider.pk}, format="json")
    assert made.status_code == 201, made.json()
    row = FundApplication.objects.get(pk=made.json()["id"])
    assert row.case == north.case and row.status.value == "draft" and row.created_by.role == Role.RAA_SUPPORT_WORKER
    other_case = worker.post(url, {"case": south.case.pk, "kind": "therapy", "amount_requested": "10",
                                   "description": "X"}, format="json")
    assert other_case.status_code == 400 and other_case.json()["errors"][0]["field"] == "case"
    other_provider = worker.post(url, {"case": north.case.pk, "kind": "therapy", "amount_requested": "10",
                                       "description": "X", "provider": south.provider.pk}, format="json")
    assert other_provider.status_code == 400
    head = token_client(fund_world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    refused = head.post(url, {"case": north.case.pk, "kind": "therapy", "amount_requested": "10",
                              "description": "X"}, format="json")
    assert refused.status_code == 400
    assert FundApplication.objects.filter(case=north.case).count() == 4
