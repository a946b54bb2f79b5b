"""Family finding's forms: they only parse; the services check the journey."""

from datetime import date

from django import forms

from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField, ModelMultipleChoiceField
from permanence.core.templatetags.govuk import govuk_date
from permanence.family_finding import matching, rules, services
from permanence.family_finding.models import ChildMatchingProfile
from permanence.journeys import forms as journey_forms
from permanence.organisations.models import Organisation

SHOW_CHOICES = [("mine", "My links"), ("team", "All the team's links")]


class BoardFilterForm(core_forms.Form):
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False, widget=forms.RadioSelect)
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage")] + [
        (s.value, rules.STAGE_LABELS[s]) for s in rules.STAGE_ORDER if s is not rules.Stage.NEW])
    stale = forms.BooleanField(label="Stale links only", required=False)


class ShortlistForm(core_forms.Form):
    include_inter_agency = forms.BooleanField(
        label="Include other agencies' approved households", required=False,
        help_text="Other RAAs' and VAAs' households, each marked inter-agency with its fee.")


class OpenLinkForm(core_forms.Form):
    """Opening a link from a shortlist entry: nothing to ask beyond the button."""


def _said_panel(details) -> str:
    return f"Matching panel on {govuk_date(date.fromisoformat(str(details['panel_date'])))}."


def _said_interest(details) -> str:
    return f"Interest from {rules.INTEREST_BY.get(details['by'], details['by']).lower()}."


ASKS = journey_forms.Asks(
    journey=rules.JOURNEY,
    details={
        "by": journey_forms.Ask("Who expressed interest?", said=_said_interest),
        "panel_date": journey_forms.Ask("Date of the matching panel", asked_as=journey_forms.DATE,
                                        help_text="For example, 27 3 2025", said=_said_panel),
        "recommendation": journey_forms.Ask("Recommendation", said="Recommendation: {}"),
        "decision": journey_forms.Ask("Decision", said="Decision: {}"),
        "summary": journey_forms.Ask("What happened", said="{}", said_as_given=True),
        "reason": journey_forms.Ask("Why did the link end?", said="Reason: {}"),
        "why": journey_forms.Ask(
            "In their words", required=False, said="In their words: {}",
            help_text="For a decline, what the adopters or the agency said (for example, travel distance). It is "
                      "shown on the household's next shortlists."),
    },
    date_hint="For example, 27 3 2025",
    also={rules.Kind.ENDED: ("why",)},  # details asked beyond those the table requires or checks
)


class EventForm(journey_forms.EventForm):
    """One step of a link: its date, the details its row of the table takes (a choice as radios), a note."""

    asks = ASKS


class CorrectionForm(journey_forms.CorrectionForm):
    asks = ASKS


# ---------------------------------------------------------------------------------------------
# The child's matching profile

YES_NO_NOT_RECORDED = [("yes", "Yes"), ("no", "No"), ("", "Not recorded")]
_AS_BOOL = {"yes": True, "no": False, "": None}
_AS_CHOICE = {True: "yes", False: "no", None: ""}
CONTACT_FIELDS = ("letterbox_contact", "direct_contact", "sibling_contact")


def _miles_field(label: str, hint: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, help_text=hint, error_messages={
        "invalid": f"The {label.lower().removesuffix(' (miles)')} must be a whole number of miles, like 50."})


