"""Every role × own RAA / another RAA / an LA × every support fund page: only the RAA's support team and its
managers see their own RAA's plans, applications and providers (404 for everyone else, the same as missing)."""

import pytest
from django.urls import reverse

from permanence.core.models import RecordView
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import PASSWORD

from .access_urls import EXPORTS, LIMIT_PAGES, PROVIDER_PAGES, READ_PAGES, RECORD_PAGES

USERS = [(code, role) for code in ("NR", "SR", "901", "903") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]
SUPPORT = {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}
RECORDERS = {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER}
MANAGERS = {Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}
LISTS = {"support_fund:applications", "support_fund:providers", "support_fund:provider-add", *EXPORTS}


def url(name, side):
    s = side
    args = {
        "support_fund:provider": [s.provider.pk], "support_fund:provider-edit": [s.provider.pk],
        "support_fund:commission-add": [s.provider.pk],
        "support_fund:commission-edit": [s.provider.pk, s.commission.pk],
        "support_fund:case": [s.case.pk], "support_fund:plan-add": [s.case.pk],
        "support_fund:plan": [s.case.pk, s.plan.pk], "support_fund:plan-edit": [s.case.pk, s.plan.pk],
        "support_fund:plan-close": [s.case.pk, s.plan.pk], "support_fund:service-add": [s.case.pk, s.plan.pk],
        "support_fund:service-edit": [s.case.pk, s.plan.pk, s.service.pk],
        "support_fund:application-add": [s.case.pk], "support_fund:application": [s.submitted.pk],
        "support_fund:application-edit": [s.draft.pk], "support_fund:application-submit": [s.draft.pk],
        "support_fund:application-decide": [s.submitted.pk], "support_fund:application-pay": [s.approved.pk],
        "support_fund:application-pack": [s.approved.pk],
    }.get(name, [])
    return reverse(name, args=args)


def expected(name, code, role) -> int:
    support = code == "NR" and role in SUPPORT
    if name in LIMIT_PAGES:
        return 200 if role in SUPPORT or role == Role.SYSTEM_ADMINISTRATOR else 404
    other_support = code == "SR" and role in SUPPORT
    if not support and not (other_support and name in LISTS):
        return 404
    if name in EXPORTS:
        return 200 if role in MANAGERS else 404
    if name in RECORD_PAGES:
        return 200 if role in RECORDERS else 403
    if name in PROVIDER_PAGES:
        return 200 if role in MANAGERS else 403
    return 200


@pytest.mark.parametrize(("code", "role"), USERS, ids=[f"{r}@{c}" for c, r in USERS])
def test_support_fund_pages(client, fund_world, code, role):
    user = fund_world.staff[(code, role)]
    assert client.login(username=user.username, password=PASSWORD)
    got, want = {}, {}
    for name in [*READ_PAGES, *RECORD_PAGES, *PROVIDER_PAGES, *EXPORTS, *LIMIT_PAGES]:
        got[name] = client.get(url(name, fund_world.north)).status_code
        want[name] = expected(name, code, role)
    assert got == want


def test_another_raas_team_gets_404_for_each_record_and_their_own_lists_hold_none_of_ours(client, fund_world):
    user = fund_world.staff[("SR", Role.RAA_TEAM_MANAGER)]
    client.force_login(user)
    page = client.get(reverse("support_fund:applications")).content.decode()
    ours = [a.reference for a in (fund_world.north.draft, fund_world.north.submitted, fund_world.north.approved)]
    theirs = fund_world.south.submitted.reference
    assert theirs in page and not any(r in page for r in ours)
    providers = client.get(reverse("support_fund:providers")).content.decode()
    assert "Bridges South" in providers and "Bridges North" not in providers
    # a plan of ours under their case's address is not found either
    assert client.get(reverse("support_fund:plan", args=[fund_world.south.case.pk, fund_world.north.plan.pk])
                      ).status_code == 404


def test_viewing_a_record_is_logged(client, fund_world):
    client.force_login(fund_world.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    north = fund_world.north
    for name, obj in (("support_fund:application", north.submitted), ("support_fund:plan", north.plan),
                      ("support_fund:provider", north.provider)):
        client.get(url(name, north))
        assert RecordView.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).exists(), name
