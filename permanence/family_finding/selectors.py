"""Reads across family-finding rows: the links boards, a household's and a child's links, stale links, declines,
shortlists, and the anonymised household profile the child's LA sees.

Which rows a user may see is access's decision (access.links_visible_to, get_link_for …): pass what it gives.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet

from permanence.children.rules import age_in_years
from permanence.core import sorting
from permanence.family_finding import rules
from permanence.family_finding.models import Link, LinkEvent, Shortlist
from permanence.organisations.models import Organisation

OPEN = [s.value for s in rules.OPEN_STAGES]
BOARD_RELATED = ("child", "la", "household", "household__raa", "family_finder", "sibling_group")


def links_of(organisation: Organisation | None) -> QuerySet[Link]:
    """An RAA's links (those it family-finds on, and those of its own households with other agencies' children),
    or an LA's (those on its children); none for None."""
    if organisation is None:
        return Link.objects.none()
    if organisation.kind == Organisation.Kind.LA:
        return Link.objects.filter(la=organisation)
    if organisation.kind == Organisation.Kind.RAA:
        return Link.objects.filter(Q(raa=organisation) | Q(household__raa=organisation))
    return Link.objects.none()


def link_events_of(link: Link) -> QuerySet[LinkEvent]:
    """Every event of the link, corrected ones included."""
    return LinkEvent.objects.filter(link=link)


def open_links(visible: QuerySet[Link]) -> QuerySet[Link]:
    return visible.filter(stage__in=OPEN)


def stale_links(visible: QuerySet[Link], today: date) -> QuerySet[Link]:
    """Open links with no activity by their activity due date (the link's no-activity timescale)."""
    return open_links(visible).filter(activity_due__lt=today)


def stale_q(today: date) -> Q:
    return Q(stage__in=OPEN, activity_due__lt=today)


@dataclass
class BoardFilters:
    mine: bool = False
    stage: str = ""
    stale: bool = False
    include_ended: bool = False
    ended_within_days: int = 28  # ended links stay on the board this long, so both sides see the end


def links_board(visible: QuerySet[Link], *, user=None, filters: BoardFilters | None = None,
                today: date, order_by=None) -> QuerySet[Link]:
    """The links board: open links (and those ended lately, so an end is seen at once), the user's own with
    `mine` (as the link's family finder, the household's assessing worker or a child's LA social worker), by
    stage, or stale only."""
    f = filters or BoardFilters()
    if f.include_ended:
        qs = visible
    else:
        recent = today - timedelta(days=f.ended_within_days)
        qs = visible.filter(Q(stage__in=OPEN) | Q(stage=rules.Stage.ENDED, ended_on__gte=recent))
    if f.mine and user is not None:
        qs = qs.filter(pk__in=Link.objects.filter(Q(family_finder=user) | Q(household__assessing_social_worker=user)
                                                  | Q(children__la_social_worker=user)).values("pk"))
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.stale:
        qs = qs.filter(stale_q(today))
    return in_board_order(qs, order_by)


# The links board's columns by sort key (permanence.core.sorting): "next_due" ascending is the board's own order.
# Not by household: a household of another RAA is shown by its reference only, and its name must not order it.
BOARD_SORTS = {
    "link": ("pk",),
    "child": ("child__last_name", "child__first_name"),
    "stage": (sorting.rank("stage", list(rules.STAGE_LABELS)),),
    "last_activity": ("last_activity_on",),
    "next_due": ("activity_due", "-opened_on"),
}


def in_board_order(qs: QuerySet[Link], order_by=None) -> QuerySet[Link]:
    order_by = order_by or (F("activity_due").asc(nulls_last=True), "-opened_on", "pk")
    return qs.select_related(*BOARD_RELATED).prefetch_related("children").order_by(*order_by)


def household_links(visible: QuerySet[Link], household) -> QuerySet[Link]:
    return in_board_order(visible.filter(household=household))


