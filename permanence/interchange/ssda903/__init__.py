"""SSDA903: the statutory looked-after children return. Pure Python (no Django): tables, parsing,
mapping to journey events, writing."""
