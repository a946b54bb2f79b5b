"""URL names whose access is tested in this app (see tests/test_access_matrix.py)."""

# test_signin.py: the password change page needs a signed-in user; the reset pages open without signing in.
COVERED = ["password-change", "password-reset", "password-reset-done", "password-reset-confirm",
           "password-reset-complete", "two-factor-setup", "two-factor-recovery-codes", "two-factor-verify",
           "organisations:reset-two-factor",
           # test_help_pages.py: the footer's pages open for everyone, signed in or not, at every step of sign-in.
           "help", "accessibility", "privacy", "cookies",
           # test_idle.py: the idle sign-out's two endpoints (how long is left; stay signed in).
           "session-time-left", "session-keep-alive",
           # test_search.py: every role searches what it sees (another RAA's records and an LA's view of households
           # are left out; board members have nothing to search).
           "search"]
