"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

LIST_PAGES = ["contact:home", "contact:overdue", "contact:overdue-export-csv", "contact:overdue-export-xlsx",
              "contact:reviews", "contact:reviews-export-csv", "contact:reviews-export-xlsx", "contact:to-offer",
              "contact:to-offer-export-csv", "contact:to-offer-export-xlsx"]
CHILD_PAGES = ["contact:child"]
CHILD_FORMS = ["contact:create-plan", "contact:add-arrangement", "contact:record-review", "contact:record-offer"]
EXCHANGE_PAGES = ["contact:exchange"]
EXCHANGE_FORMS = ["contact:exchange-step"]
OFFER_FORMS = ["contact:offer-response", "contact:offer-session"]
READS = [*LIST_PAGES, *CHILD_PAGES, *EXCHANGE_PAGES]
FORMS = [*CHILD_FORMS, *EXCHANGE_FORMS, *OFFER_FORMS]
API = ["api:letterbox-exchange-list", "api:letterbox-exchange-detail", "api:contact-plan-list",
       "api:contact-plan-detail"]

SETTINGS = ["contact:settings"]  # team managers and the head of service (test_access.py)

COVERED = {*READS, *FORMS, *API, *SETTINGS}
