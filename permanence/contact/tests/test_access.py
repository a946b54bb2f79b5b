"""Every contact page and endpoint × who asks: the child's RAA's support workers and team managers open and
record; its head of service reads (403 on the forms); a family finder, an LA social worker and another RAA's
support worker get the same 404 as for a missing record. Views of a child's records are logged."""

from datetime import date

from django.urls import reverse

from permanence.contact.tests import access_urls
from permanence.core.models import RecordView
from permanence.testing import current_version, each_case


def url(name, w, south=False):
    child, exchange, offer, plan = ((w.south, w.south_exchange, w.south_offer, w.south_plan) if south else
                                    (w.north, w.exchange, w.offer, w.plan))
    if name in access_urls.LIST_PAGES or name in ("api:letterbox-exchange-list", "api:contact-plan-list"):
        return reverse(name)
    if name in access_urls.CHILD_PAGES or name in access_urls.CHILD_FORMS:
        return reverse(name, args=[child.pk])
    if name == "contact:exchange-step":
        return reverse(name, args=[exchange.pk, "received"])
    if name in access_urls.EXCHANGE_PAGES or name == "api:letterbox-exchange-detail":
        return reverse(name, args=[exchange.pk])
    if name == "api:contact-plan-detail":
        return reverse(name, args=[plan.pk])
    return reverse(name, args=[offer.pk])


def own_status(role, name):
    if role in ("raa_support_worker", "raa_team_manager"):
        return 200
    if role == "raa_head_of_service":
        return 403 if name in access_urls.FORMS else 200
    return 404


WHO = [("NR", "raa_support_worker"), ("NR", "raa_team_manager"), ("NR", "raa_head_of_service"),
       ("NR", "raa_family_finder"), ("901", "la_social_worker"), ("SR", "raa_support_worker")]


def test_who_opens_what(client, world):
    def check(code, role):
        user = world.staff[(code, role)]
        client.force_login(user)
        south_user = code == "SR"
        got, expected = {}, {}
        for name in sorted(access_urls.READS + access_urls.FORMS + access_urls.API):
            lists = name in access_urls.LIST_PAGES or name.endswith("-list")
            got[("own", name)] = client.get(url(name, world)).status_code
            expected[("own", name)] = (own_status(role, name) if not south_user else
                                       (own_status(role, name) if lists else 404))
            if not lists:
                got[("other", name)] = client.get(url(name, world, south=True)).status_code
                expected[("other", name)] = 404 if not south_user else own_status(role, name)
        assert got == expected

    each_case(WHO, check, client=client)


def test_another_raas_records_never_show_in_lists(client, world):
    user = world.staff[("SR", "raa_support_worker")]
    client.force_login(user)
    home = client.get(reverse("contact:home")).content.decode()
    assert "Sol" in home and "Nia" not in home
    listed = client.get(reverse("api:letterbox-exchange-list")).json()
    assert {r["child"] for r in listed["results"]} == {world.south.pk}


def test_a_post_by_the_head_of_service_is_refused_and_by_another_raa_not_found(client, world):
    for code, role, status in [("NR", "raa_head_of_service", 403), ("SR", "raa_support_worker", 404),
                               ("901", "la_social_worker", 404)]:
        user = world.staff[(code, role)]
        client.force_login(user)
        response = client.post(reverse("contact:exchange-step", args=[world.exchange.pk, "received"]),
                               {"on": "2026-03-16"})
        assert response.status_code == status
    world.exchange.refresh_from_db()
    assert world.exchange.received_on is None


def test_opening_a_childs_contact_page_or_an_exchange_is_logged(client, world):
    user = world.user("raa_support_worker")
    client.force_login(user)
    client.get(reverse("contact:child", args=[world.north.pk]))
    client.get(reverse("contact:exchange", args=[world.exchange.pk]))
    client.get(reverse("api:letterbox-exchange-detail", args=[world.exchange.pk]))
    assert list(RecordView.objects.filter(viewer=user).order_by("id").values_list("object_type", "child_id")) == [
        ("children.child", world.north.pk), ("contact.letterboxexchange", world.north.pk),
        ("contact.letterboxexchange", world.north.pk)]


def test_the_childs_record_links_to_contact_for_support_roles_only(client, world):
    for role, shown in [("raa_support_worker", True), ("raa_head_of_service", True), ("raa_family_finder", False)]:
        client.force_login(world.user(role))
        page = client.get(reverse("children:detail", args=[world.north.pk])).content.decode()
        assert ('id="contact-link"' in page) is shown, role


def test_the_review_intervals_are_set_by_the_raas_managers_and_move_its_plans(client, world):
    for code, role, status in [("NR", "raa_support_worker", 403), ("NR", "raa_family_finder", 404),
                               ("901", "la_social_worker", 404), ("NR", "raa_head_of_service", 200)]:
        client.force_login(world.staff[(code, role)])
        assert client.get(reverse("contact:settings")).status_code == status, role
    client.force_login(world.user("raa_team_manager"))
    bad = client.post(reverse("contact:settings"), {"first_review_months": "0", "later_review_months": "24",
                                                    "source": "x", **current_version(client, reverse("contact:settings"))}).content.decode()
    assert "must be a whole number from 1 to 60" in bad
    client.post(reverse("contact:settings"), {"first_review_months": "6", "later_review_months": "12",
                                              "source": "North's practice standard",
                                              **current_version(client, reverse("contact:settings"))})
    world.plan.refresh_from_db()
    world.south_plan.refresh_from_db()
    assert (world.plan.next_review_due, world.south_plan.next_review_due) == (date(2025, 12, 30), date(2026, 6, 30))
    assert "reviewed 6 months after the adoption order, then every 12 months" in client.get(
        reverse("contact:reviews")).content.decode()
