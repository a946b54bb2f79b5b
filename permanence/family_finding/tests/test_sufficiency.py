"""Sufficiency: which children no household could take, which households no child, by band, with targets –
agreeing exactly with the engine's hard rules."""

from __future__ import annotations

from hypothesis import given, settings

from permanence.family_finding import matching as m
from permanence.family_finding import sufficiency as s
from permanence.testing import examples

from .helpers import ON, W, child, home
from .strategies import pools


def test_children_without_a_household_and_households_without_a_child():
    kids = [child(key="ONE"), child(key="THREE", children=3, ages_months=(20, 40, 60), sexes=("F", "M", "M")),
            child(key="OLDER", ages_months=(100,))]
    homes = [home(key="PAIR", children_max=2), home(key="SOLO", children_max=1),
             home(key="TEENS", children_max=3, age_min_years=12, age_max_years=17)]
    result = s.sufficiency(kids, homes, ON)
    assert {c.key: c.households for c in result.children} == {"ONE": 2, "THREE": 0, "OLDER": 0}
    assert result.children_without_household == ("THREE", "OLDER")
    assert result.household_counts == {"PAIR": 1, "SOLO": 1, "TEENS": 0}
    assert result.households_without_child == ("TEENS",)
    three = next(c for c in result.children if c.key == "THREE")
    assert three.bands == {"age": "5 to 9", "sibling_group": "3 children", "needs": "Moderate",
                           "heritage": "White"}
    # PAIR and SOLO fail on the number of children and the age range, TEENS on the age range alone
    assert three.nearest == (("age_range", 1),)
    sizes = {g.band: (g.children, g.without_household, g.households_open)
             for g in result.groups if g.dimension == "sibling_group"}
    assert sizes == {"1 child": (2, 1, 2), "3 children": (1, 1, 0)}
    texts = [t.text for t in result.targets]
    assert "1 more household open to sibling groups of 3 (most often kept out by: age range)" in texts
    assert "2 more households open to children aged 5 to 9 (most often kept out by: age range)" in texts
    assert {r["dimension"] for r in result.rows()} == {"Age band", "Sibling group size", "Highest need", "Heritage"}


def test_a_target_for_a_band_not_recorded_reads_as_words():
    kids = [child(key="UNKNOWN", ethnicities=("NOBT",), needs={}, ages_months=())]
    texts = [t.text for t in s.sufficiency(kids, [home(key="PAUSED", status="paused")], ON).targets]
    kept_out = " (most often kept out by: approval status)"
    assert texts == [f"1 more household open to {words}{kept_out}" for words in (
        "children whose age is not recorded", "one child", "children whose needs are not recorded",
        "children whose heritage is not recorded")]


def test_the_cap_and_status_count_as_in_the_engine():
    kids = [child(key="A")]
    busy = home(key="BUSY", open_links=2)
    assert s.sufficiency(kids, [busy], ON).children[0].households == 1
    assert s.sufficiency(kids, [busy], ON, cap=2).children[0].households == 0
    assert s.sufficiency(kids, [home(key="P", status="paused")], ON).children_without_household == ("A",)


def test_blocks_give_the_same_answer(monkeypatch):
    kids = [child(key=f"C{i}", ages_months=(i * 7,)) for i in range(12)]
    homes = [home(key=f"H{i}", age_max_years=i % 5, children_max=1 + i % 2) for i in range(9)]
    whole = s.sufficiency(kids, homes, ON)
    monkeypatch.setattr(s, "BLOCK", 5)
    assert s.sufficiency(kids, homes, ON) == whole


@settings(max_examples=examples(60), deadline=None)
@given(pools(max_children=6, max_households=8))
def test_sufficiency_agrees_with_the_engine(pool):
    children, households, cap = pool
    result = s.sufficiency(children, households, ON, cap=cap)
    for c, fit in zip(children, result.children, strict=True):
        ranking = m.rank_households(c, households, W, ON, cap=cap)
        assert fit.key == c.key and fit.households == len(ranking.ranked)
        if not ranking.ranked:
            alone = {}
            for e in ranking.excluded:
                if len(e.rules) == 1:
                    alone[e.rules[0]] = alone.get(e.rules[0], 0) + 1
            assert dict(fit.nearest) == alone
    for h in households:
        assert result.household_counts[h.key] == len(m.rank_children(h, children, W, ON, cap=cap).ranked)
    assert set(result.households_without_child) == {k for k, n in result.household_counts.items() if not n}
    for g in result.groups:
        members = [f for f in result.children if f.bands[g.dimension] == g.band]
        assert g.children == len(members) and g.without_household == sum(1 for f in members if not f.households)
    assert sum(t.households for t in result.targets if t.dimension == "age") == len(result.children_without_household)
