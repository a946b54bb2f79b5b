from __future__ import annotations

from django import forms

from permanence.core import forms as core_forms
from permanence.core.forms import DateField
from permanence.records import rules


class DisposeForm(core_forms.Form):
    reason = forms.CharField(
        label="Why are you disposing of this record?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, the retention period in the schedule has ended and no request or complaint is open",
        error_messages={"required": "Enter the reason for disposing of this record"},
    )
    confirm = forms.BooleanField(
        label="I understand the personal data in this record will be removed and cannot be brought back",
        error_messages={"required": "Confirm that you understand the personal data will be removed"},
    )


class SubjectAccessForm(core_forms.Form):
    """The export's optional extra redactions: free-text fields that may name other people."""

    redact = forms.MultipleChoiceField(
        label="Also redact these free-text fields",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other people's details (other applicants and household members, birth relatives, the people "
        "in contact arrangements, referrers) are always redacted. Choose any free-text field that may name "
        "someone else.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["redact"].choices = choices


class RetentionPeriodForm(core_forms.Form):
    """The RAA's own period for one category of the schedule, from a date."""

    years = forms.IntegerField(
        label="How many years should these records be kept?",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3",
                                      "spellcheck": "false"}),
        error_messages={"required": "Enter how many years the records are kept, like 6",
                        "invalid": "Enter the number of years as a whole number, like 6"},
    )
    effective_from = DateField(
        label="From what date does it apply?", error_label="The date the period applies from",
        help_text="Records are kept for this period from this date on. For example, 1 4 2027",
        error_messages={"required": "Enter the date the period applies from"},
    )
    source = forms.CharField(
        label="Where does the period come from?",
        max_length=300,
        help_text="For example, the board minute or policy that agreed it",
        error_messages={"required": "Enter where the period comes from, for example the board minute that "
                                    "agreed it",
                        "max_length": "Where the period comes from must be 300 characters or fewer"},
    )

    def __init__(self, *args, category: rules.Category, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        if category.minimum > 1:
            self.fields["years"].help_text = f"At least {category.minimum} years: the law sets that floor."

    def clean_years(self):
        years = self.cleaned_data["years"]
        if problem := rules.period_problem(self.category, years):
            raise forms.ValidationError(problem)
        return years
