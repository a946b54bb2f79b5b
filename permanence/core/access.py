"""Access, decided in one place.

Every view, export, search and report reaches child records through these functions.
Deny by default: a role not named here sees nothing. "Missing" and "not yours" raise the same 404.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from permanence.children import rules
from permanence.children.models import Child, JourneyEvent
from permanence.organisations.models import Organisation, Role, Staff

# Roles that work with individual children's records, by the kind of organisation they belong to.
CHILD_RECORD_ROLES: dict[str, frozenset[str]] = {
    Organisation.Kind.LA: frozenset(
        {Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER, Role.AGENCY_DECISION_MAKER, Role.DATA_OFFICER}
    ),
    Organisation.Kind.RAA: frozenset(
        {
            Role.RAA_FAMILY_FINDER,
            Role.RAA_ASSESSING_SOCIAL_WORKER,
            Role.RAA_SUPPORT_WORKER,
            Role.RAA_TEAM_MANAGER,
            Role.RAA_HEAD_OF_SERVICE,
            Role.PANEL_ADVISER,
            Role.AGENCY_DECISION_MAKER,
            Role.DATA_OFFICER,
        }
    ),
}
CHILD_CREATE_ROLES = frozenset({Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER, Role.RAA_FAMILY_FINDER,
                                Role.RAA_TEAM_MANAGER, Role.DATA_OFFICER})
AUDIT_ROLES = frozenset({Role.LA_TEAM_MANAGER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})
AGGREGATE_ROLES = frozenset({Role.BOARD_MEMBER, Role.RAA_HEAD_OF_SERVICE, Role.RAA_TEAM_MANAGER,
                             Role.LA_TEAM_MANAGER, Role.DATA_OFFICER})


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and getattr(user, "organisation_id", None))


def side_of(user: Staff) -> str | None:
    if not _active(user):
        return None
    return {Organisation.Kind.LA: rules.LA, Organisation.Kind.RAA: rules.RAA}.get(user.organisation.kind)


def can_see_child_records(user) -> bool:
    return _active(user) and user.role in CHILD_RECORD_ROLES.get(user.organisation.kind, frozenset())


def las_visible_to(user) -> QuerySet[Organisation]:
    """LAs whose children (or aggregate figures) the user may see."""
    las = Organisation.objects.filter(kind=Organisation.Kind.LA)
    if not _active(user):
        return las.none()
    org = user.organisation
    if org.kind == Organisation.Kind.LA:
        return las.filter(pk=org.pk)
    if org.kind == Organisation.Kind.RAA:
        return las.filter(raa=org)
    return las.none()


def children_visible_to(user) -> QuerySet[Child]:
    if not can_see_child_records(user):
        return Child.objects.none()
    org = user.organisation
    if org.kind == Organisation.Kind.LA:
        return Child.objects.filter(la=org)
    return Child.objects.filter(la__raa=org)


def get_child_for(user, pk) -> Child:
    try:
        return children_visible_to(user).select_related("la", "la__raa", "case_holder", "sibling_group",
                                                        "la_social_worker", "family_finder").get(pk=pk)
    except (Child.DoesNotExist, ValueError, TypeError):
        raise Http404("No child found") from None


def sibling_groups_visible_to(user):
    from permanence.children.models import SiblingGroup

    return SiblingGroup.objects.filter(la__in=las_visible_to(user)) if can_see_child_records(user) \
        else SiblingGroup.objects.none()


def get_sibling_group_for(user, pk):
    try:
        return sibling_groups_visible_to(user).select_related("la").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No sibling group found") from None


def get_event_for(user, child: Child, pk) -> JourneyEvent:
    try:
        return JourneyEvent.objects.get(child=child, pk=pk)
    except (JourneyEvent.DoesNotExist, ValueError, TypeError):
        raise Http404("No event found") from None


def can_create_child_in(user, la: Organisation) -> bool:
    return can_see_child_records(user) and user.role in CHILD_CREATE_ROLES and las_visible_to(user).filter(
        pk=la.pk).exists()


def event_refusal(user, child: Child, kind: rules.Kind, policy: rules.PolicyFact | None) -> str | None:
    """Why this user may not record this kind of event for this child (None if they may)."""
    if not children_visible_to(user).filter(pk=child.pk).exists():
        return "You do not have access to this child's record."
    return rules.recording_refusal(user.role, side_of(user), kind, policy)


def can_view_audit(user, child: Child) -> bool:
    return user.role in AUDIT_ROLES and children_visible_to(user).filter(pk=child.pk).exists()


def can_see_aggregates(user) -> bool:
    return _active(user) and user.role in AGGREGATE_ROLES


def administered_las(user) -> QuerySet[Organisation]:
    """LAs whose policy this user may change: an RAA's system administrator, for its member LAs."""
    if not _active(user) or user.role != Role.SYSTEM_ADMINISTRATOR or user.organisation.kind != "raa":
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.LA, raa=user.organisation)


