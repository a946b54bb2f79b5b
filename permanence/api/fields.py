"""The API's date field: ISO dates that are also plausible for their kind, by the same rule and with the same words
as the pages' date field (permanence.core.dates.date_problem, used by core.forms.DateField)."""

from __future__ import annotations

from rest_framework import serializers

from permanence.core import clock, dates


class PlausibleDateField(serializers.DateField):
    """serializers.DateField, refusing implausible dates of its kind ("birth", "record" – the default –,
    "planned", "period", …): a date of birth in 0001 or a target panel date in 9999 is a 400, not a record."""

    def __init__(self, *, kind: str = "record", error_label: str | None = None, **kwargs):
        dates.bounds(kind, clock.today())  # an unknown kind fails when the serializer is defined
        self.kind = kind
        self.error_label = error_label
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        label = self.error_label or (self.field_name or "the date").replace("_", " ")
        if problem := dates.date_problem(day, kind=self.kind, label=label, today=clock.today()):
            raise serializers.ValidationError(problem, code="implausible")
        return day
