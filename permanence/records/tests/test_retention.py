"""The retention schedule: categories and periods as data, retention dates computed from the events, and the page
of records due for disposal."""

import re
from datetime import date

import pytest
from django.urls import reverse

from permanence.organisations.models import Role
from permanence.records import rules, selectors, views
from permanence.records.models import RetentionPeriod


@pytest.mark.parametrize(
    ("day", "years", "due"),
    [
        (date(2025, 4, 1), 2, date(2027, 4, 1)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # no 29 February in 2025
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 6, 3), 100, date(2124, 6, 3)),
    ],
)
def test_due_date_is_the_anchor_plus_the_period(day, years, due):
    assert rules.retention(rules.ADOPTION_CASE, day, years).due_on == due


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"stage": "approved", "close_reason": None, "closed": None, "decision": date(2025, 1, 1)}, None),
        (
            {"stage": "closed", "close_reason": "withdrew", "closed": date(2025, 4, 1), "decision": None},
            (rules.HOUSEHOLD_NOT_PROCEEDED, date(2025, 4, 1)),
        ),
        (
            {
                "stage": "closed",
                "close_reason": "not_approved",
                "closed": date(2025, 6, 25),
                "decision": date(2025, 6, 25),
            },
            (rules.HOUSEHOLD_NOT_APPROVED, date(2025, 6, 25)),
        ),
        (
            {
                "stage": "closed",
                "close_reason": "adopted",
                "closed": date(2026, 1, 5),
                "decision": date(2024, 1, 1),
            },
            (rules.HOUSEHOLD_ADOPTED, date(2026, 1, 5)),
        ),
    ],
)
def test_household_category_comes_from_its_journey(state, expected):
    assert rules.household_category(**state) == expected


def test_child_category_adoption_order_wins_and_open_records_have_none():
    assert rules.child_category(
        stage="adopted", adoption_order=date(2024, 6, 3), plan_changed=date(2023, 1, 1)
    ) == (rules.ADOPTION_CASE, date(2024, 6, 3))
    assert rules.child_category(
        stage="plan_changed", adoption_order=None, plan_changed=date(2023, 10, 2)
    ) == (rules.CHILD_PLAN_CHANGED, date(2023, 10, 2))
    assert rules.child_category(stage="placement_order", adoption_order=None, plan_changed=None) is None


def test_enquiry_category():
    assert rules.enquiry_category(
        outcome="no_further_contact",
        outcome_on=date(2025, 2, 1),
        received_on=date(2025, 1, 1),
        has_household=False,
    ) == (rules.ENQUIRY_NOT_PROCEEDED, date(2025, 2, 1))
    assert (
        rules.enquiry_category(
            outcome="open", outcome_on=None, received_on=date(2025, 1, 1), has_household=False
        )
        is None
    )
    assert (
        rules.enquiry_category(
            outcome="roi_received",
            outcome_on=date(2025, 2, 1),
            received_on=date(2025, 1, 1),
            has_household=True,
        )
        is None
    )


def test_due_list_computes_from_events_and_keeps_to_the_raa(world, today):
    due = selectors.due_for_disposal(world.raa, today)
    assert [(r.kind, r.pk) for r in due] == [("household", world.withdrew.pk)]
    row = due[0]
    assert (row.retention.category, row.retention.anchor_date, row.retention.due_on) == (
        rules.HOUSEHOLD_NOT_PROCEEDED,
        date(2025, 4, 1),
        date(2027, 4, 1),
    )
    # The not-approved household is kept six years; the child whose plan changed 75: neither is due.
    assert selectors.household_retention(
        world.not_approved, selectors.periods_for(world.raa, today)
    ).due_on == date(2031, 6, 25)
    assert selectors.retention_of("child", world.changed, today).due_on == date(2098, 10, 2)


def test_an_raa_sets_its_own_period_from_a_date(world, today):
    RetentionPeriod.objects.create(
        category=rules.CHILD_PLAN_CHANGED,
        raa=world.raa,
        years=3,
        effective_from=date(2027, 1, 1),
        source="Board minute 12/2026",
    )
    RetentionPeriod.objects.create(
        category=rules.HOUSEHOLD_NOT_PROCEEDED,
        years=5,
        effective_from=date(2020, 1, 1),
        source="Installation policy",
    )
    assert selectors.period_in_force(world.raa, rules.CHILD_PLAN_CHANGED, date(2026, 12, 31))[0] == 75
    assert selectors.period_in_force(world.raa, rules.CHILD_PLAN_CHANGED, today) == (
        3,
        "Board minute 12/2026",
    )
    due = {(r.kind, r.pk) for r in selectors.due_for_disposal(world.raa, today)}
    # The child's 3 years ran out in October 2026; the household now waits 5 years (until April 2030).
    assert due == {("child", world.changed.pk)}
    assert selectors.period_in_force(world.other_raa, rules.CHILD_PLAN_CHANGED, today)[0] == 75


