"""URL names whose access tests live in permanence/api/tests (see tests/test_access_matrix.py)."""

COVERED = {
    # The API (test_access.py: role × own / other organisation × every endpoint).
    "api:me", "api:schema", "api:docs",
    "api:child-list", "api:child-detail",
    "api:child-event-list", "api:child-event-detail", "api:child-event-correct",
    "api:organisation-list", "api:organisation-detail",
    "api:household-list", "api:household-detail", "api:household-target-panel-date",
    "api:household-event-list", "api:household-event-detail", "api:household-event-correct",
    "api:panel-list", "api:panel-detail", "api:panel-book",
    "api:measures-scorecard", "api:measures-quarterly", "api:measures-adopters", "api:measures-prospective",
    "api:measures-members",
    # The pages' exports (test_exports.py).
    "children:export-csv", "children:export-xlsx", "children:pdf",
}
