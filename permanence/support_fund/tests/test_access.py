"""Every role × own RAA / another RAA / an LA × every support fund page: only the RAA's support team and its
managers see their own RAA's plans, applications and providers (404 for everyone else, the same as missing)."""

from django.urls import reverse

from permanence.core.models import RecordView
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role

from .access_urls import EXPORTS, LIMIT_PAGES, PROVIDER_PAGES, READ_PAGES, RECORD_PAGES

USERS = [(code, role) for code in ("NR", "SR", "901", "903") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]
SUPPORT = {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}
RECORDERS = {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER}
MANAGERS = {Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}
# The pages' matrix: the support team of both RAAs, the North RAA's other roles that come nearest (a family
# finder, an assessing worker, a data officer, a board member, the system administrator) and an LA's staff; every
# other role is refused the same way (the API's test below runs every role).
OTHERS = {Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.DATA_OFFICER, Role.BOARD_MEMBER,
          Role.SYSTEM_ADMINISTRATOR}
PAGE_USERS = [(c, r) for c, r in USERS if (c in ("NR", "SR") and r in SUPPORT) or (c == "NR" and r in OTHERS)
              or (c == "901" and r in (Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER))]
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


def test_support_fund_pages(client, fund_world, monkeypatch):
    """Every role of the North RAA, the South RAA's support team and an LA's staff on every page of the North
    RAA's records (one world built once: the pages only read). The pack's PDF is not laid out here (its content
    is test_pages.py's)."""
    from permanence.core import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: b"%PDF-1.7 (not laid out)")
    got, want = {}, {}
    urls = {name: url(name, fund_world.north)
            for name in [*READ_PAGES, *RECORD_PAGES, *PROVIDER_PAGES, *EXPORTS, *LIMIT_PAGES]}
    for code, role in PAGE_USERS:
        user = fund_world.staff[(code, role)]
        client.force_login(user)
        for name, address in urls.items():
            got[(code, role, name)] = client.get(address).status_code
            want[(code, role, name)] = expected(name, code, role)
        client.logout()
    assert {k: v for k, v in got.items() if want[k] != v} == {}
    assert {v for v in want.values()} == {200, 403, 404}


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
