"""Permanence: one case record for a Regional Adoption Agency and its local authorities."""