def test_page_lists_records_due(client, world, today):
    client.force_login(world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    response = client.get(reverse("records:retention"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.withdrew.reference in html
    assert world.theirs.reference not in html and world.not_approved.reference not in html
    assert "1 April 2025" in html and "1 April 2027" in html and "Prospective adopters who withdrew" in html
    assert reverse("records:dispose", args=["household", world.withdrew.pk]) in html
    assert 'id="schedule"' in html


def test_page_empty_state(client, region, today):
    client.force_login(region.staff[("NR", Role.SYSTEM_ADMINISTRATOR)])
    html = client.get(reverse("records:retention")).content.decode()
    assert 'id="none-due"' in html and 'id="due-records"' not in html


def test_page_is_paged(client, world, today, monkeypatch):
    RetentionPeriod.objects.create(
        category=rules.CHILD_PLAN_CHANGED, years=1, effective_from=date(2000, 1, 1), source="Test"
    )
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    first = client.get(reverse("records:retention")).content.decode()
    second = client.get(reverse("records:retention") + "?page=2").content.decode()
    assert "2 records due for disposal" in first
    assert (
        world.changed.reference in first and world.withdrew.reference not in first
    )  # the child was due first
    assert world.withdrew.reference in second and world.changed.reference not in second


@pytest.mark.parametrize("role", [Role.RAA_TEAM_MANAGER, Role.RAA_FAMILY_FINDER, Role.DATA_OFFICER])
def test_other_roles_do_not_reach_the_page(client, region, role):
    client.force_login(region.staff[("NR", role)])
    assert client.get(reverse("records:retention")).status_code == 404


def test_demo_sets_each_raas_own_periods(region):
    from permanence.demo import records as demo_records

    assert demo_records.load_demo(today=date(2026, 12, 1)) == 6
    assert demo_records.load_demo(today=date(2026, 12, 1)) == 0  # idempotent
    assert selectors.period_in_force(region.raa, rules.HOUSEHOLD_NOT_PROCEEDED, date(2026, 12, 1))[0] == 1
    assert selectors.period_in_force(region.raa, rules.HOUSEHOLD_NOT_PROCEEDED, date(2025, 3, 31))[0] == 2


# Setting the RAA's own period on the page (a new row from a date; the law's floor kept).


def _period_post(**over):
    data = {"years": "4", "effective_from_day": "1", "effective_from_month": "1", "effective_from_year": "2026",
            "source": "Board minute 12/2025"}
    data.update(over)
    return data


def test_the_head_of_service_sets_a_period_and_the_due_list_follows(client, world, today):
    from permanence.core.models import AuditEvent

    client.force_login(world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    listing = client.get(reverse("records:retention")).content.decode()
    url = reverse("records:retention-period", args=[rules.HOUSEHOLD_NOT_PROCEEDED])
    assert url in listing and world.withdrew.reference in listing  # withdrew April 2025: due April 2027
    page = client.get(url).content.decode()
    before = selectors.period_in_force(world.raa, rules.HOUSEHOLD_NOT_PROCEEDED, date(2026, 1, 1))[0]
    shown = selectors.periods_set(world.raa, rules.HOUSEHOLD_NOT_PROCEEDED)
    assert ('id="history"' in page) is shown.exists() and ('id="no-history"' in page) is not shown.exists()
    response = client.post(url, _period_post())
    assert response.status_code == 302, re.findall(r"govuk-error-message\">(.*?)</p", response.content.decode(), re.S)
    assert response.url == reverse("records:retention") + "#schedule"
    row = RetentionPeriod.objects.get(raa=world.raa, category=rules.HOUSEHOLD_NOT_PROCEEDED,
                                      effective_from=date(2026, 1, 1))
    assert (row.years, row.source, row.created_by) == (4, "Board minute 12/2025",
                                                       world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    after = client.get(reverse("records:retention")).content.decode()
    assert world.withdrew.reference not in after  # now kept until April 2029
    assert "Board minute 12/2025" in after
    event = AuditEvent.objects.get(action="retention_period.set")
    assert event.after["years"] == 4 and event.before["years"] == before
    assert "Board minute 12/2025" in client.get(url).content.decode()  # the history on the page
    # South's schedule is its own.
    assert selectors.period_in_force(world.other_raa, rules.HOUSEHOLD_NOT_PROCEEDED, today)[1] != "Board minute 12/2025"


@pytest.mark.parametrize(("category", "over", "message"), [
    (rules.ADOPTION_CASE, {"years": "99"}, "must be kept for at least 100 years"),
    (rules.HOUSEHOLD_ADOPTED, {"years": "50"}, "must be kept for at least 100 years"),
    (rules.HOUSEHOLD_NOT_PROCEEDED, {"years": "0"}, "Enter a period of at least 1 year"),
    (rules.HOUSEHOLD_NOT_PROCEEDED, {"years": "151"}, "Enter a period of 150 years or fewer"),
    (rules.HOUSEHOLD_NOT_PROCEEDED, {"years": "two"}, "Enter the number of years as a whole number, like 6"),
    (rules.HOUSEHOLD_NOT_PROCEEDED, {"years": ""}, "Enter how many years the records are kept, like 6"),
    (rules.HOUSEHOLD_NOT_PROCEEDED, {"source": ""}, "Enter where the period comes from"),
    (rules.ENQUIRY_NOT_PROCEEDED, {"effective_from_year": ""}, "The date the period applies from must include a year"),
    (rules.ENQUIRY_NOT_PROCEEDED, {"effective_from_year": "1980"}, "must be in 1990 or later"),
])
def test_a_period_the_rules_refuse_is_a_form_error_and_nothing_is_saved(client, world, today, category, over,
                                                                       message):
    client.force_login(world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    response = client.post(reverse("records:retention-period", args=[category]), _period_post(**over))
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body and "<title>Error:" in body
    assert message in body
    assert not RetentionPeriod.objects.filter(source="Board minute 12/2025").exists()


def test_a_second_period_on_the_same_date_is_refused(client, world, today):
    client.force_login(world.staff[("NR", Role.SYSTEM_ADMINISTRATOR)])
    url = reverse("records:retention-period", args=[rules.ENQUIRY_NOT_PROCEEDED])
    assert client.post(url, _period_post(effective_from_day="2")).status_code == 302
    again = client.post(url, _period_post(effective_from_day="2", years="5")).content.decode()
    assert "A period set by the RAA already starts on that date" in again
    assert RetentionPeriod.objects.filter(raa=world.raa, category=rules.ENQUIRY_NOT_PROCEEDED,
                                          effective_from=date(2026, 1, 2)).get().years == 4


def test_an_unknown_category_is_not_found(client, world, today):
    client.force_login(world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    assert client.get(reverse("records:retention-period", args=["everything"])).status_code == 404


def test_two_saves_at_once_on_one_date_give_the_form_error_not_a_500(world, today, monkeypatch):
    """The check before saving can miss a row saved a moment before (two people, or a double click): the unique
    date then refuses it, with the same message."""
    from django.core.exceptions import ValidationError

    from permanence.records import services

    head = world.staff[("NR", Role.RAA_HEAD_OF_SERVICE)]
    values = dict(raa=world.raa, category=rules.ENQUIRY_NOT_PROCEEDED, effective_from=date(2026, 1, 5),
                  source="Board minute")
    services.set_period(actor=head, years=3, **values)
    monkeypatch.setattr(services, "_date_taken", lambda *args: False)  # as if the first save came just after
    with pytest.raises(ValidationError) as refused:
        services.set_period(actor=head, years=4, **values)
    assert refused.value.message_dict == {"effective_from": [services.SAME_DATE]}
    assert RetentionPeriod.objects.get(raa=world.raa, category=rules.ENQUIRY_NOT_PROCEEDED).years == 3


def test_households_retention_from_the_sql_is_the_replayed_journeys(region):
    """The retention of closed households is read from the measures' milestones (one query), not by replaying
    each journey: for random walks over the adopters' journey (closing every way it can), the same category and
    date as the replayed journey gives."""
    from permanence.adopters import rules as household_rules
    from permanence.adopters import services as household_services
    from permanence.adopters.models import Household
    from permanence.adopters.tests.test_household_milestones_sql import _record
    from permanence.records.rules import household_category

    for seed in range(40):
        _record(region.raa, seed)
    households = list(Household.objects.filter(raa=region.raa))
    periods = selectors.periods_for(region.raa, date(2026, 1, 1))
    got = selectors._household_retentions(households, periods)
    expected = {}
    for h in households:
        state = household_rules.replay(household_services.event_facts(h), fast_track=h.fast_track)
        found = household_category(stage=state.stage.value, close_reason=state.close_reason, closed=state.closed,
                                   decision=state.decision)
        if found:
            expected[h.pk] = (found[0], found[1])
    assert {pk: (r.category, r.anchor_date) for pk, r in got.items()} == expected
    assert len({category for category, _ in expected.values()}) >= 2
