from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.core.models import AuditEvent
from permanence.organisations.models import Role
from permanence.timescales.models import Timescale
from permanence.timescales.selectors import timescales_by_day, timescales_in_force
from permanence.timescales.services import set_timescale


@pytest.mark.django_db
def test_a_new_version_takes_effect_from_its_date():
    set_timescale(actor=None, key="life_story_book", amount=15, unit="working_days", valid_from=date(2026, 4, 1),
                  source="Local procedure 2026")
    before = {t.key: t.amount for t in timescales_in_force(date(2026, 3, 31))}
    after = {t.key: t.amount for t in timescales_in_force(date(2026, 4, 1))}
    assert before["life_story_book"] == 10 and after["life_story_book"] == 15
    assert Timescale.objects.get(key="life_story_book", valid_from=date(2000, 1, 1)).valid_to == date(2026, 3, 31)
    assert AuditEvent.objects.filter(action="timescale.changed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("subject", [s.value for s in Timescale.Subject])
def test_the_timescales_of_many_days_at_one_query_are_each_days_own(subject, django_assert_num_queries):
    key = Timescale.objects.filter(subject=subject).values_list("key", flat=True).first()
    assert key is not None
    for day, amount in ((date(2025, 4, 1), 101), (date(2026, 1, 5), 102), (date(2026, 1, 6), 103)):
        set_timescale(actor=None, key=key, amount=amount, unit="days", valid_from=day, source="A test change")
    days = [date(2025, 3, 31), date(2025, 4, 1), date(2026, 1, 4), date(2026, 1, 5), date(2026, 1, 6),
            date(2027, 1, 1)]
    with django_assert_num_queries(1):
        in_force = timescales_by_day(subject)
        got = {day: in_force(day) for day in days}
    for day in days:
        assert got[day] == timescales_in_force(day, subject), day
    assert len({tuple(t.amount for t in got[day] if t.key == key) for day in days}) == 4


@pytest.mark.django_db
def test_bad_changes_are_refused():
    with pytest.raises(ValidationError):
        set_timescale(actor=None, key="life_story_book", amount=0, unit="fortnights", valid_from=date(1999, 1, 1),
                      source="")
    with pytest.raises(ValidationError):
        set_timescale(actor=None, key="nope", amount=1, unit="days", valid_from=date(2026, 1, 1), source="x")


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMINISTRATOR, Role.BOARD_MEMBER, Role.RAA_FAMILY_FINDER])
def test_timescales_page_access(client, region, role):
    client.force_login(region.user(role, region.raa))
    expected = 404 if role == Role.RAA_FAMILY_FINDER else 200
    assert client.get("/timescales/").status_code == expected
    client.force_login(region.user(Role.LA_SOCIAL_WORKER, region.la))
    assert client.get("/timescales/").status_code == 404
