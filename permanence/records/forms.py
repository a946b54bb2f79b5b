from __future__ import annotations

from django import forms


class DisposeForm(forms.Form):
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


class SubjectAccessForm(forms.Form):
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
