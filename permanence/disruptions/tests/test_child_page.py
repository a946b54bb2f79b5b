"""The child's page: the older "Open a learning review of this disruption" banner (from the child's journey) gives
way to "A learning review was held on …" once a review of that disruption exists; the contact link is access's
decision (access.can_see_contact_of), not a role check in the template."""

from datetime import date as D

from django.urls import reverse

from permanence import access
from permanence.children import rules as child_rules
from permanence.disruptions.tests.helpers import disrupted_child, review_of
from permanence.organisations.models import Role

BANNER = "Open a learning review of this disruption"


def _page(client, child):
    return client.get(reverse("children:detail", args=[child.pk])).content.decode()


def test_the_banner_gives_way_once_the_disruption_is_reviewed(client, region, today):
    child, _event = disrupted_child(region, region.la)
    client.force_login(region.staff[("NR", Role.RAA_FAMILY_FINDER)])  # sees the child, not the reviews
    before = _page(client, child)
    assert BANNER in before and 'id="learning-review"' in before and "A learning review was held on" not in before
    review_of(region, region.la, region.raa, child=child, review_date=D(2024, 3, 1))
    after = _page(client, child)
    assert BANNER not in after and 'id="learning-review"' not in after
    assert "A learning review was held on 1 March 2024." in after


def test_only_the_reviewed_disruption_stops_prompting():
    disruptions = (child_rules.Disruption(D(2024, 2, 1), "matching"), child_rules.Disruption(D(2024, 9, 2), "other"))
    state = child_rules.JourneyState(disruptions=disruptions)
    assert child_rules.learning_review_prompts(state) == [disruptions[1], disruptions[0]]
    assert child_rules.learning_review_prompts(state, {D(2024, 2, 1)}) == [disruptions[1]]
    assert child_rules.learning_review_prompts(state, [D(2024, 2, 1), D(2024, 9, 2)]) == []
    assert child_rules.learning_review_prompts(state, {D(2024, 2, 2)}) == [disruptions[1], disruptions[0]]


def test_the_contact_link_is_decided_in_access(client, region, today):
    child, _event = disrupted_child(region, region.la)
    want = {(code, role): code == "NR" and role in {Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER,
                                                    Role.RAA_HEAD_OF_SERVICE}
            for (code, role) in region.staff}
    got = {key: access.can_see_contact_of(user, child) for key, user in region.staff.items()}
    assert got == want
    assert any(want.values()) and not all(want.values())
    # Another RAA's support worker: the role the template used to check, but not this child's RAA.
    assert access.can_see_contact_of(region.staff[("SR", Role.RAA_SUPPORT_WORKER)], child) is False
    for role, shown in [(Role.RAA_SUPPORT_WORKER, True), (Role.RAA_FAMILY_FINDER, False)]:
        client.force_login(region.staff[("NR", role)])
        assert ('id="contact-link"' in _page(client, child)) is shown, role
