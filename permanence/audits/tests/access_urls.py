"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

# The RAA's head of service, team managers and quality lead: their own RAA's rounds, sampled children, audits
# and results; everyone else 404.
PAGES = ["audits:rounds", "audits:round-add", "audits:round", "audits:audit-add", "audits:audit", "audits:results",
         "audits:results-pdf", "audits:results-xlsx"]

COVERED = set(PAGES)
