"""Performance (Issue 5): aggregate figures, their scopes, the records behind a figure, targets, cost of care and
England's published figures.

measure_scope_for is the one answer to "which figures' scope may this user have": the performance pages and the
API's measures endpoint both ask it. drill_families_for says whose records behind a figure the user may list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.http import Http404

from permanence.access.api import can_export
from permanence.access.children import can_see_child_records
from permanence.access.common import active
from permanence.access.households import can_see_adopter_records
from permanence.access.organisations import las_visible_to
from permanence.organisations.models import Organisation, Role

if TYPE_CHECKING:
    from permanence.performance.measures import Scope

AGGREGATE_ROLES = frozenset({Role.BOARD_MEMBER, Role.RAA_HEAD_OF_SERVICE, Role.RAA_TEAM_MANAGER,
                             Role.LA_TEAM_MANAGER, Role.DATA_OFFICER})


def can_see_aggregates(user) -> bool:
    return active(user) and user.role in AGGREGATE_ROLES


def raa_for_aggregates(user) -> Organisation | None:
    """The RAA whose whole-RAA figures the user may see (their own RAA, if they see aggregates), else None."""
    if not can_see_aggregates(user) or user.organisation.kind != Organisation.Kind.RAA:
        return None
    return user.organisation


# ---------------------------------------------------------------------------------------------
# The scope of the figures: the user's own RAA (all its member LAs on each date) or one LA they may see


class MeasureScopeRefused(Http404):
    """The scope asked for is not one the user may see (missing and not-yours alike). A 404 to the pages; the API
    turns it into a 400 on `parameter` ("raa" or "la")."""

    def __init__(self, parameter: str):
        super().__init__("Not found")
        self.parameter = parameter


class _Scopes:
    """The scopes a user may see; the LAs are read once, and only when needed."""

    def __init__(self, user):
        self.own_raa = raa_for_aggregates(user)
        self._user = user

    @cached_property
    def las(self) -> list[Organisation]:
        return list(las_visible_to(self._user))

    @cached_property
    def choices(self) -> list[tuple[str, str]]:
        return ([("raa", self.own_raa.name)] if self.own_raa else []) + [(la.code, str(la)) for la in self.las]


@dataclass(frozen=True)
class MeasureScope:
    scope: Scope
    chosen: str  # "raa" or the LA's code
    _scopes: _Scopes

    @property
    def choices(self) -> list[tuple[str, str]]:
        """Every scope the user may choose, as (chosen, label): their RAA first, then their LAs."""
        return self._scopes.choices


def measure_scope_for(user, *, la: str | None = None, raa: str | bool | None = None) -> MeasureScope:
    """The figures' scope the user asked for, if they may see it: `raa` (True, or the RAA's code) for their own
    RAA, `la` for one of their LAs' codes; neither, the first they may choose (their RAA, else their LA).
    Not for users who do not see aggregates, nor for a scope that is not theirs: 404 (MeasureScopeRefused for a
    scope asked for)."""
    from permanence.performance import measures

    if not can_see_aggregates(user):
        raise Http404("Not found")
    scopes = _Scopes(user)
    own_raa = scopes.own_raa
    if raa:
        if own_raa is None or (raa is not True and raa != own_raa.code):
            raise MeasureScopeRefused("raa")
        return MeasureScope(measures.scope_for_raa(own_raa), "raa", scopes)
    if la:
        found = next((x for x in scopes.las if x.code == la), None)
        if found is None:
            raise MeasureScopeRefused("la")
        return MeasureScope(measures.scope_for_la(found), found.code, scopes)
    if own_raa is not None:
        return MeasureScope(measures.scope_for_raa(own_raa), "raa", scopes)
    if not scopes.las:
        raise Http404("Not found")
    return MeasureScope(measures.scope_for_la(scopes.las[0]), scopes.las[0].code, scopes)


# ---------------------------------------------------------------------------------------------
# The records behind a figure (the drill-down): children's figures list children, adopters' figures households

CHILDREN, ADOPTERS = "children", "adopters"


def drill_families_for(user) -> frozenset[str]:
    """The measure families whose records this user may list: children's for those who see children's records,
    adopters' for those who see adopters' records. Board members: none."""
    families = set()
    if can_see_child_records(user):
        families.add(CHILDREN)
    if can_see_adopter_records(user):
        families.add(ADOPTERS)
    return frozenset(families)


def can_drill(user, family: str) -> bool:
    """Whether the user may list the records behind a figure of this family (the records listed still go through
    children_visible_to / households_visible_to)."""
    return family in drill_families_for(user)


# ---------------------------------------------------------------------------------------------
# Targets

TARGET_SETTER_ROLES = frozenset({Role.RAA_HEAD_OF_SERVICE, Role.SYSTEM_ADMINISTRATOR})


def organisations_for_targets(user) -> list[Organisation]:
    """Whose own performance targets this user may set: an RAA's head of service or system administrator, for
    the RAA and its member LAs. Everyone else: none."""
    if not active(user) or user.role not in TARGET_SETTER_ROLES or user.organisation.kind != Organisation.Kind.RAA:
        return []
    raa = user.organisation
    return [raa, *Organisation.objects.filter(kind=Organisation.Kind.LA, raa=raa).order_by("name")]


# ---------------------------------------------------------------------------------------------
# Cost of care

# Who may set the daily cost of care the cost calculator uses: the RAA's system administrator and head of service.
DAILY_COST_ROLES = frozenset({Role.SYSTEM_ADMINISTRATOR, Role.RAA_HEAD_OF_SERVICE})


def can_use_cost_calculator(user) -> bool:
    """The calculator's totals: anyone who sees aggregate figures (for the RAA or LAs they may see)."""
    return can_see_aggregates(user)


def can_see_cost_per_child(user) -> bool:
    """The calculator's per-child table: aggregate users who also work with children's records (not the board);
    the children listed still go through children_visible_to."""
    return can_use_cost_calculator(user) and can_see_child_records(user)


def can_export_cost_per_child(user) -> bool:
    return can_see_cost_per_child(user) and can_export(user)


def can_set_daily_cost_of_care(user) -> bool:
    return (active(user) and user.organisation.kind == Organisation.Kind.RAA
            and user.role in DAILY_COST_ROLES)


# ---------------------------------------------------------------------------------------------
# Published England figures (performance.NationalFigure): loaded from the command line; the page that lists them is
# for the staff who load and answer for them – data officers, heads of service and system administrators.

NATIONAL_FIGURE_ROLES = frozenset({Role.DATA_OFFICER, Role.RAA_HEAD_OF_SERVICE, Role.SYSTEM_ADMINISTRATOR})


def can_see_national_figures(user) -> bool:
    return active(user) and user.role in NATIONAL_FIGURE_ROLES
