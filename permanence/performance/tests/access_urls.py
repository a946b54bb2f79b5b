"""URL names whose access tests live in this app (tests/test_access_matrix.py collects them)."""

COVERED = {"performance:scorecard", "performance:drill", "performance:dashboard", "performance:quarterly",
           "performance:asglb"}

# Each piece of work adds its own names on a line of its own:
