"""Rounds and audits through the services: the sample from the RAA's children with an order in the dates,
stratified and reproducible; the auto-fill from recorded dates; a different answer only with a reason."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.audits import rules, selectors, services
from permanence.audits.models import CaseAudit, SampleEntry
from permanence.core.models import AuditEvent

from .helpers import adopted, audit_entry, make_round

LSB_T = ("life_story_book", "timeliness")


def _errors(err):
    return {k: " ".join(v) for k, v in err.value.message_dict.items()}


def test_the_sample_is_drawn_from_the_raas_children_with_an_order_in_the_dates(region):
    held = [adopted(region, region.la) for _ in range(4)]          # Transferton: RAA holds from the PO
    kept = [adopted(region, region.la_keeps) for _ in range(3)]    # Keepham: the LA keeps the case
    adopted(region, region.la, ao=date(2024, 12, 20))              # before the dates
    adopted(region, region.other_la)                                # another RAA's LA
    region.child(region.la, events=[])                              # no order
    rnd = make_round(region.raa, per_stratum=2, seed=11)
    entries = list(rnd.entries.all())
    by_group = {g: {e.child_id for e in entries if e.group == g} for g in rules.GROUP_LABELS}
    assert len(by_group[rules.RAA_HELD]) == 2 and by_group[rules.RAA_HELD] <= {c.pk for c in held}
    assert len(by_group[rules.LA_KEPT]) == 2 and by_group[rules.LA_KEPT] <= {c.pk for c in kept}
    assert {e.stratum for e in entries} == set(rules.GROUP_LABELS.values())
    again = make_round(region.raa, per_stratum=2, seed=11, name="Again")
    assert {e.child_id for e in again.entries.all()} == {e.child_id for e in entries}
    by_la = make_round(region.raa, per_stratum=3, seed=11, stratify_by="la", name="By LA")
    assert sorted(by_la.entries.values_list("stratum", flat=True)) == ["Keepham"] * 3 + ["Transferton"] * 3
    assert rnd.seed == 11
    audit = AuditEvent.objects.get(action="audit_round.add", object_id=str(rnd.pk))
    assert sorted(audit.after["sample"]) == sorted(e.child_id for e in entries)


def test_a_random_seed_is_stored_so_the_sample_can_be_drawn_again(region):
    for _ in range(6):
        adopted(region)
    rnd = services.create_round(actor=None, raa=region.raa, name="R", held_on=date(2026, 1, 1),
                                orders_from=date(2025, 1, 1), per_stratum=3, check_role=False)
    again = make_round(region.raa, per_stratum=3, seed=rnd.seed)
    assert set(again.entries.values_list("child_id", flat=True)) == set(rnd.entries.values_list("child_id",
                                                                                                flat=True))


def test_a_round_needs_its_facts_and_children_to_draw(region):
    with pytest.raises(ValidationError) as err:
        services.create_round(actor=None, raa=region.raa, name=" ", held_on=None, orders_from=None, per_stratum=0,
                              check_role=False)
    assert _errors(err) == {
        "name": "Enter a name for the round, for example 'Quarter 3 2026'",
        "held_on": "Enter the date the round starts",
        "orders_from": "Enter the earliest adoption order date to sample from",
        "per_stratum": "Enter how many cases to draw from each group or LA, 1 or more"}
    with pytest.raises(ValidationError, match="No child of the RAA's LAs has an adoption order"):
        make_round(region.raa)
    with pytest.raises(ValidationError, match="Only the RAA's head of service"):
        services.create_round(actor=region.staff[("SR", "raa_quality_lead")], raa=region.raa, name="X",
                              held_on=date(2026, 1, 1), orders_from=date(2025, 1, 1))


def _entry(region, extra=(), ao=date(2025, 6, 30)):
    child = adopted(region, ao=ao, extra=extra)
    return make_round(region.raa, per_stratum=50).entries.get(child=child)


def test_the_lsb_handed_over_on_time_is_filled_in_as_5_with_its_evidence(region):
    entry = _entry(region, extra=[("life_story_book", date(2025, 7, 14)), ("later_life_letter", date(2025, 7, 15))])
    audit = audit_entry(entry)
    scores = {(s.criterion.section.key, s.criterion.key): s for s in audit.scores.select_related("criterion__section")}
    assert (scores[LSB_T].score, scores[LSB_T].auto_score) == (5, 5)
    assert "handed over on 14 July 2025" in scores[LSB_T].evidence
    assert scores[("later_life_letter", "timeliness")].score == 1  # a day late
    presence = {a.section.key: a for a in audit.sections.select_related("section")}
    assert presence["life_story_book"].present is True and presence["life_story_book"].auto_present is True
    assert presence["support_and_contact_plans"].present is None


def test_a_different_score_needs_a_reason(region):
    entry = _entry(region, extra=[("life_story_book", date(2025, 7, 1))])
    with pytest.raises(ValidationError) as err:
        audit_entry(entry, {LSB_T: 1}, presence={"cpr": False}, reasons=False)
    errors = _errors(err)
    assert errors["reason_life_story_book_timeliness"] == (
        "Give a reason for changing the score of 1a.ii timeliness from 5, the score the recorded dates give")
    assert errors["presence_reason_cpr"].startswith("Give a reason for changing whether the child permanence report")
    assert not CaseAudit.objects.exists()
    audit = audit_entry(entry, {LSB_T: 1}, presence={"cpr": False})
    score = audit.scores.get(criterion__section__key="life_story_book", criterion__key="timeliness")
    assert (score.score, score.auto_score, score.override_reason) == (1, 5, "Seen in the file")
    event = AuditEvent.objects.get(action="case_audit.add", object_id=str(audit.pk))
    assert event.after["overridden"] == ["life_story_book.timeliness"] and event.child_id == entry.child_id


def test_an_audit_checks_its_own_facts(region):
    entry = _entry(region)
    with pytest.raises(ValidationError) as err:
        services.record_audit(actor=None, entry=entry, auditor="", audited_on=None, check_role=False)
    assert _errors(err) == {"auditor": "Enter the name of the auditor", "audited_on": "Enter the date of the audit"}
    with pytest.raises(ValidationError) as err:
        services.record_audit(actor=None, entry=entry, auditor="A", audited_on=date(2026, 1, 2), check_role=False,
                              scores={("cpr", "accuracy"): {"score": 7}, LSB_T: {"score": 3, "override_reason": "x"}},
                              today=date(2026, 1, 1))
    errors = _errors(err)
    assert errors["audited_on"] == "The date of the audit must be today or in the past"
    audit_entry(entry)
    with pytest.raises(ValidationError, match="already been audited"):
        audit_entry(entry)


def test_bad_scores_are_refused_in_words(region):
    entry = _entry(region)
    with pytest.raises(ValidationError) as err:
        services.record_audit(actor=None, entry=entry, auditor="A", audited_on=date(2026, 1, 2), check_role=False,
                              scores={("cpr", "accuracy"): {"score": 7}, LSB_T: {"score": 3, "override_reason": "x"}})
    errors = _errors(err)
    assert errors["score_cpr_accuracy"] == ("Score 3.i accuracy of information 1 (Very poor) or 2 (Poor) or 3 (OK) "
                                            "or 4 (Good) or 5 (Excellent), or leave it not scored")
    assert errors["score_life_story_book_timeliness"].startswith("Score 1a.ii timeliness 1 (No) or 5 (Yes)")


def test_the_group_is_kept_as_it_was_drawn(region):
    entry = _entry(region)
    assert entry.group == rules.RAA_HELD == selectors.group_of(entry.child)
    keep = adopted(region, region.la_keeps)
    assert selectors.group_of(keep) == rules.LA_KEPT
    audit = audit_entry(entry)
    assert (audit.group, audit.la) == (rules.RAA_HELD, region.la)
    SampleEntry.objects.filter(pk=entry.pk).update(group=rules.LA_KEPT)  # the drawn group, not today's, counts
    assert selectors.audit_rows([entry.round])[0].group == rules.RAA_HELD
