"""Every role × own RAA / another RAA × every adoption support page: the RAA's support workers, team managers and
head of service only (and only their own RAA's cases); everyone else gets not found. The LA told of a
safeguarding referral sees that it was told, on its child's page, and nothing more."""

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from permanence import access
from permanence.core.models import AuditEvent, RecordView
from permanence.navigation import navigation
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.support.models import SupportCase
from permanence.testing import current_version

from .access_urls import CASE_PAGES, LIST_PAGES
from .conftest import TO_WAITING, make_case

SUPPORT = {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}
USERS = [(code, role) for code in ("NR", "SR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]


def case_url(name, case):
    if name == "support:record-event":
        return reverse(name, args=[case.pk, "note"])
    if name == "support:correct-event":
        return reverse(name, args=[case.pk, case.events.get(kind="duty_outcome").pk])
    return reverse(name, args=[case.pk])


@pytest.fixture
def cases(region, today):
    north = make_case(region, steps=TO_WAITING)
    south = make_case(region, region.other_raa, steps=TO_WAITING, family_name="Southern family")
    return north, south


def test_every_role_on_every_page(client, region, cases, monkeypatch):
    from permanence.core import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: b"%PDF-1.7")  # access here; the PDF is rendered below
    north, south = cases
    for code, role in USERS:
        user = region.staff[(code, role)]
        client.force_login(user)
        support = role in SUPPORT and code in ("NR", "SR")
        own, other = (north, south) if code == "NR" else (south, north)
        exports = support and role != Role.RAA_SUPPORT_WORKER  # a file leaves the system: managers only
        for name in LIST_PAGES:
            status = client.get(reverse(name)).status_code
            allowed = exports if "export" in name else support
            assert status == (200 if allowed else 404), (name, code, role, status)
        for name in CASE_PAGES:
            allowed = exports if name == "support:case-pdf" else support
            assert client.get(case_url(name, own)).status_code == (200 if allowed else 404), (name, code, role)
            assert client.get(case_url(name, other)).status_code == 404, (name, code, role)
        request = RequestFactory().get("/")
        request.user = user
        assert (reverse("support:home") in [i["url"] for i in navigation(request)["nav_items"]]) is support
        referral = client.get(reverse("support:new-referral")).status_code
        writes = support and role != Role.RAA_HEAD_OF_SERVICE
        assert referral == (200 if writes else 403 if support else 404), (code, role, referral)


def test_lists_hold_only_the_raas_own_cases(client, region, cases):
    north, south = cases
    client.force_login(region.user("raa_team_manager"))
    for name in ("support:cases", "support:waiting"):
        body = client.get(reverse(name)).content.decode()
        assert north.reference in body and south.reference not in body
    csv = b"".join(client.get(reverse("support:cases-export-csv")).streaming_content).decode()
    assert north.reference in csv and south.reference not in csv


def test_head_of_service_reads_but_does_not_record(client, region, cases):
    north, _ = cases
    client.force_login(region.user("raa_head_of_service"))
    page = client.get(reverse("support:case", args=[north.pk])).content.decode()
    assert reverse("support:record-event", args=[north.pk, "note"]) not in page
    response = client.post(reverse("support:record-event", args=[north.pk, "note"]),
                           {"date_day": "1", "date_month": "9", "date_year": "2025", "summary": "Rang"})
    assert response.status_code == 200 and "Your role cannot record" in response.content.decode()
    assert not north.events.filter(kind="note").exists()
    assert client.post(reverse("support:new-referral"), {}).status_code == 403


def test_settings_change_by_managers_only(client, region, cases):
    client.force_login(region.user("raa_support_worker"))
    assert client.post(reverse("support:settings"), {"placing_la_years": "4"}).status_code == 403
    client.force_login(region.user("raa_head_of_service"))
    response = client.post(reverse("support:settings"), {"placing_la_years": "4",
                                                         "offers_special_guardianship": "on",
                                                         **current_version(client, reverse("support:settings"))})
    assert response.status_code == 302
    assert region.raa.support_settings.placing_la_years == 4 and region.raa.support_settings.offers_special_guardianship
    assert AuditEvent.objects.filter(action="support_settings.changed").count() == 1
    response = client.post(reverse("support:settings"), {"placing_la_years": "0",
                                                         **current_version(client, reverse("support:settings"))})
    assert "Enter a number of years between 1 and 10." in response.content.decode()


def test_every_view_of_a_case_is_logged_never_under_the_child(client, region, cases):
    north, _ = cases
    client.force_login(region.user("raa_team_manager"))
    client.get(reverse("support:case", args=[north.pk]))
    client.get(reverse("support:case-pdf", args=[north.pk]))
    views = RecordView.objects.filter(object_type="support.supportcase", object_id=str(north.pk))
    assert views.count() == 2 and not views.filter(child_id__isnull=False).exists()


def test_the_la_told_sees_the_safeguarding_notice_and_nothing_more(client, region, today):
    child = region.child(region.la, first_name="Told")
    case = make_case(region, child=child, child_name="", safeguarding=True, safeguarding_la=region.la,
                     safeguarding_told_on=date(2025, 6, 3), reason="A private reason")
    notice = "A safeguarding concern was referred to you by North RAA's adoption support team on 3 June 2025."
    la_worker = region.user("la_social_worker", region.la)
    client.force_login(la_worker)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert notice in page
    assert "A private reason" not in page and case.reference not in page and case.family_name not in page
    assert client.get(reverse("support:case", args=[case.pk])).status_code == 404
    assert access.support_cases_visible_to(la_worker).count() == 0
    # The RAA's family finder sees the child, not the notice (it was the LA that was told).
    client.force_login(region.user("raa_family_finder"))
    assert notice not in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    # Another LA told of a concern about another child: nothing on this child's page.
    SupportCase.objects.filter(pk=case.pk).update(safeguarding_la=region.la_keeps)
    client.force_login(la_worker)
    assert "safeguarding concern was referred" not in client.get(
        reverse("children:detail", args=[child.pk])).content.decode()
