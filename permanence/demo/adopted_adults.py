"""Adopted adults' requests for the demo and the national set: synthetic people (invented names, no real
person's details), each request at a step of its journey (received, triaged, records requested from another
agency and chased or received, first interview, counselling, the intermediary steps, closed or withdrawn).

Written in bulk through the request journey's writer (adopted_adults.services.WRITER.bulk_apply: every request's
events are replayed once, so the journey allows them, and give its snapshot), with source="demo"; like the other
demo loaders it bypasses the per-request audit entries. Same seed and day, same requests.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from permanence.adopted_adults import rules, services
from permanence.adopted_adults.models import AdultRequest, AdultRequestEvent
from permanence.journeys.services import NewEvent
from permanence.organisations.models import Organisation, Role, Staff

DEMO = "demo"
FIRST_NAMES = ["Alwen", "Bryony", "Cadoc", "Delphine", "Eluned", "Fenwick", "Gwilym", "Hesper", "Ianthe", "Jory",
               "Kesten", "Lowenna", "Merrow", "Nesta", "Orrin", "Perran", "Quenby", "Rosalind", "Silyen", "Tamsyn",
               "Ulric", "Verran", "Wenna", "Yestin", "Zennor"]
LAST_NAMES = ["Ashcombe", "Brackwater", "Colliford", "Dunkery", "Exebridge", "Fernworthy", "Gidleigh", "Holnicote",
              "Ilsington", "Jurston", "Kenwyn", "Lanhydrock", "Merrivale", "Nanstallon", "Ottery", "Polbathic",
              "Quethiock", "Roadwater", "Stowford", "Trebartha", "Upcott", "Vellow", "Withypool", "Yarnscombe"]
AGENCIES = ["A former county council's archive", "St Brannoc's Adoption Society (closed 1985)",
            "The county record office", "A diocesan moral welfare association", "A mother and baby home's records",
            "Another regional adoption agency"]
RELATIVES = ["Birth mother", "Birth father", "Birth sister", "Birth brother", "Birth aunt"]
# The step each request reaches, and how often (most wait, as seed 001 found).
TARGETS = [("received", 2), ("triaged", 4), ("records", 4), ("interview", 3), ("counselling", 3),
           ("intermediary", 3), ("closed", 3), ("withdrawn", 1)]


@dataclass
class PlannedRequest:
    request_type: str
    received: date
    first_name: str
    last_name: str
    date_of_birth: date
    adoption_year: int
    agency_name: str
    contact: str
    steps: list[tuple[str, date, dict]] = field(default_factory=list)


def _target(rng: random.Random) -> str:
    names, weights = zip(*TARGETS, strict=True)
    return rng.choices(names, weights)[0]


def plan_request(rng: random.Random, today: date) -> PlannedRequest:
    """One synthetic request and the steps it has reached by `today`."""
    target = _target(rng)
    intermediary = target == "intermediary" or (target in ("closed", "withdrawn") and rng.random() < 0.3) or \
        rng.random() < 0.15
    kind = rules.INTERMEDIARY if intermediary else rules.ACCESS
    age = rng.randint(19, 92)
    received = today - timedelta(days=rng.randint(0 if target == "received" else 25, 40 if target == "received"
                                                  else 360))
    dob = received - timedelta(days=age * 365 + rng.randint(0, 364))
    planned = PlannedRequest(kind, received, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), dob,
                             min(received.year, dob.year + rng.randint(0, 2)), rng.choice(AGENCIES[:4]),
                             rng.choice(["phone", "email", "letter", "online", "referral"]))
    if target == "withdrawn" and rng.random() < 0.5:
        planned.steps.append(("withdrawn", received + timedelta(days=rng.randint(1, 20)),
                              {"withdrawal_reason": "They decided not to go ahead for now."}))
        return planned
    if target == "received":
        return planned
    day = received + timedelta(days=rng.randint(1, 10))
    if age >= 85:
        triage = {"priority": rules.VERY_ELDERLY, "reason": f"Aged {age}"}
    elif rng.random() < 0.08:
        triage = {"priority": rules.SERIOUSLY_ILL, "reason": "A serious illness (synthetic)"}
    else:
        triage = {"priority": rules.STANDARD}
    planned.steps.append(("triaged", day, triage))
    span = (today - day).days
    if target != "triaged" and span > 2:
        for agency in rng.sample(AGENCIES, rng.randint(1, 2)):
            asked = day + timedelta(days=rng.randint(1, max(1, min(20, span - 1))))
            planned.steps.append(("records_requested", asked, {"agency": agency}))
            came = asked + timedelta(days=rng.randint(10, 70))
            if target not in ("records",) and came <= today and rng.random() < 0.7:
                planned.steps.append(("records_received", came, {"agency": agency}))
    if target in ("triaged", "records"):
        return planned
    interview = day + timedelta(days=rng.randint(7, max(8, min(150, span))))
    if interview > today:
        return planned
    planned.steps.append(("first_interview", interview, {}))
    last = interview
    for _ in range(rng.randint(0, 3) if target != "interview" else 0):
        last += timedelta(days=rng.randint(7, 28))
        if last > today:
            break
        planned.steps.append(("counselling_session", last, {}))
    if intermediary and target in ("intermediary", "closed"):
        for kind_, gap, details in (("relative_traced", 30, {"relative": rng.choice(RELATIVES)}),
                                    ("relative_approached", 20, {}),
                                    ("relative_response", 30, {"response": rng.choice(list(rules.RESPONSES))})):
            last += timedelta(days=rng.randint(5, gap))
            if last > today:
                break
            planned.steps.append((kind_, last, details))
    if target == "closed":
        last += timedelta(days=rng.randint(5, 30))
        if last <= today:
            outcome = "contact_made" if intermediary else "records_shared"
            planned.steps.append(("closed", last, {"outcome": outcome}))
    elif target == "withdrawn":
        last += timedelta(days=rng.randint(5, 30))
        if last <= today:
            planned.steps.append(("withdrawn", last, {"withdrawal_reason": "They asked to stop for now."}))
    planned.steps.sort(key=lambda s: s[1])
    ended = next((d for k, d, _ in planned.steps if k in ("closed", "withdrawn")), None)
    if ended is not None:  # nothing is asked of other agencies, or received, after the request has ended
        planned.steps = [s for s in planned.steps if s[1] <= ended or not s[0].startswith("records_")]
        kept = {s[2]["agency"] for s in planned.steps if s[0] == "records_requested"}
        planned.steps = [s for s in planned.steps if s[0] != "records_received" or s[2]["agency"] in kept]
    return planned


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=timezone.get_current_timezone())


def write(raa_requests: Sequence[tuple[Organisation, Sequence[int | None], Sequence[int], list[PlannedRequest]]],
          *, today: date) -> dict[str, int]:
    """Write the planned requests of each RAA (its workers' ids, None for unallocated; its LAs' ids, for some
    requests' adopting LA) with their events, in bulk."""
    records, events = [], []
    for raa, workers, las, planned in raa_requests:
        for i, p in enumerate(planned):
            worker = workers[i % len(workers)] if workers else None
            request = AdultRequest(
                raa=raa, request_type=p.request_type, first_name=p.first_name, last_name=p.last_name,
                date_of_birth=p.date_of_birth, email=f"{p.first_name.lower()}.{i}@example.invalid",
                adoption_year=p.adoption_year, adoption_agency_id=las[i % len(las)] if las and i % 3 == 0 else None,
                adoption_agency_name=p.agency_name, received_on=p.received, contact_method=p.contact,
                worker_id=worker)
            records.append(request)
            facts = [("received", p.received, {"type": p.request_type}), *p.steps]
            events += [NewEvent(request, rules.EventFact(rules.Kind(k), d, n, details), DEMO, _at(d), worker)
                       for n, (k, d, details) in enumerate(facts)]
    services.WRITER.bulk_apply(records, events, on=today)
    return {"requests": len(records), "request_events": len(events)}


def _workers(raa: Organisation) -> list[int | None]:
    ids = list(Staff.objects.filter(organisation=raa, role__in=(Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER),
                                    is_active=True).order_by("role", "username").values_list("pk", flat=True))
    return [*ids, None]


def demo_requests():
    return AdultRequest.objects.filter(pk__in=AdultRequestEvent.objects.filter(source=DEMO).values("adult_request_id"))


def delete_demo_requests() -> int:
    """Delete every request with demo events, with its events."""
    ids = list(demo_requests().values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        AdultRequestEvent.objects.filter(adult_request_id__in=chunk)._raw_delete(connection.alias)
        AdultRequest.objects.filter(pk__in=chunk)._raw_delete(connection.alias)
    return len(ids)


@transaction.atomic
def load_demo(*, seed: int, today: date, per_raa: dict[str, int]) -> dict[str, int]:
    """Requests at every step for the demo RAAs (`per_raa`: RAA code -> how many)."""
    jobs = []
    for code, count in per_raa.items():
        raa = Organisation.objects.get(kind=Organisation.Kind.RAA, code=code)
        rng = random.Random(f"{seed}/adopted-adults/{code}")
        jobs.append((raa, _workers(raa), list(raa.member_las.order_by("code").values_list("pk", flat=True)),
                     [plan_request(rng, today) for _ in range(count)]))
    return write(jobs, today=today)


@transaction.atomic
def top_up_national(*, seed: int, today: date, per_raa: int = 40) -> dict[str, int]:
    """A national top-up: `per_raa` requests for every RAA without any yet (bulk; seconds)."""
    have = set(AdultRequest.objects.values_list("raa_id", flat=True).distinct())
    jobs = []
    for raa in Organisation.objects.filter(kind=Organisation.Kind.RAA).exclude(pk__in=have).order_by("code"):
        rng = random.Random(f"{seed}/adopted-adults/{raa.code}")
        jobs.append((raa, _workers(raa), list(raa.member_las.order_by("code").values_list("pk", flat=True)),
                     [plan_request(rng, today) for _ in range(per_raa)]))
    return write(jobs, today=today)
