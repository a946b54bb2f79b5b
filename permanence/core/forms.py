"""Shared form pieces: the GOV.UK date input (day, month, year)."""

from __future__ import annotations

import datetime as dt

from django import forms

from permanence.core import clock, dates


class GovukDateWidget(forms.MultiWidget):
    """Three boxes – day, month, year – as the GOV.UK Design System asks for memorable and known dates."""

    template_name = "includes/date_widget.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                d = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [d.day, d.month, d.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A GOV.UK date (day, month, year) that is also plausible for its kind (core.dates: "birth", "record" – the
    default –, "planned", …): a date of birth in the past and after 1900, a target within 5 years."""

    widget = GovukDateWidget

    def __init__(self, *, kind: str = "record", error_label: str | None = None, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=fields, **kwargs)
        dates.bounds(kind, dt.date(2000, 1, 1))  # an unknown kind fails when the form is defined
        self.kind = kind
        self.error_label = error_label  # what the messages call the date (default: its label)

    def clean(self, value):
        # Accept an ISO date string too (API-style posts and tests).
        if isinstance(value, str):
            value = self.widget.decompress(value)
        return super().clean(value)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError("Enter a date.", code="required")
            return None
        day, month, year = (str(x or "").strip() for x in data_list)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"The date must include a {' and '.join(missing)}.", code="incomplete")
        if not (day.isdecimal() and month.isdecimal() and year.isdecimal()):
            raise forms.ValidationError("The date must be made of numbers, for example 27 3 2024.", code="invalid")
        if len(year) != 4:
            raise forms.ValidationError("The year must include 4 numbers.", code="invalid")
        try:
            value = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 31 2 2025; a day or month too big for a C long
            raise forms.ValidationError("The date must be a real date.", code="invalid") from None
        label = self.error_label or (str(self.label) if self.label else "The date")
        if problem := dates.date_problem(value, kind=self.kind, label=label, today=clock.today()):
            raise forms.ValidationError(problem, code="implausible")
        return value


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """forms.ModelMultipleChoiceField, with a chosen id too big for the database (99999999999999999999) an invalid
    choice, not an OverflowError from the query (Django checks the range for one id, not for a list of them)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk).strip()
            if text.lstrip("-").isdecimal() and not -(2**63) <= int(text) < 2**63:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": text[:20]})
        return super()._check_values(value)


def show_service_errors(form: forms.Form, err) -> None:
    """Put a service's ValidationError on the form: field messages on their fields (when the form has that
    field), everything else at the top, so the error summary lists them all."""
    if hasattr(err, "error_dict"):
        for field, errors in err.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for m in err.messages:
            form.add_error(None, m)
