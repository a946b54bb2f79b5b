"""URL names whose access tests live in this app (tests/test_access_matrix.py collects them)."""

COVERED = {"performance:scorecard", "performance:drill", "performance:dashboard", "performance:quarterly",
           "performance:asglb"}

# Each piece of work adds its own names on a line of its own:
COVERED |= {"performance:cost", "performance:cost-export", "performance:daily-cost"}  # test_cost_pages.py
COVERED |= {"performance:targets"}  # test_targets_and_drill.py
COVERED |= {"performance:comparison"}
COVERED |= {"performance:surgery", "performance:surgery-print", "performance:surgery-pdf", "performance:surgery-escalated", "performance:surgery-agree-child", "performance:surgery-agree-household", "performance:surgery-action", "performance:surgery-complete", "performance:surgery-escalate", "performance:surgery-withdraw"}  # test_surgery.py
COVERED |= {"performance:members"}  # test_members_report.py
COVERED |= {"performance:prospective"}  # test_targets_and_drill.py
COVERED |= {"performance:national-figures"}  # test_national_figures.py
