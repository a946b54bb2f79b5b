"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

# The RAA's managers and quality lead only (another RAA's review: 404; anyone else: 404).
PAGES = ["disruptions:list", "disruptions:open", "disruptions:review", "disruptions:recommendation-add",
         "disruptions:recommendation-done", "disruptions:recommendations", "disruptions:themes",
         "disruptions:themes-pdf", "disruptions:themes-xlsx", "disruptions:review-edit", "disruptions:review-final",
         "disruptions:recommendation-edit"]

COVERED = {*PAGES}
