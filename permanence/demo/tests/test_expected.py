"""expected.py against hand-worked answers: a few children built by hand, every figure worked out on paper."""

from datetime import date

import pytest

from permanence.children import rules
from permanence.demo import expected
from permanence.demo.journeys import GeneratedChild

K = rules.Kind
D = date.fromisoformat


def child(name, *steps, earlier=()):
    events = [rules.EventFact(kind, D(day), i + 1, details) for i, (day, kind, details) in
              enumerate((s if len(s) == 3 else (*s, {})) for s in steps)]
    rules.replay(events)  # the hand-built journeys are real journeys
    return GeneratedChild(key=name, la_code="901", la_child_id=name, first_name=name, last_name="Test",
                          dob=D("2018-01-01"), expected_dob=None, sex="F", ethnicity="WBRI", has_disability=False,
                          disabilities="", needs={}, events=events, target="adopted",
                          earlier_periods=[(D(a), D(b), rec) for a, b, rec in earlier])


# A: two periods of care (the first ended with a return home); adopted on 29/02/2024.
A = child("A", ("2021-01-10", K.ENTERED_CARE), ("2021-06-01", K.SHOULD_BE_PLACED), ("2021-09-01", K.PLACEMENT_ORDER),
          ("2022-01-05", K.LINKED), ("2022-02-01", K.MATCH_DECISION), ("2022-03-01", K.PLACED),
          ("2024-02-29", K.ADOPTION_ORDER), earlier=[("2019-05-01", "2019-11-30", "E4A")])
# B: adopted by its foster carers, with whom it lived from 20/04/2022; adopted on 31/03/2024.
B = child("B", ("2022-04-01", K.ENTERED_CARE), ("2022-08-01", K.SHOULD_BE_PLACED), ("2022-10-03", K.PLACEMENT_ORDER),
          ("2023-05-10", K.LINKED), ("2023-06-01", K.MATCH_DECISION),
          ("2023-07-03", K.PLACED, {"by_foster_carers": True, "moved_in_with_carers": "2022-04-20"}),
          ("2024-03-31", K.ADOPTION_ORDER))
# C: a Fostering for Adoption placement, then adopted by other adopters.
C = child("C", ("2021-06-15", K.ENTERED_CARE),
          ("2021-07-01", K.EARLY_PERMANENCE, {"placement_type": "ffa", "carer": "other"}),
          ("2021-10-01", K.SHOULD_BE_PLACED), ("2021-12-01", K.PLACEMENT_ORDER), ("2022-09-01", K.LINKED),
          ("2022-10-10", K.MATCH_DECISION), ("2022-11-01", K.PLACED), ("2023-05-02", K.ADOPTION_ORDER))
# D: concurrent planning with a relative, matched before the placement order, adopted by those carers on 01/04/2024.
D_ = child("D", ("2022-01-05", K.ENTERED_CARE),
           ("2022-01-20", K.EARLY_PERMANENCE, {"placement_type": "concurrent", "carer": "connected"}),
           ("2022-05-01", K.SHOULD_BE_PLACED), ("2022-06-01", K.LINKED), ("2022-07-01", K.MATCH_DECISION),
           ("2022-08-01", K.PLACEMENT_ORDER),
           ("2022-08-15", K.PLACED, {"by_foster_carers": True, "moved_in_with_carers": "2022-01-20"}),
           ("2024-04-01", K.ADOPTION_ORDER))
# E: placed with consent, never a placement order.
E = child("E", ("2023-01-01", K.ENTERED_CARE), ("2023-03-01", K.SHOULD_BE_PLACED), ("2023-05-01", K.MATCH_DECISION),
          ("2023-06-01", K.PLACED), ("2024-01-15", K.ADOPTION_ORDER))
# F: placed on 10/02/2024, the placement disrupted on 20/04/2024 and the child waits again.
F = child("F", ("2022-06-01", K.ENTERED_CARE), ("2022-11-01", K.SHOULD_BE_PLACED), ("2023-01-10", K.PLACEMENT_ORDER),
          ("2023-09-01", K.LINKED), ("2023-10-01", K.MATCH_DECISION), ("2024-02-10", K.PLACED),
          ("2024-04-20", K.DISRUPTION, {"reason": "x"}), ("2024-06-01", K.LINKED))