class MatchingProfileForm(VersionedForm, core_forms.Form):
    """The child's matching profile: location rules, the contact the plan needs, early permanence, religion and
    languages. Parses only: services.save_matching_profile checks the districts and the rules together."""

    version_related = ("avoid_las",)

    avoid_birth_family_la = forms.BooleanField(label="The child must not be placed in the birth family's LA",
                                               required=False)
    birth_family_la = forms.ModelChoiceField(
        label="The birth family's LA", queryset=None, required=False,
        help_text="Leave blank if the birth family lives in the child's own LA.")
    avoid_las = ModelMultipleChoiceField(label="Other LAs the child must not be placed in", queryset=None,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    avoid_places = forms.CharField(
        label="Postcode districts or areas the child must not be placed in", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Separate them with commas or new lines, for example LS6, BD. A district such as W1 covers W1D; "
                  "an area such as BD covers every BD district.")
    reference_district = forms.CharField(
        label="Postcode district distances are measured from", required=False, max_length=8,
        help_text="For example, the birth family's district: LS6. Only the district, never the full postcode.")
    max_distance_miles = _miles_field("Maximum distance (miles)", "Leave out households further away than this.")
    min_distance_miles = _miles_field("Minimum distance (miles)", "Leave out households nearer than this.")
    require_known_distance = forms.BooleanField(
        label="Leave out households whose distance is not known", required=False,
        help_text="When the distance is about safety: a household without a postcode in the table is left out "
                  "until one is recorded.")
    letterbox_contact = forms.TypedChoiceField(label="Does the plan need letterbox contact?",
                                               choices=YES_NO_NOT_RECORDED, required=False,
                                               coerce=_AS_BOOL.__getitem__, empty_value=None, widget=forms.RadioSelect)
    direct_contact = forms.TypedChoiceField(label="Does the plan need direct contact with the birth family?",
                                            choices=YES_NO_NOT_RECORDED, required=False,
                                            coerce=_AS_BOOL.__getitem__, empty_value=None, widget=forms.RadioSelect)
    sibling_contact = forms.TypedChoiceField(label="Does the plan need contact with brothers or sisters?",
                                             choices=YES_NO_NOT_RECORDED, required=False,
                                             coerce=_AS_BOOL.__getitem__, empty_value=None, widget=forms.RadioSelect)
    early_permanence = forms.ChoiceField(label="Does the child need an early permanence placement?", required=False,
                                         widget=forms.RadioSelect,
                                         help_text="Fostering for adoption or concurrent planning.")
    religion = forms.CharField(label="Religion", required=False, max_length=100,
                               help_text="The religion the child is to be brought up in, if the plan says.")
    languages = forms.CharField(label="Languages", required=False, max_length=200,
                                help_text="Separate them with commas, for example English, Polish.")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, profile, child_la: str = "", **kwargs):
        initial = {}
        if profile is not None:
            initial = {name: getattr(profile, name) for name in (
                "avoid_birth_family_la", "birth_family_la", "reference_district", "max_distance_miles",
                "min_distance_miles", "require_known_distance", "early_permanence", "religion", "languages",
                "notes")}
            initial["avoid_las"] = list(profile.avoid_las.all()) if profile.pk else []
            initial["avoid_places"] = ", ".join(profile.avoid_places or [])
        for name in CONTACT_FIELDS:
            initial[name] = _AS_CHOICE[getattr(profile, name, None)]
        super().__init__(*args, initial=initial, **kwargs)
        las = Organisation.objects.filter(kind=Organisation.Kind.LA).order_by("name")
        self.fields["birth_family_la"].queryset = las
        self.fields["birth_family_la"].empty_label = f"The child's LA ({child_la})" if child_la else "The child's LA"
        self.fields["avoid_las"].queryset = las
        self.fields["early_permanence"].choices = [
            (ChildMatchingProfile.EarlyPermanence.NEEDED, "Needed"),
            (ChildMatchingProfile.EarlyPermanence.POSSIBLE, "Possible"),
            (ChildMatchingProfile.EarlyPermanence.NOT_CONSIDERED, "Not considered")]

    def values(self) -> dict:
        return dict(self.cleaned_data)


# ---------------------------------------------------------------------------------------------
# The RAA's matching weights


class MatchingWeightsForm(VersionedForm, core_forms.Form):
    """A new version of the RAA's weights: each factor's points, the spread cap, the source and the date it
    applies from. Parses only: services.set_matching_weights checks the ranges and the date."""

    version_related = ("matching_weights",)  # a new version of the RAA's weights is a change to them

    def __init__(self, *args, points: dict, cap: int | None, **kwargs):
        low, high = services.WEIGHT_RANGE
        super().__init__(*args, initial={**points, "cap": cap}, **kwargs)
        for factor in matching.FACTORS:
            label = matching.FACTOR_LABELS[factor]
            self.fields[factor] = forms.FloatField(
                label=label[0].upper() + label[1:], help_text=FACTOR_HINTS.get(factor), min_value=low,
                max_value=high, widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                error_messages={"required": f"Enter the points for {label}.", **dict.fromkeys(
                    ("invalid", "min_value", "max_value"),
                    f"The points for {label} must be a number from {low} to {high}.")})
        self.fields["cap"] = forms.IntegerField(
            label="Spread cap", required=False, min_value=services.CAP_RANGE[0], max_value=services.CAP_RANGE[1],
            help_text="Leave out a household already put forward for this many children. Leave blank for no cap.",
            error_messages=dict.fromkeys(("invalid", "min_value", "max_value"),
                                         "The cap must be a whole number from 1 to 20, or left blank."))
        self.fields["source"] = forms.CharField(
            label="Source", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Who agreed these weights and when, for example the matching panel's minutes of 4 March 2026.",
            error_messages={"required": "Enter the source of these weights, for example the matching panel that "
                                        "agreed them."})
        self.fields["valid_from"] = DateField(kind="planned",
            label="Date they apply from", help_text="Today or later. For example, 27 3 2026",
            error_messages={"required": "Enter the date the weights apply from."})

    @property
    def factor_fields(self):
        return [self[f] for f in matching.FACTORS]

    def points(self) -> dict:
        return {f: self.cleaned_data[f] for f in matching.FACTORS}


