"""Forms for the performance surgery pages. They only parse: every rule is checked by performance.services.
Messages for missing answers say what to enter, as the services' own messages do."""

from __future__ import annotations

from django import forms

from permanence.core import forms as core_forms
from permanence.core.forms import DateField
from permanence.organisations.models import Role

DATE_HINT = "For example, 27 3 2026"


class StaffChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Choose a person from the list."}

    def label_from_instance(self, obj) -> str:
        team = f", {obj.team.name}" if getattr(obj, "team", None) else ""
        return f"{obj.get_full_name() or obj.username} ({Role(obj.role).label}{team})"


class AgreeActionForm(core_forms.ConfirmWarnings, core_forms.Form):
    text = forms.CharField(label="Action agreed", max_length=500,
                           error_messages={"required": "Enter the action agreed, for example 'Send the CPR to the "
                                                       "LA's agency decision maker'."},
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="What is to be done, in a sentence. For example, 'Send the CPR to the LA's "
                                     "agency decision maker'.")
    owner = StaffChoiceField(label="Who owns it", queryset=None, empty_label="Choose a person",
                             error_messages={"required": "Choose who owns the action."})
    due_by = DateField(kind="planned", label="Due by", help_text=DATE_HINT,
                       error_messages={"required": "Enter the date the action is due by."})
    agreed_on = DateField(label="Date of the surgery", help_text=DATE_HINT,
                          error_messages={"required": "Enter the date of the surgery."})

    confirm_label = "Yes, I understand – agree the action anyway"

    def __init__(self, *args, owners, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["owner"].queryset = owners.select_related("team")
        self.fields["text"].error_messages["max_length"] = "The action must be 500 characters or fewer."

    def warnings(self) -> list[str]:
        """An action due in the past (a surgery recorded late) is allowed, but is overdue as soon as it is saved."""
        due, agreed = self.cleaned_data.get("due_by"), self.cleaned_data.get("agreed_on")
        if agreed is not None and due is not None and due < agreed:
            return []  # refused by the service, with its own message: no confirmation would make it right
        if self.today is not None and due is not None and due < self.today:
            return [f"The action is due by {core_forms.long_date(due)}, which is in the past: it will show as "
                    "overdue straight away."]
        return []


class CompleteActionForm(core_forms.Form):
    on = DateField(label="Date it was done", help_text=DATE_HINT,
                   error_messages={"required": "Enter the date it was done."})
    outcome = forms.CharField(label="What was done", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="For example, 'CPR sent to the ADM on 3 March; decision booked for 17 March'.")


class EscalateActionForm(core_forms.Form):
    to = StaffChoiceField(label="Escalate to", queryset=None, empty_label="Choose a manager",
                          help_text="A team manager or the head of service.",
                          error_messages={"required": "Choose who to escalate the action to."})
    reason = forms.CharField(label="Why it is being escalated", max_length=2000,
                             error_messages={"required": "Say why the action is being escalated, for example what is "
                                                         "blocking it."},
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="What is blocking it and what you need, for example a decision or paperwork "
                                       "from another team.")
    on = DateField(label="Date of the escalation", help_text=DATE_HINT,
                   error_messages={"required": "Enter the date of the escalation."})

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = targets.select_related("team")


class WithdrawActionForm(core_forms.Form):
    reason = forms.CharField(label="Why it is no longer needed", max_length=2000,
                             error_messages={"required": "Say why the action is no longer needed."},
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="For example, 'The plan changed at the LAC review on 3 March'.")
    on = DateField(label="Date it was withdrawn", help_text=DATE_HINT,
                   error_messages={"required": "Enter the date it was withdrawn."})


class SurgeryFilterForm(core_forms.Form):
    """The surgery list's filters (by GET): the kinds of item and how long overdue. Nothing ticked: everything.
    The choices come from performance.rules.surgery; the view adds each option's count to its label."""

    kind = forms.MultipleChoiceField(
        label="Kind of item", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Listed in this order of priority.",
        error_messages={"invalid_choice": "Choose kinds of item from the list."})
    age = forms.MultipleChoiceField(
        label="How long overdue", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Months are calendar months before today.",
        error_messages={"invalid_choice": "Choose how long overdue from the list."})

    def __init__(self, *args, **kwargs):
        from permanence.performance.rules import surgery as ranking

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in ranking.SURGERY_KINDS]
        self.fields["age"].choices = [(b.key, b.label) for b in ranking.SURGERY_AGE_BANDS]

    def chosen(self, name: str) -> frozenset[str]:
        """The values ticked for `name`, leaving out any not on the list (the form says so)."""
        allowed = {value for value, _ in self.fields[name].choices}
        return frozenset(v for v in self.data.getlist(name) if v in allowed) if hasattr(self.data, "getlist") \
            else frozenset()

    def label_counts(self, name: str, counts: dict[str, int]) -> None:
        self.fields[name].choices = [(value, f"{label} ({counts.get(value, 0)})")
                                     for value, label in self.fields[name].choices]
