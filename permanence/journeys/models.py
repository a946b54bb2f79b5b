"""What every journey's event model has: one abstract model, inherited by each journey's events.

A journey's event is one dated step, never edited or deleted: a correction is a new event that `corrects` the
old one, which is marked `superseded` (a withdrawal supersedes it with nothing). Each journey's model adds the
record it belongs to (`child`, `household`, …), gives `kind` its journey's kinds as choices and names the rules
module whose `Kind`, `KIND_LABELS` and `EventFact` it uses, and declares its own indexes.
"""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from django.conf import settings
from django.db import models


def kind_field(labels: dict) -> models.CharField:
    """The `kind` field of a journey's event: its kinds, with their labels, as choices."""
    return models.CharField(max_length=40, choices=[(k.value, label) for k, label in labels.items()])


class JourneyRecord:
    """What a record with a journey (a child, a household) says of itself, from its snapshot columns: the label
    of its stage and its reference (a letter and its id). Mixed into the record's model."""

    rules: ClassVar[ModuleType]  # the journey's rules module (Stage, STAGE_LABELS)
    reference_letter: ClassVar[str]

    @property
    def stage_label(self) -> str:
        return self.rules.STAGE_LABELS[self.rules.Stage(self.stage)]

    @property
    def reference(self) -> str:
        return f"{self.reference_letter}{self.pk:06d}"


class JourneyEventBase(models.Model):
    rules: ClassVar[ModuleType]  # the journey's rules module (Kind, KIND_LABELS, EventFact)

    kind = models.CharField(max_length=40)  # each journey gives its kinds as choices (kind_field)
    date = models.DateField()
    details = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=12, default="permanence")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    correction_reason = models.TextField(blank=True)
    superseded = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.kind_label} on {self.date:%d/%m/%Y}"

    @property
    def kind_label(self) -> str:
        return self.rules.KIND_LABELS[self.rules.Kind(self.kind)]

    @property
    def source_label(self) -> str:
        """Where the event came from, as pages say it: the source's label when the journey names its sources."""
        choices = type(self)._meta.get_field("source").flatchoices
        return str(dict(choices).get(self.source, self.source)) if choices else self.source

    def as_fact(self):
        """The event as the journey's rules see it (the id orders same-day events of one kind)."""
        return self.rules.EventFact(kind=self.rules.Kind(self.kind), date=self.date, seq=self.pk or 0,
                                    details=self.details)
