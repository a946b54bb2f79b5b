"""URL names whose access tests live in test_pages_access.py (tests/test_access_matrix.py collects COVERED)."""

LINK_PAGES = ["family_finding:link", "family_finding:record-event", "family_finding:correct-event"]
CHILD_PAGES = ["family_finding:child"]
SHORTLIST_PAGES = ["family_finding:shortlist"]
LIST_PAGES = ["family_finding:board"]
AGGREGATE_PAGES = ["family_finding:inter-agency", "family_finding:inter-agency-export-csv",
                   "family_finding:inter-agency-export-xlsx", "family_finding:fees"]
HOUSEHOLD_PAGES = ["family_finding:household-children"]
HOUSEHOLD_PROFILE_PAGES = ["family_finding:household-profile"]  # test_household_profile.py
SUFFICIENCY_PAGES = ["family_finding:sufficiency", "family_finding:sufficiency-export-csv",
                     "family_finding:sufficiency-export-xlsx"]
POSTS = ["family_finding:run-shortlist", "family_finding:open-link"]
PROFILE_PAGES = ["family_finding:matching-profile", "family_finding:edit-matching-profile"]
WEIGHTS_PAGES = ["family_finding:weights", "family_finding:set-weights"]

COVERED = {*AGGREGATE_PAGES, *LINK_PAGES, *CHILD_PAGES, *SHORTLIST_PAGES, *LIST_PAGES, *POSTS, *PROFILE_PAGES,
           *WEIGHTS_PAGES, *HOUSEHOLD_PAGES, *SUFFICIENCY_PAGES, *HOUSEHOLD_PROFILE_PAGES}
# The API's family-finding endpoints (test_api.py: role × own / other organisation × every endpoint), with the
# child's needs and the household's capacity.
API = ["api:link-list", "api:link-detail", "api:link-event-list", "api:link-event-detail", "api:link-event-correct",
       "api:shortlist-list", "api:shortlist-detail", "api:child-family-finding-ranking",
       "api:child-family-finding-matching-profile", "api:household-family-finding-ranking", "api:household-capacity",
       "api:child-needs", "api:family-finding-sufficiency", "api:family-finding-inter-agency"]

COVERED |= set(API)
