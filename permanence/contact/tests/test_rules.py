"""The pure rules: due dates, the letterbox overdue logic (working days with bank holidays), step order, review
due dates at the boundaries (29 February, year ends) and the date adoption became the plan."""

from datetime import date

import pytest

from permanence.contact import rules
from permanence.contact.rules import ExchangeFacts, Status, Step, Timescales

T = Timescales(arrival_grace_days=14, forward_working_days=10)


# ---------------------------------------------------------------------------------------------
# Due dates


def test_times_a_year_counts_whole_months_from_the_start():
    assert rules.due_dates(date(2025, 1, 31), date(2025, 12, 31), times_a_year=4) == [
        date(2025, 4, 30), date(2025, 7, 31), date(2025, 10, 31)]
    assert rules.due_dates(date(2024, 2, 29), date(2026, 3, 1), times_a_year=1) == [date(2025, 2, 28),
                                                                                   date(2026, 2, 28)]


def test_named_months_fall_on_the_day_or_the_months_last_day_and_stop_at_the_end():
    assert rules.due_dates(date(2024, 1, 15), date(2026, 12, 31), months=(2, 9), day=30,
                           end=date(2025, 10, 1)) == [date(2024, 2, 29), date(2024, 9, 30), date(2025, 2, 28),
                                                      date(2025, 9, 30)]


def test_a_start_after_the_pattern_day_skips_that_year():
    assert rules.due_dates(date(2025, 3, 2), date(2026, 3, 1), months=(3,), day=1) == [date(2026, 3, 1)]


def test_frequency_must_divide_the_year():
    with pytest.raises(ValueError):
        rules.due_dates(date(2025, 1, 1), date(2026, 1, 1), times_a_year=5)
    with pytest.raises(ValueError):
        rules.parse_months("3, 13")
    assert rules.parse_months("9, 3,3") == (3, 9)


# ---------------------------------------------------------------------------------------------
# Overdue


def test_not_received_is_awaited_through_the_grace_period_then_overdue_to_arrive():
    x = ExchangeFacts(due_on=date(2025, 3, 1))
    assert rules.status(x, date(2025, 2, 28), T) is Status.NOT_YET_DUE
    assert rules.status(x, date(2025, 3, 1), T) is Status.AWAITED
    assert rules.status(x, date(2025, 3, 15), T) is Status.AWAITED  # due + 14 days: the last day of grace
    assert rules.status(x, date(2025, 3, 16), T) is Status.OVERDUE_TO_ARRIVE
    assert rules.status(x, date(2025, 3, 16), Timescales(arrival_grace_days=0)) is Status.OVERDUE_TO_ARRIVE
    assert rules.arrival_overdue_from(date(2025, 3, 1), 0) == date(2025, 3, 2)


def test_received_must_be_forwarded_within_ten_working_days_counting_bank_holidays():
    # Received Thursday 17 April 2025: Good Friday (18th) and Easter Monday (21st) are not working days.
    received = date(2025, 4, 17)
    assert rules.forward_by(received, 10) == date(2025, 5, 6)  # and Early May bank holiday (5 May)
    x = ExchangeFacts(due_on=date(2025, 4, 1), received_on=received)
    assert rules.status(x, date(2025, 5, 6), T) is Status.TO_READ
    assert rules.status(x, date(2025, 5, 7), T) is Status.OVERDUE_TO_FORWARD
    read = ExchangeFacts(due_on=date(2025, 4, 1), received_on=received, read_on=date(2025, 4, 22))
    assert rules.status(read, date(2025, 4, 22), T) is Status.TO_FORWARD
    assert rules.status(read, date(2025, 4, 21), T) is Status.TO_READ  # as at a day before it was read


def test_forwarded_on_time_and_as_at_an_earlier_day():
    x = ExchangeFacts(due_on=date(2025, 4, 1), received_on=date(2025, 4, 17), read_on=date(2025, 4, 17),
                      forwarded_on=date(2025, 5, 6))
    assert rules.forwarded_on_time(x, T) is True
    assert rules.forwarded_on_time(ExchangeFacts(**{**x.__dict__, "forwarded_on": date(2025, 5, 7)}), T) is False
    assert rules.forwarded_on_time(ExchangeFacts(due_on=date(2025, 4, 1)), T) is None
    assert rules.status(x, date(2025, 5, 6), T) is Status.FORWARDED
    assert rules.status(x, date(2025, 4, 15), T) is Status.AWAITED  # before it arrived, in its grace …
    assert rules.status(x, date(2025, 4, 16), T) is Status.OVERDUE_TO_ARRIVE  # … and after it, still late then


# ---------------------------------------------------------------------------------------------
# Steps

TODAY = date(2025, 6, 10)


