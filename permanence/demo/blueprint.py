"""Blueprint reviews for the demo: the seed 001 comparison set and Adoption West's own two reviews.

Seed 001 (the summary of adoption support brief reviews in 14 RAAs, January 2022 to April 2023) publishes only
each domain's mean ("average score", two places) and mode ("typical score"), never an RAA's scores. So the 14
comparison reviews here ("Comparison RAA A" … "Comparison RAA N", no organisation: anonymised, not RAAs of this
installation) carry SYNTHETIC per-RAA scores, constructed so that each domain's summary over them gives the
seed's mode exactly and its mean exactly where whole scores 0–3 from at most 14 reviews can give it. An RAA the
synthetic set says was not scored on a domain is left unscored there (n below 14).

Four published means cannot come from whole scores of at most 14 reviews, whatever the scores: 0.87 (domain 1),
1.87 (domain 5), 1.53 (domain 13) and 0.94 (domain 15) – the first three are k/15, the last needs 16 or more
reviews (tests/test_seed.py proves this by trying every combination). For those four the set gives the nearest
reachable mean with the seed's mode: 0.86, 1.86, 1.54 and 0.93. Every other mean and every mode is the seed's.

Adoption West gets two reviews (a year ago and a month ago) so its comparison with its last review shows.
Written through blueprint.services.record_review (audited), source "seed-001" and "demo".
"""

from __future__ import annotations

from datetime import date, timedelta

from permanence.blueprint import services
from permanence.blueprint.models import BlueprintReview
from permanence.organisations.models import Organisation

SEED_SOURCE = "seed-001"
DEMO_SOURCE = "demo"
SEED_START, SEED_END = date(2022, 1, 1), date(2023, 4, 30)
RAAS = 14
# Per domain: how many of the 14 comparison reviews scored it 0, 1, 2 and 3 (the rest left it unscored).
COUNTS = {
    1: (2, 12, 0, 0),   # 0.86 (seed 0.87: not reachable), mode 1
    2: (2, 8, 0, 0),    # 0.80, n=10, mode 1
    3: (7, 6, 1, 0),    # 0.57, mode 0
    4: (1, 9, 0, 0),    # 0.90, n=10, mode 1
    5: (0, 2, 12, 0),   # 1.86 (seed 1.87: not reachable), mode 2
    6: (0, 2, 12, 0),   # 1.86, mode 2
    7: (0, 10, 3, 0),   # 1.23, n=13, mode 1
    8: (0, 3, 8, 0),    # 1.73, n=11, mode 2
    9: (0, 1, 12, 1),   # 2.00, mode 2
    10: (0, 4, 9, 0),   # 1.69, n=13, mode 2
    11: (0, 7, 3, 0),   # 1.30, n=10, mode 1
    12: (0, 1, 7, 0),   # 1.88, n=8, mode 2
    13: (0, 7, 5, 1),   # 1.54 (seed 1.53: not reachable), n=13, mode 1
    14: (0, 5, 4, 1),   # 1.60, n=10, mode 1
    15: (1, 13, 0, 0),  # 0.93 (seed 0.94: not reachable), mode 1
    16: (0, 10, 2, 0),  # 1.17, n=12, mode 1
    17: (3, 4, 7, 0),   # 1.29, mode 2
}
REVIEWERS = ["Independent reviewer 1", "Independent reviewer 2", "Independent reviewer 3"]


def seed_scores() -> list[dict[int, int | None]]:
    """The 14 synthetic reviews' scores: domain d's scores in order, starting at a different RAA each domain so
    the unscored ones are spread."""
    reviews: list[dict[int, int | None]] = [{} for _ in range(RAAS)]
    for d, counts in COUNTS.items():
        scores = [s for s, c in enumerate(counts) for _ in range(c)]
        scores += [None] * (RAAS - len(scores))
        for i, s in enumerate(scores):
            reviews[(i + d) % RAAS][d] = s
    return reviews


def delete_demo() -> int:
    deleted, _ = BlueprintReview.objects.filter(source__in=[SEED_SOURCE, DEMO_SOURCE]).delete()
    return deleted


def _scores(numbers: dict[int, int | None], note: str = "") -> dict[int, dict]:
    return {d: {"score": s, "commentary": note} for d, s in numbers.items()}


def load_seed_set() -> int:
    version = services.current_version(SEED_START)
    span = (SEED_END - SEED_START).days
    for i, scores in enumerate(seed_scores()):
        services.record_review(actor=None, raa=None, comparison_name=f"Comparison RAA {chr(65 + i)}",
                               reviewed_on=SEED_START + timedelta(days=span * i // (RAAS - 1)),
                               reviewer=REVIEWERS[i % 3], version=version, scores=_scores(scores),
                               source=SEED_SOURCE, check_role=False)
    return RAAS


# Adoption West: last year's review and this year's (synthetic), a few domains moving.
AW_LAST = {1: 0, 2: 1, 3: 0, 4: 1, 5: 2, 6: 2, 7: 1, 8: 1, 9: 2, 10: 2, 11: 1, 12: 2, 13: 1, 14: 1, 15: 1,
           16: 1, 17: 1}
AW_NOW = {1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 3, 7: 2, 8: 2, 9: 2, 10: 2, 11: 1, 12: 2, 13: 1, 14: None, 15: 1,
          16: 2, 17: 2}


def load_demo(*, today: date) -> dict:
    count = load_seed_set()
    aw = Organisation.objects.filter(code="AW", kind=Organisation.Kind.RAA).first()
    own = 0
    if aw is not None:
        for on, scores in ((today - timedelta(days=365), AW_LAST), (today - timedelta(days=30), AW_NOW)):
            services.record_review(actor=None, raa=aw, reviewed_on=on, reviewer="Quality lead (demo)",
                                   scores=_scores(scores, "Synthetic demo commentary."), source=DEMO_SOURCE,
                                   check_role=False)
            own += 1
    return {"comparison": count, "own": own}
