"""The children list and the child page make a bounded number of queries, however many children there are."""

from datetime import date

from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY


def test_list_and_child_page_queries_do_not_grow_with_the_data(client, region, django_assert_max_num_queries):
    user = region.user(Role.RAA_TEAM_MANAGER)
    client.force_login(user)
    children = [region.child(events=[*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4))])
                for _ in range(3)]
    with django_assert_max_num_queries(12) as few:
        assert client.get("/children/?priority=on").status_code == 200
    for _ in range(30):
        children.append(region.child(region.la_keeps, events=PLACEMENT_ORDER_JOURNEY))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/children/?priority=on").status_code == 200
    # A fixed number per section of the page (its audit scores, the complaint link and the learning reviews, issue 13,
    # each add one or two), never one per child or event.
    # +2: the session's last activity is saved on every request (the idle sign-out, core/idle.py, issue 15).
    # +1: whether the subject access export is offered (records, issue 15).
    # +1: the open surgery actions on the child (its tasks on its record, issue 14).
    with django_assert_max_num_queries(24):
        assert client.get(f"/children/{children[0].pk}/").status_code == 200


def test_my_caseload_filter_and_export(client, region):
    from permanence.core.models import ExportLog

    manager = region.user(Role.LA_TEAM_MANAGER)
    mine = region.child(first_name="Minechild", la_social_worker=manager, events=PLACEMENT_ORDER_JOURNEY)
    region.child(first_name="Otherchild", events=PLACEMENT_ORDER_JOURNEY)
    client.force_login(manager)
    listing = client.get("/children/?mine=on").content.decode()
    assert mine.first_name in listing and "Otherchild" not in listing
    body = b"".join(client.get("/children/export.csv?mine=on").streaming_content).decode()
    assert "Minechild" in body and "Otherchild" not in body
    assert ExportLog.objects.filter(what="children.list", row_count=1).exists()
