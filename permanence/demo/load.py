"""Write generated children to the database in bulk.

Demo children bypass the per-child services (no audit row per child, no per-child queries): they are
written with the journey's bulk writer (services.WRITER.bulk_apply), with their snapshot columns computed
here in Python by snapshot_for() from the generated events and the LA's policies (in worker processes for
the national run), and every event is stored with source="demo".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from permanence.children import rules, services
from permanence.children.models import Child, ChildNeed, JourneyEvent, NeedCategory, SiblingGroup
from permanence.core.bulk import insert_many
from permanence.demo.journeys import GeneratedChild
from permanence.journeys.services import NewEvent
from permanence.organisations.models import Organisation, Role, Staff
from permanence.timescales.selectors import timescales_in_force

K = rules.Kind
DEMO = JourneyEvent.Source.DEMO


def demo_children():
    """Children carrying demo events."""
    return Child.objects.filter(pk__in=JourneyEvent.objects.filter(source=DEMO).values("child_id"))


def has_demo_children() -> bool:
    return JourneyEvent.objects.filter(source=DEMO).exists()


@transaction.atomic
def delete_demo_children() -> int:
    """Delete every child with demo events, with all its events, needs and now-empty sibling groups.

    The audit trail is append-only and is left alone. Raises django.db.models.ProtectedError if
    something else (recorded outside the demo) still points at one of these children.
    """
    ids = list(demo_children().values_list("pk", flat=True))
    if not ids:
        return 0
    groups = set(Child.objects.filter(pk__in=ids, sibling_group__isnull=False).values_list("sibling_group_id",
                                                                                             flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        # Corrections point at the events they correct (PROTECT), all inside the deleted set, and
        # foreign keys are checked at commit: delete the events without the collector.
        JourneyEvent.objects.filter(child_id__in=chunk)._raw_delete(connection.alias)
        ChildNeed.objects.filter(child_id__in=chunk)._raw_delete(connection.alias)
        Child.objects.filter(pk__in=chunk).delete()
    SiblingGroup.objects.filter(pk__in=groups, children__isnull=True).delete()
    return len(ids)


@dataclass
class _LAContext:
    la: Organisation
    policies: list[rules.PolicyFact]
    social_workers: list[Staff]
    la_managers: list[Staff]
    la_data: list[Staff]
    family_finders: list[Staff]
    raa_managers: list[Staff]
    raa_adms: list[Staff]
    panel: list[Staff]
    support: list[Staff]


def _contexts(codes: Iterable[str]) -> dict[str, _LAContext]:
    las = {la.code: la for la in Organisation.objects.filter(kind="la", code__in=set(codes)).select_related("raa")
           .prefetch_related("policies")}
    staff: dict[tuple[int, str], list[Staff]] = {}
    org_ids = {la.pk for la in las.values()} | {la.raa_id for la in las.values()}
    for s in Staff.objects.filter(organisation_id__in=org_ids, is_active=True).order_by("username"):
        staff.setdefault((s.organisation_id, s.role), []).append(s)
    out = {}
    for code, la in las.items():
        def pool(org_id, *roles):
            return [s for r in roles for s in staff.get((org_id, r), [])]

        out[code] = _LAContext(
            la=la, policies=[p.as_fact() for p in la.policies.all()],
            social_workers=pool(la.pk, Role.LA_SOCIAL_WORKER),
            la_managers=pool(la.pk, Role.LA_TEAM_MANAGER, Role.AGENCY_DECISION_MAKER),
            la_data=pool(la.pk, Role.DATA_OFFICER),
            family_finders=pool(la.raa_id, Role.RAA_FAMILY_FINDER),
            raa_managers=pool(la.raa_id, Role.RAA_TEAM_MANAGER),
            raa_adms=pool(la.raa_id, Role.AGENCY_DECISION_MAKER, Role.RAA_TEAM_MANAGER),
            panel=pool(la.raa_id, Role.PANEL_ADVISER, Role.RAA_FAMILY_FINDER),
            support=pool(la.raa_id, Role.RAA_SUPPORT_WORKER, Role.RAA_FAMILY_FINDER),
        )
    return out


def _pick(pool: Sequence[Staff], n: int) -> Staff | None:
    return pool[n % len(pool)] if pool else None


def _recorder(ctx: _LAContext, e: rules.EventFact, n: int, sw: Staff | None, ff: Staff | None) -> Staff | None:
    """A plausible person to have recorded the event (None when the LA or RAA has no such staff)."""
    k = e.kind
    duty = rules.TRANSITIONS[k].recorder.duty
    if duty is not None:
        side = (rules.policy_on(ctx.policies, e.date) or rules.PolicyFact(dt.date.min)).duty_side(duty)
        if duty in ("should_be_placed", "match"):
            return _pick(ctx.raa_adms if side == rules.RAA else ctx.la_managers, n) or sw
        return (ff or _pick(ctx.family_finders, n)) if side == rules.RAA else sw
    if k is K.MATCHING_PANEL:
        return _pick(ctx.panel, n)
    if k in (K.ENTERED_CARE, K.PLACEMENT_ORDER, K.ADOPTION_ORDER):
        return _pick(ctx.la_data, n) or sw
    if k in (K.LINKED, K.LINK_ENDED, K.EARLY_PERMANENCE):
        return ff or sw
    if k is K.VISIT:
        return ff if (n % 3 == 2 and ff is not None) else sw
    return sw


def snapshot_for(child: Child, events: list[rules.EventFact], policies: list[rules.PolicyFact],
                 timescales: list) -> dict:
    """services.snapshot_values(child, services.derive(...)), computed faster.

    Visits never change the stage or the case holder, so the (quadratic) holder periods and the
    due actions are derived from the other events, and the last event date is taken from all of
    them. The result equals services.snapshot_values(child, services.derive(events, ...)) – the
    tests check that on every demo child.
    """
    steps = [e for e in events if e.kind is not K.VISIT]
    values = services.snapshot_values(child, services.derive(steps, policies, child.date_of_birth, timescales))
    values["last_event_date"] = max((e.date for e in events), default=None)
    return values


@dataclass(frozen=True)
class LAJob:
    """Everything a worker process needs to generate one LA's children and their snapshots (no database)."""

    seed: int
    today: dt.date
    la_code: str
    count: int
    la_id: int
    raa_id: int | None
    policies: tuple[rules.PolicyFact, ...]
    timescales: tuple
    need_codes: tuple[str, ...]
    visit_every: int


