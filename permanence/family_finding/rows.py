"""Links as the tables show them (family_finding/_links_table.html): the household by name for those who see it
by name, by reference for the rest (the child's LA sees an anonymised profile). Used by the links board, the
child's family finding, a link's page and the surgery list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from permanence import access
from permanence.family_finding.models import Link


@dataclass
class Row:
    link: Link
    household: str  # the household's name, or its reference when the user sees it anonymised
    named: bool
    children: list
    stale: bool


def link_rows(user, links, today: date) -> list[Row]:
    links = list(links)
    named = access.households_named_for(user, {link.household_id for link in links})
    return [Row(link, link.household.name if link.household_id in named else link.household.reference,
                link.household_id in named, list(link.children.all()),
                link.is_open and link.activity_due is not None and link.activity_due < today) for link in links]
