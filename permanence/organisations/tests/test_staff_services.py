"""Adding staff one at a time (the structure page) and many at once (the shared test region, bulk loads): the same
checks, the same audit entries, all or none."""

import pytest
from django.core.exceptions import ValidationError

from permanence.core.models import AuditEvent
from permanence.organisations import services
from permanence.organisations.models import Role, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def raa():
    return services.create_organisation(actor=None, kind="raa", code="XR", name="Example RAA")


def person(raa, username, **values):
    return {"organisation": raa, "role": Role.RAA_FAMILY_FINDER, "username": username, "first_name": " Ada ",
            "last_name": "Example", "password": "a-long-synthetic-password", **values}


def test_many_at_once_writes_what_one_at_a_time_writes(raa):
    one = services.create_staff(actor=None, **person(raa, "one.at.a.time"))
    many = services.create_staff_many(actor=None, people=[person(raa, "first.of.many"), person(raa, "second")])
    assert [s.pk is not None for s in many] == [True, True]
    assert [s.first_name for s in many] == ["Ada", "Ada"] and many[0].check_password("a-long-synthetic-password")

    def entry(staff):
        event = AuditEvent.objects.get(action="staff.created", object_id=str(staff.pk))
        return {k: v for k, v in event.after.items() if k != "username"}

    assert entry(one) == entry(many[0]) == entry(many[1])


@pytest.mark.parametrize(("people", "field"), [
    ([{"username": "same"}, {"username": "same"}], "username"),  # twice in the batch
    ([{"username": "taken"}], "username"),  # already on file
    ([{"username": "fine"}, {"username": "la.role", "role": Role.LA_SOCIAL_WORKER}], "role"),  # not in an RAA
    ([{"username": "fine"}, {"username": " "}], "username"),
])
def test_many_at_once_is_all_or_none(raa, people, field):
    services.create_staff(actor=None, **person(raa, "taken"))
    before = Staff.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        services.create_staff_many(actor=None, people=[person(raa, **p) for p in people])
    assert field in err.value.message_dict
    assert (Staff.objects.count(), AuditEvent.objects.count()) == before
