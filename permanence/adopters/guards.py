"""Allowed but probably wrong (issue 14, item 8): why booking a panel or setting a target panel date asks for a
confirmation. Each function gives the reasons, in GOV.UK warning words, or none; the forms (core.forms.
ConfirmWarnings) show them and save once they are confirmed. The services still allow all of it – an agency may
have a reason – and the API, whose callers cannot confirm, is unchanged.

The dates compared: the agency's decision on the approval is due 4 months (the timescale in force) from the
adopters' notice to proceed, moved on by any pause (adopters.rules.due_actions, "household_stage_2"); a match is
due a number of days after the placement order (children.rules.due_actions, "po_to_match").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from permanence.adopters import rules
from permanence.adopters.models import Household
from permanence.core.forms import long_date
from permanence.timescales.selectors import timescales_in_force

DECISION_DUE = "household_stage_2"
MATCH_DUE = "po_to_match"


def decision_due(household: Household, on: date) -> date | None:
    """When the agency's decision on the household's approval is due (None before stage 2, or once decided)."""
    from permanence.adopters import services

    state = rules.replay(services.event_facts(household), fast_track=household.fast_track)
    due = rules.due_actions(state, timescales_in_force(on, "household"), on)
    return next((a.due for a in due if a.key == DECISION_DUE), None)


def match_due(child, on: date) -> date | None:
    """When the child's match is due after the placement order (None without one, or once matched)."""
    from permanence.children import rules as child_rules
    from permanence.children import services as child_services

    state = child_rules.replay(child_services.event_facts(child))
    due = child_rules.due_actions(state, timescales_in_force(on, "child"))
    return next((a.due for a in due if a.key == MATCH_DUE), None)


def approval_panel(panel_date: date, household: Household, on: date) -> list[str]:
    """Booking the household's approval on a panel on `panel_date`."""
    reasons = []
    due = decision_due(household, on)
    if due is not None and panel_date > due:
        reasons.append(f"The panel on {long_date(panel_date)} is after the date the decision on "
                       f"{household.name}'s approval is due ({long_date(due)}).")
    if household.target_panel_date and panel_date > household.target_panel_date:
        reasons.append(f"The panel on {long_date(panel_date)} is after {household.name}'s target panel date "
                       f"({long_date(household.target_panel_date)}).")
    if panel_date < on:
        reasons.append(f"The panel on {long_date(panel_date)} has already met.")
    return reasons


def match_panel(panel_date: date, children: Iterable, on: date) -> list[str]:
    """Booking a match of `children` on a panel on `panel_date`."""
    reasons = []
    for child in children:
        due = match_due(child, on)
        if due is not None and panel_date > due:
            reasons.append(f"The panel on {long_date(panel_date)} is after the date {child.full_name}'s match is "
                           f"due ({long_date(due)}).")
    return reasons


def target_panel_date(target: date, household: Household, on: date) -> list[str]:
    """Setting or moving the household's target panel date to `target`."""
    reasons = []
    if target < on:
        reasons.append(f"The target panel date, {long_date(target)}, is in the past.")
    due = decision_due(household, on)
    if due is not None and target > due:
        reasons.append(f"The target panel date, {long_date(target)}, is after the date the decision on "
                       f"{household.name}'s approval is due ({long_date(due)}).")
    return reasons
