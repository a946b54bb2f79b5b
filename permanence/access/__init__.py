"""Access, decided in one place.

Every view, export, search, report and API endpoint reaches records through this package, one module per domain:

  common          who counts as active staff; the one not-found helper (missing and not-yours: the same 404)
  organisations   the LAs a user sees; who administers an RAA's member LAs
  children        children's records, sibling groups, their events, who may record which event
  family_finding  links and shortlists: the RAA's, the household's agency's, the child's LA's (anonymised)
  households      adopters: households, enquiries, panels, their events, who may record which household event
  api             the API, and who may take records out as files
  performance     aggregate figures, the scope of the figures (measure_scope_for), the records behind a figure,
                  targets, cost of care, England's figures
  surgeries       performance surgeries
  ssda903         SSDA903 import and export
  support         adoption support: support cases, the fund, adopted adults, birth relatives, contact

Deny by default: a role not named here sees nothing. Each module reads its records through the owning app's
selectors; `from permanence import access` and `access.<name>` are the way in, so callers never name a module.
"""

from permanence.access.adopted_adults import (
    adult_request_event_refusal,
    adult_request_kinds_for,
    adult_request_workers_for,
    adult_requests_visible_to,
    can_export_adult_requests,
    can_record_adult_requests,
    can_see_adult_requests,
    get_adult_request_event_for,
    get_adult_request_for,
)
from permanence.access.api import EXPORT_ROLES, can_export, can_export_child, can_list_in_bulk, can_use_api
from permanence.access.children import (
    AUDIT_ROLES,
    CHILD_CREATE_ROLES,
    CHILD_RECORD_ROLES,
    can_create_child_in,
    can_see_child_records,
    can_see_health_details,
    can_view_audit,
    children_visible_to,
    event_refusal,
    get_child_for,
    get_event_for,
    get_sibling_group_for,
    sees_child,
    sees_special_category,
    sibling_groups_visible_to,
    side_of,
)
from permanence.access.common import active, get_or_404, not_found
from permanence.access.complaints import (
    can_enter_feedback,
    can_export_complaints,
    can_record_complaint_about,
    can_record_complaints,
    can_see_complaints,
    can_see_feedback_summary,
    complaints_raa_for,
    complaints_visible_to,
    feedback_raa_for,
    get_complaint_for,
)
from permanence.access.family_finding import (
    HOUSEHOLD_FIT_ROLES,
    LINK_OPENER_ROLES,
    SUFFICIENCY_ROLES,
    WEIGHTS_ROLES,
    can_edit_matching_profile,
    can_family_find_for,
    can_find_children_for,
    can_see_inter_agency_fees,
    can_see_links,
    can_see_matching_papers,
    can_set_inter_agency_fees,
    can_set_matching_weights,
    get_household_profile_for,
    get_link_event_for,
    get_link_for,
    get_shortlist_for,
    household_links_for,
    household_profiles_visible_to,
    households_named_for,
    link_event_refusal,
    link_kinds_for,
    links_visible_to,
    raa_for_sufficiency,
    sees_household_by_name,
    sees_link,
    shortlists_visible_to,
)
from permanence.access.households import (
    ADOPTER_RECORD_ROLES,
    ADOPTER_TIMESCALE_ROLES,
    HOUSEHOLD_WRITE_ROLES,
    MATCH_BOOKING_ROLES,
    PANEL_ROLES,
    assessing_workers_for,
    can_book_match_items,
    can_book_panel_items,
    can_record_adm_decision,
    can_record_match_decision,
    can_run_panels,
    can_see_adopter_records,
    can_see_adopter_timescales,
    can_see_applicant_religion,
    can_write_households,
    enquiries_visible_to,
    get_enquiry_for,
    get_household_event_for,
    get_household_for,
    get_match_item_for_decision,
    get_panel_for,
    get_panel_item_for,
    household_event_refusal,
    household_role_refusal,
    households_visible_to,
    match_items_for_decision,
    panels_visible_to,
    sees_household,
)
from permanence.access.organisations import (
    administered_las,
    administered_staff,
    can_administer,
    get_administered_la,
    get_administered_staff,
    get_la_for,
    las_visible_to,
    manages_a_team,
    team_for,
)
from permanence.access.performance import (
    AGGREGATE_ROLES,
    DAILY_COST_ROLES,
    NATIONAL_FIGURE_ROLES,
    TARGET_SETTER_ROLES,
    MeasureScope,
    MeasureScopeRefused,
    can_drill,
    can_export_cost_per_child,
    can_see_aggregates,
    can_see_cost_per_child,
    can_see_national_figures,
    can_set_daily_cost_of_care,
    can_use_cost_calculator,
    drill_families_for,
    measure_scope_for,
    organisations_for_targets,
    raa_for_aggregates,
)
from permanence.access.ssda903 import (
    SSDA903_LA_ROLES,
    SSDA903_RAA_ROLES,
    can_import_for,
    can_use_903,
    get_903_la_for,
    get_import_conflict_for,
    get_import_for,
    get_import_job_for,
    import_jobs_for,
    las_for_903,
)
from permanence.access.support import (
    SUPPORT_ROLES,
    SUPPORT_WRITE_ROLES,
    can_record_support,
    can_see_support,
    support_raa_for,
)
from permanence.access.surgeries import (
    SURGERY_ESCALATION_ROLES,
    SURGERY_MANAGER_ROLES,
    SURGERY_WORKER_ROLES,
    can_agree_surgery_action,
    can_complete_surgery_action,
    can_escalate_surgery_action,
    can_own_surgery_action,
    can_print_surgery_agenda,
    can_run_surgeries,
    can_see_surgeries,
    can_see_unallocated_surgery,
    can_withdraw_surgery_action,
    get_surgery_action_for,
    get_surgery_child_for,
    get_surgery_household_for,
    get_surgery_team_for,
    get_surgery_worker_for,
    surgery_actions_visible_to,
    surgery_escalation_targets,
    surgery_owners_for,
    surgery_teams_for,
    surgery_workers_for,
)

