"""Every write of blueprint versions and reviews: validate, save in a transaction, audit.

The role check is access's (access.blueprint); `check_role=False` is for the demo and tests only.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from permanence import access
from permanence.blueprint import rules
from permanence.blueprint.models import BlueprintDomain, BlueprintReview, BlueprintVersion, DomainScore
from permanence.core import audit


def current_version(on: date | None = None) -> BlueprintVersion | None:
    """The latest version valid on the day (the latest of all without a day)."""
    rows = BlueprintVersion.objects.order_by("-valid_from", "-version")
    if on is not None:
        rows = rows.filter(valid_from__lte=on)
    return rows.first()


@transaction.atomic
def add_version(*, actor, version: int, title: str, valid_from: date, source: str,
                domains: list[tuple[str, str]]) -> BlueprintVersion:
    """A new version of the template with its domains (title, guidance), numbered from 1."""
    errors = {}
    if BlueprintVersion.objects.filter(version=version).exists():
        errors["version"] = f"Version {version} already exists: give the new template the next version number"
    if not title.strip():
        errors["title"] = "Enter the template's title"
    if not domains or any(not t.strip() for t, _g in domains):
        errors["domains"] = "Give every domain a title"
    if errors:
        raise ValidationError(errors)
    row = BlueprintVersion.objects.create(version=version, title=title.strip(), valid_from=valid_from,
                                          source=source.strip())
    BlueprintDomain.objects.bulk_create(BlueprintDomain(version=row, number=i, title=t.strip(), guidance=g.strip())
                                        for i, (t, g) in enumerate(domains, start=1))
    audit.record_change(actor=actor, action="blueprint_version.add", instance=row,
                        after={"version": version, "title": row.title, "valid_from": valid_from,
                               "domains": len(domains)})
    return row


def _score_values(version: BlueprintVersion, scores: dict[int, dict]) -> tuple[list[tuple], dict]:
    """scores: {domain number: {"score": 0-3 or None, "commentary": str, "evidence": str}}."""
    errors: dict[str, str] = {}
    rows = []
    for domain in version.domains.all():
        given = scores.get(domain.number, {})
        score = given.get("score")
        if score in ("", None):
            score = None
        else:
            try:
                score = int(score)
            except (TypeError, ValueError):
                score = -1
            if score not in rules.SCORES:
                errors[f"score_{domain.number}"] = f"Score domain {domain.number} 0, 1, 2 or 3, or leave it unscored"
        rows.append((domain, score, (given.get("commentary") or "").strip(), (given.get("evidence") or "").strip()))
    return rows, errors


@transaction.atomic
def record_review(*, actor, raa, reviewed_on: date, reviewer: str, scores: dict[int, dict],
                  version: BlueprintVersion | None = None, comparison_name: str = "", source: str = "",
                  today: date | None = None, final: bool = True, check_role: bool = True) -> BlueprintReview:
    """One review of an RAA (or of an anonymised comparison RAA) against a version of the template: a draft
    (final=False: changed later, not yet counted in the results) or final (read-only)."""
    if check_role and (access.blueprint_raa_for(actor) is None or access.blueprint_raa_for(actor) != raa):
        raise ValidationError("Only the RAA's head of service, team managers and quality lead record its reviews")
    errors: dict[str, str] = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    elif today is not None and reviewed_on > today:
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    if not (reviewer or "").strip():
        errors["reviewer"] = "Enter who carried out the review"
    version = version or current_version(reviewed_on) or current_version()
    if version is None:
        raise ValidationError("There is no blueprint template: load one with permanence load-blueprint")
    rows, score_errors = _score_values(version, scores)
    errors |= score_errors
    if errors:
        raise ValidationError(errors)
    by = actor if getattr(actor, "pk", None) else None
    review = BlueprintReview.objects.create(
        raa=raa, comparison_name=comparison_name, version=version, reviewed_on=reviewed_on,
        reviewer=reviewer.strip(), source=source, created_by=by,
        status=BlueprintReview.Status.FINAL if final else BlueprintReview.Status.DRAFT,
        finalised_at=timezone.now() if final else None, finalised_by=by if final else None)
    DomainScore.objects.bulk_create(DomainScore(review=review, domain=d, score=s, commentary=c, evidence=e)
                                    for d, s, c, e in rows)
    audit.record_change(actor=actor, action="blueprint_review.add", instance=review,
                        after={"raa": raa.pk if raa else comparison_name, "version": version.version,
                               "reviewed_on": reviewed_on, "reviewer": review.reviewer, "status": review.status,
                               "scores": {d.number: s for d, s, _c, _e in rows}})
    return review


FINAL_MESSAGE = "This review is final: it can no longer be changed"


def _content(review: BlueprintReview) -> dict:
    return {"reviewed_on": review.reviewed_on, "reviewer": review.reviewer, "status": review.status,
            "scores": {s.domain.number: {"score": s.score, "commentary": s.commentary, "evidence": s.evidence}
                       for s in review.scores.select_related("domain")}}


def _check_changer(actor, review, check_role):
    if check_role and (access.blueprint_raa_for(actor) is None or access.blueprint_raa_for(actor) != review.raa):
        raise ValidationError("Only the RAA's head of service, team managers and quality lead change its reviews")
    if review.is_final:
        raise ValidationError(FINAL_MESSAGE)


@transaction.atomic
def update_review(*, actor, review: BlueprintReview, reviewed_on: date, reviewer: str, scores: dict[int, dict],
                  today: date | None = None, check_role: bool = True) -> BlueprintReview:
    """A draft's date, reviewer, scores, commentary and evidence changed (its version stays); audited with what
    it was before. A final review is refused."""
    review = BlueprintReview.objects.select_for_update().get(pk=review.pk)
    _check_changer(actor, review, check_role)
    errors: dict[str, str] = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    elif today is not None and reviewed_on > today:
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    if not (reviewer or "").strip():
        errors["reviewer"] = "Enter who carried out the review"
    rows, score_errors = _score_values(review.version, scores)
    errors |= score_errors
    if errors:
        raise ValidationError(errors)
    before = _content(review)
    review.reviewed_on, review.reviewer = reviewed_on, reviewer.strip()
    review.save(update_fields=["reviewed_on", "reviewer"])
    for domain, score, commentary, evidence in rows:
        DomainScore.objects.update_or_create(review=review, domain=domain, defaults={
            "score": score, "commentary": commentary, "evidence": evidence})
    after = _content(review)
    changed = {n for n in after["scores"] if after["scores"][n] != before["scores"].get(n)}
    audit.record_change(actor=actor, action="blueprint_review.change", instance=review,
                        before={**before, "scores": {n: before["scores"].get(n) for n in sorted(changed)}},
                        after={**after, "scores": {n: after["scores"][n] for n in sorted(changed)}})
    return review


@transaction.atomic
def finalise_review(*, actor, review: BlueprintReview, check_role: bool = True) -> BlueprintReview:
    """A draft marked final: read-only from now on, and counted in the results."""
    review = BlueprintReview.objects.select_for_update().get(pk=review.pk)
    _check_changer(actor, review, check_role)
    review.status, review.finalised_at = BlueprintReview.Status.FINAL, timezone.now()
    review.finalised_by = actor if getattr(actor, "pk", None) else None
    review.save(update_fields=["status", "finalised_at", "finalised_by"])
    audit.record_change(actor=actor, action="blueprint_review.final", instance=review,
                        before={"status": BlueprintReview.Status.DRAFT}, after={"status": review.status})
    return review
