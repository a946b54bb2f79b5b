"""Write the demo's links and matching profiles (demo/links.py's plan) in bulk.

Like demo children and households, demo links bypass the per-link services (no audit row per link): they are
written with the link journey's bulk writer (family_finding.services.WRITER.bulk_apply), which replays each
link's events once (so a link the journey does not allow is refused) and stores its snapshot; every event is
stored with source="demo". Their consequences are already on the children's and households' journeys: the
plan drew the links from those journeys (links.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection, transaction
from django.utils import timezone

from permanence.children.models import Child
from permanence.demo.journeys import GeneratedChild
from permanence.demo.links import Plan
from permanence.family_finding import services
from permanence.family_finding.models import ChildMatchingProfile, Link, LinkEvent
from permanence.journeys.services import NewEvent

DEMO = "demo"


def demo_links():
    return Link.objects.filter(pk__in=LinkEvent.objects.filter(source=DEMO).values("link_id"))


@transaction.atomic
def delete_demo_links() -> int:
    """Delete every link with demo events, with its events (before the demo children and households go)."""
    ids = list(demo_links().values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        LinkEvent.objects.filter(link_id__in=chunk)._raw_delete(connection.alias)
        Link.children.through.objects.filter(link_id__in=chunk)._raw_delete(connection.alias)
        Link.objects.filter(pk__in=chunk)._raw_delete(connection.alias)
    return len(ids)


@transaction.atomic
def load_links(plan: Plan, children: Sequence[GeneratedChild], household_ids: dict[str, int], *,
               today: dt.date) -> dict[str, int]:
    """Write the plan's links (with their events and snapshots) and the children's matching profiles.
    `household_ids`: each generated household's key with its row's id (households_load.load_households)."""
    by_key = {c.key: (c.la_code, c.la_child_id) for c in children}
    rows = {(la, cid): child for child in Child.objects.filter(
        la_child_id__in=[cid for _, cid in by_key.values()]).select_related("la")
        for la, cid in [(child.la.code, child.la_child_id)]}
    child_of = {k: rows[v] for k, v in by_key.items() if v in rows}
    tz = timezone.get_current_timezone()
    links, events, covers = [], [], []
    for n, planned in enumerate(plan.links):
        lead = child_of[planned.child_keys[0]]
        who = lead.family_finder_id
        link = Link(raa_id=lead.la.raa_id, la_id=lead.la_id, child=lead, household_id=household_ids[
            planned.household_key], sibling_group_id=lead.sibling_group_id if len(planned.child_keys) > 1 else None,
            family_finder_id=who, opened_on=planned.events[0].date, opened_by_id=who)
        links.append(link)
        covers.append([child_of[k].pk for k in planned.child_keys])
        for j, e in enumerate(planned.events):
            at = dt.datetime(e.date.year, e.date.month, e.date.day, 10 + (n + j) % 7, (11 * (n + j)) % 60, tzinfo=tz)
            events.append(NewEvent(link, e, DEMO, at, who))
    services.WRITER.bulk_apply(links, events, on=today)
    Link.children.through.objects.bulk_create(
        [Link.children.through(link_id=link.pk, child_id=c) for link, ids in zip(links, covers, strict=True)
         for c in ids], batch_size=2000)
    profiles = [ChildMatchingProfile(child=child_of[k], **values) for k, values in plan.profiles.items()
                if k in child_of]
    ChildMatchingProfile.objects.bulk_create(profiles, batch_size=2000)
    return {"links": len(links), "link_events": len(events), "matching_profiles": len(profiles)}