_active = active  # the name the single module used

__all__ = [
    "ADOPTER_RECORD_ROLES", "ADOPTER_TIMESCALE_ROLES", "AGGREGATE_ROLES", "AUDIT_ROLES", "CHILD_CREATE_ROLES",
    "CHILD_RECORD_ROLES", "DAILY_COST_ROLES", "EXPORT_ROLES", "HOUSEHOLD_WRITE_ROLES", "NATIONAL_FIGURE_ROLES",
    "LINK_OPENER_ROLES", "PANEL_ROLES", "SSDA903_LA_ROLES", "SSDA903_RAA_ROLES", "SURGERY_ESCALATION_ROLES", "SURGERY_MANAGER_ROLES",
    "SURGERY_WORKER_ROLES", "TARGET_SETTER_ROLES", "WEIGHTS_ROLES",
    "MeasureScope", "MeasureScopeRefused",
    "active", "administered_las", "administered_staff", "get_administered_staff", "manages_a_team", "team_for", "assessing_workers_for", "can_administer", "can_agree_surgery_action",
    "can_book_panel_items", "can_complete_surgery_action", "can_create_child_in", "can_drill",
    "can_escalate_surgery_action", "can_export", "can_export_child", "can_list_in_bulk", "can_export_cost_per_child", "can_import_for",
    "can_own_surgery_action", "can_print_surgery_agenda", "can_record_adm_decision", "can_run_panels",
    "can_run_surgeries", "can_see_adopter_records", "can_see_applicant_religion", "can_see_adopter_timescales", "can_see_aggregates",
    "can_see_child_records", "can_see_health_details", "sees_special_category", "can_see_cost_per_child", "can_see_national_figures", "can_see_surgeries",
    "can_see_unallocated_surgery", "can_set_daily_cost_of_care", "can_use_903", "can_use_api",
    "can_use_cost_calculator", "can_view_audit", "can_withdraw_surgery_action", "can_write_households",
    "children_visible_to", "drill_families_for", "enquiries_visible_to", "event_refusal", "get_903_la_for",
    "get_administered_la", "get_child_for", "get_enquiry_for", "get_event_for", "get_household_event_for",
    "get_household_for", "get_import_conflict_for", "get_import_for", "get_la_for", "get_or_404", "get_panel_for",
    "get_panel_item_for", "get_sibling_group_for", "get_surgery_action_for", "get_surgery_child_for",
    "get_surgery_household_for", "get_surgery_team_for", "get_surgery_worker_for", "household_event_refusal",
    "household_role_refusal", "households_visible_to", "las_for_903",
    "las_visible_to", "measure_scope_for", "not_found", "organisations_for_targets", "panels_visible_to",
    "raa_for_aggregates", "sees_child", "sees_household", "sibling_groups_visible_to", "side_of",
    "surgery_actions_visible_to", "surgery_escalation_targets", "surgery_owners_for", "surgery_teams_for",
    "surgery_workers_for",
    "can_edit_matching_profile", "can_family_find_for", "can_see_links", "can_see_matching_papers",
    "can_set_matching_weights",
    "can_see_inter_agency_fees", "can_set_inter_agency_fees",
    "get_link_event_for", "get_link_for", "get_shortlist_for", "household_links_for", "households_named_for",
    "link_event_refusal", "link_kinds_for", "links_visible_to",
    "sees_household_by_name", "sees_link", "shortlists_visible_to",
    # The household's children who might fit, and the region's sufficiency (issue 11).
    "HOUSEHOLD_FIT_ROLES", "SUFFICIENCY_ROLES", "can_find_children_for", "raa_for_sufficiency",
    # Match items on the panels (issue 11): who books them, and the ADM of the side the LA's policy names.
    "MATCH_BOOKING_ROLES", "can_book_match_items", "can_record_match_decision", "get_match_item_for_decision",
    "match_items_for_decision",
    # Adoption support (issue 12): the RAA's adoption support team and its managers only.
    "SUPPORT_ROLES", "SUPPORT_WRITE_ROLES", "can_record_support", "can_see_support", "support_raa_for",
    # Adopted adults' requests (issue 12, adopted_adults): the RAA's adoption support team and its managers.
    "adult_request_event_refusal", "adult_request_kinds_for", "adult_request_workers_for",
    "adult_requests_visible_to", "can_export_adult_requests", "can_record_adult_requests", "can_see_adult_requests",
    "get_adult_request_event_for", "get_adult_request_for",
]

