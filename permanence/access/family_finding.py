"""Family finding: who sees which links and shortlists, who may open a link and record its steps, and who sees a
linked household by name.

- RAA staff who work with adopters' records see the links their RAA is family-finding on (the child's RAA), and
  the links of their own households when another agency family-finds (the household's worker sees each step).
- The child's LA staff see the links on their children, with the household as an anonymised profile (no names,
  addresses or exact dates of birth): a household's name is shown only to those who see the household.
- Nobody else sees a link; missing and not-yours are the same 404.

The rows come from permanence.family_finding.selectors; which role may record which step, on which side, is the
link journey's table (family_finding.rules).
"""

from __future__ import annotations

from django.db.models import Q

from permanence.access.children import CHILD_RECORD_ROLES, children_visible_to, side_of
from permanence.access.common import active, get_or_404
from permanence.access.households import ADOPTER_RECORD_ROLES, sees_household
from permanence.organisations.models import Organisation, Role

LINK_OPENER_ROLES = frozenset({Role.RAA_FAMILY_FINDER, Role.RAA_TEAM_MANAGER})
WEIGHTS_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})
# A household's "children who might fit": the roles that family-find from the household's side.
HOUSEHOLD_FIT_ROLES = frozenset({Role.RAA_ASSESSING_SOCIAL_WORKER, Role.RAA_FAMILY_FINDER, Role.RAA_TEAM_MANAGER})
# The sufficiency page is aggregate (no child's name on it): board members see it too.
SUFFICIENCY_ROLES = frozenset({Role.RAA_FAMILY_FINDER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE,
                               Role.BOARD_MEMBER})


def can_see_links(user) -> bool:
    if not active(user):
        return False
    kind = user.organisation.kind
    if kind == Organisation.Kind.RAA:
        return user.role in ADOPTER_RECORD_ROLES
    return kind == Organisation.Kind.LA and user.role in CHILD_RECORD_ROLES[Organisation.Kind.LA]


def can_see_matching_papers(user) -> bool:
    """The matching working papers – a child's matching profile, the shortlists (the engine's reasons for each
    household) and the anonymised household profiles – hold special-category data (religion, heritage, health
    needs). Whoever sees links sees them, except the roles kept from special-category data
    (access.children.SPECIAL_CATEGORY_HIDDEN_FROM: a data officer's returns need a link's steps and dates, not why a
    household fits a child)."""
    from permanence.access.children import SPECIAL_CATEGORY_HIDDEN_FROM

    return can_see_links(user) and user.role not in SPECIAL_CATEGORY_HIDDEN_FROM


def links_visible_to(user):
    from permanence.family_finding import selectors

    return selectors.links_of(user.organisation if can_see_links(user) else None)


def get_link_for(user, pk):
    return get_or_404(links_visible_to(user).select_related(
        "raa", "la", "child", "sibling_group", "household", "household__raa", "family_finder", "opened_by"),
        "link", pk=pk)


def get_link_event_for(user, link, pk):
    """One event of a link the user may see (get_link_for first). Missing and not-yours: 404."""
    from permanence.family_finding import selectors

    visible = get_or_404(links_visible_to(user), "event", pk=link.pk)
    return get_or_404(selectors.link_events_of(visible), "event", pk=pk)


def can_set_inter_agency_fees(user) -> bool:
    """The fee table is the installation's (national rates): its system administrators change it."""
    return active(user) and user.role == Role.SYSTEM_ADMINISTRATOR


def can_see_inter_agency_fees(user) -> bool:
    from permanence.access.performance import raa_for_aggregates

    return can_set_inter_agency_fees(user) or raa_for_aggregates(user) is not None


def household_links_for(user, household):
    """The links of this household the user sees, open first then by their next activity due (the household's
    page lists them: the household's worker follows each step, placed and ended ones included)."""
    from permanence.family_finding import selectors

    return (selectors.household_links(links_visible_to(user), household)
            .select_related("child", "sibling_group").prefetch_related("children"))


def sees_link(user, link) -> bool:
    return links_visible_to(user).filter(pk=link.pk).exists()


def sees_household_by_name(user, household) -> bool:
    """Whether the user sees this household's name and address (else an anonymised profile)."""
    return sees_household(user, household)


def shortlists_visible_to(user):
    """Shortlists for the children the user sees, run by the user's RAA (LA staff see their children's)."""
    from permanence.family_finding import selectors

    if not can_see_matching_papers(user):
        return selectors.shortlists_of(None, children_visible_to(user).none())
    return selectors.shortlists_of(user.organisation, children_visible_to(user))


