"""Every write of checklist versions, audit rounds and case-file audits: validate, save in a transaction, audit.

The role check is access's (access.audits); `check_role=False` is for the demo and tests only.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.audits import rules, selectors
from permanence.audits.models import (
    AuditRound,
    CaseAudit,
    ChecklistCriterion,
    ChecklistSection,
    ChecklistVersion,
    CriterionScore,
    SampleEntry,
    SectionAnswer,
)
from permanence.core import audit

CHECKLISTS = Path(__file__).parent / "checklists"


def current_version(on: date | None = None) -> ChecklistVersion | None:
    """The latest version valid on the day (the latest of all without a day)."""
    rows = ChecklistVersion.objects.order_by("-valid_from", "-version")
    if on is not None:
        rows = rows.filter(valid_from__lte=on)
    return rows.first()


def read_checklist(path: Path | str) -> rules.ChecklistSpec:
    with open(path, encoding="utf-8") as fh:
        return rules.parse_checklist(yaml.safe_load(fh) or {})


def create_version_rows(spec: rules.ChecklistSpec, Version=ChecklistVersion, Section=ChecklistSection,
                        Criterion=ChecklistCriterion):
    """The rows of a checklist version (the migration passes its historical models)."""
    row = Version.objects.create(version=spec.version, title=spec.title, valid_from=spec.valid_from,
                                 source=spec.source)
    for i, s in enumerate(spec.sections, start=1):
        section = Section.objects.create(version=row, order=i, key=s.key, number=s.number, title=s.title,
                                         asks_presence=s.presence, presence_rule=s.presence_rule)
        Criterion.objects.bulk_create(
            Criterion(section=section, order=j, key=c.key, number=c.number, title=c.title, guidance=c.guidance,
                      scale=c.scale, rule=c.rule) for j, c in enumerate(s.criteria, start=1))
    return row


@transaction.atomic
def add_version(*, actor, spec: rules.ChecklistSpec) -> ChecklistVersion:
    """A new version of the checklist. Rounds and audits made on an older version keep it."""
    if ChecklistVersion.objects.filter(version=spec.version).exists():
        raise ValidationError({"version": f"Version {spec.version} already exists: give the new checklist the next "
                                          "version number"})
    row = create_version_rows(spec)
    audit.record_change(actor=actor, action="audit_checklist.add", instance=row,
                        after={"version": spec.version, "title": spec.title, "valid_from": spec.valid_from,
                               "sections": len(spec.sections),
                               "criteria": sum(len(s.criteria) for s in spec.sections)})
    return row


def _check_raa(actor, raa, check_role: bool) -> None:
    if check_role and (access.audits_raa_for(actor) is None or access.audits_raa_for(actor) != raa):
        raise ValidationError("Only the RAA's head of service, team managers and quality lead run its audits")


@transaction.atomic
def create_round(*, actor, raa, name: str, held_on: date | None, orders_from: date | None,
                 orders_to: date | None = None, stratify_by: str = rules.STRATIFY_GROUP, per_stratum: int | None = 10,
                 blinded: bool = False, seed: int | None = None, version: ChecklistVersion | None = None,
                 source: str = "", check_role: bool = True) -> AuditRound:
    """A round and its sample: up to `per_stratum` of the RAA's children with an adoption order in the dates,
    per LA or per group, drawn reproducibly from `seed` (a new random one unless given), which is stored."""
    _check_raa(actor, raa, check_role)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "Enter a name for the round, for example 'Quarter 3 2026'"
    if held_on is None:
        errors["held_on"] = "Enter the date the round starts"
    if orders_from is None:
        errors["orders_from"] = "Enter the earliest adoption order date to sample from"
    elif orders_to is not None and orders_to < orders_from:
        errors["orders_to"] = "The latest adoption order date must be the same as or after the earliest"
    if stratify_by not in rules.STRATIFY_LABELS:
        errors["stratify_by"] = "Choose whether to draw the sample per LA or per case-holding model"
    if per_stratum is None or per_stratum < 1:
        errors["per_stratum"] = "Enter how many cases to draw from each group or LA, 1 or more"
    version = version or current_version(held_on) or current_version()
    if version is None:
        raise ValidationError("There is no audit checklist: load one with permanence load_audit_checklist")
    if errors:
        raise ValidationError(errors)
    seed = secrets.randbelow(2**31) if seed is None else seed
    drawable = {d.child.pk: d for d in selectors.drawable_children(raa, orders_from, orders_to)}
    drawn = rules.draw_sample([rules.Candidate(pk, d.stratum(stratify_by)) for pk, d in drawable.items()],
                              per_stratum=per_stratum, seed=seed)
    if not drawn:
        raise ValidationError({"orders_from": "No child of the RAA's LAs has an adoption order in these dates: "
                                              "choose other dates"})
    row = AuditRound.objects.create(raa=raa, name=name.strip(), held_on=held_on, version=version,
                                    orders_from=orders_from, orders_to=orders_to, stratify_by=stratify_by,
                                    per_stratum=per_stratum, seed=seed, blinded=blinded, source=source,
                                    created_by=actor if getattr(actor, "pk", None) else None)
    SampleEntry.objects.bulk_create(
        SampleEntry(round=row, child=drawable[c.id].child, stratum=c.stratum, group=drawable[c.id].group,
                    adoption_order=drawable[c.id].adoption_order) for c in drawn)
    audit.record_change(actor=actor, action="audit_round.add", instance=row,
                        after={"name": row.name, "version": version.version, "orders_from": orders_from,
                               "orders_to": orders_to, "stratify_by": stratify_by, "per_stratum": per_stratum,
                               "seed": seed, "blinded": blinded, "sample": [c.id for c in drawn]})
    return row


def _as_score(value) -> int | None | str:
    if value in ("", None):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return "bad"


def _as_presence(value) -> bool | None:
    if value in ("", None):
        return None
    if isinstance(value, bool):
        return value
    return {"yes": True, "no": False, "true": True, "false": False}.get(str(value).lower())


@transaction.atomic
def record_audit(*, actor, entry: SampleEntry, auditor: str, audited_on: date | None, location: str = "",
                 notes: str = "", sections: dict[str, dict] | None = None,
                 scores: dict[tuple[str, str], dict] | None = None, today: date | None = None,
                 check_role: bool = True) -> CaseAudit:
    """The audit of a sampled child's file.

    sections: {section key: {"present": True/False/None, "override_reason": str, "notes": str}}
    scores: {(section key, criterion key): {"score": 1-5 or None, "override_reason": str, "note": str}}

    Where the checklist's rule answers a criterion (or presence) from the journey, a different answer needs a
    reason. The rules run here again, on the audit's date, so the evidence kept is what the journey said.
    """
    _check_raa(actor, entry.round.raa, check_role)
    sections, scores = sections or {}, scores or {}
    errors: dict[str, str] = {}
    if CaseAudit.objects.filter(entry=entry).exists():
        raise ValidationError("This child's file has already been audited in this round")
    if not (auditor or "").strip():
        errors["auditor"] = "Enter the name of the auditor"
    if audited_on is None:
        errors["audited_on"] = "Enter the date of the audit"
    elif today is not None and audited_on > today:
        errors["audited_on"] = "The date of the audit must be today or in the past"
    if errors:
        raise ValidationError(errors)
    version = entry.round.version
    child = entry.child
    auto = selectors.auto_answers(version, selectors.child_facts(child, audited_on))
    section_rows, score_rows = [], []
    for section in version.sections.prefetch_related("criteria"):
        given = sections.get(section.key, {})
        present, auto_present, evidence, reason = None, None, "", (given.get("override_reason") or "").strip()
        if section.asks_presence:
            present = _as_presence(given.get("present"))
            answer = auto.presence.get(section.key)
            if answer is not None:
                auto_present, evidence = answer.value, answer.evidence
                if auto_present is not None and present != auto_present and not reason:
                    errors[f"presence_reason_{section.key}"] = (
                        f"Give a reason for changing whether the {section.title.lower()} is in the file: "
                        "the journey says it is")
        section_rows.append(SectionAnswer(section=section, present=present, auto_present=auto_present,
                                          evidence=evidence, override_reason=reason if present != auto_present
                                          else "", notes=(given.get("notes") or "").strip()))
        for c in section.criteria.all():
            given = scores.get((section.key, c.key), {})
            score = _as_score(given.get("score"))
            allowed = rules.score_choices(c.scale)
            if score is not None and score not in allowed:
                errors[f"score_{section.key}_{c.key}"] = (
                    f"Score {c.number} {c.title.lower()} {' or '.join(f'{k} ({v})' for k, v in allowed.items())}, "
                    "or leave it not scored")
                score = None
            answer = auto.scores.get((section.key, c.key))
            auto_score, evidence = (answer.value, answer.evidence) if answer else (None, "")
            reason = (given.get("override_reason") or "").strip()
            if auto_score is not None and score != auto_score and not reason:
                errors[f"reason_{section.key}_{c.key}"] = (
                    f"Give a reason for changing the score of {c.number} {c.title.lower()} from {auto_score}, "
                    "the score the recorded dates give")
            score_rows.append(CriterionScore(criterion=c, score=score, auto_score=auto_score, evidence=evidence,
                                             override_reason=reason if score != auto_score else "",
                                             note=(given.get("note") or "").strip()))
    if errors:
        raise ValidationError(errors)
    row = CaseAudit.objects.create(entry=entry, child=child, version=version, la=child.la, group=entry.group,
                                   auditor=auditor.strip(), audited_on=audited_on, location=location.strip(),
                                   notes=notes.strip(), created_by=actor if getattr(actor, "pk", None) else None)
    for r in section_rows:
        r.audit = row
    for r in score_rows:
        r.audit = row
    SectionAnswer.objects.bulk_create(section_rows)
    CriterionScore.objects.bulk_create(score_rows)
    audit.record_change(actor=actor, action="case_audit.add", instance=row, child_id=child.pk,
                        after={"round": entry.round_id, "version": version.version, "auditor": row.auditor,
                               "audited_on": audited_on,
                               "scores": {f"{r.criterion.section.key}.{r.criterion.key}": r.score for r in score_rows},
                               "overridden": [f"{r.criterion.section.key}.{r.criterion.key}" for r in score_rows
                                              if r.override_reason],
                               "presence": {r.section.key: r.present for r in section_rows
                                            if r.section.asks_presence}})
    return row
