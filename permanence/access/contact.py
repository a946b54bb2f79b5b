"""Contact plans, letterbox exchanges and birth relatives' support: seen only by the adoption support team and its
managers of the child's RAA (access.support), recorded by its support workers and team managers. Anyone else –
a family finder, an LA social worker, another RAA's support team – gets the same 404 as for a missing record."""

from __future__ import annotations

from django.db.models import QuerySet

from permanence.access.common import get_or_404
from permanence.access.support import can_record_support, support_raa_for


def contact_children_visible_to(user) -> QuerySet:
    """The children of the user's RAA's member LAs, for a support role; none otherwise."""
    from permanence.children.models import Child

    raa = support_raa_for(user)
    return Child.objects.filter(la__raa=raa) if raa is not None else Child.objects.none()


def get_contact_child_for(user, pk):
    return get_or_404(contact_children_visible_to(user).select_related("la", "la__raa"), "child", pk=pk)


def contact_plans_visible_to(user) -> QuerySet:
    from permanence.contact.models import ContactPlan

    raa = support_raa_for(user)
    return ContactPlan.objects.filter(child__la__raa=raa) if raa is not None else ContactPlan.objects.none()


def get_contact_plan_for(user, pk):
    return get_or_404(contact_plans_visible_to(user).select_related("child__la"), "contact plan", pk=pk)


def contact_arrangements_visible_to(user) -> QuerySet:
    from permanence.contact.models import ContactArrangement

    raa = support_raa_for(user)
    return (ContactArrangement.objects.filter(plan__child__la__raa=raa) if raa is not None
            else ContactArrangement.objects.none())


def get_contact_arrangement_for(user, pk):
    return get_or_404(contact_arrangements_visible_to(user).select_related("plan__child__la"),
                      "contact arrangement", pk=pk)


def letterbox_exchanges_visible_to(user) -> QuerySet:
    from permanence.contact.models import LetterboxExchange

    raa = support_raa_for(user)
    return (LetterboxExchange.objects.filter(arrangement__plan__child__la__raa=raa) if raa is not None
            else LetterboxExchange.objects.none())


def get_letterbox_exchange_for(user, pk):
    return get_or_404(letterbox_exchanges_visible_to(user).select_related("arrangement__plan__child__la"),
                      "letterbox exchange", pk=pk)


def birth_relative_offers_visible_to(user) -> QuerySet:
    from permanence.contact.models import BirthRelativeOffer

    raa = support_raa_for(user)
    return (BirthRelativeOffer.objects.filter(child__la__raa=raa) if raa is not None
            else BirthRelativeOffer.objects.none())


def get_birth_relative_offer_for(user, pk):
    return get_or_404(birth_relative_offers_visible_to(user).select_related("child__la"), "support offer", pk=pk)


def can_record_contact(user) -> bool:
    """May record contact plans, exchanges, reviews and birth relatives' support (of their own RAA)."""
    return can_record_support(user)


def can_set_contact_settings(user, raa) -> bool:
    """May set the RAA's contact review intervals: its support team's managers (team managers, head of service)."""
    from permanence.organisations.models import Role

    return support_raa_for(user) == raa and raa is not None and user.role in {Role.RAA_TEAM_MANAGER,
                                                                               Role.RAA_HEAD_OF_SERVICE}


def can_see_contact_of(user, child) -> bool:
    """Whether the child's page links to the child's contact and birth relatives' support: the child's RAA's
    support team and its managers (the page behind the link is get_contact_child_for's)."""
    raa = support_raa_for(user)
    return raa is not None and child.la.raa_id == raa.pk
