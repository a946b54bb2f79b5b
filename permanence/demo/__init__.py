"""Synthetic demo data: the Adoption West demo region, a journey simulator and bulk loaders.

Everything here is invented. Demo children are written in bulk (no audit row per child) and every
journey event they carry is marked source="demo".
"""

from pathlib import Path

DEMO_STRUCTURE = Path(__file__).with_name("adoption-west.yaml")
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - synthetic, shared by the demo users only
