"""The adoption placement reviews' timescales (migration 0004): three rows of data, each with its regulation, that
an administrator can change like any other, and that the child's journey reads as one chain."""

from datetime import date

import pytest

from permanence.children import rules
from permanence.timescales.models import Timescale
from permanence.timescales.selectors import timescales_in_force
from permanence.timescales.services import set_timescale

KEYS = ("placement_review_first", "placement_review_second", "placement_review_later")


@pytest.mark.django_db
def test_the_review_timescales_are_loaded_with_their_sources():
    rows = {t.key: t for t in Timescale.objects.filter(key__in=KEYS)}
    assert {k: (t.subject, t.start_event, t.end_events, t.amount, t.unit) for k, t in rows.items()} == {
        "placement_review_first": ("child", "placed_for_adoption", "placement_review", 4, "weeks"),
        "placement_review_second": ("child", rules.FIRST_PLACEMENT_REVIEW, "placement_review", 3, "months"),
        "placement_review_later": ("child", rules.LATER_PLACEMENT_REVIEW, "placement_review", 6, "months"),
    }
    assert all("Adoption Agencies Regulations 2005 reg 36(1)" in t.source for t in rows.values())
    assert "reg 36(1)(a)" in rows["placement_review_first"].source
    assert "reg 36(1)(c)" in rows["placement_review_later"].source
    assert {t.key for t in timescales_in_force(date(2026, 1, 1))} >= set(KEYS)


@pytest.mark.django_db
def test_a_changed_review_timescale_moves_the_due_date():
    set_timescale(actor=None, key="placement_review_first", amount=20, unit="working_days",
                  valid_from=date(2026, 4, 1), source="Local procedure: 20 working days (test)")
    state = rules.replay([
        rules.EventFact(rules.Kind.ENTERED_CARE, date(2025, 1, 6)),
        rules.EventFact(rules.Kind.SHOULD_BE_PLACED, date(2025, 3, 3)),
        rules.EventFact(rules.Kind.MATCH_DECISION, date(2026, 3, 2)),
        rules.EventFact(rules.Kind.PLACED, date(2026, 3, 30)),
    ])

    def first_review_due(on):
        return [a.due for a in rules.due_actions(state, timescales_in_force(on)) if a.key == "placement_review_first"]

    assert first_review_due(date(2026, 3, 31)) == [date(2026, 4, 27)]  # 4 weeks
    # 20 working days from Monday 30/03/2026: Good Friday (3/4) and Easter Monday (6/4) are not counted.
    assert first_review_due(date(2026, 4, 1)) == [date(2026, 4, 29)]
