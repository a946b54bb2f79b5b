"""Adopters: households, enquiries and panels are the RAA's. LA staff never see them here (they will see an
anonymised profile when a household is linked to their child, through family finding).

The rows come from permanence.adopters.selectors. Which role may record which kind of household event is the
household journey's rule table (adopters.rules); whether this user may record it on this household is decided
here (household_event_refusal), and the pages, the API and the services all ask here.
"""

from __future__ import annotations

from permanence.access.common import active, get_or_404
from permanence.organisations.models import Organisation, Role, Staff

ADOPTER_RECORD_ROLES = frozenset({
    Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER,
    Role.RAA_HEAD_OF_SERVICE, Role.PANEL_ADVISER, Role.AGENCY_DECISION_MAKER, Role.DATA_OFFICER,
})
HOUSEHOLD_WRITE_ROLES = frozenset({Role.RAA_ASSESSING_SOCIAL_WORKER, Role.RAA_TEAM_MANAGER})
PANEL_ROLES = frozenset({Role.PANEL_ADVISER, Role.RAA_TEAM_MANAGER})
ADOPTER_TIMESCALE_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.DATA_OFFICER})


def can_see_adopter_records(user) -> bool:
    return (active(user) and user.organisation.kind == Organisation.Kind.RAA
            and user.role in ADOPTER_RECORD_ROLES)


def can_see_applicant_religion(user) -> bool:
    """An applicant's religion is special-category data (UK GDPR art. 9): for the people who assess, match and
    support the household, not data officers (access.children.SPECIAL_CATEGORY_HIDDEN_FROM: their returns need
    only the coded fields, such as ethnicity)."""
    from permanence.access.children import SPECIAL_CATEGORY_HIDDEN_FROM

    return can_see_adopter_records(user) and user.role not in SPECIAL_CATEGORY_HIDDEN_FROM


def _raa_of(user):
    """The RAA whose adopters' records the user sees, or None."""
    return user.organisation if can_see_adopter_records(user) else None


def households_visible_to(user):
    from permanence.adopters import selectors

    return selectors.households_of(_raa_of(user))


def get_household_for(user, pk):
    return get_or_404(households_visible_to(user).select_related("raa", "residence_la", "assessing_social_worker"),
                      "household", pk=pk)


def sees_household(user, household) -> bool:
    """Whether this household is among those the user may see."""
    return households_visible_to(user).filter(pk=household.pk).exists()


def enquiries_visible_to(user):
    from permanence.adopters import selectors

    return selectors.enquiries_of(_raa_of(user))


def get_enquiry_for(user, pk):
    return get_or_404(enquiries_visible_to(user).select_related("source", "residence_la", "household"), "enquiry",
                      pk=pk)


def panels_visible_to(user):
    from permanence.adopters import selectors

    return selectors.panels_of(_raa_of(user))


def get_panel_for(user, pk):
    return get_or_404(panels_visible_to(user), "panel", pk=pk)


def can_write_households(user) -> bool:
    return can_see_adopter_records(user) and user.role in HOUSEHOLD_WRITE_ROLES


def can_run_panels(user) -> bool:
    return can_see_adopter_records(user) and user.role in PANEL_ROLES


def can_record_adm_decision(user) -> bool:
    return can_see_adopter_records(user) and user.role == Role.AGENCY_DECISION_MAKER


def can_see_adopter_timescales(user) -> bool:
    """The manager's view of every open assessment against its timescales."""
    return can_see_adopter_records(user) and user.role in ADOPTER_TIMESCALE_ROLES


def can_book_panel_items(user) -> bool:
    return can_run_panels(user) or can_write_households(user)


MATCH_BOOKING_ROLES = frozenset({*PANEL_ROLES, *HOUSEHOLD_WRITE_ROLES, Role.RAA_FAMILY_FINDER})


def can_book_match_items(user) -> bool:
    """Booking a match on a panel: who books approvals, and the family finder who agreed the link."""
    return can_see_adopter_records(user) and user.role in MATCH_BOOKING_ROLES


def get_household_event_for(user, household, pk):
    """One event of a household the user may see (get_household_for first). Missing and not-yours: 404."""
    from permanence.adopters import selectors

    visible = get_or_404(households_visible_to(user), "event", pk=household.pk)
    return get_or_404(selectors.household_events_of(visible).select_related("household"), "event", pk=pk)


def get_panel_item_for(user, panel, pk):
    """One item on a panel the user may see (get_panel_for first). Missing and not-yours: 404."""
    from permanence.adopters import selectors

    visible = get_or_404(panels_visible_to(user), "panel item", pk=panel.pk)
    return get_or_404(selectors.panel_items_of(visible).select_related("panel", "household", "child"),
                      "panel item", pk=pk)


# ---------------------------------------------------------------------------------------------
# Match decisions: the agency decision maker of whichever side the child's LA's policy names (the LA's ADM unless
# the match decision is delegated to the RAA). An LA's ADM reaches the match items of its own children without
# seeing the RAA's panels; the household is shown to them by its reference only.


def can_record_match_decision(user) -> bool:
    from permanence.access.children import can_see_child_records

    return can_see_child_records(user) and user.role == Role.AGENCY_DECISION_MAKER


def match_items_for_decision(user):
    """The match items of children this ADM may see (none for anyone else)."""
    from permanence.access.children import children_visible_to
    from permanence.adopters import selectors

    if not can_record_match_decision(user):
        return selectors.match_items_of_children(None)
    return selectors.match_items_of_children(children_visible_to(user))


def get_match_item_for_decision(user, pk):
    return get_or_404(match_items_for_decision(user).select_related("panel", "household", "child", "child__la"),
                      "match", pk=pk)


def assessing_workers_for(user):
    """Staff of the user's RAA who can be a household's assessing social worker."""
    if not can_see_adopter_records(user):
        return Staff.objects.none()
    return Staff.objects.filter(organisation=user.organisation, role__in=HOUSEHOLD_WRITE_ROLES, is_active=True)


# ---------------------------------------------------------------------------------------------
# The household's journey: who may record which event on which household


def household_role_refusal(user, kind) -> str | None:
    """Why this user's role may not record (or correct) this kind of household event, by the journey's rule table
    (None if it may, or if the write has no person's role behind it)."""
    from permanence.adopters import rules

    role = getattr(user, "role", None)
    return rules.role_refusal(role, rules.Kind(kind)) if role else None


def household_event_refusal(user, household, kind) -> str | None:
    """Why this user may not record this kind of event on this household (None if they may)."""
    if not sees_household(user, household):
        return "You do not have access to this household."
    return household_role_refusal(user, kind)

