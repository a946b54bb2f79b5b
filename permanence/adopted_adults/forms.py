"""Adopted adults' forms: they only parse; the services check the journey."""

from __future__ import annotations

from django import forms

from permanence.adopted_adults import rules
from permanence.adopted_adults.models import AdultRequest
from permanence.core import forms as core_forms
from permanence.core.forms import DateField
from permanence.journeys import forms as journey_forms
from permanence.organisations.models import Organisation

DATE_HINT = "For example, 27 3 2025"


def _said_type(details) -> str:
    return f"Type: {rules.REQUEST_TYPES.get(details['type'], details['type'])}."


ASKS = journey_forms.Asks(
    journey=rules.JOURNEY,
    details={
        "type": journey_forms.Ask("Type of request", said=_said_type),
        "priority": journey_forms.Ask("Priority", said="{}",
                                      help_text="The very elderly and the seriously ill are seen first."),
        "reason": journey_forms.Ask("Why this priority?", required=False, said="Why: {}",
                                    help_text="Needed for a priority: for example, aged 88, or a terminal illness."),
        "agency": journey_forms.Ask("Which agency holds the records?", asked_as=journey_forms.LINE,
                                    said="Agency: {}", help_text="For example, a council, a voluntary adoption "
                                                                 "agency or a court."),
        "relative": journey_forms.Ask("Which birth relative?", asked_as=journey_forms.LINE, said="Birth relative: {}",
                                      help_text="For example, birth mother, or a brother."),
        "response": journey_forms.Ask("Their response", said="Response: {}"),
        "outcome": journey_forms.Ask("Outcome", said="Outcome: {}"),
        "withdrawal_reason": journey_forms.Ask("Why was the request withdrawn?", said="Why: {}"),
        "summary": journey_forms.Ask("Summary", required=False, said="{}",
                                     help_text="What was covered (no more than the record needs)."),
    },
    date_hint=DATE_HINT,
    also={rules.Kind.TRIAGED: ("reason",), rules.Kind.FIRST_INTERVIEW: ("summary",),
          rules.Kind.COUNSELLING_SESSION: ("summary",)},
)

REQUIRED = {
    "priority": "Choose the priority: very elderly, seriously ill or standard.",
    "agency": "Enter the agency the records are requested from.",
    "relative": "Enter which birth relative was traced, for example birth mother.",
    "response": "Choose the birth relative's response.",
    "outcome": "Choose the outcome of the request.",
    "withdrawal_reason": "Say why the request was withdrawn.",
    "date": "Enter the date it happened.",
}


def _govuk_messages(form: core_forms.Form) -> None:
    for name, message in REQUIRED.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message


class EventForm(journey_forms.EventForm):
    """One step of a request. Records received: the agency is one of those whose records are awaited."""

    asks = ASKS

    def __init__(self, *args, kind, state=lambda: None, **kwargs):
        super().__init__(*args, kind=kind, state=state, **kwargs)
        _govuk_messages(self)
        if kind is rules.Kind.RECORDS_RECEIVED:
            current = state()
            agencies = current.outstanding_agencies if current is not None else []
            self.fields["agency"] = forms.ChoiceField(
                label="Which agency sent the records?", choices=[(a, a) for a in agencies], widget=forms.RadioSelect,
                error_messages={"required": "Choose the agency the records came from."})


class CorrectionForm(journey_forms.CorrectionForm):
    asks = ASKS


# ---------------------------------------------------------------------------------------------
# Recording a request


class RequestForm(core_forms.Form):
    request_type = forms.ChoiceField(
        label="What are they asking for?", widget=forms.RadioSelect,
        choices=list(rules.REQUEST_TYPES.items()),
        error_messages={"required": "Choose what the adopted adult is asking for."})
    received_on = DateField(label="Date the request was received", help_text=DATE_HINT,
                            error_messages={"required": "Enter the date the request was received."})
    contact_method = forms.ChoiceField(
        label="How did they contact the RAA?", widget=forms.RadioSelect, choices=AdultRequest.Contact.choices,
        error_messages={"required": "Choose how they contacted the RAA."})
    first_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter their first name."})
    last_name = forms.CharField(label="Last name", max_length=100,
                                error_messages={"required": "Enter their last name."})
    birth_name = forms.CharField(label="Name at birth", max_length=200, required=False,
                                 help_text="If different: the name on their original birth certificate.")
    date_of_birth = DateField(kind="birth", label="Date of birth", help_text="For example, 14 6 1968",
                              error_messages={"required": "Enter their date of birth."})
    email = forms.EmailField(label="Email address", required=False, error_messages={
        "invalid": "Enter an email address in the correct format, like name@example.com."})
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    adoption_year = forms.IntegerField(label="Year of the adoption", required=False, min_value=1900,
                                       max_value=2100, help_text="For example, 1974", error_messages={
                                           "invalid": "Enter the year of the adoption as a number, like 1974.",
                                           "min_value": "Enter a year of the adoption from 1900.",
                                           "max_value": "Enter a real year of the adoption, like 1974."})
    adoption_agency = forms.ModelChoiceField(
        label="Agency that arranged the adoption", queryset=Organisation.objects.none(), required=False,
        empty_label="Not one of these", help_text="If it is one Permanence knows.")
    adoption_agency_name = forms.CharField(
        label="Agency that arranged the adoption, in words", max_length=200, required=False,
        help_text="For example, a former county council or a voluntary adoption society.")
    worker = forms.ModelChoiceField(label="Allocated worker", queryset=None, required=False,
                                    empty_label="Not allocated yet")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda s: s.get_full_name()
        self.fields["adoption_agency"].queryset = Organisation.objects.order_by("kind", "name")


class AllocateForm(core_forms.Form):
    worker = forms.ModelChoiceField(label="Allocated worker", queryset=None, required=False,
                                    empty_label="Not allocated")

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda s: s.get_full_name()


class FilterForm(core_forms.Form):
    request_type = forms.ChoiceField(label="Type", required=False,
                                     choices=[("", "Any type"), *rules.REQUEST_TYPES.items()])
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage")] + [
        (s.value, rules.STAGE_LABELS[s]) for s in rules.STAGE_ORDER if s is not rules.Stage.NEW])
    priority = forms.ChoiceField(label="Priority", required=False,
                                 choices=[("", "Any priority"), *rules.PRIORITIES.items(),
                                          ("untriaged", "Not yet triaged")])
    worker = forms.ModelChoiceField(label="Worker", queryset=None, required=False, empty_label="Any worker")
    open_only = forms.BooleanField(label="Open requests only", required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda s: s.get_full_name()
