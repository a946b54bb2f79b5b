"""The forms parse what is typed; the services check it (and say what is wrong in the same words)."""

from __future__ import annotations

from django import forms

from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField, ModelMultipleChoiceField

AFTER_ORDER = "after_order"


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class ReviewForm(core_forms.Form):
    disruption = forms.ChoiceField(label="Which disruption is reviewed", widget=forms.RadioSelect,
                                   error_messages={"required": "Choose the disruption the review is about"})
    disruption_date = DateField(label="Date the placement broke down (after the adoption order only)",
                                required=False)
    description = forms.CharField(label="What happened (after the adoption order only)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    review_date = DateField(label="Date of the review", error_messages={"required": "Enter the date of the review"})
    chair = StaffChoice(label="Chair", queryset=None, error_messages={"required": "Choose who chaired the review"})
    factors = ModelMultipleChoiceField(label="Contributing factors", queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    findings = forms.CharField(label="Findings", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, disruptions, adopted: bool, staff, factors, **kwargs):
        super().__init__(*args, **kwargs)
        from permanence.core.templatetags.govuk import govuk_date

        choices = [(str(e.pk), f"Disrupted before the adoption order, on {govuk_date(e.date)}") for e in disruptions]
        if adopted:
            choices.append((AFTER_ORDER, "A breakdown after the adoption order"))
        self.fields["disruption"].choices = choices
        self.fields["chair"].queryset = staff
        self.fields["factors"].queryset = factors


class ChangeForm(VersionedForm, core_forms.Form):
    version_related = ("factors",)
    """A draft review's details (the disruption it is about stays; a breakdown after the order keeps its date and
    description changeable)."""

    disruption_date = DateField(label="Date the placement broke down",
                                error_messages={"required": "Enter the date the placement broke down"})
    description = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Describe the breakdown"})
    review_date = DateField(label="Date of the review", error_messages={"required": "Enter the date of the review"})
    chair = StaffChoice(label="Chair", queryset=None, error_messages={"required": "Choose who chaired the review"})
    factors = ModelMultipleChoiceField(label="Contributing factors", queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    findings = forms.CharField(label="Findings", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, after_order: bool, staff, factors, **kwargs):
        super().__init__(*args, **kwargs)
        if not after_order:
            del self.fields["disruption_date"], self.fields["description"]
        self.fields["chair"].queryset = staff
        self.fields["factors"].queryset = factors


class RecommendationForm(VersionedForm, core_forms.Form):
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Enter the recommendation"})
    owner = StaffChoice(label="Owner", queryset=None, error_messages={"required": "Choose who owns it"})
    due_date = DateField(kind="planned", label="Due date", required=False, help_text="Leave blank if it has no due date.")

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff


class PeriodForm(core_forms.Form):
    start = DateField(kind="period", label="Reviews held from", required=False)
    end = DateField(kind="period", label="to", required=False)
