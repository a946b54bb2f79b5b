"""URL names whose access tests live in test_access.py (tests/test_access_matrix.py collects COVERED)."""

# A file job's page, its progress and its download: the person who asked only, while they may still export (or
# see the figures); everyone else, and a missing job, the same 404.
PAGES = ["jobs:job", "jobs:job-progress", "jobs:download"]

COVERED = set(PAGES)
