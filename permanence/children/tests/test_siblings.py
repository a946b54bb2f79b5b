
from permanence import access
from permanence.children import services
from permanence.children.models import SiblingGroup
from permanence.core.models import AuditEvent
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import each_case

USERS = [(code, role) for code in ("NR", "SR", "901", "903") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]


def test_sibling_group_pages_access(client, region):
    def check(code, role):
        group = services.create_sibling_group(actor=None, la=region.la, name="Testcase 2025")
        user = region.staff[(code, role)]
        client.force_login(user)
        sees = code in ("NR", "901") and role in access.CHILD_RECORD_ROLES["la" if code == "901" else "raa"]
        assert client.get(f"/children/sibling-groups/{group.pk}/").status_code == (200 if sees else 404)
        can_add = role in {Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER, Role.RAA_FAMILY_FINDER, Role.RAA_TEAM_MANAGER,
                           Role.DATA_OFFICER}
        assert client.get("/children/sibling-groups/new/").status_code == (200 if can_add else 404)

    each_case(USERS, check, client=client)


def test_add_a_group_and_change_its_plan(client, region):
    client.force_login(region.user(Role.LA_SOCIAL_WORKER))
    response = client.post("/children/sibling-groups/new/", {"la": region.la.pk, "name": "Testcase 2025",
                                                              "plan": "undecided"})
    group = SiblingGroup.objects.get(name="Testcase 2025")
    assert response.status_code == 302
    response = client.post(f"/children/sibling-groups/{group.pk}/", {"plan": "together", "reason": ""})
    assert b"Enter" in response.content or b"required" in response.content
    client.post(f"/children/sibling-groups/{group.pk}/", {"plan": "together", "reason": "Assessment says so"})
    group.refresh_from_db()
    assert group.plan == "together"
    assert AuditEvent.objects.get(action="sibling_group.plan").reason == "Assessment says so"
    duplicate = client.post("/children/sibling-groups/new/", {"la": region.la.pk, "name": "Testcase 2025",
                                                               "plan": "apart"})
    assert b"already has a sibling group" in duplicate.content
