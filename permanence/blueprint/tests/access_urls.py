"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

# The RAA's head of service, team managers and quality lead: their own RAA's reviews; everyone else 404.
PAGES = ["blueprint:reviews", "blueprint:review-add", "blueprint:review", "blueprint:results",
         "blueprint:results-pdf", "blueprint:results-xlsx"]
# The same people change a draft review (GET and POST) and mark it final (POST only).
CHANGE_PAGES = ["blueprint:review-edit", "blueprint:review-final"]

COVERED = {*PAGES, *CHANGE_PAGES}