def child_links(visible: QuerySet[Link], child) -> QuerySet[Link]:
    return in_board_order(visible.filter(children=child))


def open_link_between(children, household) -> Link | None:
    """An open link between any of these children and this household (a second one is refused)."""
    return (Link.objects.filter(children__in=children, household=household, stage__in=OPEN)
            .order_by("pk").first())


def other_open_links(link: Link) -> QuerySet[Link]:
    """The other open links of the children on this link."""
    return Link.objects.filter(children__in=link.children.all(), stage__in=OPEN).exclude(pk=link.pk).distinct()


# ---------------------------------------------------------------------------------------------
# Declines: a household's "no" feeds its next shortlist


@dataclass(frozen=True)
class DeclineRow:
    household_id: int
    link_id: int
    on: date
    reason: str  # in plain words
    by: str  # "adopters" or "agency"
    child_id: int
    sibling_group_id: int | None
    children: int
    youngest_dob: date | None


def declines(household_ids, *, since: date) -> dict[int, list[DeclineRow]]:
    """{household id: its declines since `since`, latest first}: links ended because the adopters or the agency
    declined. Three queries for any number of households (`household_ids`: ids, or a queryset of them)."""
    ended = list(Link.objects.filter(household_id__in=household_ids, ended_reason__in=rules.DECLINE_REASONS,
                                     ended_on__gte=since)
                 .values("pk", "household_id", "ended_on", "ended_reason", "child_id", "sibling_group_id"))
    if not ended:
        return {}
    ids = [row["pk"] for row in ended]
    why = {e["link_id"]: e["details"].get("why") or "" for e in LinkEvent.objects.filter(
        link_id__in=ids, kind=rules.Kind.ENDED, superseded=False).values("link_id", "details")}
    children: dict[int, list[date | None]] = defaultdict(list)
    for row in Link.children.through.objects.filter(link_id__in=ids).values("link_id", "child__date_of_birth",
                                                                              "child__expected_date_of_birth"):
        children[row["link_id"]].append(row["child__date_of_birth"] or row["child__expected_date_of_birth"])
    out: dict[int, list[DeclineRow]] = defaultdict(list)
    for row in sorted(ended, key=lambda r: (r["ended_on"], r["pk"]), reverse=True):
        dobs = [d for d in children[row["pk"]] if d]
        out[row["household_id"]].append(DeclineRow(
            household_id=row["household_id"], link_id=row["pk"], on=row["ended_on"],
            reason=why.get(row["pk"]) or rules.END_REASONS[row["ended_reason"]].lower(),
            by="adopters" if row["ended_reason"] == "adopters_declined" else "agency", child_id=row["child_id"],
            sibling_group_id=row["sibling_group_id"], children=max(1, len(children[row["pk"]])), youngest_dob=max(dobs) if dobs else None))
    return dict(out)


def household_declines(household, *, since: date) -> list[DeclineRow]:
    return declines([household.pk], since=since).get(household.pk, [])


# ---------------------------------------------------------------------------------------------
# Shortlists


def shortlists_of(raa: Organisation | None, children: QuerySet) -> QuerySet[Shortlist]:
    """Shortlists run for these children (by `raa` when it is an RAA; an LA sees its children's)."""
    if raa is None:
        return Shortlist.objects.none()
    qs = Shortlist.objects.filter(child__in=children)
    return qs.filter(raa=raa) if raa.kind == Organisation.Kind.RAA else qs


def child_shortlists(visible: QuerySet[Shortlist], child) -> QuerySet[Shortlist]:
    return visible.filter(children=child).select_related("created_by").order_by("-on", "-pk")


# ---------------------------------------------------------------------------------------------
# The household as the child's LA sees it: anonymised


