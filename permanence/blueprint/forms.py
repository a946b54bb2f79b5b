from __future__ import annotations

from django import forms

from permanence.blueprint import rules
from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField

UNSCORED = ""
SCORE_CHOICES = [(str(s), f"{s}: {label}") for s, label in rules.SCORE_LABELS.items()] + [(UNSCORED, "Not scored")]


class ReviewForm(VersionedForm, core_forms.Form):
    version_related = ("scores",)
    """The review's date and reviewer, then for each domain of the version: a score (or not scored), commentary
    and evidence."""

    reviewed_on = DateField(kind="past", label="Date of the review", help_text="For example, 27 3 2026",
                            error_messages={"required": "Enter the date of the review"})
    reviewer = forms.CharField(label="Reviewer", max_length=200, help_text="Who carried out the review",
                               error_messages={"required": "Enter who carried out the review"})

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(version.domains.all())
        for d in self.domains:
            self.fields[f"score_{d.number}"] = forms.ChoiceField(
                label=f"Score for domain {d.number}", choices=SCORE_CHOICES, required=False,
                widget=forms.RadioSelect, initial=UNSCORED,
                error_messages={"invalid_choice": f"Score domain {d.number} 0, 1, 2 or 3, or choose Not scored"})
            self.fields[f"commentary_{d.number}"] = forms.CharField(
                label=f"Commentary on domain {d.number}", required=False, widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[f"evidence_{d.number}"] = forms.CharField(
                label=f"Evidence seen for domain {d.number}", required=False,
                widget=forms.Textarea(attrs={"rows": 2}))

    def sections(self):
        return [(d, self[f"score_{d.number}"], self[f"commentary_{d.number}"], self[f"evidence_{d.number}"])
                for d in self.domains]

    def scores(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {d.number: {"score": data.get(f"score_{d.number}") or None,
                           "commentary": data.get(f"commentary_{d.number}", ""),
                           "evidence": data.get(f"evidence_{d.number}", "")} for d in self.domains}


class ResultsForm(core_forms.Form):
    """Which reviews the results use: one version of the template (the newest unless chosen; scores from different
    versions are never mixed), the dates, and the latest of each RAA or every review."""

    version = forms.TypedChoiceField(label="Template version", coerce=int, required=False,
                                     help_text="Results use the reviews scored against this version only",
                                     error_messages={"invalid_choice": "Choose a version of the template"})
    start = DateField(kind="period", label="Reviews from", required=False)
    end = DateField(kind="period", label="Reviews to", required=False)
    which = forms.ChoiceField(label="Which reviews", widget=forms.RadioSelect, initial="latest",
                              choices=[("latest", "The latest review of each RAA in the dates"),
                                       ("all", "Every review in the dates")], required=False)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [
            (v.version, f"Version {v.version}: {v.title} (from {v.valid_from:%-d %B %Y})") for v in versions]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data
