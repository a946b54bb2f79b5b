"""Timescales as configuration: each with a default, a source and a validity period."""

from django.db import models

from permanence.timescales.rules import TimescaleFact, Unit


class Timescale(models.Model):
    class Subject(models.TextChoices):
        CHILD = "child", "Child"
        HOUSEHOLD = "household", "Adopters' household"
        LINK = "link", "Link between a child and a household"
        SUPPORT = "support", "Adoption support case"
        ADULT = "adult", "Adopted adult's request"
        CONTACT = "contact", "Contact and birth relatives' support"
        COMPLAINT = "complaint", "Complaint or representation"

    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=200, help_text="What is due, as shown to users.")
    subject = models.CharField(max_length=10, choices=Subject.choices, default=Subject.CHILD)
    start_event = models.CharField(max_length=60, help_text="The event kind the clock starts from.")
    end_events = models.CharField(
        max_length=200, help_text="Event kinds (comma-separated) any of which completes the action."
    )
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=[(u.value, u.value.replace("_", " ")) for u in Unit])
    source = models.CharField(max_length=300, help_text="Where the timescale comes from.")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["subject", "key", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "valid_from"], name="timescale_key_valid_from")]

    def __str__(self) -> str:
        return f"{self.label} ({self.amount} {self.unit})"

    def as_fact(self) -> TimescaleFact:
        return TimescaleFact(
            key=self.key,
            label=self.label,
            start_event=self.start_event,
            end_events=tuple(e.strip() for e in self.end_events.split(",") if e.strip()),
            amount=self.amount,
            unit=self.unit,
            source=self.source,
        )
