"""Demo and national adoption support cases (synthetic: invented names and reasons only).

`plan(rng, today, target)` draws one case at a given step of its journey – a referral and its dated steps, each
allowed by the journey (support.rules) – so the demo region's RAAs have cases at every step, and the national set
a realistic spread (most closed; a waiting list, some of it past 16 weeks). The demo writes its cases through
support.services (validated, audited) with the source "demo"; the national top-up writes them in bulk through the
journey writer's bulk_apply (one replay per case, its snapshot from the same events).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from permanence.support import rules

DEMO = "demo"
D = timedelta
SURNAMES = ["Ashdown", "Brightwell", "Carrow", "Dellamore", "Eastleigh", "Fenwick-Hale", "Garside", "Holloway-Pike",
            "Ingleby", "Jessop", "Kilbride", "Lowther", "Marchbank", "Norcott", "Oakhurst", "Pendry", "Quarrie",
            "Rushworth", "Stallard", "Tregunna", "Underhill", "Verity", "Wetherall", "Yelland"]
FIRST = ["Alex", "Bea", "Cal", "Dani", "Eden", "Fin", "Gray", "Harper", "Isla", "Jude", "Kai", "Lumi", "Milo",
         "Nia", "Ollie", "Pip", "Remy", "Sol", "Tam", "Wren"]
REASONS = ["Child's behaviour at home has become very hard to manage", "School exclusion and anxiety",
           "Questions about the child's birth family and identity", "Violence from the child towards a parent",
           "Support with letterbox contact", "Adopted adult asking about access to birth records",
           "Birth mother asking for support", "Sleep and attachment difficulties", "Therapy ended; asking for more",
           "Family under strain after a sibling joined"]
INTERIM = ["Therapeutic parenting course (universal)", "Support group for adoptive parents",
           "Clinic with the RAA's psychologist", "Advice line call-back", "NVR workshop", "Newsletter and training"]
SIGNPOSTS = ["CAMHS single point of access", "The child's school SENCo", "Adoption UK helpline",
             "The LA's early help team"]
FEEDBACK = ["The family said the support made a real difference.", "The family found the wait too long.",
            "The family valued the therapy and the worker's visits.", ""]
TARGETS = ("referred", "advice", "signposted", "for_assessment", "requested", "requested_long", "allocated",
           "started", "completed", "receiving", "closed")
# The national spread (most cases closed after support or at duty; a tenth waiting).
NATIONAL_WEIGHTS = (3, 14, 6, 2, 5, 3, 4, 6, 3, 14, 40)


@dataclass
class Planned:
    referral: dict
    steps: list = field(default_factory=list)  # (kind, date, details)


def _worker_step(day: date, worker_id: int) -> tuple:
    return (rules.Kind.ALLOCATED, day, {"worker": str(worker_id)})


def plan(rng: random.Random, today: date, target: str, workers: list[int], *, sgo: bool = False) -> Planned:
    """One case drawn at `target` (one of TARGETS) on `today`: its referral and its steps, all dated by today."""
    long_wait = target == "requested_long"
    span = {"referred": 4, "advice": 400, "signposted": 400, "for_assessment": 10, "requested": 80,
            "requested_long": 200, "allocated": 100, "started": 120, "completed": 160, "receiving": 500,
            "closed": 900}[target]
    referred = today - D(days=rng.randint(1, span) + (130 if long_wait else 0))
    types = ["adoptive_family"] * 7 + ["adopted_adult", "birth_relative"] + (["special_guardianship"] if sgo else [])
    surname = rng.choice(SURNAMES)
    referrer_type = rng.choice(types)
    family = f"{rng.choice(FIRST)} {surname}" if referrer_type in ("adopted_adult", "birth_relative") \
        else f"The {surname} family"
    referral = {"referrer_type": referrer_type, "referred_on": referred, "family_name": family,
                "referrer_name": f"{rng.choice(FIRST)} {surname}", "referrer_relationship": rng.choice(
                    ["Adoptive parent", "Adoptive parent", "The adult themself", "Birth mother", "School"]),
                "reason": rng.choice(REASONS), "urgency": "urgent" if rng.random() < 0.15 else "standard",
                "child_name": f"{rng.choice(FIRST)} {surname}",
                "child_date_of_birth": referred - D(days=rng.randint(4 * 365, 15 * 365))}
    out = Planned(referral)
    day = referred
    steps = out.steps

    def step(kind, gap: int, details=None) -> date:
        nonlocal day
        day = min(today, day + D(days=gap))
        steps.append((kind, day, details or {}))
        return day

    steps.append((rules.Kind.REFERRAL_RECEIVED, referred, {}))
    if target == "referred":
        return out
    if target in ("advice", "signposted"):
        details = {"outcome": target}
        if target == "signposted":
            details["where"] = rng.choice(SIGNPOSTS)
        step(rules.Kind.DUTY_OUTCOME, rng.randint(0, 4), details)
        return out
    step(rules.Kind.DUTY_OUTCOME, rng.randint(0, 5), {"outcome": "for_assessment"})
    if target == "for_assessment":
        return out
    requested = step(rules.Kind.ASSESSMENT_REQUESTED, rng.randint(0, 3))
    if rng.random() < 0.6 and day < today:
        step(rules.Kind.INTERIM_SUPPORT, rng.randint(1, 20), {"offered": rng.choice(INTERIM)})
    if target in ("requested", "requested_long"):
        if long_wait and day < today and rng.random() < 0.7:
            step(rules.Kind.INTERIM_SUPPORT, rng.randint(20, 60), {"offered": rng.choice(INTERIM)})
        return out
    wait = rng.randint(10, 140)
    step(rules.Kind.ALLOCATED, max(1, wait // 3), {"worker": str(rng.choice(workers))})
    if target == "allocated":
        return out
    day = max(day, requested + D(days=wait))
    if day >= today:
        day = today - D(days=1) if today - D(days=1) >= steps[-1][1] else today
    step(rules.Kind.ASSESSMENT_STARTED, 0)
    if target == "started":
        return out
    needed = rng.random() < 0.85
    step(rules.Kind.ASSESSMENT_COMPLETED, rng.randint(20, 90),
         {"outcome": "support_needed" if needed else "no_support_needed"})
    if target == "completed":
        return out
    if needed:
        step(rules.Kind.SUPPORT_PLAN_AGREED, rng.randint(5, 30), {"summary": "Therapy through the support fund, "
                                                                             "and a parents' group"})
    if target == "receiving" and needed:
        return out
    if needed and rng.random() < 0.5:
        step(rules.Kind.NOTE, rng.randint(20, 90), {"summary": "Review visit: the family reports progress."})
    step(rules.Kind.CLOSED, rng.randint(30, 200), {
        "reason": "support_completed" if needed else "no_support_needed", "feedback": rng.choice(FEEDBACK)})
    return out


# ---------------------------------------------------------------------------------------------
# The demo region


def demo_cases():
    from permanence.support.models import SupportCase, SupportEvent

    return SupportCase.objects.filter(pk__in=SupportEvent.objects.filter(source=DEMO).values("case_id"))


@transaction.atomic
def delete_demo_cases() -> int:
    """Before the demo children are deleted (--reset): the demo support cases go first (they may name a child)."""
    from permanence.support.models import SupportCase, SupportEvent

    ids = list(demo_cases().values_list("pk", flat=True))
    SupportEvent.objects.filter(case_id__in=ids, corrects__isnull=False).delete()
    SupportEvent.objects.filter(case_id__in=ids).delete()
    SupportCase.objects.filter(pk__in=ids).delete()
    return len(ids)


def load_demo(*, seed: int, today: date, per_raa: int = 33) -> int:
    """Support cases at every step for each demo RAA that has a support worker or team manager: a few of them
    about a demo child adopted (its record, its adoption order, its LA), one with a safeguarding referral told to
    the child's LA. Written through support.services with the source "demo"."""
    from permanence.children.models import Child
    from permanence.organisations.models import Organisation, Staff
    from permanence.support import services

    written = 0
    for raa in Organisation.objects.filter(kind="raa").order_by("code"):
        workers = list(Staff.objects.filter(organisation=raa, role__in=rules.RECORDERS, is_active=True)
                       .order_by("username").values_list("pk", flat=True))
        if not any(Staff.objects.filter(pk__in=workers, role="raa_support_worker")):
            continue
        rng = random.Random(f"{seed}/support/{raa.code}")
        las = list(raa.member_las.order_by("code"))
        adopted = list(Child.objects.filter(la__raa=raa, stage="adopted").select_related("la").order_by("pk")[:6])
        told = False
        for n in range(per_raa):
            target = TARGETS[n % len(TARGETS)]
            case = plan(rng, today, target, workers)
            referral = dict(case.referral)
            if las:
                referral["family_la"] = las[rng.randrange(len(las))]
                referral["placing_la"] = las[rng.randrange(len(las))]
            if adopted and n % 5 == 0 and referral["referrer_type"] == "adoptive_family":
                child = adopted.pop()
                referral.update(child=child, child_name="", child_date_of_birth=None)
                order = services.adoption_order_of(child)
                if order and order > referral["referred_on"]:
                    continue
            if not told and (referral.get("child") or n == per_raa - 1):
                # A safeguarding concern told to the child's LA: its page says so, and nothing more.
                told = True
                referral.update(safeguarding=True, safeguarding_la=referral.get("child").la if referral.get("child")
                                else referral.get("placing_la"), safeguarding_told_on=referral["referred_on"])
            made = services.create_referral(actor=None, raa=raa, check_role=False, on=today, source=DEMO,
                                            **referral)
            for kind, day, details in case.steps[1:]:
                services.record_event(case=made, kind=kind, date=day, actor=None, details=details, on=today,
                                      check_role=False, source=DEMO)
            written += 1
    return written


