"""Disruption learning reviews (seed 002, 9.1): learning from disruptions and breakdowns is captured.

The contributing factors are data: a FactorList is one version of the list (valid from a date); a review keeps
the list and the factors it chose, so a new version (added in the admin) never changes an old review.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from permanence.children.models import Child, JourneyEvent
from permanence.organisations.models import Organisation


class FactorList(models.Model):
    version = models.PositiveIntegerField(unique=True)
    valid_from = models.DateField()
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from", "-version"]

    def __str__(self) -> str:
        return f"Contributing factors, version {self.version} (from {self.valid_from:%d/%m/%Y})"


class Factor(models.Model):
    factor_list = models.ForeignKey(FactorList, on_delete=models.PROTECT, related_name="factors")
    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["factor_list", "code"], name="disruption_factor_code_unique")]

    def __str__(self) -> str:
        return self.label


class LearningReview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    class When(models.TextChoices):
        BEFORE_ORDER = "before_order", "Before the adoption order"
        AFTER_ORDER = "after_order", "After the adoption order"

    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="learning_reviews")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="learning_reviews")
    disruption_event = models.ForeignKey(JourneyEvent, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    when = models.CharField(max_length=20, choices=When.choices)
    disruption_date = models.DateField()
    description = models.TextField(blank=True)
    review_date = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    factor_list = models.ForeignKey(FactorList, on_delete=models.PROTECT, related_name="reviews")
    factors = models.ManyToManyField(Factor, blank=True, related_name="reviews")
    findings = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A draft's factors, findings and recommendations are changed as the review is written up; marked final, it
    # is read-only (its recommendations are still marked done as they are carried out).
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-review_date", "-id"]

    def __str__(self) -> str:
        return f"Learning review of {self.child.reference} on {self.review_date:%d/%m/%Y}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class Recommendation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    review = models.ForeignKey(LearningReview, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]