# G: waiting with a placement order from 20/12/2023 until the plan changed (RD3) on 10/05/2024.
G = child("G", ("2023-02-01", K.ENTERED_CARE), ("2023-09-01", K.SHOULD_BE_PLACED), ("2023-12-20", K.PLACEMENT_ORDER),
          ("2024-05-10", K.PLAN_CHANGED, {"reason": "RD3"}))
ALL = [A, B, C, D_, E, F, G]


def test_one_childs_dates():
    a = expected.adoption_facts(A)
    # The period of care in which A was placed began on 10/01/2021, not with the earlier period in 2019.
    assert (a.period_start, a.moved_in, a.a10_from, a.po, a.match) == (
        D("2021-01-10"), D("2022-03-01"), D("2022-03-01"), D("2021-09-01"), D("2022-02-01"))
    assert expected.adoption_facts(B).a10_from == D("2022-04-20")  # the foster carers' placement
    assert expected.adoption_facts(C).a10_from == D("2022-11-01")  # adopted by others: the move-in
    assert expected.adoption_facts(D_).a10_from == D("2022-01-20")  # the early permanence placement
    assert expected.adoption_facts(D_).po is None and expected.adoption_facts(D_).had_po  # matched first
    assert expected.adoption_facts(E).had_po is False
    assert expected.adoption_facts(F) is None and expected.adoption_facts(G) is None


def test_scorecard_ending_march_2024():
    # Cohort 01/04/2021–31/03/2024: A (29/02/2024), B (31/03/2024), C (02/05/2023), E (15/01/2024); not D (01/04).
    # A1 days: A 10/01/2021→01/03/2022 = 365 + 31 + 19 = 415; B 01/04/2022→03/07/2023 = 365 + 30 + 31 + 30 + 2
    # = 458; C 15/06/2021→01/11/2022 = 365 + 30 + 31 + 31 + 30 + 17 = 504; E 01/01/2023→01/06/2023 = 151.
    # (415 + 458 + 504 + 151) / 4 = 382.  A10: B counts to 20/04/2022 = 19: (415 + 19 + 504 + 151) / 4 = 272.25.
    # A2: A 01/09/2021→01/02/2022 = 153; B 03/10/2022→01/06/2023 = 241; C 01/12/2021→10/10/2022 = 313; E has no
    # PO: (153 + 241 + 313) / 3 = 235.67.  A3 (14 months): A by 10/03/2022 yes; B by 01/06/2023 no; C by
    # 15/08/2022 no; E yes: 2 of 4.
    got = expected.scorecard(ALL, 2024, a3_months=14)
    assert got == {"A1": (382, 4), "A10": (272, 4), "A2": (236, 3), "A3": (50, 4), "children_adopted": (4, 4)}
    # 16 months: B (by 01/08/2023) moves in in time too.
    assert expected.scorecard(ALL, 2024, a3_months=16)["A3"] == (75, 4)


def test_scorecard_ending_march_2025():
    # Cohort 01/04/2022–31/03/2025: A, B, C, D (01/04/2024), E. D: 05/01/2022→15/08/2022 = 26 + 28 + 31 + 30 + 31
    # + 30 + 31 + 15 = 222; A10 from the early permanence placement 20/01/2022 = 15; matched before the PO: A2 0.
    # A1 (1528 + 222) / 5 = 350; A10 (1089 + 15) / 5 = 220.8; A2 (707 + 0) / 4 = 176.75; A3 3 of 5.
    got = expected.scorecard(ALL, 2025)
    assert got == {"A1": (350, 5), "A10": (221, 5), "A2": (177, 4), "A3": (60, 5), "children_adopted": (5, 5)}


def test_nobody_adopted_and_half_up_rounding():
    assert expected.scorecard([F, G], 2025) == {"A1": (None, 0), "A10": (None, 0), "A2": (None, 0),
                                                "A3": (None, 0), "children_adopted": (0, 0)}
    # 10 and 11 days: 10.5 rounds up to 11 (not to the even 10).
    one = child("H", ("2023-01-01", K.ENTERED_CARE), ("2023-01-02", K.SHOULD_BE_PLACED),
                ("2023-01-03", K.PLACEMENT_ORDER), ("2023-01-05", K.MATCH_DECISION), ("2023-01-11", K.PLACED),
                ("2023-06-01", K.ADOPTION_ORDER))
    two = child("I", ("2023-01-01", K.ENTERED_CARE), ("2023-01-02", K.SHOULD_BE_PLACED),
                ("2023-01-03", K.PLACEMENT_ORDER), ("2023-01-04", K.MATCH_DECISION), ("2023-01-12", K.PLACED),
                ("2023-06-01", K.ADOPTION_ORDER))
    got = expected.scorecard([one, two], 2024)
    assert got["A1"] == (11, 2)  # (10 + 11) / 2
    assert got["A2"] == (2, 2)  # (2 + 1) / 2 = 1.5
    assert got["A3"] == (100, 2)