def prepare_la(job: LAJob) -> tuple[list[GeneratedChild], list[dict]]:
    """Generate one LA's children and compute their snapshot columns. Pure: safe in a worker process."""
    from permanence.demo.journeys import JourneySimulator

    sim = JourneySimulator(job.seed, job.today, need_codes=job.need_codes, visit_every=job.visit_every)
    kids = sim.children_for_la(job.la_code, job.count)
    la = Organisation(pk=job.la_id, kind="la", code=job.la_code, raa_id=job.raa_id)
    snapshots = [
        snapshot_for(Child(la=la, date_of_birth=c.dob), c.events, list(job.policies), list(job.timescales))
        for c in kids
    ]
    return kids, snapshots


def load_children(children: Sequence[GeneratedChild], *, today: dt.date, batch_size: int = 5000,
                  progress: Callable[[int, int], None] | None = None,
                  snapshots: Sequence[dict] | None = None, total: int | None = None,
                  start_index: int = 0) -> dict[str, int]:
    """Write `children` (their LAs, staff and policies must exist). Returns counts of rows written.

    `snapshots`, if given, are the children's snapshot columns already computed (by prepare_la).
    """
    contexts = _contexts(c.la_code for c in children)
    missing = {c.la_code for c in children} - set(contexts)
    if missing:
        raise ValueError(f"no LA with code {', '.join(sorted(missing))}")
    timescales = timescales_in_force(today)
    categories = {c.code: c.pk for c in NeedCategory.objects.all()}
    tz = timezone.get_current_timezone()
    counts = {"children": 0, "events": 0, "sibling_groups": 0, "needs": 0}
    groups: dict[str, int] = {}
    for start in range(0, len(children), batch_size):
        batch = children[start:start + batch_size]
        with transaction.atomic():
            new_groups = {}
            for c in batch:
                if c.sibling_key and c.sibling_key not in groups and c.sibling_key not in new_groups:
                    new_groups[c.sibling_key] = SiblingGroup(
                        la=contexts[c.la_code].la, name=f"{c.last_name} siblings ({c.la_child_id[:-1]})",
                        plan=c.sibling_plan)
            if new_groups:
                SiblingGroup.objects.bulk_create(new_groups.values())
                groups.update({k: g.pk for k, g in new_groups.items()})
                counts["sibling_groups"] += len(new_groups)
            rows, events = [], []
            for i, c in enumerate(batch):
                ctx = contexts[c.la_code]
                n = start_index + start + i
                sw = _pick(ctx.social_workers, n)
                beyond_care = any(e.kind not in (K.ENTERED_CARE, K.VISIT) for e in c.events)
                ff = _pick(ctx.family_finders, n // 2) if beyond_care else None
                child = Child(
                    la=ctx.la, la_child_id=c.la_child_id, first_name=c.first_name, last_name=c.last_name,
                    date_of_birth=c.dob, expected_date_of_birth=c.expected_dob, sex=c.sex, ethnicity=c.ethnicity,
                    has_disability=c.has_disability, disabilities=c.disabilities,
                    sibling_group_id=groups.get(c.sibling_key) if c.sibling_key else None,
                    la_social_worker_id=sw.pk if sw else None, family_finder_id=ff.pk if ff else None,
                )
                rows.append(child)
                for j, e in enumerate(c.events):
                    who = _recorder(ctx, e, n + j, sw, ff)
                    at = dt.datetime(e.date.year, e.date.month, e.date.day, 9 + (n + j) % 8, (7 * (n + j)) % 60,
                                     tzinfo=tz)
                    events.append(NewEvent(child, e, DEMO, at, who.pk if who else None))
            snaps = (snapshots[start:start + batch_size] if snapshots is not None else
                     [snapshot_for(child, c.events, contexts[c.la_code].policies, timescales)
                      for c, child in zip(batch, rows, strict=True)])
            services.WRITER.bulk_apply(rows, events, on=today, snapshots=snaps)
            needs = [(child.pk, categories[code], level, "") for c, child in zip(batch, rows, strict=True)
                     for code, level in c.needs.items() if code in categories]
            insert_many(ChildNeed, ["child", "category", "level", "note"], needs)
        counts["children"] += len(rows)
        counts["events"] += len(events)
        counts["needs"] += len(needs)
        if progress:
            progress(start_index + counts["children"], total or len(children))
    return counts