def test_steps_in_order_none_in_the_future():
    x = ExchangeFacts(due_on=date(2025, 6, 1))
    assert rules.step_refusal(x, Step.RECEIVED, date(2025, 6, 11), TODAY) == (
        "on", "The date it was received must be today or in the past")
    assert rules.step_refusal(x, Step.READ, TODAY, TODAY) == ("on", "Record that the exchange was received first")
    assert rules.step_refusal(x, Step.RECEIVED, date(2025, 5, 20), TODAY) is None  # early is fine
    got = ExchangeFacts(due_on=date(2025, 6, 1), received_on=date(2025, 6, 5))
    assert rules.step_refusal(got, Step.RECEIVED, TODAY, TODAY)[1] == \
        "The exchange has already been recorded as received"
    assert rules.step_refusal(got, Step.READ, date(2025, 6, 4), TODAY)[1] == \
        "The date it was read must be on or after the date it was received"
    assert rules.step_refusal(got, Step.FORWARDED, TODAY, TODAY)[1] == \
        "Record that the exchange was read before it is forwarded"


def test_a_redaction_needs_a_reason_and_forwarding_follows_it():
    read = ExchangeFacts(due_on=date(2025, 6, 1), received_on=date(2025, 6, 5), read_on=date(2025, 6, 6))
    assert rules.step_refusal(read, Step.REDACTED, TODAY, TODAY, reason="  ") == (
        "reason", "Enter the reason for the redaction")
    assert rules.step_refusal(read, Step.REDACTED, date(2025, 6, 5), TODAY, reason="An address")[1] == \
        "The date it was redacted must be on or after the date it was read"
    assert rules.step_refusal(read, Step.REDACTED, TODAY, TODAY, reason="An address") is None
    assert rules.step_refusal(read, Step.FORWARDED, date(2025, 6, 6), TODAY) is None
    redacted = ExchangeFacts(**{**read.__dict__, "redacted_on": date(2025, 6, 8), "redaction_reason": "An address"})
    assert rules.step_refusal(redacted, Step.FORWARDED, date(2025, 6, 7), TODAY)[1] == \
        "The date it was forwarded must be on or after the date it was redacted"
    done = ExchangeFacts(**{**redacted.__dict__, "forwarded_on": date(2025, 6, 9)})
    assert rules.step_refusal(done, Step.READ, TODAY, TODAY)[1] == "The exchange has already been forwarded"


# ---------------------------------------------------------------------------------------------
# Reviews


@pytest.mark.parametrize(("order", "reviews", "due"), [
    (date(2024, 2, 29), [], date(2025, 2, 28)),  # a year after 29 February
    (date(2024, 2, 29), [date(2025, 2, 28)], date(2027, 2, 28)),
    (date(2023, 2, 28), [date(2024, 2, 29)], date(2026, 2, 28)),  # a review on 29 February, two years on
    (date(2024, 12, 31), [], date(2025, 12, 31)),  # year end
    (date(2024, 12, 31), [date(2025, 12, 31)], date(2027, 12, 31)),
    (date(2025, 1, 1), [date(2025, 12, 31), date(2025, 11, 1)], date(2027, 12, 31)),  # from the latest review
    (date(2025, 6, 1), [date(2025, 5, 1)], date(2026, 6, 1)),  # a review before the order does not count
])
def test_review_due(order, reviews, due):
    assert rules.review_due(order, reviews, Timescales()) == due


def test_review_intervals_are_configurable():
    assert rules.review_due(date(2025, 1, 31), [], Timescales(first_review_months=6)) == date(2025, 7, 31)
    assert rules.review_due(date(2025, 1, 31), [date(2025, 8, 31)], Timescales(later_review_months=12)) == \
        date(2026, 8, 31)


# ---------------------------------------------------------------------------------------------
# The date adoption became the plan


def test_the_plan_for_adoption_at_review_starts_it_and_a_change_of_plan_ends_it():
    assert rules.adoption_plan_date([("entered_care", date(2024, 1, 1))]) is None
    assert rules.adoption_plan_date([("permanence_plan", date(2024, 5, 2)),
                                     ("should_be_placed", date(2024, 7, 3))]) == date(2024, 5, 2)
    assert rules.adoption_plan_date([("should_be_placed", date(2024, 7, 3))]) == date(2024, 7, 3)
    changed = [("permanence_plan", date(2024, 5, 2)), ("plan_changed", date(2024, 8, 1))]
    assert rules.adoption_plan_date(changed) is None
    assert rules.adoption_plan_date([*changed, ("permanence_plan", date(2025, 1, 6))]) == date(2025, 1, 6)


def test_take_up():
    assert rules.take_up(["accepted", "declined", "no_response", "accepted"]) == (2, 4)
