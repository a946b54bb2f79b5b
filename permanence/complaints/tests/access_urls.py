"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

# Seen by the RAA's managers and complaints officer (their own RAA's; anyone else: 404).
READ_PAGES = ["complaints:list", "complaints:detail", "complaints:summary-pdf", "complaints:summary-xlsx"]
# Recorded by the complaints officer and team managers (the head of service: 404).
RECORD_PAGES = ["complaints:add", "complaints:escalate", "complaints:panel", "complaints:close", "complaints:extend"]
# Feedback: summaries for managers and the quality lead; entry for any of the RAA's staff.
FEEDBACK_SUMMARY = ["complaints:feedback"]
FEEDBACK_ENTRY = ["complaints:feedback-add", "complaints:home"]

COVERED = {*READ_PAGES, *RECORD_PAGES, *FEEDBACK_SUMMARY, *FEEDBACK_ENTRY}