# ---------------------------------------------------------------------------------------------
# The national set


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=timezone.get_current_timezone())


def top_up(*, seed: int, today: date, per_la: int = 60) -> dict[str, int]:
    """About `per_la` support cases for each RAA's member LA (so the largest RAA has the longest waiting list),
    with three support workers per RAA, written in bulk."""
    from django.contrib.auth.hashers import make_password

    from permanence.journeys.services import NewEvent
    from permanence.organisations.models import Organisation, Staff
    from permanence.support import services
    from permanence.support.models import SupportCase

    raas = list(Organisation.objects.filter(kind="raa").order_by("code").prefetch_related("member_las"))
    password = make_password(None)
    new_staff = []
    for raa in raas:
        for i in range(3):
            username = f"sup.{raa.code.lower()}.{i + 1}"
            new_staff.append(Staff(username=username, first_name="Support worker", last_name=f"{raa.code}-{i + 1}",
                                   role="raa_support_worker", organisation=raa, password=password))
    taken = set(Staff.objects.filter(username__in=[s.username for s in new_staff]).values_list("username", flat=True))
    Staff.objects.bulk_create([s for s in new_staff if s.username not in taken], batch_size=500)
    cases, events = [], []
    for raa in raas:
        las = list(raa.member_las.all())
        if not las:
            continue
        workers = list(Staff.objects.filter(organisation=raa, role__in=rules.RECORDERS).values_list("pk", flat=True))
        rng = random.Random(f"{seed}/national-support/{raa.code}")
        for _ in range(per_la * len(las)):
            target = rng.choices(TARGETS, NATIONAL_WEIGHTS)[0]
            planned = plan(rng, today, target, workers)
            case = SupportCase(raa=raa, family_la=rng.choice(las), placing_la=rng.choice(las), **planned.referral)
            cases.append(case)
            events += [NewEvent(case, rules.EventFact(kind=k, date=d, details=det), DEMO, _at(d), None)
                       for k, d, det in planned.steps]
    with transaction.atomic():
        services.WRITER.bulk_apply(cases, events, on=today)
    return {"support_cases": len(cases), "support_events": len(events)}
