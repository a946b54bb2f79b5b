"""Family finding's forms: they only parse; the services check the journey."""

from django import forms

from permanence.family_finding import rules

SHOW_CHOICES = [("mine", "My links"), ("team", "All the team's links")]


class BoardFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False, widget=forms.RadioSelect)
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage")] + [
        (s.value, rules.STAGE_LABELS[s]) for s in rules.STAGE_ORDER if s is not rules.Stage.NEW])
    stale = forms.BooleanField(label="Stale links only", required=False)


class ShortlistForm(forms.Form):
    include_inter_agency = forms.BooleanField(
        label="Include other agencies' approved households", required=False,
        help_text="Other RAAs' and VAAs' households, each marked inter-agency with its fee.")


class OpenLinkForm(forms.Form):
    """Opening a link from a shortlist entry: nothing to ask beyond the button."""


LABELS = {
    "by": "Who expressed interest?", "panel_date": "Date of the matching panel", "recommendation": "Recommendation",
    "decision": "Decision", "summary": "What happened", "reason": "Why did the link end?",
    "why": "In their words",
}
HINTS = {"why": "For a decline, what the adopters or the agency said (for example, travel distance). It is shown "
                "on the household's next shortlists."}
ALSO = {rules.Kind.ENDED: ("why",)}  # details asked beyond those the table requires or checks
DATES = frozenset({"panel_date"})


class StepForm(forms.Form):
    """One step of a link: its date, the details its row of the table takes (a choice as radios), a note."""

    def __init__(self, *args, kind: rules.Kind, **kwargs):
        from permanence.core.forms import DateField

        super().__init__(*args, **kwargs)
        t = rules.TRANSITIONS[kind]
        self.fields["date"] = DateField(label="Date", help_text="For example, 27 3 2025")
        choices = {c.name: c for c in t.accepts}
        for name in dict.fromkeys((*t.details, *choices, *ALSO.get(kind, ()))):
            common = {"label": LABELS.get(name, name.replace("_", " ").capitalize()), "required": name in t.details,
                      "help_text": HINTS.get(name, "")}
            if name in choices:
                self.fields[name] = forms.ChoiceField(choices=list(dict(choices[name].values).items()),
                                                      widget=forms.RadioSelect, **common)
            elif name in DATES:
                self.fields[name] = DateField(**common)
            else:
                self.fields[name] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        self.fields["note"] = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def details(self) -> dict:
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in self.cleaned_data.items()
                if k not in ("date", "note") and v not in (None, "")}


class CorrectStepForm(forms.Form):
    def __init__(self, *args, **kwargs):
        from permanence.core.forms import DateField

        super().__init__(*args, **kwargs)
        self.fields["action"] = forms.ChoiceField(
            label="What do you want to do?", widget=forms.RadioSelect, initial="correct",
            choices=[("correct", "Correct the date"), ("withdraw", "Withdraw it: it was recorded in error")])
        self.fields["date"] = DateField(label="Correct date", required=False,
                                        help_text="Leave as it is to keep the date.")
        self.fields["reason"] = forms.CharField(label="Reason for the correction",
                                                widget=forms.Textarea(attrs={"rows": 3}),
                                                help_text="This is kept in the link's audit trail.")