def get_administered_la(user, code: str) -> Organisation:
    try:
        return administered_las(user).get(code=code)
    except Organisation.DoesNotExist:
        raise Http404("No local authority found") from None


def can_administer(user) -> bool:
    return _active(user) and user.role == Role.SYSTEM_ADMINISTRATOR


# ---------------------------------------------------------------------------------------------
# The API and exports (Issue 4 part B)

# Who may take records out of Permanence as files (CSV/XLSX lists, a child's whole record as a PDF).
# Managers and data officers only: a social worker reads records on screen, where every view is logged,
# but a file leaves the system, so taking one out is a separate, narrower permission (see docs/api.md).
EXPORT_ROLES = frozenset({Role.LA_TEAM_MANAGER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE,
                          Role.DATA_OFFICER})


def can_use_api(user) -> bool:
    """Any active member of staff with an organisation; what they then see is decided per record below."""
    return _active(user)


def can_export(user) -> bool:
    return can_see_child_records(user) and user.role in EXPORT_ROLES


def can_export_child(user, child: Child) -> bool:
    return can_export(user) and children_visible_to(user).filter(pk=child.pk).exists()


def get_la_for(user, code) -> Organisation:
    """An LA the user may see (las_visible_to), by its code. Missing and not-yours give the same 404."""
    try:
        return las_visible_to(user).get(code=str(code))
    except Organisation.DoesNotExist:
        raise Http404("No local authority found") from None


# ---------------------------------------------------------------------------------------------
# Adopters: households, enquiries and panels are the RAA's. LA staff never see them here (they will see an
# anonymised profile when a household is linked to their child, through family finding).

ADOPTER_RECORD_ROLES = frozenset({
    Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER,
    Role.RAA_HEAD_OF_SERVICE, Role.PANEL_ADVISER, Role.AGENCY_DECISION_MAKER, Role.DATA_OFFICER,
})
HOUSEHOLD_WRITE_ROLES = frozenset({Role.RAA_ASSESSING_SOCIAL_WORKER, Role.RAA_TEAM_MANAGER})
PANEL_ROLES = frozenset({Role.PANEL_ADVISER, Role.RAA_TEAM_MANAGER})


def can_see_adopter_records(user) -> bool:
    return (_active(user) and user.organisation.kind == Organisation.Kind.RAA
            and user.role in ADOPTER_RECORD_ROLES)


def households_visible_to(user):
    from permanence.adopters.models import Household

    if not can_see_adopter_records(user):
        return Household.objects.none()
    return Household.objects.filter(raa=user.organisation)


