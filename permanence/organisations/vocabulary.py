"""The organisations' vocabulary: staff roles, the two sides of a partnership, and the per-LA policy (case
holding and who does which duty) as plain Python, so that every journey's rules and the organisations' models
share one set of names and labels. Pure: no Django, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# ---------------------------------------------------------------------------------------------
# Roles (plain strings: the rules need no Django; organisations.models.Role gives them their labels)

LA_SOCIAL_WORKER = "la_social_worker"
LA_TEAM_MANAGER = "la_team_manager"
RAA_FAMILY_FINDER = "raa_family_finder"
RAA_ASSESSING_SW = "raa_assessing_social_worker"
RAA_SUPPORT_WORKER = "raa_support_worker"
RAA_TEAM_MANAGER = "raa_team_manager"
RAA_HEAD_OF_SERVICE = "raa_head_of_service"
PANEL_ADVISER = "panel_adviser"
ADM = "agency_decision_maker"
DATA_OFFICER = "data_officer"
BOARD_MEMBER = "board_member"
SYSTEM_ADMINISTRATOR = "system_administrator"
RAA_QUALITY_LEAD = "raa_quality_lead"
COMPLAINTS_OFFICER = "complaints_officer"

LA_CASE_ROLES = frozenset({LA_SOCIAL_WORKER, LA_TEAM_MANAGER})
RAA_CASE_ROLES = frozenset({RAA_FAMILY_FINDER, RAA_TEAM_MANAGER})

# Which side of the partnership a duty or decision falls to under an LA's policy.
LA = "la"
RAA = "raa"

# ---------------------------------------------------------------------------------------------
# Case holding under each LA's policy

LA_KEEPS = "la_keeps"
RAA_AT_PO = "raa_at_po"
RAA_AT_PO_AGE_LIMIT = "raa_at_po_age_limit"

CASE_HOLDING_LABELS = {
    LA_KEEPS: "The LA keeps the case",
    RAA_AT_PO: "The case transfers to the RAA at the placement order",
    RAA_AT_PO_AGE_LIMIT: "The case transfers to the RAA at the placement order only for children aged N or under",
}


@dataclass(frozen=True)
class PolicyFact:
    effective_from: date
    case_holding: str = LA_KEEPS
    age_limit: int | None = None
    should_be_placed_delegated: bool = False
    match_delegated: bool = False
    cpr_writer: str = LA
    lsb_writer: str = LA
    lll_writer: str = LA

    def describe_case_holding(self) -> str:
        if self.case_holding == RAA_AT_PO_AGE_LIMIT:
            return f"The case transfers to the RAA at the placement order for children aged {self.age_limit} or under"
        return CASE_HOLDING_LABELS[self.case_holding]

    def duty_side(self, duty: str) -> str:
        return {
            "should_be_placed": RAA if self.should_be_placed_delegated else LA,
            "match": RAA if self.match_delegated else LA,
            "lsb": self.lsb_writer,
            "lll": self.lll_writer,
            "cpr": self.cpr_writer,
        }[duty]


def policy_on(policies: Sequence[PolicyFact], day: date) -> PolicyFact | None:
    """The policy in force on `day`: the latest one whose effective date is on or before it."""
    current = None
    for p in sorted(policies, key=lambda p: p.effective_from):
        if p.effective_from <= day:
            current = p
    return current



# ---------------------------------------------------------------------------------------------
# Duties and sides, as the pages say them

DUTY_LABELS = {
    "should_be_placed": "the should-be-placed decision",
    "match": "the match decision",
    "lsb": "the life story book",
    "lll": "the later life letter",
}
SIDE_LABELS = {LA: "the LA", RAA: "the RAA"}
