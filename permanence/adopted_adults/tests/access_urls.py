"""URL names whose access tests live in test_access.py and test_api.py (tests/test_access_matrix.py collects
COVERED)."""

LIST_PAGES = ["adopted_adults:waiting", "adopted_adults:list"]
EXPORTS = ["adopted_adults:export-csv", "adopted_adults:export-xlsx"]
CREATE = ["adopted_adults:create"]
REQUEST_PAGES = ["adopted_adults:detail", "adopted_adults:record-event", "adopted_adults:correct-event"]
REQUEST_FILES = ["adopted_adults:pdf"]
POSTS = ["adopted_adults:allocate"]
API = ["api:adopted-adult-request-list", "api:adopted-adult-request-detail", "api:adopted-adult-request-event-list",
       "api:adopted-adult-request-event-detail", "api:adopted-adult-request-event-correct"]

COVERED = {*LIST_PAGES, *EXPORTS, *CREATE, *REQUEST_PAGES, *REQUEST_FILES, *POSTS, *API}
