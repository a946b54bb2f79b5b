from datetime import date

from permanence.audits import selectors, services
from permanence.testing import PLACEMENT_ORDER_JOURNEY

PLACED = [*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 2)), ("match_decision", date(2024, 11, 4)),
          ("placed_for_adoption", date(2024, 12, 2))]


def adopted(region, la=None, ao=date(2025, 6, 30), extra=(), **values):
    """A child of `la` adopted on `ao`, with extra (kind, date) events after the order."""
    return region.child(la or region.la, events=[*PLACED, ("adoption_order", ao), *extra], **values)


def make_round(raa, *, per_stratum=10, stratify_by="group", seed=1, blinded=False, orders_from=date(2025, 1, 1),
               name="Quarter 1 2026", held_on=date(2026, 1, 1), **kwargs):
    return services.create_round(actor=None, raa=raa, name=name, held_on=held_on, orders_from=orders_from,
                                 stratify_by=stratify_by, per_stratum=per_stratum, seed=seed, blinded=blinded,
                                 check_role=False, **kwargs)


def audit_entry(entry, scores=None, *, presence=None, on=date(2026, 1, 20), reasons=True):
    """Record an audit of `entry` with {(section, criterion): score} and {section: presence}; whatever is not
    given takes the journey's answer. Where a given answer differs from the journey's, the reason 'Seen in the
    file' goes with it (unless reasons=False)."""
    auto = selectors.auto_answers(entry.round.version, selectors.child_facts(entry.child, on))
    scores = {k: a.value for k, a in auto.scores.items()} | (scores or {})
    presence = {k: a.value for k, a in auto.presence.items()} | (presence or {})
    reason = "Seen in the file" if reasons else ""
    return services.record_audit(
        actor=None, entry=entry, auditor="A. Auditor", audited_on=on, check_role=False,
        sections={k: {"present": v, "override_reason": reason} for k, v in presence.items()},
        scores={k: {"score": v, "override_reason": reason} for k, v in scores.items()})


def access_rows(region, la, raa):
    """One round with one audited child of `la` (for the access tests): (round, entry, audit)."""
    child = adopted(region, la, first_name=f"Audited{la.code}")
    rnd = make_round(raa, per_stratum=5, name=f"Round {raa.code}")
    entry = rnd.entries.get(child=child)
    return rnd, entry, audit_entry(entry, {("cpr", "accuracy"): 4})
