"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

CASE_PAGES = ["support:case", "support:case-pdf", "support:record-event", "support:correct-event"]
LIST_PAGES = ["support:home", "support:cases", "support:cases-export-csv", "support:cases-export-xlsx",
              "support:waiting", "support:waiting-export-csv", "support:waiting-export-xlsx", "support:settings"]
WRITE_PAGES = ["support:new-referral"]
API = ["api:support-case-list", "api:support-case-detail", "api:support-case-event-list",
       "api:support-case-event-detail", "api:support-case-event-correct"]

COVERED = {*CASE_PAGES, *LIST_PAGES, *WRITE_PAGES, *API}
