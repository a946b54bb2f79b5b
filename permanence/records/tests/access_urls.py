"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

RETENTION = ["records:retention", "records:dispose", "records:retention-period"]
SUBJECT_ACCESS = ["records:subject-access"]

COVERED = {*RETENTION, *SUBJECT_ACCESS}
