"""Properties of the engine over generated pools: what is excluded is never ranked, more rules never rank more,
the same input gives the same ranking, a pair's score does not depend on the pool, both directions agree."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from permanence.family_finding import matching as m
from permanence.testing import examples

from .strategies import ON, child_profile, household_profile, pools

W = m.DEFAULT_WEIGHTS
SETTINGS = settings(max_examples=examples(60), deadline=None)


def summary(ranking: m.Ranking):
    return ([(r.key, r.score, r.position, r.points) for r in ranking.ranked],
            [(e.key, e.rules, tuple(x.reason for x in e.reasons)) for e in ranking.excluded])


@SETTINGS
@given(pools())
def test_an_excluded_household_is_never_ranked(pool):
    children, households, cap = pool
    for c in children:
        ranking = m.rank_households(c, households, W, ON, cap=cap)
        ranked = {r.key for r in ranking.ranked}
        excluded = {e.key for e in ranking.excluded}
        assert not ranked & excluded
        assert ranked | excluded == {h.key for h in households}
        assert all(e.reasons and e.rules for e in ranking.excluded)


@SETTINGS
@given(pools(), st.data())
def test_adding_a_rule_never_adds_a_household(pool, data):
    children, households, cap = pool
    fewer = tuple(r for r in m.ALL_RULES if data.draw(st.booleans()))

    def no_paused(pair):
        return "paused" if pair.household.status == "paused" else None

    for c in children:
        some = {r.key for r in m.rank_households(c, households, W, ON, rules=fewer, cap=cap).ranked}
        every = {r.key for r in m.rank_households(c, households, W, ON, cap=cap).ranked}
        more = {r.key for r in m.rank_households(c, households, W, ON, rules=(*m.ALL_RULES, no_paused), cap=cap).ranked}
        assert more <= every <= some


@SETTINGS
@given(pools(), st.randoms(use_true_random=False))
def test_the_same_input_gives_the_same_ranking(pool, rnd: random.Random):
    children, households, cap = pool
    shuffled = list(households)
    rnd.shuffle(shuffled)
    for c in children:
        first = summary(m.rank_households(c, households, W, ON, cap=cap))
        assert summary(m.rank_households(c, households, W, ON, cap=cap)) == first
        assert summary(m.rank_households(c, shuffled, W, ON, cap=cap)) == first
    for h in households:
        assert summary(m.rank_children(h, children, W, ON, cap=cap)) == summary(
            m.rank_children(h, list(reversed(children)), W, ON, cap=cap))


@SETTINGS
@given(pools(), household_profile("NEW"))
def test_scores_do_not_change_when_an_unrelated_household_joins(pool, newcomer):
    children, households, cap = pool
    for c in children:
        before = {r.key: (r.score, r.points, r.position) for r in m.rank_households(c, households, W, ON, cap=cap).ranked}
        after = m.rank_households(c, [*households, newcomer], W, ON, cap=cap)
        for r in after.ranked:
            if r.key != "NEW":
                assert (r.score, r.points) == before[r.key][:2]
                # it can only move down, by one place at most
                assert r.position in (before[r.key][2], before[r.key][2] + 1)
        assert {r.key for r in after.ranked} - {"NEW"} == set(before)


@SETTINGS
@given(pools())
def test_the_two_directions_agree(pool):
    children, households, cap = pool
    one_way = {}
    for c in children:
        ranking = m.rank_households(c, households, W, ON, cap=cap)
        one_way.update({(c.key, r.key): (r.score, r.points, ()) for r in ranking.ranked})
        one_way.update({(c.key, e.key): (None, None, e.rules) for e in ranking.excluded})
    other_way = {}
    for h in households:
        ranking = m.rank_children(h, children, W, ON, cap=cap)
        other_way.update({(r.key, h.key): (r.score, r.points, ()) for r in ranking.ranked})
        other_way.update({(e.key, h.key): (None, None, e.rules) for e in ranking.excluded})
    assert one_way == other_way
    for c in children:
        for h in households:
            pair = m.assess_pair(c, h, W, ON, cap=cap)
            score, points, rules = one_way[(c.key, h.key)]
            assert tuple(x.rule for x in pair.failed) == rules
            if not rules:
                assert (pair.score, pair.points) == (score, points)


@SETTINGS
@given(pools())
def test_every_exclusion_has_its_words_and_each_rule_alone_agrees(pool):
    children, households, cap = pool
    for c in children:
        for h in households:
            pair = m.assess_pair(c, h, W, ON, cap=cap)
            for x in pair.failed:
                assert x.reason and x.reason != x.label  # the words found why, not just the rule's name
            failed = {x.rule: x.reason for x in pair.failed}
            plain = m.Pair(c, h, ON, c.ages_on(ON), pair.distance, cap)
            for rule in m.ALL_RULES:
                assert rule(plain) == failed.get(rule.name)
            # the decline points (worked out for the grid) and the decline the words describe agree
            dec = m._recent_decline(c, h, c.ages_on(ON), ON, W)
            assert pair.points[m.FACTORS.index("decline")] == (0 if dec is None else -12 if dec[1] else -6)
            assert len(pair.contributions) == len(m.FACTORS)
            assert all(x.reason for x in pair.contributions)
            assert all(abs(p) <= W.point(f) for f, p in zip(m.FACTORS, pair.points, strict=True))


@SETTINGS
@given(pools())
def test_first_place_counts_agree_with_each_childs_ranking(pool):
    children, households, cap = pool
    expected = {h.key: 0 for h in households}
    for c in children:
        ranking = m.rank_households(c, households, W, ON, cap=cap)
        if ranking.ranked:
            expected[ranking.ranked[0].key] += 1
    assert m.first_place_counts(children, households, W, ON, cap=cap) == expected


@SETTINGS
@given(child_profile("C0"), household_profile("H0"), st.data())
def test_decline_points_agree_with_the_decline_described(c, h, data):
    """Declines near the line: the same group size or not, the age then within a few months of the limit."""
    from dataclasses import replace
    from datetime import timedelta

    ages = c.ages_on(ON)
    declines = []
    for _ in range(data.draw(st.integers(1, 3))):
        days = data.draw(st.integers(0, 400))
        then = (min(ages) if ages else 0) - days * 12 // 365
        declines.append(m.Decline(
            ON - timedelta(days=days), "travel distance", child_key=data.draw(st.sampled_from(("", "C0", "C9"))),
            children=data.draw(st.sampled_from((c.children, c.children + 1))),
            age_months=data.draw(st.none() | st.integers(then - 26, then + 26))))
    h = replace(h, declines=tuple(declines))
    dec = m._recent_decline(c, h, ages, ON, W)
    one_way = m.rank_households(c, [h], W, ON, rules=())
    other_way = m.rank_children(h, [c], W, ON, rules=())
    expected = 0 if dec is None else -12 if dec[1] else -6
    for ranking in (one_way, other_way):
        decline = next(x for x in ranking.ranked[0].contributions if x.factor == "decline")
        assert decline.points == expected
        assert (dec is None) == decline.reason.startswith("no recent decline")
