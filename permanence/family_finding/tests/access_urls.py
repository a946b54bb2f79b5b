"""URL names whose access tests live in test_pages_access.py (tests/test_access_matrix.py collects COVERED)."""

LINK_PAGES = ["family_finding:link", "family_finding:record-event", "family_finding:correct-event"]
CHILD_PAGES = ["family_finding:child"]
SHORTLIST_PAGES = ["family_finding:shortlist"]
LIST_PAGES = ["family_finding:board"]
HOUSEHOLD_PAGES = ["family_finding:household-children"]
SUFFICIENCY_PAGES = ["family_finding:sufficiency", "family_finding:sufficiency-export-csv",
                     "family_finding:sufficiency-export-xlsx"]
POSTS = ["family_finding:run-shortlist", "family_finding:open-link"]

COVERED = {*LINK_PAGES, *CHILD_PAGES, *SHORTLIST_PAGES, *LIST_PAGES, *HOUSEHOLD_PAGES, *SUFFICIENCY_PAGES, *POSTS}
