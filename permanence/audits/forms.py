from __future__ import annotations

from django import forms

from permanence.audits import rules
from permanence.core import forms as core_forms
from permanence.core.forms import DateField

UNSCORED = ""
PRESENCE_CHOICES = [("yes", "Present in the file"), ("no", "Not present"), (UNSCORED, "Not answered")]


class RoundForm(core_forms.Form):
    name = forms.CharField(label="Name of the round", max_length=200, help_text="For example, Quarter 3 2026",
                           error_messages={"required": "Enter a name for the round, for example 'Quarter 3 2026'"})
    held_on = DateField(label="Start of the quarter", help_text="For example, 1 10 2026",
                        error_messages={"required": "Enter the date the round starts"})
    orders_from = DateField(kind="period", label="Adoption orders from", help_text="Sample children with an adoption order on or "
                            "after this day", error_messages={"required": "Enter the earliest adoption order date to "
                                                                          "sample from"})
    orders_to = DateField(kind="period", label="Adoption orders to", required=False, help_text="Leave blank for every order since")
    stratify_by = forms.ChoiceField(label="Draw the sample per", widget=forms.RadioSelect,
                                    choices=list(rules.STRATIFY_LABELS.items()), initial=rules.STRATIFY_GROUP,
                                    error_messages={"required": "Choose whether to draw the sample per LA or per "
                                                                "case-holding model"})
    per_stratum = forms.IntegerField(label="Cases from each", min_value=1, max_value=500, initial=10,
                                     help_text="How many children to draw from each LA or group",
                                     widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                                     error_messages={"required": "Enter how many cases to draw from each group or "
                                                                 "LA, 1 or more",
                                                     "invalid": "Enter how many cases as a whole number, like 10",
                                                     "min_value": "Enter how many cases to draw, 1 or more",
                                                     "max_value": "Draw 500 cases or fewer from each"})
    blinded = forms.BooleanField(label="Blind the auditor: hide each child's LA and case-holding group",
                                 required=False, initial=True)
    seed = forms.IntegerField(label="Seed", required=False, min_value=0, max_value=2**31 - 1,
                              help_text="Leave blank for a new random sample. The same seed, dates and children "
                                        "give the same sample.",
                              widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
                              error_messages={"invalid": "Enter the seed as a whole number, or leave it blank",
                                              "min_value": "Enter the seed as a whole number from 0",
                                              "max_value": "Enter a seed below 2147483648"})

    def clean(self):
        data = super().clean()
        if data.get("orders_from") and data.get("orders_to") and data["orders_to"] < data["orders_from"]:
            self.add_error("orders_to", "The latest adoption order date must be the same as or after the earliest")
        return data


def _score_choices(scale: str) -> list[tuple[str, str]]:
    return [(str(k), f"{k}: {v}") for k, v in rules.score_choices(scale).items()] + [(UNSCORED, "Not scored")]


class AuditForm(core_forms.Form):
    """The auditor, date and place, then per section: presence and notes; per criterion: a score, a note and –
    where the journey gave the score – the reason for a different one."""

    auditor = forms.CharField(label="Name of the auditor", max_length=200,
                              error_messages={"required": "Enter the name of the auditor"})
    audited_on = DateField(label="Date of the audit", help_text="For example, 27 3 2026",
                           error_messages={"required": "Enter the date of the audit"})
    location = forms.CharField(label="Location of the audit", max_length=200, required=False)
    notes = forms.CharField(label="General notes about the whole audit", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, version, auto, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto = auto
        self.layout = []
        for section in version.sections.prefetch_related("criteria"):
            s = section.key
            presence = None
            if section.asks_presence:
                answer = auto.presence.get(s)
                self.fields[f"present_{s}"] = forms.ChoiceField(
                    label=f"Is the {section.title.lower()} in the file?", choices=PRESENCE_CHOICES, required=False,
                    widget=forms.RadioSelect,
                    initial="yes" if answer and answer.value else UNSCORED)
                self.fields[f"presence_reason_{s}"] = forms.CharField(
                    label="Reason for a different answer from the journey's", required=False,
                    widget=forms.Textarea(attrs={"rows": 2}))
                presence = (self[f"present_{s}"], answer, self[f"presence_reason_{s}"] if answer and
                            answer.value is not None else None)
            self.fields[f"notes_{s}"] = forms.CharField(label=f"General notes on the {section.title.lower()}",
                                                       required=False, widget=forms.Textarea(attrs={"rows": 2}))
            criteria = []
            for c in section.criteria.all():
                answer = auto.scores.get((s, c.key))
                self.fields[f"score_{s}_{c.key}"] = forms.ChoiceField(
                    label=f"{c.number} {c.title}", choices=_score_choices(c.scale), required=False,
                    widget=forms.RadioSelect, help_text=c.guidance,
                    initial=str(answer.value) if answer and answer.value is not None else UNSCORED,
                    error_messages={"invalid_choice": f"Score {c.number} {c.title.lower()} from the choices, or "
                                                      "choose Not scored"})
                self.fields[f"note_{s}_{c.key}"] = forms.CharField(label=f"Notes about the score for {c.number}",
                                                                  required=False, max_length=2000)
                reason = None
                if answer and answer.value is not None:
                    self.fields[f"reason_{s}_{c.key}"] = forms.CharField(
                        label=f"Reason for changing the score of {c.number} from {answer.value}", required=False,
                        widget=forms.Textarea(attrs={"rows": 2}))
                    reason = self[f"reason_{s}_{c.key}"]
                criteria.append((c, self[f"score_{s}_{c.key}"], self[f"note_{s}_{c.key}"], answer, reason))
            self.layout.append((section, presence, self[f"notes_{s}"], criteria))

    def sections(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {section.key: {"present": data.get(f"present_{section.key}") or None,
                              "override_reason": data.get(f"presence_reason_{section.key}", ""),
                              "notes": data.get(f"notes_{section.key}", "")} for section, *_ in self.layout}

    def scores(self) -> dict[tuple[str, str], dict]:
        data = self.cleaned_data
        out = {}
        for section, _p, _n, criteria in self.layout:
            for c, *_ in criteria:
                k = f"{section.key}_{c.key}"
                out[(section.key, c.key)] = {"score": data.get(f"score_{k}") or None,
                                             "override_reason": data.get(f"reason_{k}", ""),
                                             "note": data.get(f"note_{k}", "")}
        return out


class ResultsForm(core_forms.Form):
    round = forms.TypedChoiceField(label="Audit round", coerce=int, required=False,
                                   error_messages={"invalid_choice": "Choose one of the audit rounds listed"})
    by = forms.ChoiceField(label="Compare", widget=forms.RadioSelect, required=False, initial=rules.STRATIFY_GROUP,
                           error_messages={"invalid_choice": "Choose the groups or the local authorities"},
                           choices=[(rules.STRATIFY_GROUP, "Case held by the RAA against case kept by the LA"),
                                    (rules.STRATIFY_LA, "Local authorities")])

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.pk, f"{r.name} (from {r.held_on:%-d %B %Y})") for r in rounds]
