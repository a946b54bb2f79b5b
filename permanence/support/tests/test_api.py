"""/api/v1/support-cases/: the pages' access (support roles of the case's RAA only), referrals and steps through
the services, every retrieve logged."""

from datetime import date

from django.urls import reverse

from permanence.api.tests.conftest import token_client
from permanence.core.models import RecordView
from permanence.organisations.models import Role

from .conftest import TO_WAITING, make_case

SUPPORT = {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}


def test_support_case_endpoints_follow_the_pages(region, today):
    north = make_case(region, steps=TO_WAITING)
    south = make_case(region, region.other_raa, steps=TO_WAITING)
    event = north.events.get(kind="duty_outcome")
    for code in ("NR", "901"):
        for (org, role), user in region.staff.items():
            if org != code:
                continue
            api = token_client(user)
            support = role in SUPPORT and code == "NR"
            listed = api.get(reverse("api:support-case-list")).json()
            assert [r["reference"] for r in listed["results"]] == ([north.reference] if support else []), role
            for name, args in [("api:support-case-detail", [north.pk]), ("api:support-case-event-list", [north.pk]),
                               ("api:support-case-event-detail", [north.pk, event.pk])]:
                assert api.get(reverse(name, args=args)).status_code == (200 if support else 404), (name, role)
            assert api.get(reverse("api:support-case-detail", args=[south.pk])).status_code == 404
            assert api.post(reverse("api:support-case-event-correct", args=[south.pk, event.pk]),
                            {"reason": "x", "withdraw": True}, format="json").status_code == 404
    assert RecordView.objects.filter(object_type="support.supportcase", object_id=str(north.pk)).count() == 9  # + the event read (issue 15)


def test_referral_and_steps_through_the_api(region, today):
    worker = region.user("raa_support_worker")
    api = token_client(worker)
    made = api.post(reverse("api:support-case-list"), {
        "referrer_type": "adopted_adult", "referred_on": "2025-08-01", "family_name": "Ada Lovell",
        "referrer_name": "Ada Lovell", "reason": "Wants support", "child_name": "Ada Lovell", "urgency": "urgent",
        "family_la": region.la_keeps.code}, format="json")
    assert made.status_code == 201, made.json()
    case = made.json()
    assert case["reference"].startswith("S") and case["stage"] == "referred" and case["due"][0]["due"] == "2025-08-08"
    assert "duty_outcome" in case["recordable_kinds"]
    events = reverse("api:support-case-event-list", args=[case["id"]])
    refused = api.post(events, {"kind": "duty_outcome", "date": "2025-08-04", "details": {"outcome": "signposted"}},
                       format="json")
    assert refused.status_code == 400 and "signposted to" in str(refused.json())
    ok = api.post(events, {"kind": "duty_outcome", "date": "2025-08-04", "details": {"outcome": "for_assessment"}},
                  format="json")
    assert ok.status_code == 201
    api.post(events, {"kind": "assessment_requested", "date": "2025-08-05"}, format="json")
    waiting = api.get(reverse("api:support-case-list"), {"waiting": "true"}).json()
    assert [r["id"] for r in waiting["results"]] == [case["id"]]
    # The head of service reads, and may not record.
    head = token_client(region.user("raa_head_of_service"))
    assert head.post(events, {"kind": "note", "date": "2025-08-06", "details": {"summary": "x"}},
                     format="json").status_code == 400
    assert head.post(reverse("api:support-case-list"), {}, format="json").status_code == 403
    # Special guardianship only where the RAA offers it.
    sgo = api.post(reverse("api:support-case-list"), {
        "referrer_type": "special_guardianship", "referred_on": str(date(2025, 8, 1)), "family_name": "G",
        "referrer_name": "G", "reason": "R", "child_name": "C"}, format="json")
    assert sgo.status_code == 400 and "special guardianship" in str(sgo.json())


def test_malformed_ids_are_400s_or_empty_never_500s(region, today):
    case = make_case(region, steps=TO_WAITING)
    api = token_client(region.user("raa_support_worker"))
    assert api.get(reverse("api:support-case-list"), {"worker": "9" * 30}).status_code == 200
    assert api.get(reverse("api:support-case-list"), {"worker": "abc"}).status_code == 200
    events = reverse("api:support-case-event-list", args=[case.pk])
    for worker in ("abc", "9" * 30):
        response = api.post(events, {"kind": "allocated", "date": "2025-06-05", "details": {"worker": worker}},
                            format="json")
        assert response.status_code == 400 and "support team" in str(response.json())
