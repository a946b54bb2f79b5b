"""Journeys: the kernel every journey runs on (kernel.py, pure Python) and, beside it, what every journey's
Django side shares. A journey is a transition table and a state class; see docs/decisions/0007-journey-kernel.md."""
