"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

# Seen by the RAA's support team and managers (their own RAA's records; another RAA's: 404; anyone else: 404).
READ_PAGES = ["support_fund:applications", "support_fund:providers", "support_fund:provider",
              "support_fund:case", "support_fund:plan", "support_fund:application"]
# Recorded by support workers and team managers (the head of service: 403).
RECORD_PAGES = ["support_fund:plan-add", "support_fund:plan-edit", "support_fund:plan-close",
                "support_fund:service-add", "support_fund:service-edit", "support_fund:application-add",
                "support_fund:application-edit", "support_fund:application-submit",
                "support_fund:application-decide", "support_fund:application-pay", "support_fund:application-pack"]
# The provider list is kept by team managers and the head of service (a support worker: 403).
PROVIDER_PAGES = ["support_fund:provider-add", "support_fund:provider-edit", "support_fund:commission-add",
                  "support_fund:commission-edit"]
# Downloads: team managers and the head of service (a support worker: 404).
EXPORTS = ["support_fund:applications-export-csv", "support_fund:applications-export-xlsx",
           "support_fund:providers-export-csv", "support_fund:providers-export-xlsx"]
# The fair access limit: the support team reads, a system administrator changes.
LIMIT_PAGES = ["support_fund:limits"]

API = ["api:support-fund-application-list", "api:support-fund-application-detail", "api:support-provider-list"]

COVERED = {*READ_PAGES, *RECORD_PAGES, *PROVIDER_PAGES, *EXPORTS, *LIMIT_PAGES, *API}
