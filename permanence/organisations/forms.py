from django import forms

from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField
from permanence.organisations.models import LAPolicy, Role, Team


class PolicyForm(VersionedForm, core_forms.Form):
    version_related = ("policies",)  # a new version of the LA's policy is a change to it
    effective_from = DateField(kind="planned", label="Takes effect from", help_text="For example, 1 4 2025")
    case_holding = forms.ChoiceField(label="Who holds the case after the placement order?",
                                     choices=LAPolicy.CaseHolding.choices, widget=forms.RadioSelect)
    age_limit = forms.IntegerField(label="Age limit in years", required=False, min_value=0, max_value=17,
                                   help_text="Only for transfer by age: children aged this many years or under at "
                                             "the placement order transfer to the RAA.")
    should_be_placed_delegated = forms.BooleanField(
        label="The should-be-placed decision is delegated to the RAA's agency decision maker", required=False)
    match_delegated = forms.BooleanField(label="The match decision is delegated to the RAA's agency decision maker",
                                         required=False)
    cpr_writer = forms.ChoiceField(label="Who writes the child permanence report (CPR)?",
                                   choices=LAPolicy.Side.choices, widget=forms.RadioSelect)
    lsb_writer = forms.ChoiceField(label="Who writes the life story book?", choices=LAPolicy.Side.choices,
                                   widget=forms.RadioSelect)
    lll_writer = forms.ChoiceField(label="Who writes the later life letter?", choices=LAPolicy.Side.choices,
                                   widget=forms.RadioSelect)
    note = forms.CharField(label="Source or note", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="For example, the partnership agreement or board minute.")


class LAForm(core_forms.Form):
    code = forms.CharField(label="DfE LA code", max_length=3, help_text="Three digits, for example 801",
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}))
    name = forms.CharField(label="Name", max_length=200)


class TeamForm(core_forms.Form):
    organisation = forms.ChoiceField(label="Organisation")
    name = forms.CharField(label="Team name", max_length=200)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class StaffForm(core_forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    username = forms.CharField(label="Username", max_length=150)
    email = forms.EmailField(label="Email address", required=False)
    organisation = forms.ChoiceField(label="Organisation")
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    team = forms.ChoiceField(label="Team", required=False)
    password = forms.CharField(
        label="Temporary password", widget=forms.PasswordInput, max_length=128,
        help_text="At least 12 characters, not a common password. They must choose their own when they first sign in.",
        error_messages={"required": "Enter a temporary password"})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["team"].choices = [("", "No team")] + [
            (t.pk, str(t)) for t in Team.objects.filter(organisation__in=organisations)]
