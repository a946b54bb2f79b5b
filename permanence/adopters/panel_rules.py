"""What a panel item is, by its kind: the approval of adopters or a match of a child (or a sibling group placed
together) with approved adopters. The words each kind uses, the papers each needs, the panel members' views,
and the ADM decision's due date. Pure Python: no Django, no clock (dates are parameters).

The panel recommends and the agency decision maker decides (Adoption Agencies Regulations 2005): on an approval
the RAA's ADM (seed 002, 1.2 "Approvals"), on a match the LA's ADM unless the LA delegates it to the RAA's
(seed 002, 1.1 "Matching decisions"; domain.md section 1). The match codes are the link journey's
(family_finding.rules): match / not_match / deferred, agreed / not_agreed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from permanence.adopters import rules as household_rules
from permanence.children import rules as child_rules
from permanence.timescales.rules import TimescaleFact, working_days_between

APPROVAL = "approval"
MATCH = "match"
KINDS = {APPROVAL: "Approval of adopters", MATCH: "Match"}
DEFERRED = "deferred"

RECOMMENDATIONS: dict[str, dict[str, str]] = {
    APPROVAL: household_rules.RECOMMENDATIONS,
    MATCH: {"match": "Recommended the match", "not_match": "Did not recommend the match", DEFERRED: "Deferred"},
}
DECISIONS: dict[str, dict[str, str]] = {
    APPROVAL: household_rules.DECISIONS,
    MATCH: {"agreed": "Match agreed", "not_agreed": "Match not agreed"},
}
# Every code either kind uses, with its label (the model's choices: each item is checked against its own kind).
ALL_RECOMMENDATIONS = {code: label for by_kind in RECOMMENDATIONS.values() for code, label in by_kind.items()}
ALL_DECISIONS = {code: label for by_kind in DECISIONS.values() for code, label in by_kind.items()}
POSITIVE_DECISION = {APPROVAL: "approved", MATCH: "agreed"}

# How the pages name each kind's steps.
WORDING: dict[str, dict[str, str]] = {
    APPROVAL: {
        "subject": "the household's approval as adopters",
        "recommendation_question": "What did the panel recommend about the household's approval?",
        "decision_question": "What did the agency decision maker decide about the approval?",
        "decision_title": "Record the agency decision on the approval",
        "decision_recorded": "The agency decision has been recorded.",
    },
    MATCH: {
        "subject": "the match",
        "recommendation_question": "What did the panel recommend about the match?",
        "decision_question": "What did the agency decision maker decide about the match?",
        "decision_title": "Record the agency decision on the match",
        "decision_recorded": "The agency decision on the match has been recorded.",
    },
}

# The papers the panel reads: the household's prospective adopter's report for an approval; for a match the
# adoption placement report, the child's permanence report and the household's PAR (seed 002, 1.1 "CPR, DPR,
# APR, Matching panel").
PAPERS = {
    "apr": "Adoption placement report (APR)",
    "cpr": "Child's permanence report (CPR)",
    "par": "Prospective adopter's report (PAR)",
}
PAPERS_BY_KIND = {APPROVAL: ("par",), MATCH: ("apr", "cpr", "par")}

MEMBER_ROLES = {
    "chair": "Chair",
    "vice_chair": "Vice chair",
    "social_worker": "Social work member",
    "independent": "Independent member",
    "adoption_experience": "Member with personal experience of adoption",
    "medical_adviser": "Medical adviser",
    "other": "Other member",
}
MEMBER_VIEWS = {"recommend": "Recommends", "not_recommend": "Does not recommend", "abstain": "Abstains"}
VIEWS_NEEDING_REASONS = frozenset({"recommend", "not_recommend"})

# The timescale (timescales.Timescale, by subject and key) the ADM's decision is due within after the panel.
DECISION_TIMESCALE = {APPROVAL: ("household", "household_adm_after_panel"), MATCH: ("child", "adm_after_matching_panel")}


# The child's stages a match can be booked from: a should-be-placed decision or a placement order, not yet
# matched (the matching panel itself needs the link on the child's journey, which its recommendation checks).
MATCHABLE_CHILD_STAGES = (child_rules.Stage.SHOULD_BE_PLACED, child_rules.Stage.PLACEMENT_ORDER,
                          child_rules.Stage.LINKED)


def recommendation_needs_reasons(kind: str) -> bool:
    """A match's recommendation always says why; an approval's reasons are in its minutes."""
    return kind == MATCH


def goes_to_decision(recommendation: str) -> bool:
    """A recommendation the ADM decides on (a deferral goes back to a later panel instead)."""
    return bool(recommendation) and recommendation != DEFERRED


# ---------------------------------------------------------------------------------------------
# Papers


@dataclass(frozen=True)
class PaperStatus:
    code: str
    label: str
    received_on: date | None
    status: str  # "on_time", "late", "awaited" (not in yet, not yet due) or "missing" (not in, due date passed)

    @property
    def status_label(self) -> str:
        return PAPER_STATUS_LABELS[self.status]


PAPER_STATUS_LABELS = {"on_time": "Received", "late": "Late", "awaited": "Not received yet", "missing": "Missing"}


def paper_status(received_on: date | None, due: date | None, today: date) -> str:
    if received_on is not None:
        return "late" if due is not None and received_on > due else "on_time"
    return "missing" if due is not None and today > due else "awaited"


def papers(kind: str, received: dict[str, date | None], due: date | None, today: date) -> list[PaperStatus]:
    """Each paper the kind needs, with the date it was received (if it was) and whether it was late or is
    missing against the panel's papers due date."""
    return [PaperStatus(code, PAPERS[code], received.get(code), paper_status(received.get(code), due, today))
            for code in PAPERS_BY_KIND[kind]]