def get_household_for(user, pk):
    try:
        return households_visible_to(user).select_related("raa", "residence_la", "assessing_social_worker").get(
            pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No household found") from None


def enquiries_visible_to(user):
    from permanence.adopters.models import Enquiry

    if not can_see_adopter_records(user):
        return Enquiry.objects.none()
    return Enquiry.objects.filter(raa=user.organisation)


def get_enquiry_for(user, pk):
    try:
        return enquiries_visible_to(user).select_related("source", "residence_la", "household").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No enquiry found") from None


def panels_visible_to(user):
    from permanence.adopters.models import Panel

    if not can_see_adopter_records(user):
        return Panel.objects.none()
    return Panel.objects.filter(raa=user.organisation)


def get_panel_for(user, pk):
    try:
        return panels_visible_to(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No panel found") from None


def can_write_households(user) -> bool:
    return can_see_adopter_records(user) and user.role in HOUSEHOLD_WRITE_ROLES


def can_run_panels(user) -> bool:
    return can_see_adopter_records(user) and user.role in PANEL_ROLES


def can_record_adm_decision(user) -> bool:
    return can_see_adopter_records(user) and user.role == Role.AGENCY_DECISION_MAKER


ADOPTER_TIMESCALE_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.DATA_OFFICER})


def can_see_adopter_timescales(user) -> bool:
    """The manager's view of every open assessment against its timescales."""
    return can_see_adopter_records(user) and user.role in ADOPTER_TIMESCALE_ROLES


def can_book_panel_items(user) -> bool:
    return can_run_panels(user) or can_write_households(user)


def get_household_event_for(user, household, pk):
    """One event of a household the user may see (get_household_for first). Missing and not-yours: 404."""
    try:
        return households_visible_to(user).get(pk=household.pk).events.select_related("household").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No event found") from None


def get_panel_item_for(user, panel, pk):
    """One item on a panel the user may see (get_panel_for first). Missing and not-yours: 404."""
    try:
        return (panels_visible_to(user).get(pk=panel.pk).items
                .select_related("panel", "household", "child").get(pk=pk))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No panel item found") from None


def assessing_workers_for(user):
    """Staff of the user's RAA who can be a household's assessing social worker."""
    if not can_see_adopter_records(user):
        return Staff.objects.none()
    return Staff.objects.filter(organisation=user.organisation, role__in=HOUSEHOLD_WRITE_ROLES, is_active=True)


# ---------------------------------------------------------------------------------------------
# Performance (Issue 5): aggregate figures for a whole RAA


def raa_for_aggregates(user) -> Organisation | None:
    """The RAA whose whole-RAA figures the user may see (their own RAA, if they see aggregates), else None."""
    if not can_see_aggregates(user) or user.organisation.kind != Organisation.Kind.RAA:
        return None
    return user.organisation


TARGET_SETTER_ROLES = frozenset({Role.RAA_HEAD_OF_SERVICE, Role.SYSTEM_ADMINISTRATOR})


def organisations_for_targets(user) -> list[Organisation]:
    """Whose own performance targets this user may set: an RAA's head of service or system administrator, for
    the RAA and its member LAs. Everyone else: none."""
    if not _active(user) or user.role not in TARGET_SETTER_ROLES or user.organisation.kind != Organisation.Kind.RAA:
        return []
    raa = user.organisation
    return [raa, *Organisation.objects.filter(kind=Organisation.Kind.LA, raa=raa).order_by("name")]


# ---------------------------------------------------------------------------------------------
# SSDA903 import and export (permanence.interchange)

SSDA903_RAA_ROLES = frozenset({Role.DATA_OFFICER, Role.RAA_TEAM_MANAGER})
SSDA903_LA_ROLES = frozenset({Role.DATA_OFFICER})


def las_for_903(user) -> QuerySet[Organisation]:
    """LAs whose 903 files this user may import, and whose journeys they may export as 903 tables:
    an RAA's data officers and team managers for its member LAs; an LA's data officer for that LA."""
    las = Organisation.objects.filter(kind=Organisation.Kind.LA)
    if not _active(user):
        return las.none()
    org = user.organisation
    if org.kind == Organisation.Kind.RAA and user.role in SSDA903_RAA_ROLES:
        return las.filter(raa=org)
    if org.kind == Organisation.Kind.LA and user.role in SSDA903_LA_ROLES:
        return las.filter(pk=org.pk)
    return las.none()


def can_import_for(user, la: Organisation) -> bool:
    return la is not None and las_for_903(user).filter(pk=la.pk).exists()


def can_use_903(user) -> bool:
    return las_for_903(user).exists()


