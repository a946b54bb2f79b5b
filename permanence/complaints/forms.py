"""The forms parse what is typed; the services check it (and say what is wrong in the same words)."""

from __future__ import annotations

from django import forms

from permanence.complaints import rules
from permanence.complaints.models import ComplaintTheme
from permanence.core import forms as core_forms
from permanence.core.forms import DateField, ModelMultipleChoiceField


def _choices(enum, labels):
    return [(m.value, labels[m]) for m in enum]


class ComplaintForm(core_forms.Form):
    received_on = DateField(label="Date received", error_messages={"required": "Enter the date the complaint was received"})
    complainant_type = forms.ChoiceField(label="Who made the complaint",
                                         choices=_choices(rules.ComplainantType, rules.COMPLAINANT_LABELS),
                                         widget=forms.RadioSelect,
                                         error_messages={"required": "Choose who made the complaint"})
    summary = forms.CharField(label="What the complaint is about", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "Enter what the complaint is about"})
    themes = ModelMultipleChoiceField(label="Themes", required=False, widget=forms.CheckboxSelectMultiple,
                                            queryset=ComplaintTheme.objects.filter(active=True))


class EscalateForm(core_forms.Form):
    on = DateField(label="Date the complainant asked for the next stage",
                   error_messages={"required": "Enter the date the complainant asked for the next stage"})


class PanelForm(core_forms.Form):
    panel_on = DateField(label="Date the review panel sat", error_messages={"required": "Enter the date the panel sat"})


class CloseForm(core_forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=_choices(rules.Outcome, rules.OUTCOME_LABELS),
                                widget=forms.RadioSelect, error_messages={"required": "Choose the outcome"})
    on = DateField(label="Date of the response", error_messages={"required": "Enter the date of the response"})
    lessons_learned = forms.CharField(label="Lessons learned", required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))


class PeriodForm(core_forms.Form):
    start = DateField(kind="period", label="From", required=False)
    end = DateField(kind="period", label="To", required=False)


YES_NO = [("yes", "Yes"), ("no", "No")]
SCALE = [(str(i), str(i)) for i in range(1, 6)]


class FeedbackForm(core_forms.Form):
    """One field per question of the survey version (built from its data)."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"] = DateField(label="Date the feedback was given",
                                               error_messages={"required": "Enter the date the feedback was given"})
        for q in survey.questions:
            if q["kind"] == rules.QuestionKind.SCALE:
                field = forms.ChoiceField(label=f"{q['text']} (1 = poor, 5 = excellent)", choices=SCALE,
                                          widget=forms.RadioSelect, required=False)
            elif q["kind"] == rules.QuestionKind.YES_NO:
                field = forms.ChoiceField(label=q["text"], choices=YES_NO, widget=forms.RadioSelect, required=False)
            else:
                field = forms.CharField(label=q["text"], widget=forms.Textarea(attrs={"rows": 3}), required=False)
            self.fields[q["key"]] = field
