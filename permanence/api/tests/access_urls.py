"""URL names whose access tests live in permanence/api/tests (see tests/test_access_matrix.py)."""

COVERED = {
    # The API (test_access.py: role × own / other organisation × every endpoint).
    "api:me", "api:schema", "api:docs",
    "api:child-list", "api:child-detail",
    "api:child-event-list", "api:child-event-detail", "api:child-event-correct",
    "api:organisation-list", "api:organisation-detail",
    # The pages' exports (test_exports.py).
    "children:export-csv", "children:export-xlsx", "children:pdf",
}
