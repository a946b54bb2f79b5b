"""Every write of the learning reviews: validated, atomic, audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from permanence import access
from permanence.core import audit
from permanence.core.clock import today  # noqa: F401 (services.today: the one clock)
from permanence.disruptions import rules, selectors
from permanence.disruptions.models import Factor, FactorList, LearningReview, Recommendation

REVIEW_FIELDS = ["child", "disruption_event", "when", "disruption_date", "description", "review_date", "chair",
                 "factor_list", "findings", "status"]
FINAL_MESSAGE = "This learning review is final: it can no longer be changed."
REC_FIELDS = ["review", "text", "owner", "due_date", "status", "done_on"]


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def open_review(*, actor, child, review_date: date, chair, factors=(), findings: str = "", disruption_event=None,
                disruption_date: date | None = None, description: str = "", check_role: bool = True) -> LearningReview:
    """Open a review from a disruption before the order (disruption_event) or of a breakdown after it (a date and
    a description). The factors must come from the list in force on the review date."""
    raa = child.la.raa
    if check_role:
        _refuse_unless(access.review_raa_for(actor) is not None and access.review_raa_for(actor) == raa,
                       "Only the child's RAA's managers and quality lead record its learning reviews.")
    errors: dict[str, str] = {}
    factor_list = selectors.list_in_force(review_date) if review_date else None
    if disruption_event is not None:
        if disruption_event.child_id != child.pk or disruption_event.kind != "disruption" or disruption_event.superseded:
            errors["disruption"] = "Choose one of this child's recorded disruptions."
        when, disruption_date = LearningReview.When.BEFORE_ORDER, disruption_event.date
    else:
        when = LearningReview.When.AFTER_ORDER
        order = selectors.adoption_order_of(child)
        if order is None:
            errors["disruption"] = ("This child has no adoption order: open the review from the disruption "
                                    "recorded on the child's journey.")
        if disruption_date is None:
            errors["disruption_date"] = "Enter the date the placement broke down."
        elif order is not None and disruption_date < order:
            errors["disruption_date"] = "The breakdown date must be on or after the adoption order."
        if not description.strip():
            errors["description"] = "Describe the breakdown."
    if review_date is None:
        errors["review_date"] = "Enter the date of the review."
    elif disruption_date is not None and review_date < disruption_date:
        errors["review_date"] = "The review date must be on or after the date of the disruption."
    elif factor_list is None:
        errors["factors"] = "No list of contributing factors is in force on the review date: ask an administrator."
    if chair is None or chair.organisation_id != getattr(raa, "pk", None):
        errors["chair"] = "Choose the chair from the RAA's staff."
    factors = list(factors)
    if factor_list is not None and any(f.factor_list_id != factor_list.pk for f in factors):
        errors["factors"] = "Choose factors from the list in force on the review date."
    if errors:
        raise ValidationError(errors)
    review = LearningReview.objects.create(
        raa=raa, child=child, disruption_event=disruption_event, when=when, disruption_date=disruption_date,
        description=description.strip(), review_date=review_date, chair=chair, factor_list=factor_list,
        findings=findings.strip(), recorded_by=actor if getattr(actor, "pk", None) else None)
    review.factors.set(factors)
    audit.record_change(actor=actor, action="learning_review.open", instance=review,
                        after={**audit.snapshot(review, REVIEW_FIELDS), "factors": [f.code for f in factors]})
    return review


@transaction.atomic
def add_recommendation(*, actor, review: LearningReview, text: str, owner, due_date: date | None,
                       check_role: bool = True) -> Recommendation:
    if check_role:
        _refuse_unless(access.review_raa_for(actor) == review.raa,
                       "Only the RAA's managers and quality lead record its learning reviews.")
    _refuse_if_final(review)
    errors = {}
    if not text.strip():
        errors["text"] = "Enter the recommendation."
    if owner is None or owner.organisation_id != review.raa_id:
        errors["owner"] = "Choose who owns the recommendation from the RAA's staff."
    if errors:
        raise ValidationError(errors)
    rec = Recommendation.objects.create(review=review, text=text.strip(), owner=owner, due_date=due_date)
    audit.record_change(actor=actor, action="learning_review.recommendation.add", instance=rec,
                        after=audit.snapshot(rec, REC_FIELDS))
    return rec


@transaction.atomic
def mark_done(*, actor, recommendation: Recommendation, on: date, check_role: bool = True) -> Recommendation:
    rec = Recommendation.objects.select_for_update().select_related("review").get(pk=recommendation.pk)
    if check_role:
        _refuse_unless(access.review_raa_for(actor) == rec.review.raa,
                       "Only the RAA's managers and quality lead record its learning reviews.")
    if rec.status == Recommendation.Status.DONE:
        raise ValidationError({"status": "This recommendation is already done."})
    before = audit.snapshot(rec, REC_FIELDS)
    rec.status, rec.done_on = Recommendation.Status.DONE, on
    rec.save()
    audit.record_change(actor=actor, action="learning_review.recommendation.done", instance=rec, before=before,
                        after=audit.snapshot(rec, REC_FIELDS))
    return rec


def _refuse_if_final(review: LearningReview) -> None:
    if LearningReview.objects.filter(pk=review.pk, status=LearningReview.Status.FINAL).exists():
        raise ValidationError(FINAL_MESSAGE)


def _locked(actor, review: LearningReview, check_role: bool) -> LearningReview:
    review = LearningReview.objects.select_for_update().get(pk=review.pk)
    if check_role:
        _refuse_unless(access.review_raa_for(actor) == review.raa,
                       "Only the RAA's managers and quality lead change its learning reviews.")
    _refuse_if_final(review)
    return review


def _with_factors(review: LearningReview) -> dict:
    return {**audit.snapshot(review, REVIEW_FIELDS), "factors": sorted(f.code for f in review.factors.all())}


@transaction.atomic
def update_review(*, actor, review: LearningReview, review_date: date | None, chair, factors=(),
                  findings: str = "", disruption_date: date | None = None, description: str = "",
                  check_role: bool = True) -> LearningReview:
    """A draft's date, chair, contributing factors and findings changed (and, for a breakdown after the order, its
    date and description); the factors come from the list the review was opened with. Audited with what it was.
    A final review is refused."""
    review = _locked(actor, review, check_role)
    errors: dict[str, str] = {}
    if review.when == LearningReview.When.AFTER_ORDER:
        order = selectors.adoption_order_of(review.child)
        if disruption_date is None:
            errors["disruption_date"] = "Enter the date the placement broke down."
        elif order is not None and disruption_date < order:
            errors["disruption_date"] = "The breakdown date must be on or after the adoption order."
        if not (description or "").strip():
            errors["description"] = "Describe the breakdown."
    else:
        disruption_date, description = review.disruption_date, review.description
    if review_date is None:
        errors["review_date"] = "Enter the date of the review."
    elif disruption_date is not None and review_date < disruption_date:
        errors["review_date"] = "The review date must be on or after the date of the disruption."
    if chair is None or chair.organisation_id != review.raa_id:
        errors["chair"] = "Choose the chair from the RAA's staff."
    factors = list(factors)
    if any(f.factor_list_id != review.factor_list_id for f in factors):
        errors["factors"] = "Choose factors from the list the review was opened with."
    if errors:
        raise ValidationError(errors)
    before = _with_factors(review)
    review.review_date, review.chair, review.findings = review_date, chair, (findings or "").strip()
    review.disruption_date, review.description = disruption_date, (description or "").strip()
    review.save()
    review.factors.set(factors)
    audit.record_change(actor=actor, action="learning_review.change", instance=review, before=before,
                        after=_with_factors(review), child_id=review.child_id)
    return review


@transaction.atomic
def update_recommendation(*, actor, recommendation: Recommendation, text: str, owner, due_date: date | None,
                          check_role: bool = True) -> Recommendation:
    """A draft review's recommendation changed (its text, owner, due date); audited. Refused once the review is
    final."""
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    review = _locked(actor, rec.review, check_role)
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Enter the recommendation."
    if owner is None or owner.organisation_id != review.raa_id:
        errors["owner"] = "Choose who owns the recommendation from the RAA's staff."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(rec, REC_FIELDS)
    rec.text, rec.owner, rec.due_date = text.strip(), owner, due_date
    rec.save()
    audit.record_change(actor=actor, action="learning_review.recommendation.change", instance=rec, before=before,
                        after=audit.snapshot(rec, REC_FIELDS), child_id=review.child_id)
    return rec


@transaction.atomic
def finalise_review(*, actor, review: LearningReview, check_role: bool = True) -> LearningReview:
    """A draft marked final: read-only from now on (its recommendations are still marked done when done)."""
    review = _locked(actor, review, check_role)
    review.status, review.finalised_at = LearningReview.Status.FINAL, timezone.now()
    review.finalised_by = actor if getattr(actor, "pk", None) else None
    review.save(update_fields=["status", "finalised_at", "finalised_by"])
    audit.record_change(actor=actor, action="learning_review.final", instance=review,
                        before={"status": LearningReview.Status.DRAFT}, after={"status": review.status},
                        child_id=review.child_id)
    return review


@transaction.atomic
def add_factor_list(*, actor, version: int, valid_from: date, factors, source: str = "") -> FactorList:
    """A new version of the contributing factors list (the loader command). Old reviews keep theirs."""
    if FactorList.objects.filter(version=version).exists():
        raise ValidationError({"version": f"Version {version} of the list exists: give the new list a new number."})
    factor_list = FactorList.objects.create(version=version, valid_from=valid_from, source=source)
    Factor.objects.bulk_create([Factor(factor_list=factor_list, code=c, label=label, order=i)
                                for i, (c, label) in enumerate(factors)])
    audit.record_change(actor=actor, action="learning_review.factor_list.add", instance=factor_list,
                        after={"version": version, "valid_from": valid_from.isoformat(),
                               "factors": [c for c, _ in factors]})
    return factor_list


__all__ = ["add_factor_list", "add_recommendation", "finalise_review", "mark_done", "open_review", "rules",
           "update_recommendation", "update_review"]