def all_papers_in(kind: str, received: dict[str, date | None]) -> date | None:
    """The date the last of the kind's papers arrived, once every one has; None while any is missing."""
    dates = [received.get(code) for code in PAPERS_BY_KIND[kind]]
    return None if any(d is None for d in dates) else max(dates)


# ---------------------------------------------------------------------------------------------
# The ADM's decision and its timescale


@dataclass(frozen=True)
class DecisionDue:
    due: date
    timescale: str  # "7 working days after the panel (Local procedures …)"
    status: str  # "due", "overdue", "on_time" (decided by the due date) or "late" (decided after it)
    working_days_late: int = 0

    @property
    def status_label(self) -> str:
        return {"due": "Due", "overdue": "Overdue", "on_time": "Decided on time", "late": "Decided late"}[
            self.status]


def decision_due(panel_date: date, timescale: TimescaleFact | None, *, decided_on: date | None,
                 today: date) -> DecisionDue | None:
    """When the ADM's decision is due after the panel under the timescale in force, and whether it is (or was)
    on time. None when no timescale is configured."""
    if timescale is None:
        return None
    from permanence.timescales.rules import describe_period

    due = timescale.due_from(panel_date)
    described = f"{describe_period(timescale.amount, timescale.unit)} after the panel"
    if timescale.source:
        described += f" ({timescale.source})"
    if decided_on is not None:
        late = max(0, working_days_between(due, decided_on))
        return DecisionDue(due, described, "late" if decided_on > due else "on_time", late)
    late = max(0, working_days_between(due, today))
    return DecisionDue(due, described, "overdue" if today > due else "due", late)


# ---------------------------------------------------------------------------------------------
# Sibling groups


@dataclass(frozen=True)
class MatchChild:
    id: int
    name: str
    group: int | None  # its sibling group, if any


@dataclass(frozen=True)
class SiblingGroupFact:
    name: str
    plan: str  # children.SiblingGroup.Plan: "together", "apart", "undecided"
    members: frozenset[int]


def sibling_refusal(children: Sequence[MatchChild], groups: Mapping[int, SiblingGroupFact]) -> str | None:
    """Why these children cannot go to panel as one match, or None. Several children go together only as a
    whole sibling group placed together; a child of a group placed together never goes alone."""
    chosen = {c.id for c in children}
    group_ids = {c.group for c in children}
    if len(children) > 1:
        if len(group_ids) != 1 or None in group_ids:
            return "Children are matched together only as a sibling group: choose one child or one sibling group."
        group = groups[next(iter(group_ids))]
        if group.plan != "together":
            return f"The plan for {group.name} is not to place them together: book each child's match on its own."
    for child in children:
        group = groups.get(child.group) if child.group is not None else None
        if group is not None and group.plan == "together" and group.members - chosen:
            return (f"{child.name} is one of {group.name}, to be placed together: book the sibling group's match, "
                    "with all of them.")
    return None
