"""The retention schedule's periods (configuration as data) and the stubs that disposed records leave behind."""

from django.conf import settings
from django.db import models

from permanence.organisations.models import Organisation
from permanence.records import rules

CATEGORY_CHOICES = [(c.code, c.name) for c in rules.CATEGORIES.values()]


class RetentionPeriod(models.Model):
    """A retention period in force from a date: the installation's (no RAA) or one RAA's own. Rows are never
    edited: a change is a new row with a later date. With no row, the default in rules.CATEGORIES applies."""

    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES)
    raa = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "raa"},
        help_text="Empty: the installation's period.",
    )
    years = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    source = models.CharField(
        max_length=300, help_text="Where the period comes from (a policy, a board minute)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "raa", "effective_from"], name="one_retention_period_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.years} years from {self.effective_from:%d/%m/%Y}"


class DisposedRecord(models.Model):
    """What is left of a record whose personal data was disposed of: its id, category, the events that set its
    retention (kinds and dates only), who disposed of it, when and why. Counts and measures still find the record
    (its event rows keep their kinds and dates); nothing here identifies a person."""

    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    reference = models.CharField(max_length=20)
    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES)
    anchor_date = models.DateField(help_text="The date of the event the retention period ran from.")
    years = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    events = models.JSONField(default=list, blank=True, help_text="The record's events: kind and date only.")
    birth_years = models.JSONField(default=list, blank=True, help_text="Years of birth kept (no full dates).")
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["-disposed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id"], name="disposed_once")]

    def __str__(self) -> str:
        return f"{self.reference} disposed {self.disposed_at:%d/%m/%Y}"
