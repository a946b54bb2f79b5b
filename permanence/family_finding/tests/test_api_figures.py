"""The RAA's sufficiency and inter-agency balance in the API: the page's figures, the same access as the pages."""

from django.urls import reverse

from permanence import access
from permanence.family_finding import profiles
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import each_case

from .conftest import TODAY
from .test_balance import placements  # noqa: F401 (a fixture)

USERS = [(code, role) for code in ("NR", "901") for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code == "NR" else "la") in kinds]


def test_the_figures_and_who_gets_them(client, placements):  # noqa: F811
    def check(code, role):
        user = placements.staff[(code, role)]
        client.force_login(user)
        suff = client.get(reverse("api:family-finding-sufficiency"))
        assert suff.status_code == (200 if access.raa_for_sufficiency(user) else 404)
        if suff.status_code == 200:
            expected = profiles.sufficiency_figures(placements.raa, TODAY)
            body = suff.json()
            assert (body["children"], body["children_without_household"], body["households"]) == (
                expected["children"], expected["children_without_household"], expected["households"])
            assert [d["key"] for d in body["dimensions"]] == [d["key"] for d in expected["dimensions"]]
            assert "Okafor-Reid" not in suff.content.decode()
        balance = client.get(reverse("api:family-finding-inter-agency"))
        assert balance.status_code == (200 if access.raa_for_aggregates(user) else 404)
        if balance.status_code == 200:
            assert balance.json() == [{"financial_year": "2025/26", "bought": 3, "paid": 56700, "bought_without_fee": 1,
                                       "sold": 1, "received": 27000, "sold_without_fee": 0, "net": -29700}]

    each_case(USERS, check, client=client)


def test_an_la_not_the_users_is_refused(client, placements):  # noqa: F811
    client.force_login(placements.user(Role.RAA_TEAM_MANAGER))
    response = client.get(reverse("api:family-finding-sufficiency"), {"la": placements.other_la.code})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "la"
    own = client.get(reverse("api:family-finding-sufficiency"), {"la": placements.la.code})
    assert own.status_code == 200 and own.json()["la"] == placements.la.code
