"""Adoption support's forms: they only parse; the services check the referral and the journey."""

from __future__ import annotations

from django import forms

from permanence import access
from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField
from permanence.journeys import forms as journey_forms
from permanence.organisations.models import Organisation
from permanence.support import rules

YES_NO = [("yes", "Yes"), ("no", "No")]


class ReferralForm(core_forms.Form):
    """Recording a referral: who referred and why, the adopted child, where the family lives, safeguarding."""

    referred_on = DateField(label="Date the referral was made", help_text="For example, 27 3 2025",
                            error_messages={"required": "Enter the date the referral was made."})
    referrer_type = forms.ChoiceField(label="Who is the referral about?", widget=forms.RadioSelect,
                                      error_messages={"required": "Choose who the referral is about."})
    family_name = forms.CharField(label="The family's name (or the adult's name)", max_length=200,
                                  error_messages={"required": "Enter the family's name."})
    referrer_name = forms.CharField(label="Who referred", max_length=200,
                                    error_messages={"required": "Enter the name of the person who referred."})
    referrer_relationship = forms.CharField(label="Their relationship to the child", max_length=100, required=False,
                                            help_text="For example, adoptive mother, school, health visitor")
    reason = forms.CharField(label="Reason for the referral", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter the reason for the referral."})
    urgency = forms.ChoiceField(label="Urgency", widget=forms.RadioSelect, initial="standard",
                                choices=list(rules.URGENCIES.items()),
                                error_messages={"required": "Choose how urgent the referral is."})
    child_reference = forms.CharField(
        label="The child's Permanence reference", required=False, max_length=10,
        help_text="If Permanence holds the adopted child's record, for example P000123. Leave blank otherwise.")
    child_name = forms.CharField(label="The child's name", required=False, max_length=200,
                                 help_text="If Permanence does not hold the child's record.")
    child_date_of_birth = DateField(kind="birth", label="The child's date of birth", required=False,
                                    help_text="For example, 4 11 2016")
    adoption_order_date = DateField(kind="historic", label="Date of the adoption order", required=False,
                                    help_text="Taken from the child's journey when Permanence holds the record.")
    placing_la = forms.ModelChoiceField(label="The placing LA (the child's LA)", required=False, queryset=None,
                                        help_text="Taken from the child's record when Permanence holds it.")
    family_la = forms.ModelChoiceField(label="The LA where the family lives", required=False, queryset=None)
    safeguarding = forms.ChoiceField(label="Does the referral raise a safeguarding concern?", choices=YES_NO,
                                     widget=forms.RadioSelect, initial="no",
                                     error_messages={"required": "Say whether the referral raises a safeguarding "
                                                                 "concern."})
    safeguarding_la = forms.ModelChoiceField(label="The LA told of the concern", required=False, queryset=None)
    safeguarding_told_on = DateField(label="Date the LA was told", required=False, help_text="For example, 27 3 2025")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, raa, offers_special_guardianship: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        types = [(k, v) for k, v in rules.REFERRER_TYPES.items()
                 if k != rules.SPECIAL_GUARDIANSHIP or offers_special_guardianship]
        self.fields["referrer_type"].choices = types
        las = Organisation.objects.filter(kind=Organisation.Kind.LA).order_by("name")
        for name in ("placing_la", "family_la", "safeguarding_la"):
            self.fields[name].queryset = las
            self.fields[name].empty_label = "Choose an LA"

    def clean_child_reference(self):
        text = self.cleaned_data["child_reference"].strip().upper()
        if not text:
            return None
        digits = text[1:] if text.startswith("P") else text
        if not digits.isdigit():
            raise forms.ValidationError("Enter the child's reference as P followed by 6 numbers, for example "
                                        "P000123.")
        child = access.children_visible_to(self.user).filter(pk=int(digits)).select_related("la").first()
        if child is None:
            raise forms.ValidationError("No child with that reference is held in your RAA's LAs.")
        return child

    def referral(self) -> dict:
        d = self.cleaned_data
        out = {name: d.get(name) for name in (
            "referrer_type", "referred_on", "family_name", "referrer_name", "referrer_relationship", "reason",
            "urgency", "child_name", "child_date_of_birth", "adoption_order_date", "placing_la", "family_la",
            "safeguarding_la", "safeguarding_told_on")}
        out["safeguarding"] = d.get("safeguarding") == "yes"
        out["child"] = d.get("child_reference")
        out["child_name"] = out["child_name"] or ""
        out["referrer_relationship"] = out["referrer_relationship"] or ""
        return out


ANY = [("", "Any")]


class CaseFilterForm(core_forms.Form):
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage")] + [
        (s.value, label) for s, label in rules.STAGE_LABELS.items() if s is not rules.Stage.NEW])
    referrer_type = forms.ChoiceField(label="Referral about", required=False,
                                      choices=ANY + list(rules.REFERRER_TYPES.items()))
    urgency = forms.ChoiceField(label="Urgency", required=False, choices=ANY + list(rules.URGENCIES.items()))
    worker = forms.ChoiceField(label="Worker", required=False)
    waiting = forms.BooleanField(label="Waiting for an assessment to start", required=False)

    def __init__(self, *args, raa, **kwargs):
        super().__init__(*args, **kwargs)
        workers = access.support_workers_for(raa).order_by("last_name", "first_name")
        self.fields["worker"].choices = [("", "Anyone"), ("none", "Not allocated")] + [
            (str(w.pk), w.get_full_name() or w.username) for w in workers]