def anonymised_household(household, on: date, *, religion: bool = True) -> dict:
    """What the child's LA sees of a linked household: its reference and agency, who is in it (ages in years, no
    names or dates of birth), where (the postcode area only) and what it offers. religion=False leaves the
    applicants' religion out (null): special-category data, for the roles access.sees_special_category allows."""
    from permanence.family_finding import postcodes

    capacity = getattr(household, "capacity", None)
    applicants = list(household.applicants.all())
    return {
        "reference": household.reference,
        "agency": household.raa.name,
        "relationship": household.get_relationship_display(),
        "applicants": [{"age": age_in_years(a.date_of_birth, on) if a.date_of_birth else None,
                        "ethnicity": a.get_ethnicity_display(), "religion": a.religion if religion else None,
                        "languages": a.languages} for a in applicants],
        "other_children": sum(1 for m in household.members.all() if m.date_of_birth and
                              age_in_years(m.date_of_birth, on) < 18),
        "area": postcodes.area_of(household.postcode) if household.postcode else "",
        "approved": f"{household.approved_on:%B %Y}" if household.approved_on else "",
        "previous_adopters": household.previous_adopters,
        "approved_foster_carers": household.approved_foster_carers,
        "capacity": None if capacity is None else {
            "children": (capacity.children_min, capacity.children_max),
            "ages": (capacity.age_min_years, capacity.age_max_years),
            "sibling_groups": capacity.sibling_groups, "sexes": capacity.get_sexes_display(),
            "early_permanence": capacity.early_permanence,
            "contact": {"letterbox": capacity.letterbox_contact, "direct": capacity.direct_contact,
                        "sibling": capacity.sibling_contact},
        },
    }


def shortlist_entries(shortlist: Shortlist) -> tuple[list, list]:
    """The shortlist's ranked entries (best first) and excluded ones, with their households."""
    entries = list(shortlist.entries.select_related("household", "household__raa").order_by("excluded", "rank",
                                                                                            "household_id"))
    return [e for e in entries if not e.excluded], [e for e in entries if e.excluded]


def links_from_shortlist(shortlist: Shortlist) -> dict[int, Link]:
    """{entry id: the link opened from it}."""
    return {link.shortlist_entry_id: link for link in Link.objects.filter(shortlist_entry__shortlist=shortlist)}


def link_timeline(link: Link) -> QuerySet[LinkEvent]:
    """The link's steps in force, newest first."""
    return link.events.filter(superseded=False).select_related("recorded_by").order_by("-date", "-id")


@dataclass(frozen=True)
class InterAgencyRow:
    """A placement through a link between two agencies, as the balance needs it."""

    link_id: int
    placed_on: date
    children: int
    bought: bool  # the RAA's child placed with another agency's household (else: its household, another's child)
    other_agency: str
    other_kind: str  # the kind of the household's agency (vaa, raa) when bought; the RAA's own kind when sold
    postcode: str  # the household's (London weighting)


def inter_agency_placements(raa: Organisation) -> list[InterAgencyRow]:
    """Every placement (a link's placed step in force) between this RAA and another agency, either way."""
    theirs = Q(link__raa=raa) & ~Q(link__household__raa=raa)
    ours = Q(link__household__raa=raa) & ~Q(link__raa=raa)
    rows = (LinkEvent.objects.filter(kind=rules.Kind.PLACED.value, superseded=False).filter(theirs | ours)
            .values("link_id", "date", "link__raa_id", "link__raa__name", "link__household__raa__name",
                    "link__household__raa__kind", "link__household__postcode")
            .annotate(children=Count("link__children", distinct=True)).order_by("-date", "link_id"))
    out = []
    for r in rows:
        bought = r["link__raa_id"] == raa.pk
        out.append(InterAgencyRow(
            link_id=r["link_id"], placed_on=r["date"], children=max(1, r["children"]), bought=bought,
            other_agency=r["link__household__raa__name"] if bought else r["link__raa__name"],
            other_kind=r["link__household__raa__kind"] if bought else raa.kind,
            postcode=r["link__household__postcode"] or ""))
    return out