def get_903_la_for(user, code: str) -> Organisation:
    try:
        return las_for_903(user).get(code=code)
    except Organisation.DoesNotExist:
        raise Http404("No local authority found") from None


def get_import_for(user, pk):
    from permanence.interchange.models import ImportBatch

    try:
        return ImportBatch.objects.select_related("la", "actor").get(pk=pk, la__in=las_for_903(user))
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404("No import found") from None


def get_import_conflict_for(user, pk):
    from permanence.interchange.models import ImportConflict

    try:
        return ImportConflict.objects.select_related("child", "child__la", "batch", "ours_event").get(
            pk=pk, child__la__in=las_for_903(user))
    except (ImportConflict.DoesNotExist, ValueError, TypeError):
        raise Http404("No conflict found") from None


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
    return (_active(user) and user.organisation.kind == Organisation.Kind.RAA
            and user.role in DAILY_COST_ROLES)


# ---------------------------------------------------------------------------------------------
# Published England figures (performance.NationalFigure): loaded from the command line; the page that lists them is
# for the staff who load and answer for them – data officers, heads of service and system administrators.

NATIONAL_FIGURE_ROLES = frozenset({Role.DATA_OFFICER, Role.RAA_HEAD_OF_SERVICE, Role.SYSTEM_ADMINISTRATOR})


def can_see_national_figures(user) -> bool:
    return _active(user) and user.role in NATIONAL_FIGURE_ROLES


# ---------------------------------------------------------------------------------------------
# Performance surgeries
#
# A surgery belongs to an organisation (an RAA or an LA) and is for one of its teams or one of its workers. Team
# managers and the head of service run them: they see any team's or worker's list in their organisation, agree,
# complete, escalate and withdraw actions, see the escalated actions and print the agenda. A worker (family finder,
# assessing social worker, LA child's social worker) sees their own list only, and may mark done or escalate the
# actions they own; agreeing actions is the surgery's job. Actions are seen only inside the organisation whose
# surgery agreed them, and only for children and households the user may see. LA staff never see households.

SURGERY_MANAGER_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.LA_TEAM_MANAGER})
SURGERY_WORKER_ROLES = frozenset({Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.LA_SOCIAL_WORKER})
# Who an action can be escalated to: a manager or the head of service of the organisation whose surgery agreed it.
SURGERY_ESCALATION_ROLES = SURGERY_MANAGER_ROLES


def can_run_surgeries(user) -> bool:
    return can_see_child_records(user) and user.role in SURGERY_MANAGER_ROLES


def can_see_surgeries(user) -> bool:
    """The surgery list: managers for their organisation, workers for their own items."""
    return can_see_child_records(user) and user.role in SURGERY_MANAGER_ROLES | SURGERY_WORKER_ROLES


def can_print_surgery_agenda(user) -> bool:
    return can_run_surgeries(user) and can_export(user)


def surgery_teams_for(user):
    """Teams whose surgery list the user may see: every team of a manager's own organisation."""
    from permanence.organisations.models import Team

    if not can_run_surgeries(user):
        return Team.objects.none()
    return Team.objects.filter(organisation=user.organisation).order_by("name")


def surgery_workers_for(user) -> QuerySet[Staff]:
    """Workers whose own surgery list the user may see: a manager, any active worker or manager of their
    organisation; a worker, themselves."""
    if not can_see_surgeries(user):
        return Staff.objects.none()
    if not can_run_surgeries(user):
        return Staff.objects.filter(pk=user.pk)
    return Staff.objects.filter(organisation=user.organisation, is_active=True,
                                role__in=SURGERY_MANAGER_ROLES | SURGERY_WORKER_ROLES).order_by(
        "last_name", "first_name", "pk")


def get_surgery_team_for(user, pk):
    try:
        return surgery_teams_for(user).select_related("organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No team found") from None


def get_surgery_worker_for(user, pk) -> Staff:
    try:
        return surgery_workers_for(user).select_related("team").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No worker found") from None