class WaitingFilterForm(CaseFilterForm):
    long_wait = forms.BooleanField(label=f"Waiting {rules.LONG_WAIT_WEEKS} weeks or more", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["stage"], self.fields["waiting"]


class SettingsForm(VersionedForm, core_forms.Form):
    offers_special_guardianship = forms.BooleanField(
        label="The RAA takes referrals from special guardianship families", required=False)
    placing_la_years = forms.IntegerField(
        label="Years after the adoption order the placing LA stays responsible", min_value=1, max_value=10,
        help_text="The law says 3 (Adoption Support Services Regulations 2005). After that, the LA where the family "
                  "lives is responsible.",
        error_messages={"required": "Enter the number of years.", "invalid": "Enter the number of years as a number.",
                        "min_value": "Enter a number of years between 1 and 10.",
                        "max_value": "Enter a number of years between 1 and 10."},
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}))


# ---------------------------------------------------------------------------------------------
# The journey's event forms


ASKS = journey_forms.Asks(
    journey=rules.JOURNEY,
    details={
        "outcome": journey_forms.Ask("Outcome", said="Outcome: {}"),
        "where": journey_forms.Ask("Where the family was signposted to", asked_as=journey_forms.LINE, required=False,
                                   help_text="Only for a family signposted elsewhere.", said="Signposted to: {}"),
        "worker": journey_forms.Ask("Worker", said=lambda d: f"Worker: {d.get('worker_name', d['worker'])}"),
        "offered": journey_forms.Ask("What was offered", said="Offered: {}"),
        "summary": journey_forms.Ask("What happened", said="{}", said_as_given=True),
        "reason": journey_forms.Ask("Outcome at closure", said="Outcome: {}"),
        "feedback": journey_forms.Ask("The family's feedback", required=False, said="Feedback: {}",
                                      help_text="What the family said about the support they had."),
    },
    date_hint="For example, 27 3 2025",
    also={rules.Kind.DUTY_OUTCOME: ("where",), rules.Kind.CLOSED: ("feedback",),
          rules.Kind.SUPPORT_PLAN_AGREED: ("summary",)},
)


class EventForm(journey_forms.EventForm):
    """One step of a support case: its date, the details its row of the table takes, a note. The worker is one
    of the RAA's support team."""

    asks = ASKS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "worker" in self.fields and self.record is not None:
            workers = access.support_workers_for(self.record.raa).order_by("last_name", "first_name")
            self.fields["worker"] = forms.ChoiceField(
                label="Worker", choices=[("", "Choose a worker")] + [
                    (str(w.pk), w.get_full_name() or w.username) for w in workers],
                error_messages={"required": "Choose the worker the case is allocated to."})
        if "summary" in self.fields and self.kind is rules.Kind.SUPPORT_PLAN_AGREED:
            self.fields["summary"].required = False
            self.fields["summary"].label = "The plan, in a line"


class CorrectionForm(journey_forms.CorrectionForm):
    asks = ASKS

