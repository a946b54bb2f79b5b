"""Contact plans after the adoption order (letterbox, direct and sibling arrangements, their exchanges and reviews)
and birth relatives' independent support (offers and sessions). Synthetic data only."""

from __future__ import annotations

import calendar

from django.conf import settings
from django.db import models

from permanence.children.models import Child
from permanence.contact import rules
from permanence.organisations.models import Organisation


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(k), v) for k, v in labels.items()]


class ContactPlan(models.Model):
    """A child's contact plan after the adoption order: its arrangements, and when they are next reviewed."""

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="contact_plan")
    adoption_order_date = models.DateField(help_text="From the child's journey.")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Snapshot: refreshed by services whenever a review is recorded (rules.review_due).
    next_review_due = models.DateField()
    last_reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["next_review_due", "pk"]
        indexes = [models.Index(fields=["next_review_due"])]

    def __str__(self) -> str:
        return f"Contact plan for {self.child}"

    @property
    def reference(self) -> str:
        return f"CP{self.pk:06d}"


class ContactArrangement(models.Model):
    plan = models.ForeignKey(ContactPlan, on_delete=models.PROTECT, related_name="arrangements")
    kind = models.CharField(max_length=12, choices=_choices(rules.KIND_LABELS))
    with_name = models.CharField("With", max_length=120, help_text="Who the contact is with (synthetic).")
    relationship = models.CharField(max_length=20, choices=_choices(rules.RELATIONSHIPS))
    times_a_year = models.PositiveSmallIntegerField(null=True, blank=True)
    months = models.CharField(max_length=40, blank=True, help_text="Month numbers, for example 3,9.")
    day_of_month = models.PositiveSmallIntegerField(default=1)
    letterbox_ways = models.CharField(max_length=20, choices=list(rules.LETTERBOX_WAYS.items()), default="both")
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.with_name}"

    @property
    def frequency(self) -> str:
        if self.months:
            names = ", ".join(calendar.month_name[m] for m in rules.parse_months(self.months))
            return f"Each {names} (day {self.day_of_month})"
        if self.times_a_year:
            return "Once a year" if self.times_a_year == 1 else f"{self.times_a_year} times a year"
        return "Not set"

    @property
    def directions(self) -> list[str]:
        return [rules.Direction.FROM_ADOPTERS, rules.Direction.FROM_BIRTH_FAMILY] if self.letterbox_ways == "both" \
            else [self.letterbox_ways]


class LetterboxExchange(models.Model):
    arrangement = models.ForeignKey(ContactArrangement, on_delete=models.PROTECT, related_name="exchanges")
    direction = models.CharField(max_length=20, choices=_choices(rules.DIRECTION_LABELS))
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    read_on = models.DateField(null=True, blank=True)
    redacted_on = models.DateField(null=True, blank=True)
    redaction_reason = models.TextField(blank=True)
    forwarded_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "direction", "due_on"],
                                               name="letterbox_exchange_once_per_due_date")]
        indexes = [models.Index(fields=["forwarded_on"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"Letterbox {self.get_direction_display().lower()} due {self.due_on:%d/%m/%Y}"

    @property
    def reference(self) -> str:
        return f"LB{self.pk:06d}"

    def facts(self) -> rules.ExchangeFacts:
        return rules.ExchangeFacts(due_on=self.due_on, received_on=self.received_on, read_on=self.read_on,
                                   redacted_on=self.redacted_on, redaction_reason=self.redaction_reason,
                                   forwarded_on=self.forwarded_on)


class ContactReview(models.Model):
    plan = models.ForeignKey(ContactPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=[("continue", "Continue as planned"),
                                                       ("changed", "Arrangements changed")])
    changes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Contact review on {self.held_on:%d/%m/%Y}"


class BirthRelativeOffer(models.Model):
    """Independent support offered to a birth relative of a child whose plan became adoption."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="birth_relative_offers")
    relative_name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=20, choices=_choices(rules.RELATIONSHIPS))
    offered_on = models.DateField()
    offered_by = models.CharField(max_length=120, help_text="The worker or independent provider who offered it.")
    response = models.CharField(max_length=12, choices=_choices(rules.RESPONSE_LABELS),
                                default=rules.Response.NO_RESPONSE)
    response_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-offered_on", "-pk"]
        indexes = [models.Index(fields=["offered_on"])]

    def __str__(self) -> str:
        return f"Support offered to {self.relative_name}"

    @property
    def reference(self) -> str:
        return f"BR{self.pk:06d}"


class BirthRelativeSession(models.Model):
    offer = models.ForeignKey(BirthRelativeOffer, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Support session on {self.held_on:%d/%m/%Y}"


class ContactSettings(models.Model):
    """An RAA's own review intervals for contact arrangements (else the Timescale rows' defaults)."""

    raa = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="contact_settings")
    first_review_months = models.PositiveSmallIntegerField(
        help_text="Months from the adoption order to the first review.")
    later_review_months = models.PositiveSmallIntegerField(help_text="Months from each review to the next.")
    source = models.CharField(max_length=300, help_text="Who decided it, for example the RAA's practice standard.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "contact settings"

    def __str__(self) -> str:
        return f"Contact reviews for {self.raa}: {self.first_review_months} then {self.later_review_months} months"
