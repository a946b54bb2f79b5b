"""Every role × own RAA / another RAA / an LA × every audit page: only the RAA's head of service, team managers
and quality lead see their own RAA's rounds, sampled children and audits (404 for everyone else, the same as
missing); a child's scores show on the child's page to those who see the child."""

import pytest
from django.urls import reverse

from permanence.audits.models import AuditRound, CaseAudit
from permanence.core.models import AuditEvent, RecordView
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role

from .access_urls import PAGES
from .helpers import access_rows, adopted, make_round

READERS = {Role.RAA_HEAD_OF_SERVICE, Role.RAA_TEAM_MANAGER, Role.RAA_QUALITY_LEAD}
USERS = [(code, role) for code in ("NR", "SR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]
RECORD_PAGES = {"audits:round": "round", "audits:audit-add": "entry_open", "audits:audit": "audit"}


@pytest.fixture
def audit_world(region):
    region.round, region.entry, region.audit = access_rows(region, region.la, region.raa)
    # A second North child, sampled but not audited (for the audit form).
    open_child = adopted(region, region.la_keeps, first_name="Unaudited")
    second = make_round(region.raa, name="Second round", per_stratum=5)
    region.entry_open = second.entries.get(child=open_child)
    region.south_round, region.south_entry, region.south_audit = access_rows(region, region.other_la,
                                                                             region.other_raa)
    return region


def url(name, w):
    if name in RECORD_PAGES:
        return reverse(name, args=[getattr(w, RECORD_PAGES[name]).pk])
    return reverse(name)


def expected(name, code, role) -> int:
    if role not in READERS or code == "901":
        return 404
    if name in RECORD_PAGES and code != "NR":
        return 404  # another RAA's round, sampled child or audit: not found
    return 200


def test_audit_pages(client, audit_world):
    got, want = {}, {}
    for code, role in USERS:
        user = audit_world.staff[(code, role)]
        client.force_login(user)
        for name in PAGES:
            got[(code, role, name)] = client.get(url(name, audit_world)).status_code
            want[(code, role, name)] = expected(name, code, role)
        client.logout()
    assert {k: v for k, v in got.items() if want[k] != v} == {}
    assert set(want.values()) == {200, 404}


def test_missing_and_not_yours_are_the_same_404(client, audit_world):
    client.force_login(audit_world.staff[("NR", Role.RAA_QUALITY_LEAD)])
    for name, field in RECORD_PAGES.items():
        other = {"round": "south_round", "entry_open": "south_entry", "audit": "south_audit"}[field]
        theirs = client.get(reverse(name, args=[getattr(audit_world, other).pk]))
        missing = client.get(reverse(name, args=[10**9]))
        assert theirs.status_code == missing.status_code == 404


def test_a_post_by_someone_not_allowed_is_404_and_writes_nothing(client, audit_world):
    client.force_login(audit_world.staff[("NR", Role.RAA_SUPPORT_WORKER)])
    rounds, audits = AuditRound.objects.count(), CaseAudit.objects.count()
    assert client.post(reverse("audits:round-add"), {"name": "X"}).status_code == 404
    assert client.post(reverse("audits:audit-add", args=[audit_world.entry_open.pk]),
                       {"auditor": "X"}).status_code == 404
    client.force_login(audit_world.staff[("SR", Role.RAA_QUALITY_LEAD)])
    assert client.post(reverse("audits:audit-add", args=[audit_world.entry_open.pk]),
                       {"auditor": "X"}).status_code == 404
    assert (AuditRound.objects.count(), CaseAudit.objects.count()) == (rounds, audits)


def test_results_show_only_the_own_raa(client, audit_world):
    client.force_login(audit_world.staff[("NR", Role.RAA_QUALITY_LEAD)])
    page = client.get(reverse("audits:results")).content.decode()
    assert "Round NR" in page or "Second round" in page
    assert "Round SR" not in page and "Elsewhere" not in page
    listing = client.get(reverse("audits:rounds")).content.decode()
    assert "Round NR" in listing and "Round SR" not in listing


def test_the_childs_scores_show_to_those_who_see_the_child(client, audit_world):
    child = audit_world.audit.child
    page_url = reverse("children:detail", args=[child.pk])
    for code, role in [("901", Role.LA_SOCIAL_WORKER), ("NR", Role.RAA_FAMILY_FINDER)]:
        client.force_login(audit_world.staff[(code, role)])
        page = client.get(page_url).content.decode()
        assert 'id="case-file-audits"' in page and f'id="case-audit-{audit_world.audit.pk}"' in page
    client.force_login(audit_world.staff[("SR", Role.RAA_FAMILY_FINDER)])
    assert client.get(page_url).status_code == 404
    unaudited = audit_world.entry_open.child
    client.force_login(audit_world.staff[("NR", Role.RAA_FAMILY_FINDER)])
    assert 'id="case-file-audits"' not in client.get(reverse("children:detail", args=[unaudited.pk])).content.decode()


def test_viewing_is_logged_and_writes_are_audited(client, audit_world):
    client.force_login(audit_world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    client.get(url("audits:audit", audit_world))
    assert RecordView.objects.filter(object_type="audits.caseaudit", object_id=str(audit_world.audit.pk),
                                     child_id=audit_world.audit.child_id).exists()
    client.get(url("audits:audit-add", audit_world))
    assert RecordView.objects.filter(object_type="children.child",
                                     object_id=str(audit_world.entry_open.child_id)).exists()
    assert AuditEvent.objects.filter(action="case_audit.add", object_id=str(audit_world.audit.pk)).exists()
    assert AuditEvent.objects.filter(action="audit_round.add", object_id=str(audit_world.round.pk)).exists()
