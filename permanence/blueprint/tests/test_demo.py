"""The demo: the seed set plus Adoption West's two reviews, so its page compares with its last review."""

from datetime import date

from django.urls import reverse

from permanence.blueprint.models import BlueprintReview
from permanence.demo import blueprint as demo
from permanence.organisations import services as org_services
from permanence.organisations.models import Role
from permanence.testing import PASSWORD

TODAY = date(2026, 11, 20)


def test_adoption_west_has_two_reviews_and_sees_the_change(client, db):
    aw = org_services.create_organisation(actor=None, kind="raa", code="AW", name="Adoption West")
    lead = org_services.create_staff(actor=None, organisation=aw, role=Role.RAA_QUALITY_LEAD, username="q.aw",
                                     first_name="Q", last_name="L", password=PASSWORD)
    assert demo.load_demo(today=TODAY) == {"comparison": 14, "own": 2}
    own = BlueprintReview.objects.filter(raa=aw).order_by("reviewed_on")
    assert [r.reviewed_on for r in own] == [date(2025, 11, 20), date(2026, 10, 21)]
    client.force_login(lead)
    page = client.get(reverse("blueprint:results")).content.decode()
    assert "against its own previous review of 20 November 2025" in page
    assert "against the other 14 RAAs chosen" in page and "Up 1" in page
    assert "Comparison RAA" not in page
    assert demo.delete_demo() > 0 and not BlueprintReview.objects.exists()