def get_shortlist_for(user, pk):
    return get_or_404(shortlists_visible_to(user).select_related("child", "sibling_group", "created_by"),
                      "shortlist", pk=pk)


def can_family_find_for(user, child) -> bool:
    """May run a shortlist and open links for this child: a family finder or team manager of the child's RAA."""
    return (active(user) and user.role in LINK_OPENER_ROLES and user.organisation.kind == Organisation.Kind.RAA
            and child.la.raa_id == user.organisation_id and children_visible_to(user).filter(pk=child.pk).exists())


def can_find_children_for(user, household) -> bool:
    """May see the waiting children who might fit this household: an assessing worker, family finder or team
    manager of the household's own RAA who sees the household by name. LA staff never."""
    return (active(user) and user.role in HOUSEHOLD_FIT_ROLES and user.organisation.kind == Organisation.Kind.RAA
            and household.raa_id == user.organisation_id and sees_household(user, household))


def raa_for_sufficiency(user) -> Organisation | None:
    """The RAA whose sufficiency (aggregate: children and households by band, no names) the user may see."""
    if not active(user) or user.role not in SUFFICIENCY_ROLES or user.organisation.kind != Organisation.Kind.RAA:
        return None
    return user.organisation


def can_set_matching_weights(user, raa) -> bool:
    return active(user) and user.role in WEIGHTS_ROLES and user.organisation_id == raa.pk


def can_edit_matching_profile(user, child) -> bool:
    """The child's matching profile: its family finder's side or its LA's social workers."""
    if not active(user) or not children_visible_to(user).filter(pk=child.pk).exists():
        return False
    return user.role in (LINK_OPENER_ROLES | {Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER})


def link_event_refusal(user, link, kind, policy) -> str | None:
    """Why this user may not record this kind of step on this link (None if they may).

    The role and side come from the link journey's table and the child's LA's policy (the match decision is the
    LA's ADM's unless delegated). The household's assessing worker records from the household's agency; every
    other RAA role from the RAA family-finding for the child."""
    from permanence.family_finding import rules

    if not sees_link(user, link):
        return "You do not have access to this link."
    return _agency_refusal(user, link) or rules.recording_refusal(user.role, side_of(user), rules.Kind(kind), policy)


def _agency_refusal(user, link) -> str | None:
    """The household's assessing workers record from the household's agency, every other RAA role from the RAA
    family-finding for the child."""
    if user.role == Role.RAA_ASSESSING_SOCIAL_WORKER:
        if user.organisation_id != link.household.raa_id:
            return "Only the household's own agency's assessing workers record its steps."
    elif side_of(user) == "raa" and user.organisation_id != link.raa_id:
        return "Only the household's worker records steps on another agency's link."
    return None


def households_named_for(user, household_ids) -> set[int]:
    """Of these households, those the user sees by name (the rest are shown anonymised): one query."""
    from permanence.access.households import households_visible_to

    return set(households_visible_to(user).filter(pk__in=household_ids).values_list("pk", flat=True))


def link_kinds_for(user, link, state, policy) -> list:
    """The steps this user may record next on this link: the journey's table on its state, the user's role and
    side, and the agency they work for (as link_event_refusal decides, with one visibility check)."""
    from permanence.family_finding import rules

    if not sees_link(user, link) or _agency_refusal(user, link):
        return []
    return rules.kinds_recordable(user.role, side_of(user), policy, state)


def household_profiles_visible_to(user):
    """The approved households whose anonymised profile this user may see: those on a link or a shortlist of a
    child the user sees (the child's LA's social workers and managers reach a household only this way: no names,
    address or contact details). None for anyone who cannot see the matching papers."""
    from permanence.adopters.models import Household

    if not can_see_matching_papers(user):
        return Household.objects.none()
    on_links = links_visible_to(user).values("household_id")
    on_shortlists = shortlists_visible_to(user).values("entries__household_id")
    return (Household.objects.filter(approved_on__isnull=False)
            .filter(Q(pk__in=on_links) | Q(pk__in=on_shortlists)))


def get_household_profile_for(user, pk):
    """One approved household, anonymised, for a user who sees it on a link or shortlist. Missing and not-yours:
    404."""
    return get_or_404(household_profiles_visible_to(user).select_related("raa", "capacity"), "household", pk=pk)