def surgery_actions_visible_to(user):
    """Actions agreed by the user's organisation's surgeries, on children and households the user may see; for a
    worker, only those they own or on items they work."""
    from django.db.models import Q

    from permanence.performance.models import SurgeryAction

    if not can_see_surgeries(user):
        return SurgeryAction.objects.none()
    qs = SurgeryAction.objects.filter(organisation=user.organisation).filter(
        Q(child__in=children_visible_to(user)) | Q(household__in=households_visible_to(user)))
    if not can_run_surgeries(user):
        qs = qs.filter(Q(owner=user) | Q(child__family_finder=user) | Q(child__la_social_worker=user)
                       | Q(household__assessing_social_worker=user))
    return qs


def get_surgery_action_for(user, pk):
    try:
        return surgery_actions_visible_to(user).select_related(
            "child", "child__la", "household", "owner", "agreed_by", "escalated_to", "escalated_by", "closed_by",
            "team", "organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No action found") from None


def get_surgery_child_for(user, pk) -> Child:
    """A child an action may be agreed for at this user's surgery (managers only)."""
    if not can_run_surgeries(user):
        raise Http404("No child found")
    return get_child_for(user, pk)


def get_surgery_household_for(user, pk):
    if not can_run_surgeries(user):
        raise Http404("No household found")
    return get_household_for(user, pk)


def can_agree_surgery_action(user) -> bool:
    return can_run_surgeries(user)


def can_complete_surgery_action(user, action) -> bool:
    """Mark done: a manager of the organisation, the action's owner, or the person it was escalated to."""
    return can_see_surgeries(user) and action.is_open and action.organisation_id == user.organisation_id and (
        can_run_surgeries(user) or user.pk in (action.owner_id, action.escalated_to_id))


def can_escalate_surgery_action(user, action) -> bool:
    return can_see_surgeries(user) and action.is_open and action.organisation_id == user.organisation_id and (
        can_run_surgeries(user) or user.pk == action.owner_id)


def can_withdraw_surgery_action(user, action) -> bool:
    return can_run_surgeries(user) and action.is_open and action.organisation_id == user.organisation_id


def can_own_surgery_action(staff, *, child=None, household=None) -> bool:
    """Whether this member of staff may own an action about this child or household: active, and able to see it."""
    if staff is None or not getattr(staff, "is_active", False):
        return False
    if child is not None:
        return children_visible_to(staff).filter(pk=child.pk).exists()
    if household is not None:
        return households_visible_to(staff).filter(pk=household.pk).exists()
    return False


def surgery_owners_for(user, *, household: bool = False) -> QuerySet[Staff]:
    """Who a manager can give an action to: active staff of their organisation whose role sees children's records
    (or adopters' records, for a household). The service still checks the chosen person sees the subject."""
    if not can_run_surgeries(user):
        return Staff.objects.none()
    org = user.organisation
    roles = ADOPTER_RECORD_ROLES if household else CHILD_RECORD_ROLES.get(org.kind, frozenset())
    if household and org.kind != Organisation.Kind.RAA:
        return Staff.objects.none()
    return Staff.objects.filter(organisation=org, is_active=True, role__in=roles).order_by(
        "last_name", "first_name", "pk")


def surgery_escalation_targets(user, action=None) -> QuerySet[Staff]:
    """Who an action can be escalated to: the organisation's active team managers and head of service, other than
    the person escalating (and the person it is already with)."""
    if not can_see_surgeries(user):
        return Staff.objects.none()
    qs = Staff.objects.filter(organisation=user.organisation, is_active=True,
                              role__in=SURGERY_ESCALATION_ROLES).exclude(pk=user.pk)
    if action is not None and action.escalated_to_id:
        qs = qs.exclude(pk=action.escalated_to_id)
    return qs.order_by("last_name", "first_name", "pk")


def can_see_unallocated_surgery(user) -> bool:
    """The "Not allocated" surgery list – the organisation's children (and, for an RAA, households) with no worker
    of its side allocated: managers and the head of service only; a worker has no such list (404)."""
    return can_run_surgeries(user)
