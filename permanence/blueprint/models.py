"""The blueprint review: a versioned template (domains with guidance) and each RAA's dated reviews against it.

Templates are data: a new BlueprintVersion with its domains is added without code (load-blueprint); a review keeps
the version it was scored against. A review belongs to an RAA on this installation or, for published comparison
sets (the seed 001 figures), to an anonymised comparison name.
"""

from django.db import models
from django.db.models import Q

from permanence.blueprint import rules


class BlueprintVersion(models.Model):
    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=300)
    valid_from = models.DateField()
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["version"]

    def __str__(self):
        return f"Version {self.version}: {self.title}"


class BlueprintDomain(models.Model):
    version = models.ForeignKey(BlueprintVersion, on_delete=models.PROTECT, related_name="domains")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=400)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="blueprint_domain_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class BlueprintReview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    raa = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                            related_name="blueprint_reviews")
    comparison_name = models.CharField(max_length=100, blank=True,
                                       help_text="An anonymised RAA in a published comparison set (no organisation)")
    version = models.ForeignKey(BlueprintVersion, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    reviewer = models.CharField(max_length=200)
    source = models.CharField(max_length=40, blank=True, help_text="demo, seed-001 or blank (recorded here)")
    created_by = models.ForeignKey("organisations.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A draft is changed as the review goes on; marked final, it is read-only and counted in the results.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FINAL)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey("organisations.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=(Q(raa__isnull=False) & Q(comparison_name="")) | (Q(raa__isnull=True) & ~Q(comparison_name="")),
            name="blueprint_review_raa_or_comparison")]

    def __str__(self):
        return f"Blueprint review of {self.raa or self.comparison_name} on {self.reviewed_on:%-d %B %Y}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def raa_key(self) -> str:
        return f"org:{self.raa_id}" if self.raa_id else f"cmp:{self.comparison_name}"


class DomainScore(models.Model):
    review = models.ForeignKey(BlueprintReview, on_delete=models.CASCADE, related_name="scores")
    domain = models.ForeignKey(BlueprintDomain, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True, choices=[(s, f"{s}: {label}") for s, label in
                                                                             rules.SCORE_LABELS.items()])
    commentary = models.TextField(blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["domain__number"]
        constraints = [models.UniqueConstraint(fields=["review", "domain"], name="blueprint_score_once"),
                       models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=3),
                                              name="blueprint_score_0_to_3")]

    def __str__(self):
        return f"Domain {self.domain_id} of review {self.review_id}: {self.score}"
