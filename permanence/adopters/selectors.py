"""Reads across adopters' rows.

For now, only the rows permanence.core.access needs: an RAA's households, enquiries and panels, and the events and
items of those. Which of them a user may see is access's decision: ask it (households_visible_to, get_household_for
…), not these.
"""

from __future__ import annotations

from django.db.models import QuerySet

from permanence.adopters.models import Enquiry, Household, HouseholdEvent, Panel, PanelItem
from permanence.organisations.models import Organisation


def households_of(raa: Organisation | None) -> QuerySet[Household]:
    """The RAA's households; none for None."""
    return Household.objects.none() if raa is None else Household.objects.filter(raa=raa)


def enquiries_of(raa: Organisation | None) -> QuerySet[Enquiry]:
    return Enquiry.objects.none() if raa is None else Enquiry.objects.filter(raa=raa)


def panels_of(raa: Organisation | None) -> QuerySet[Panel]:
    return Panel.objects.none() if raa is None else Panel.objects.filter(raa=raa)


def household_events_of(household: Household) -> QuerySet[HouseholdEvent]:
    """Every event of this household's journey, corrected ones included."""
    return HouseholdEvent.objects.filter(household=household)


def panel_items_of(panel: Panel) -> QuerySet[PanelItem]:
    return PanelItem.objects.filter(panel=panel)
