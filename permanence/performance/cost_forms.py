"""Forms for the cost calculator (a GET form: what to calculate) and the daily cost of care (a POST form).

They parse and check what was typed, with GOV.UK error messages; the arithmetic is measures.cost and the write
is services.set_daily_cost_of_care."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms

from permanence.core import forms as core_forms
from permanence.core.forms import DateField
from permanence.performance.rules import Period
from permanence.performance.rules.periods import dates_label as _dates_label
from permanence.performance.rules.periods import financial_year_ending as financial_year
from permanence.performance.rules.periods import year_before

MAX_TARGET_DAYS = 36_500  # 100 years: anything beyond is a typing slip
MAX_DAILY_COST = Decimal("99999999.99")  # DailyCostOfCare.amount: 10 digits, 2 after the point


class FormCheckedDateField(DateField):
    """A date the form needs (so its label has no "(optional)") but checks itself, with its own message: an empty
    date cleans to None here, for the form's clean() or clean_<name>() to name what is missing – or to ignore,
    when the date belongs to a choice that was not selected."""

    def __init__(self, *, error_name: str, **kwargs):
        kwargs.setdefault("error_label", error_name)
        super().__init__(**kwargs)
        self.error_name = error_name  # "The start of the period" must include a month

    def clean(self, value):
        required, self.required = self.required, False
        try:
            return super().clean(value)
        finally:
            self.required = required


def parse_pounds(text: str, *, what: str) -> Decimal:
    """'£1,234.50' → Decimal('1234.50'), with GOV.UK messages for what cannot be a daily cost."""
    cleaned = (text or "").strip().replace("£", "").replace(",", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError(f"Enter {what} in pounds and pence, like 150 or 150.50", code="invalid") \
            from None
    if not amount.is_finite():
        raise forms.ValidationError(f"Enter {what} in pounds and pence, like 150 or 150.50", code="invalid")
    if amount <= 0:
        raise forms.ValidationError(f"{what[0].upper()}{what[1:]} must be more than £0", code="min_value")
    # The size first: quantizing a huge amount (1e30) is itself an error (decimal.InvalidOperation).
    if amount > MAX_DAILY_COST:
        raise forms.ValidationError(f"{what[0].upper()}{what[1:]} must be less than £100,000,000",
                                    code="max_value")
    if amount != amount.quantize(Decimal("0.01")):
        raise forms.ValidationError(f"{what[0].upper()}{what[1:]} must be in pounds and pence, with no more than "
                                    "2 numbers after the point", code="decimal_places")
    return amount.quantize(Decimal("0.01"))


class CostCalculatorForm(core_forms.Form):
    """What to calculate. Blank target and daily cost mean the configured ones; the view fills the defaults
    (last complete financial year, the year before as baseline) before binding."""

    PERIOD_CHOICES = [("year", "A financial year"), ("dates", "Dates of your choosing")]
    BASELINE_CHOICES = [("previous", "The year before the period"), ("dates", "Dates of your choosing"),
                        ("none", "No baseline")]

    period = forms.ChoiceField(choices=PERIOD_CHOICES, widget=forms.RadioSelect, label="Children adopted in")
    year = forms.TypedChoiceField(coerce=int, choices=(), label="Financial year")
    period_from = FormCheckedDateField(kind="period", error_name="The start of the period", label="Start of the period",
                                      help_text="For example, 1 4 2024")
    period_to = FormCheckedDateField(kind="period", error_name="The end of the period", label="End of the period",
                                    help_text="For example, 31 3 2025")
    baseline = forms.ChoiceField(choices=BASELINE_CHOICES, widget=forms.RadioSelect,
                                 label="Baseline to compare against")
    baseline_from = FormCheckedDateField(kind="period", error_name="The start of the baseline", label="Start of the baseline",
                                        help_text="For example, 1 4 2023")
    baseline_to = FormCheckedDateField(kind="period", error_name="The end of the baseline", label="End of the baseline",
                                      help_text="For example, 31 3 2024")
    target_days = forms.CharField(label="Target: days from entering care to moving in", required=False,
                                  max_length=10)
    daily_cost = forms.CharField(label="Daily cost of care (£), for a what-if", required=False, max_length=20)

    def __init__(self, *args, year_endings: list[int], today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["year"].choices = [
            (str(y), f"{y - 1} to {y} (1 April {y - 1} to 31 March {y})") for y in year_endings]
        self.fields["period"].error_messages["required"] = "Select which children to count"
        self.fields["baseline"].error_messages["required"] = "Select a baseline, or no baseline"
        self.fields["year"].error_messages["invalid_choice"] = "Select a financial year from the list"
        self.fields["year"].error_messages["required"] = "Select a financial year"
        self.fields["period"].error_messages["invalid_choice"] = "Select a financial year or dates of your choosing"
        self.fields["baseline"].error_messages["invalid_choice"] = "Select a baseline, or no baseline"

    def clean_target_days(self) -> int | None:
        text = self.cleaned_data["target_days"].strip().replace(",", "")
        if not text:
            return None
        if text.startswith("-") and text[1:].isdecimal():
            raise forms.ValidationError("The target must be 0 days or more", code="min_value")
        if not text.isdecimal():
            raise forms.ValidationError("Enter the target as a whole number of days, like 426", code="invalid")
        days = int(text)
        if days > MAX_TARGET_DAYS:
            raise forms.ValidationError(f"The target must be {MAX_TARGET_DAYS:,} days (100 years) or fewer",
                                        code="max_value")
        return days

    def clean_daily_cost(self) -> Decimal | None:
        text = self.cleaned_data["daily_cost"]
        if not text.strip():
            return None
        return parse_pounds(text, what="the daily cost")

    def _dates(self, prefix: str, noun: str) -> Period | None:
        start, end = self.cleaned_data.get(f"{prefix}_from"), self.cleaned_data.get(f"{prefix}_to")
        problems = False
        if start is None and f"{prefix}_from" not in self.errors:
            self.add_error(f"{prefix}_from", f"Enter the start of the {noun}")
            problems = True
        if end is None and f"{prefix}_to" not in self.errors:
            self.add_error(f"{prefix}_to", f"Enter the end of the {noun}")
            problems = True
        if problems or start is None or end is None:
            return None
        if end < start:
            self.add_error(f"{prefix}_to", f"The end of the {noun} must be the same as or after its start")
            return None
        if end > self.today:
            self.add_error(f"{prefix}_to", f"The end of the {noun} must be today or in the past")
            return None
        return Period(start, end, _dates_label(start, end))

    def clean(self):
        data = super().clean()
        # Dates typed under a choice that was not selected are ignored, mistakes and all.
        ignored = ([] if data.get("period") == "dates" else ["period_from", "period_to"]) + (
            [] if data.get("baseline") == "dates" else ["baseline_from", "baseline_to"])
        for name in ignored:
            self._errors.pop(name, None)
        period = None
        if data.get("period") == "year" and data.get("year") not in (None, ""):
            period = financial_year(int(data["year"]))
        elif data.get("period") == "dates":
            period = self._dates("period", "period")
        baseline = None
        if data.get("baseline") == "previous" and period is not None:
            baseline = year_before(period)
        elif data.get("baseline") == "dates":
            baseline = self._dates("baseline", "baseline")
            if baseline is not None and period is not None and baseline.end >= period.start:
                self.add_error("baseline_to", "The baseline must end before the period starts")
                baseline = None
        data["period_obj"] = period
        data["baseline_obj"] = baseline
        return data


class DailyCostForm(core_forms.Form):
    amount = forms.CharField(label="Cost of a day in care (£)", max_length=20,
                             help_text="Pounds per child per day, for example 150.50")
    valid_from = FormCheckedDateField(kind="planned", error_name="The date the cost applies from", label="Applies from",
                                      help_text="For example, 1 4 2025")
    source = forms.CharField(label="Source", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Where the figure comes from, for example a finance team's unit cost "
                                       "for a named year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["required"] = "Enter the cost of a day in care"
        self.fields["source"].error_messages["required"] = "Enter where the figure comes from"
        self.fields["source"].error_messages["max_length"] = "The source must be 300 characters or fewer"

    def clean_amount(self) -> Decimal:
        return parse_pounds(self.cleaned_data["amount"], what="the cost of a day in care")

    def clean_source(self) -> str:
        text = self.cleaned_data["source"].strip()
        if not text:
            raise forms.ValidationError("Enter where the figure comes from", code="required")
        return text

    def clean_valid_from(self) -> dt.date:
        day = self.cleaned_data.get("valid_from")
        if day is None:
            raise forms.ValidationError("Enter the date the cost applies from", code="required")
        return day  # a figure already from this date: services.set_daily_cost_of_care says so
