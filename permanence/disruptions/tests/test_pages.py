"""The pages through the test client: opening a review from the child's disruption, recommendations, themes."""

from datetime import date as D

from django.urls import reverse

from permanence.core.models import RecordView
from permanence.disruptions import services
from permanence.disruptions.models import LearningReview
from permanence.disruptions.tests.helpers import ADOPTED, disrupted_child, factor, review_of
from permanence.organisations.models import Role


def _date(prefix, d):
    return {f"{prefix}_day": d.day, f"{prefix}_month": d.month, f"{prefix}_year": d.year}


def test_a_manager_opens_a_review_from_the_disruption_on_the_childs_page(client, region, today):
    child, event = disrupted_child(region, region.la)
    manager = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    client.force_login(manager)
    shown = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    open_url = reverse("disruptions:open", args=[child.pk]) + f"?event={event.pk}"
    assert open_url in shown and "Open a learning review of the disruption on 1 February 2024" in shown
    form = client.get(open_url).content.decode()
    assert "Disrupted before the adoption order, on 1 February 2024" in form and "version 1 of the list" in form
    refused = client.post(open_url, {"disruption": event.pk, "chair": manager.pk, **_date("review_date", D(2024, 1, 2))})
    assert refused.status_code == 200 and "The review date must be on or after the date of the disruption" in (
        refused.content.decode())
    answer = client.post(open_url, {"disruption": event.pk, "chair": manager.pk, **_date("review_date", D(2024, 3, 1)),
                                    "factors": [factor("matching").pk], "findings": "Needs were known late."})
    review = LearningReview.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("disruptions:review", args=[review.pk])
    assert review.disruption_event == event and review.findings == "Needs were known late."
    shown = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "A learning review was held on 1 March 2024." in shown and open_url not in shown
    detail = client.get(answer.url).content.decode()
    assert "Matching: the match did not fit" in detail and "(list version 1)" in detail
    assert RecordView.objects.filter(viewer=manager, object_type="disruptions.learningreview",
                                     object_id=str(review.pk)).exists()


def test_a_breakdown_after_the_order_is_opened_from_the_adopted_childs_page(client, region, today):
    child = region.child(region.la, events=ADOPTED)
    head = region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)]
    client.force_login(head)
    url = reverse("disruptions:open", args=[child.pk]) + "?after=1"
    assert url in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    missing = client.post(url, {"disruption": "after_order", "chair": head.pk, **_date("review_date", today)})
    assert "Enter the date the placement broke down" in missing.content.decode()
    assert "Describe the breakdown" in missing.content.decode()
    client.post(url, {"disruption": "after_order", "chair": head.pk, **_date("review_date", today),
                      **_date("disruption_date", D(2024, 6, 5)), "description": "The family asked for respite."})
    review = LearningReview.objects.get()
    assert (review.when, review.disruption_date, review.description) == (
        "after_order", D(2024, 6, 5), "The family asked for respite.")


def test_recommendations_added_marked_done_and_the_overdue_view(client, region, today):
    review = review_of(region, region.la, region.raa)
    quality = region.staff[("NR", Role.RAA_QUALITY_LEAD)]
    client.force_login(quality)
    add = reverse("disruptions:recommendation-add", args=[review.pk])
    assert "Enter the recommendation" in client.post(add, {"owner": quality.pk}).content.decode()
    client.post(add, {"text": "No date", "owner": quality.pk})
    client.post(add, {"text": "Overdue one", "owner": quality.pk, **_date("due_date", D(2024, 6, 1))})
    client.post(add, {"text": "Later one", "owner": quality.pk, **_date("due_date", D(2024, 9, 1))})
    assert review.recommendations.count() == 3
    shown = client.get(reverse("disruptions:recommendations")).content.decode()
    assert shown.index("Overdue one") < shown.index("Later one") < shown.index("No date")
    assert shown.count("govuk-tag--red") == 1
    later = review.recommendations.get(text="Later one")
    client.post(reverse("disruptions:recommendation-done", args=[review.pk, later.pk]))
    later.refresh_from_db()
    assert (later.status, later.done_on) == ("done", today)
    assert "Later one" not in client.get(reverse("disruptions:recommendations")).content.decode()


def test_themes_page_counts_factors_by_la_and_recommendations(client, region, today):
    review_of(region, region.la, region.raa, review_date=D(2024, 4, 1), codes=("matching", "preparation"))
    r2 = review_of(region, region.la_keeps, region.raa, review_date=D(2024, 5, 1), codes=("matching",))
    review_of(region, region.la, region.raa, review_date=D(2024, 3, 1), codes=("delay",))  # before the period
    review_of(region, region.other_la, region.other_raa, codes=("matching",))  # another RAA's
    owner = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    services.add_recommendation(actor=None, review=r2, text="a", owner=owner, due_date=D(2024, 6, 1), check_role=False)
    services.add_recommendation(actor=None, review=r2, text="b", owner=owner, due_date=None, check_role=False)
    client.force_login(owner)
    shown = client.get(reverse("disruptions:themes"), {**_date("start", D(2024, 3, 15)),
                                                       **_date("end", D(2024, 12, 31))}).content.decode()
    assert "2 reviews held from 15 March 2024 to 31 December 2024." in shown
    table = shown[shown.index('id="factor-themes"'):shown.index("</table>", shown.index('id="factor-themes"'))]
    assert "Delay" not in table and table.index("Keepham") < table.index("Transferton")
    cells = [c.split(">")[-1] for c in table.split("</td>")[:-1]]
    assert cells == ["2", "1", "1", "1", "0", "1"]  # matching: 2 (Keepham 1, Transferton 1); preparation: 1 (0, 1)
    assert 'id="open-count">2<' in shown and 'id="overdue-count">1<' in shown and 'id="done-count">0<' in shown
