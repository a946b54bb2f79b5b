"""The contact pages' forms: GOV.UK messages, dates through core.forms.DateField."""

from __future__ import annotations

from django import forms

from permanence.contact import rules
from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField


def _date(label: str, required_message: str, *, required: bool = True, hint: str = "",
          kind: str = "record") -> DateField:
    return DateField(kind=kind, label=label, required=required, help_text=hint or "For example, 27 3 2026",
                     error_messages={"required": required_message})


def _text(label: str, message: str = "", *, required: bool = True, hint: str = "", textarea: bool = False,
          max_length: int = 120):
    kwargs = {"widget": forms.Textarea(attrs={"rows": 3})} if textarea else {"max_length": max_length}
    return forms.CharField(label=label, required=required, help_text=hint,
                           error_messages={"required": message,
                                           "max_length": f"{label} must be {max_length} characters or fewer"},
                           **kwargs)


RELATIONSHIP_CHOICES = list(rules.RELATIONSHIPS.items())


class PlanForm(core_forms.Form):
    notes = _text("Notes about the plan", required=False, textarea=True)


class ArrangementForm(core_forms.Form):
    kind = forms.ChoiceField(label="Type of contact", choices=[(str(k), v) for k, v in rules.KIND_LABELS.items()],
                             widget=forms.RadioSelect, error_messages={"required": "Choose the type of contact"})
    with_name = _text("Who the contact is with", "Enter who the contact is with", hint="Their name")
    relationship = forms.ChoiceField(label="Their relationship to the child", choices=RELATIONSHIP_CHOICES,
                                     error_messages={"required": "Choose their relationship to the child"})
    times_a_year = forms.TypedChoiceField(
        label="How many times a year", required=False, coerce=int, empty_value=None,
        choices=[("", "Not set: use the months below")] + [(n, str(n)) for n in rules.TIMES_A_YEAR])
    months = _text("Or: in which months", required=False, max_length=40,
                   hint="Month numbers separated by commas, for example 3, 9 for March and September")
    day_of_month = forms.IntegerField(label="Day of the month", required=False, min_value=1, max_value=31,
                                      initial=1, error_messages=dict.fromkeys(
                                          ("invalid", "min_value", "max_value"),
                                          "Enter a day of the month from 1 to 31"))
    letterbox_ways = forms.ChoiceField(label="Letterbox: which way", choices=list(rules.LETTERBOX_WAYS.items()),
                                       initial="both", widget=forms.RadioSelect, required=False)
    start_on = _date("Start date", "Enter the date the arrangement starts")
    end_on = _date("End date", "", required=False, kind="planned")
    notes = _text("Notes", required=False, textarea=True)

    def clean(self):
        data = super().clean()
        if data.get("kind") == rules.Kind.LETTERBOX and not data.get("times_a_year") and not data.get("months"):
            self.add_error("times_a_year", "Enter how many times a year, or the months")
        return data


class StepForm(core_forms.Form):
    def __init__(self, *args, step: rules.Step, **kwargs):
        super().__init__(*args, **kwargs)
        label = rules.STEP_LABELS[step]
        self.fields["on"] = _date(f"Date it was {label}", f"Enter the date the exchange was {label}")
        if step is rules.Step.REDACTED:
            self.fields["reason"] = _text("Reason for the redaction", "Enter the reason for the redaction",
                                          textarea=True, hint="What was removed and why, for example an address")
        self.fields["notes"] = _text("Notes", required=False, textarea=True)


class ReviewForm(core_forms.Form):
    held_on = _date("Date of the review", "Enter the date of the review")
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=[("continue", "Continue as planned"), ("changed", "Arrangements changed")],
                                error_messages={"required": "Choose the outcome of the review"})
    changes = _text("What changed", required=False, textarea=True)


class OfferForm(core_forms.Form):
    relative_name = _text("Relative's name", "Enter the relative's name")
    relationship = forms.ChoiceField(label="Relationship to the child", choices=RELATIONSHIP_CHOICES,
                                     error_messages={"required": "Choose the relative's relationship to the child"})
    offered_on = _date("Date support was offered", "Enter the date support was offered")
    offered_by = _text("Offered by", "Enter who offered the support",
                       hint="The worker, or the independent provider, who offered it")
    response = forms.ChoiceField(label="Response", widget=forms.RadioSelect, initial=rules.Response.NO_RESPONSE,
                                 choices=[(str(k), v) for k, v in rules.RESPONSE_LABELS.items()])
    response_on = _date("Date of the response", "", required=False)
    notes = _text("Notes", required=False, textarea=True)


class ResponseForm(core_forms.Form):
    response = forms.ChoiceField(label="Response", widget=forms.RadioSelect,
                                 choices=[(str(k), v) for k, v in rules.RESPONSE_LABELS.items()],
                                 error_messages={"required": "Choose the relative's response"})
    response_on = _date("Date of the response", "", required=False)


class SessionForm(core_forms.Form):
    held_on = _date("Date of the session", "Enter the date of the session")
    notes = _text("Notes", required=False, textarea=True)


class OverdueFilterForm(core_forms.Form):
    which = forms.ChoiceField(label="Overdue", required=False, widget=forms.RadioSelect, choices=[
        ("", "To arrive or to forward"), ("arrive", "To arrive"), ("forward", "To forward")])


class ReviewsFilterForm(core_forms.Form):
    show = forms.ChoiceField(label="Show", required=False, widget=forms.RadioSelect, choices=[
        ("", "Overdue or due in the next 90 days"), ("overdue", "Overdue only"), ("all", "Every plan")])


def _months(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=60, error_messages={
        "required": f"Enter the {label.lower()}", **dict.fromkeys(
            ("invalid", "min_value", "max_value"), f"The {label.lower()} must be a whole number from 1 to 60")})


class SettingsForm(VersionedForm, core_forms.Form):
    first_review_months = _months("Months from the adoption order to the first review")
    later_review_months = _months("Months between later reviews")
    source = _text("Source", "Enter who decided the intervals", max_length=300,
                   hint="For example, the RAA's contact practice standard, March 2026")