@pytest.mark.parametrize(("start", "end", "want"), [
    # Jan–Mar 2024: A (29/02), B (31/03) and E (15/01) adopted; F placed (10/02); G waiting since 20/12/2023:
    # 11 + 31 + 29 + 31 = 102 days on 31/03/2024 (over 90 days, under 12 months).
    ("2024-01-01", "2024-03-31", {"Q_AO": 3, "Q_PLACED": 1, "Q_WAITING": 1, "Q_WAITING_90D": 1, "Q_WAITING_12M": 0,
                                  "Q_WAITING_18M": 0, "Q_WAITING_AVG_DAYS": 102}),
    # Apr–Jun 2024: D adopted on 01/04; F's placement disrupted (20/04), so F waits again from its PO of
    # 10/01/2023: 365 + 152 + 20 = 537 days on 30/06/2024 (12 months yes, 18 months not until 10/07/2024);
    # G's plan changed (10/05).
    ("2024-04-01", "2024-06-30", {"Q_AO": 1, "Q_DISRUPTIONS": 1, "Q_PLAN_CHANGED": 1, "Q_WAITING": 1,
                                  "Q_WAITING_90D": 1, "Q_WAITING_12M": 1, "Q_WAITING_18M": 0,
                                  "Q_WAITING_AVG_DAYS": 537}),
    # Oct–Dec 2021: A's PO (01/09) is before it; C's PO 01/12 and C's should-be-placed 01/10; A waits from
    # 01/09/2021 (121 days on 31/12/2021) and C from 01/12/2021 (30 days): (121 + 30) / 2 = 75.5.
    ("2021-10-01", "2021-12-31", {"Q_PO": 1, "Q_ADM": 1, "Q_WAITING": 2, "Q_WAITING_90D": 1, "Q_WAITING_12M": 0,
                                  "Q_WAITING_18M": 0, "Q_WAITING_AVG_DAYS": 76}),
    # Jul–Sep 2022: D matched (01/07), PO (01/08), placed (15/08); B's should-be-placed decision (01/08). Waiting
    # on 30/09/2022: only C (matched on 10/10): 01/12/2021→30/09/2022 = 303 days (A placed; B's PO is 03/10/2022).
    ("2022-07-01", "2022-09-30", {"Q_ADM": 1, "Q_MATCHED": 1, "Q_PO": 1, "Q_PLACED": 1, "Q_WAITING": 1,
                                  "Q_WAITING_90D": 1, "Q_WAITING_12M": 0, "Q_WAITING_18M": 0,
                                  "Q_WAITING_AVG_DAYS": 303}),
    # Jan–Mar 2022: D's early permanence placement (20/01); A matched (01/02) and placed (01/03); C waits from
    # 01/12/2021: 30 + 31 + 28 + 31 = 120 days on 31/03/2022.
    ("2022-01-01", "2022-03-31", {"Q_EARLY_PERMANENCE": 1, "Q_MATCHED": 1, "Q_PLACED": 1, "Q_WAITING": 1,
                                  "Q_WAITING_90D": 1, "Q_WAITING_12M": 0, "Q_WAITING_18M": 0,
                                  "Q_WAITING_AVG_DAYS": 120}),
])
def test_quarterly(start, end, want):
    zero = {k: 0 for k in expected.QUARTER_KINDS} | {"Q_WAITING": 0, "Q_WAITING_90D": 0, "Q_WAITING_12M": 0,
                                                     "Q_WAITING_18M": 0, "Q_WAITING_AVG_DAYS": None}
    assert expected.quarterly(ALL, D(start), D(end)) == zero | want


def test_as_at_means_as_at():
    # On 31/03/2024 F was placed: not waiting, although the placement disrupted later.
    assert expected.waiting_since(F, D("2024-03-31")) is None
    assert expected.waiting_since(F, D("2024-04-20")) == D("2023-01-10")
    assert expected.waiting_since(G, D("2024-05-09")) == D("2023-12-20")
    assert expected.waiting_since(G, D("2024-05-10")) is None
