"""URL names whose access tests live in test_pages_access.py (tests/test_access_matrix.py collects COVERED)."""

HOUSEHOLD_PAGES = ["adopters:household-detail", "adopters:household-edit", "adopters:target-panel-date",
                   "adopters:capacity", "adopters:record-event", "adopters:correct-event"]
ENQUIRY_PAGES = ["adopters:enquiry-detail", "adopters:enquiry-outcome", "adopters:enquiry-register"]
PANEL_PAGES = ["adopters:panel-detail", "adopters:panel-print", "adopters:panel-book", "adopters:item-papers",
               "adopters:item-recommendation", "adopters:item-decision", "adopters:panel-book-match",
               "adopters:item-detail", "adopters:item-member-view"]
# The agency decision maker's match decisions: the LA's ADM reaches its own children's matches too.
MATCH_DECISION_PAGES = ["adopters:match-decisions", "adopters:match-decision"]
LIST_PAGES = ["adopters:pipeline", "adopters:timescales", "adopters:enquiry-list", "adopters:enquiry-create",
              "adopters:household-register", "adopters:panel-list", "adopters:panel-create"]

COVERED = {*HOUSEHOLD_PAGES, *ENQUIRY_PAGES, *PANEL_PAGES, *LIST_PAGES, *MATCH_DECISION_PAGES}

EXPORTS = ["adopters:pipeline-export-csv", "adopters:pipeline-export-xlsx", "adopters:household-pdf",
           "adopters:enquiry-export-csv", "adopters:enquiry-export-xlsx", "adopters:panel-export-csv",
           "adopters:panel-export-xlsx", "adopters:panel-pdf"]
COVERED = COVERED | set(EXPORTS)  # access tests in test_exports.py