# Support cases (issue 12, app `support`): the RAA's adoption support team and its managers only.
from permanence.access.support_cases import (  # noqa: E402
    SUPPORT_SETTINGS_ROLES,
    can_change_support_settings,
    can_export_support,
    can_record_support_for,
    get_support_case_for,
    get_support_event_for,
    safeguarding_referrals_for,
    support_cases_visible_to,
    support_event_refusal,
    support_workers_for,
)
from permanence.access.surgeries import surgery_support_cases  # noqa: E402

__all__ += [
    "SUPPORT_SETTINGS_ROLES", "can_change_support_settings", "can_export_support", "can_record_support_for", "get_support_case_for",
    "get_support_event_for", "safeguarding_referrals_for", "support_cases_visible_to", "support_event_refusal",
    "support_workers_for", "surgery_support_cases",
]

# Support plans, the commissioned provider list and the support fund (issue 12, app `support_fund`).
from permanence.access.support_fund import (  # noqa: E402
    PROVIDER_LIST_ROLES,
    SUPPORT_EXPORT_ROLES,
    can_export_support_fund,
    can_keep_provider_list,
    can_record_support_fund,
    can_see_fair_access_limits,
    can_set_fair_access_limits,
    fund_applications_visible_to,
    get_commission_for,
    get_fund_application_for,
    get_support_plan_for,
    get_support_provider_for,
    support_plans_visible_to,
    support_providers_visible_to,
)

__all__ += [
    "PROVIDER_LIST_ROLES", "SUPPORT_EXPORT_ROLES", "can_export_support_fund", "can_keep_provider_list",
    "can_record_support_fund", "can_see_fair_access_limits", "can_set_fair_access_limits",
    "fund_applications_visible_to", "get_commission_for", "get_fund_application_for", "get_support_plan_for",
    "get_support_provider_for", "support_plans_visible_to", "support_providers_visible_to",
]
# Contact and letterbox, birth relatives' support (issue 12): the child's RAA's support team only.
from permanence.access.contact import (  # noqa: E402
    birth_relative_offers_visible_to,
    can_record_contact,
    can_see_contact_of,
    can_set_contact_settings,
    contact_arrangements_visible_to,
    contact_children_visible_to,
    contact_plans_visible_to,
    get_birth_relative_offer_for,
    get_contact_arrangement_for,
    get_contact_child_for,
    get_contact_plan_for,
    get_letterbox_exchange_for,
    letterbox_exchanges_visible_to,
)