FACTOR_HINTS = {
    "needs_margin": "How far they can meet more than the child needs.",
    "heritage": "A shared or open heritage; minus when they listed others.",
    "contact": "They support the contact the plan needs; minus for each kind missing.",
    "experience": "Previous adopters, or parented a child with similar needs.",
    "distance": "A cost: further away, and beyond what they said they would travel.",
    "household_waiting": "How long since their approval.",
    "child_waiting": "How long the child has waited.",
    "decline": "A cost: they declined this child, or a similar one, in the last year.",
}


CHILDREN_COUNTED = [("all", "Also those identified before the placement order"),
                    ("po", "Only those with a placement order")]


class SufficiencyFilterForm(core_forms.Form):
    la = forms.ChoiceField(label="Local authority", required=False)
    children = forms.ChoiceField(label="Waiting children counted", choices=CHILDREN_COUNTED, required=False,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, las=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].choices = [("", "All the RAA's local authorities")] + [(la.code, la.name) for la in las]


class InterAgencyFeeForm(core_forms.Form):
    """A rate of the inter-agency fee table: parses only (services.set_inter_agency_fee checks it)."""

    financial_year = forms.IntegerField(label="Financial year it starts in", help_text="2025 for 2025/26.",
                                        error_messages={"required": "Enter the year the financial year starts in",
                                                        "invalid": "Enter a year, like 2025"})
    agencies = forms.ChoiceField(label="Placements", widget=forms.RadioSelect,
                                 choices=[("la_raa", "Between LAs and RAAs"), ("vaa", "With a VAA's adopters")],
                                 error_messages={"required": "Choose the kind of placement the rate is for"})
    first_child = forms.IntegerField(label="Fee for the first (or only) child (£)", min_value=1,
                                     error_messages={"required": "Enter the fee for the first child, in pounds",
                                                     "invalid": "Enter the fee in whole pounds, like 27000",
                                                     "min_value": "Enter the fee for the first child, in pounds"})
    each_additional_child = forms.IntegerField(
        label="Fee for each further sibling placed together (£)", required=False, min_value=0,
        help_text="Leave blank if no rate is agreed: placements of siblings then show no fee.",
        error_messages={"invalid": "Enter the fee in whole pounds, like 8000",
                        "min_value": "The fee cannot be less than £0"})
    london_uplift_percent = forms.DecimalField(
        label="London weighting (%)", required=False, min_value=0, max_value=100, decimal_places=2,
        help_text="Added to the placement fee when the adopters' agency is in London.",
        error_messages={"invalid": "Enter the weighting as a number, like 10",
                        # %% – Django fills these messages' %(limit_value)s, so a bare % is a format error (a 500)
                        "min_value": "The London weighting must be between 0%% and 100%%",
                        "max_value": "The London weighting must be between 0%% and 100%%"})
    monthly_after_12_months = forms.IntegerField(
        label="Monthly fee once placed 12 months without an adoption order (£)", required=False, min_value=0,
        error_messages={"invalid": "Enter the fee in whole pounds", "min_value": "The fee cannot be less than £0"})
    source = forms.CharField(label="Source", max_length=500,
                             help_text="Where the rate comes from, for example the CoramBAAF fee schedule 2026/27.",
                             error_messages={"required": "Enter where the rate comes from"})
