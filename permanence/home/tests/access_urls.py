"""The home page's access tests are in test_home.py: every role of an RAA and an LA lands on its own work (or is
sent where its work is), and every task shown opens for the person it is shown to."""

COVERED = ["home"]
