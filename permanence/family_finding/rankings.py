"""The matching engine run on the records now, and not saved: the households for a child (what a shortlist saves)
and the waiting children for a household. The API's ranking endpoints, `permanence family-finding` and
`services.shortlist` all call these, so a ranking shown and a ranking saved on the same day cannot disagree.

Reads only: the profiles come from `profiles` (a fixed number of queries for a whole pool), the weights are the
RAA's in force on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from permanence.adopters.models import Household
from permanence.children.models import Child
from permanence.family_finding import matching, profiles


@dataclass(frozen=True)
class Run:
    ranking: matching.Ranking
    pool: list  # the profiles ranked: households for a child, children for a household
    force: profiles.WeightsInForce

    def explanation(self) -> dict:
        return matching.explanation(self.ranking)


def households_for_child(child: Child, on: date, *, include_inter_agency: bool = False,
                         spread: bool = True) -> Run:
    """The approved households for this child (its sibling group when placed together) on `on`, ranked and
    excluded with why: the RAA's own, and every other agency's with `include_inter_agency`. With `spread`, each
    ranked household shows how many of the RAA's waiting children it ranks first for."""
    raa = child.la.raa
    force = profiles.weights_for(raa, on)
    subject = profiles.child_profile(child, on)
    pool = profiles.household_profiles(profiles.household_pool(raa, include_inter_agency=include_inter_agency), on,
                                       searching_raa=raa, children=subject.children)
    first_places = None
    if spread:
        waiting = profiles.child_profiles(profiles.waiting_children(raa).only("pk", "sibling_group_id"), on)
        first_places = matching.first_place_counts(waiting, pool, force.weights, on, cap=force.cap)
    ranking = matching.rank_households(subject, pool, force.weights, on, cap=force.cap,
                                       include_inter_agency=include_inter_agency, first_places=first_places)
    return Run(ranking, pool, force)


def children_for_household(household: Household, on: date) -> Run:
    """The household's RAA's waiting children (profiles.waiting_children; a sibling group placed together as one)
    who might fit this household on `on`, best first, and the rest with why."""
    raa = household.raa
    force = profiles.weights_for(raa, on)
    subject = profiles.household_profiles(Household.objects.filter(pk=household.pk), on, searching_raa=raa)[0]
    pool = profiles.child_profiles(profiles.waiting_children(raa), on)
    ranking = matching.rank_children(subject, pool, force.weights, on, cap=force.cap)
    return Run(ranking, pool, force)
