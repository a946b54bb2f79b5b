"""URL names whose access tests live in this app (tests/test_access_matrix.py reads COVERED)."""

COVERED = {"interchange:upload", "interchange:batch", "interchange:conflicts", "interchange:conflict",
           "interchange:export", "interchange:job", "interchange:job-progress", "interchange:confirm",
           "interchange:imports", "interchange:batch-findings"}