__all__ += [
    "birth_relative_offers_visible_to", "can_record_contact", "can_see_contact_of", "can_set_contact_settings",
    "contact_arrangements_visible_to",
    "contact_children_visible_to", "contact_plans_visible_to", "get_birth_relative_offer_for",
    "get_contact_arrangement_for", "get_contact_child_for", "get_contact_plan_for", "get_letterbox_exchange_for",
    "letterbox_exchanges_visible_to",
    # SSDA903 imports as background jobs (issue 16): only the person who started one, under the import's rules.
    "get_import_job_for", "import_jobs_for",
]

# Blueprint reviews of the adoption support service (issue 13, app `blueprint`).
from permanence.access.blueprint import (  # noqa: E402
    BLUEPRINT_ROLES,
    blueprint_raa_for,
    blueprint_reviews_visible_to,
    can_export_blueprint,
    can_record_blueprint_review,
    can_see_blueprint,
    get_blueprint_review_for,
)

__all__ += [
    "BLUEPRINT_ROLES", "blueprint_raa_for", "blueprint_reviews_visible_to", "can_export_blueprint",
    "can_record_blueprint_review",
    "can_see_blueprint", "get_blueprint_review_for",
]

# Disruption learning reviews (issue 13): the RAA's managers and quality lead.
from permanence.access.disruptions import (  # noqa: E402
    REVIEW_ROLES,
    can_export_learning_reviews,
    can_record_learning_reviews,
    get_learning_review_for,
    get_recommendation_for,
    get_reviewable_child_for,
    learning_reviews_visible_to,
    review_raa_for,
    reviewable_children_for,
)

__all__ += [
    "REVIEW_ROLES", "can_export_learning_reviews", "can_record_learning_reviews", "get_learning_review_for", "get_recommendation_for",
    "get_reviewable_child_for", "learning_reviews_visible_to", "review_raa_for", "reviewable_children_for",
]

__all__ += [  # complaints and service user feedback (issue 13)
    "can_enter_feedback", "can_export_complaints", "can_record_complaint_about", "can_record_complaints", "can_see_complaints", "can_see_feedback_summary",
    "complaints_raa_for", "complaints_visible_to", "feedback_raa_for", "get_complaint_for",
]

# Case-file audits (issue 13, app `audits`): the RAA's managers and quality lead; a child's scores for those who
# see the child.
from permanence.access.audits import (  # noqa: E402
    AUDIT_ROUND_ROLES,
    audit_rounds_visible_to,
    audits_raa_for,
    can_see_audits,
    case_audits_visible_to,
    child_audits_for,
    get_audit_round_for,
    get_case_audit_for,
    get_sample_entry_for,
    sample_entries_visible_to,
)

__all__ += [
    "AUDIT_ROUND_ROLES", "audit_rounds_visible_to", "audits_raa_for", "can_see_audits", "case_audits_visible_to",
    "child_audits_for", "get_audit_round_for", "get_case_audit_for", "get_sample_entry_for",
    "sample_entries_visible_to",
]

# Files and figures made by background jobs (issue 16): large exports, report PDFs, the comparisons' figures.
from permanence.access.jobs import file_jobs_for, get_file_job_for  # noqa: E402

__all__ += ["file_jobs_for", "get_file_job_for"]
# The anonymised household profile the child's LA sees (issue 15 item 5).
__all__ += ["get_household_profile_for", "household_profiles_visible_to"]

# Records and data protection (issue 15): retention, disposal, subject access.
from permanence.access.records import (  # noqa: E402
    RETENTION_ROLES,
    SUBJECT_ACCESS_ROLES,
    can_export_subject_access,
    can_export_subject_access_of,
    can_manage_retention,
    get_retention_record_for,
    get_subject_for,
    retention_raa_for,
    retention_records_visible_to,
    subject_records_for,
)

__all__ += [
    "RETENTION_ROLES", "SUBJECT_ACCESS_ROLES", "can_export_subject_access", "can_export_subject_access_of",
    "can_manage_retention",
    "get_retention_record_for", "get_subject_for", "retention_raa_for", "retention_records_visible_to",
    "subject_records_for",
]
