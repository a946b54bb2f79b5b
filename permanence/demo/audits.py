"""Case-file audits for the demo: two rounds for Adoption West (last half-year's, every sampled file audited,
and this quarter's, blinded, with half its files audited and the rest waiting), so the results page has groups to
compare and a trend, and a file is left for the quality lead to audit.

Each sample is drawn by audits.services.create_round from Adoption West's demo children with an adoption order
in the last three years, 3 per case-holding group, from the demo's seed. Scores are SYNTHETIC: where the journey
answers a criterion its answer is taken; every other criterion gets a score from the seed (a little higher, on
average, where the RAA held the case, as in seed 000), and a few are left not scored. Written through
audits.services (audited), rounds with source "demo".
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from permanence.audits import rules, selectors, services
from permanence.audits.models import AuditRound, CaseAudit
from permanence.organisations.models import Organisation

SOURCE = "demo"
PER_GROUP = 3
AUDITOR = "Quality lead (demo)"


def delete_demo() -> int:
    """Before the demo children are deleted (--reset): the demo rounds and their audits go (the audit trail stays)."""
    deleted, _ = CaseAudit.objects.filter(entry__round__source=SOURCE).delete()
    rounds, _ = AuditRound.objects.filter(source=SOURCE).delete()
    return deleted + rounds


def _audit(entry, on: date, rng: random.Random) -> None:
    version = entry.round.version
    auto = selectors.auto_answers(version, selectors.child_facts(entry.child, on))
    lift = 1 if entry.group == rules.RAA_HELD else 0
    scores, sections = {}, {}
    for section in version.sections.prefetch_related("criteria"):
        answer = auto.presence.get(section.key)
        present = answer.value if answer and answer.value is not None else rng.random() < 0.75 + 0.15 * lift
        sections[section.key] = {"present": present if section.asks_presence else None,
                                 "notes": "" if present else "Not found on either system."}
        for c in section.criteria.all():
            answer = auto.scores.get((section.key, c.key))
            if answer is not None and answer.value is not None:
                score = answer.value
            elif not present or rng.random() < 0.08:
                score = None
            elif c.scale == rules.YES_NO:
                score = 5 if rng.random() < 0.7 else 1
            else:
                score = min(5, max(1, round(rng.gauss(3.4 + 0.6 * lift, 0.8))))
            scores[(section.key, c.key)] = {"score": score}
    services.record_audit(actor=None, entry=entry, auditor=AUDITOR, audited_on=on, location="RAA office (demo)",
                          notes="Synthetic demo audit.", sections=sections, scores=scores, check_role=False)


def load_demo(*, seed: int, today: date) -> dict:
    aw = Organisation.objects.filter(code="AW", kind=Organisation.Kind.RAA).first()
    if aw is None:
        return {"rounds": 0, "audits": 0}
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    orders_from = today - timedelta(days=3 * 365)
    last_start = today - timedelta(days=182)
    plans = [("Last half-year (demo)", last_start, last_start - timedelta(days=1), False, 1.0, last_start + timedelta(14)),
             ("This quarter (demo)", today - timedelta(days=30), None, True, 0.5, today - timedelta(days=2))]
    rounds = audits = 0
    for name, held_on, orders_to, blinded, share, audited_on in plans:
        try:
            row = services.create_round(actor=None, raa=aw, name=name, held_on=held_on, orders_from=orders_from,
                                        orders_to=orders_to, stratify_by=rules.STRATIFY_GROUP,
                                        per_stratum=PER_GROUP, blinded=blinded, seed=seed + rounds,
                                        source=SOURCE, check_role=False)
        except services.ValidationError:  # no demo child has an order in the dates
            continue
        rounds += 1
        entries = list(row.entries.select_related("child", "child__la").order_by("child_id"))
        for entry in entries[:max(1, int(len(entries) * share))] if share < 1 else entries:
            _audit(entry, max(audited_on, entry.adoption_order), rng)
            audits += 1
    return {"rounds": rounds, "audits": audits}
