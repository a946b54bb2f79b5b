from django import forms

from permanence.children import rules
from permanence.children.models import Child, NeedCategory, NeedLevel, SiblingGroup
from permanence.core import forms as core_forms
from permanence.core.concurrency import FIELD as VERSION
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField
from permanence.journeys import forms as journey_forms
from permanence.organisations.models import Organisation, Role, Staff


class ChildForm(VersionedForm, core_forms.ModelForm):
    version_related = ("needs",)
    date_of_birth = DateField(kind="birth", required=False, label="Date of birth", help_text="For example, 27 3 2024")
    expected_date_of_birth = DateField(kind="expected_birth", required=False, label="Expected date of birth",
                                       help_text="Only for an unborn child. For example, 14 9 2026")

    class Meta:
        model = Child
        fields = ["la", "la_child_id", "first_name", "last_name", "date_of_birth", "expected_date_of_birth", "sex",
                  "ethnicity", "has_disability", "disabilities", "health_needs", "sibling_group", "la_social_worker",
                  "family_finder"]
        labels = {"la": "Local authority", "has_disability": "The child has a disability or medical condition",
                  "la_social_worker": "LA social worker", "family_finder": "RAA family finder"}
        error_messages = {
            "la_child_id": {"required": "Enter the child's ID in the LA's case system",
                            "max_length": "The LA child ID must be 40 characters or fewer"},
            "first_name": {"required": "Enter the child's first name"},
            "last_name": {"required": "Enter the child's last name"},
            "sex": {"required": "Select the child's sex"},
        }
        widgets = {"sex": forms.RadioSelect, "disabilities": forms.Textarea(attrs={"rows": 3}),
                   "health_needs": forms.Textarea(attrs={"rows": 3})}

    HEALTH_DETAILS = ("disabilities", "health_needs")

    def __init__(self, *args, las, health_details: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not health_details:  # a role that does not see them neither reads nor changes them (access)
            for name in self.HEALTH_DETAILS:
                del self.fields[name]
        self.fields["la"].queryset = las
        self.fields["la"].empty_label = None
        raa_ids = set(las.values_list("raa_id", flat=True))
        self.fields["sibling_group"].queryset = SiblingGroup.objects.filter(la__in=las)
        self.fields["la_social_worker"].queryset = Staff.objects.filter(
            organisation__in=las, role__in=[Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER], is_active=True)
        self.fields["family_finder"].queryset = Staff.objects.filter(
            organisation__in=Organisation.objects.filter(pk__in=raa_ids),
            role__in=[Role.RAA_FAMILY_FINDER, Role.RAA_TEAM_MANAGER], is_active=True)
        if self.instance.pk:
            del self.fields["la"]
        self.needs = list(NeedCategory.objects.all())
        current = {n.category_id: n.level for n in self.instance.needs.all()} if self.instance.pk else {}
        for cat in self.needs:
            self.fields[f"need_{cat.code}"] = forms.ChoiceField(
                label=cat.name, choices=NeedLevel.choices, initial=current.get(cat.pk, NeedLevel.NONE),
                widget=forms.Select, help_text=cat.description, required=True)

    @property
    def need_fields(self):
        return [self[f"need_{c.code}"] for c in self.needs]

    @property
    def detail_fields(self):
        return [f for f in self if not f.name.startswith("need_") and f.name != VERSION]

    def child_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("need_") and k not in ("la", VERSION)}

    def need_levels(self) -> dict:
        return {k.removeprefix("need_"): v for k, v in self.cleaned_data.items() if k.startswith("need_")}

    def _post_clean(self):
        # Validation lives in the service; the form only parses.
        pass


def household_reference(pk) -> str:
    from permanence.adopters.models import Household

    try:
        return f"{Household.reference_letter}{int(str(pk)):06d}"
    except ValueError:
        return str(pk)


def _real_disruption_causes(kind, state) -> list[str]:
    return [k for k in rules.DISRUPTION_CAUSES if k != rules.DISRUPTION_NOT_RECORDED]


_HOUSEHOLD = journey_forms.Ask(
    "Household (the early permanence carers)", required=True,
    help_text="Households approved as both adopters and foster carers: they can take a Fostering for Adoption or "
              "concurrent planning placement.",
    said=lambda d: f"Household: {household_reference(d['household'])}")
_CAUSE = journey_forms.Ask("Why did the placement disrupt?", required=True, offer=_real_disruption_causes,
                           said="Cause: {}")

# How the child's event forms ask for each detail (permanence.journeys.forms builds them from the table).
EVENT_ASKS = journey_forms.Asks(
    journey=rules.JOURNEY,
    date_hint="For example, 27 3 2024",
    note_first=True,
    details={
        "reason": journey_forms.Ask("Reason", said="Reason: {}", said_as_given=True),  # RD1, not its label
        "placement_type": journey_forms.Ask("Type of early permanence placement", said="Type: {}"),
        "household": _HOUSEHOLD,
        "end_reason": journey_forms.Ask("Why did the placement end?", required=True, said="Why it ended: {}"),
        "cause": _CAUSE,
        "carer": journey_forms.Ask("Who are the carers?", said="Carers: {}",
                                   help_text="Both are approved adopters. SSDA903 records U2 or U5 from this."),
        "by_foster_carers": journey_forms.Ask(
            "The adopters are the carers the child already lives with (its foster carers or its early permanence "
            "carers)", asked_as=journey_forms.FLAG, required=False,
            help_text="Tick this for a fostering for adoption or concurrent planning placement that becomes the "
                      "adoptive placement, too. Leave it unticked if the child moves to other adopters.",
            said=lambda d: "Adopted by the carers the child lived with (foster or early permanence carers)"
                           + (f", who have cared for the child since {d['moved_in_with_carers']}"
                              if d.get("moved_in_with_carers") else "") + "."),
        # The carers' move-in: the start of the early permanence placement in force, if any, is suggested (it
        # counts only if the box is ticked).
        "moved_in_with_carers": journey_forms.Ask(
            "Date the child moved in with these carers", asked_as=journey_forms.DATE, required=False,
            help_text="The day the foster or early permanence placement with these carers began: the A10 measure "
                      "counts to it. Only if the box above is ticked.",
            initial=lambda state: state.early_permanence if state.ep_in_force else None),
        "adopters": journey_forms.Ask("Prospective adopters (reference)", asked_as=journey_forms.LINE,
                                      required=False, said="Adopters: {}"),
        "recommendation": journey_forms.Ask(
            "Recommendation", required=True,
            choices={"match": "Recommended the match", "no_match": "Did not recommend"},
            said=lambda d: "The panel recommended the match." if d["recommendation"] == "match"
            else "The panel did not recommend the match."),
    },
    also={
        rules.Kind.PLACED: ("by_foster_carers", "moved_in_with_carers"),
        rules.Kind.LINKED: ("adopters",),
        rules.Kind.MATCH_DECISION: ("adopters",),
        rules.Kind.MATCHING_PANEL: ("adopters", "recommendation"),
        rules.Kind.EARLY_PERMANENCE: ("household",),
    },
    corrects={rules.Kind.DISRUPTION: {"cause": _CAUSE}, rules.Kind.EARLY_PERMANENCE: {
        "placement_type": journey_forms.Ask(
            "Type of early permanence placement",
            help_text="An SSDA903 return says only who the carers are (U2 or U5), not whether the placement is "
                      "Fostering for Adoption or concurrent planning."),
        "carer": journey_forms.Ask("Who are the carers?"),
        "household": journey_forms.Ask(
            "Household (the early permanence carers)", required=False,
            help_text="An SSDA903 return does not say which household the carers are: choose it here."),
    }},
)


class _HouseholdField(forms.ChoiceField):
    """The households offered; any other household's id is left to the service, which says why it cannot be named
    (not approved, not approved for early permanence, another agency's)."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit() or super().valid_value(value)


def household_field(child, user, *, required: bool, initial=None, help_text: str = "") -> forms.ChoiceField:
    """The early permanence household, as radios of the child's RAA's households approved for early permanence:
    by name for those who see the household, by reference for the rest (the child's LA sees households
    anonymised)."""
    from permanence import access
    from permanence.adopters import selectors as adopter_selectors

    raa = child.la.raa if child is not None else None
    households = list(adopter_selectors.early_permanence_households(raa).order_by("approved_on", "pk"))
    named = access.households_named_for(user, [h.pk for h in households]) if user is not None else set()
    choices = []
    for h in households:
        approved = f", approved {h.approved_on.day} {h.approved_on:%B %Y}" if h.approved_on else ""
        choices.append((str(h.pk), f"{h.name} ({h.reference}){approved}" if h.pk in named
                        else f"{h.reference}{approved}"))
    if not choices:
        help_text = (f"No household of {raa.name if raa else 'the RAA'} is approved for early permanence yet: "
                     "approved as both adopters and foster carers.")
    return _HouseholdField(
        label=_HOUSEHOLD.label, choices=choices, required=required, initial=initial, widget=forms.RadioSelect,
        help_text=help_text or _HOUSEHOLD.help_text,
        error_messages={"required": "Select the household the child is placed with",
                        "invalid_choice": "Select a household from the list"})


_REQUIRED_CHOICES = {"end_reason": "Select why the early permanence placement ended",
                     "cause": "Select why the placement disrupted"}


class EventForm(journey_forms.EventForm):
    asks = EVENT_ASKS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "household" in self.fields:
            self.fields["household"] = household_field(self.record, self.user, required=True)
        for name, message in _REQUIRED_CHOICES.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        if self.kind is rules.Kind.DISRUPTION:  # the cause first, then what happened in the worker's words
            reason = self.fields.pop("reason")
            reason.label, reason.error_messages["required"] = "What happened", "Enter what happened"
            self.fields["reason"] = reason

    def clean(self):
        data = super().clean()
        if self.kind is rules.Kind.PLACED and data.get("by_foster_carers") and not data.get("moved_in_with_carers") \
                and "moved_in_with_carers" not in self.errors:
            self.add_error("moved_in_with_carers", "Enter the date the child moved in with these carers")
        return data

    def details(self) -> dict:
        out = super().details()
        if self.kind is rules.Kind.PLACED and not out.get("by_foster_carers"):
            out.pop("moved_in_with_carers", None)  # a date without the box ticked says nothing
        return out


class CorrectionForm(journey_forms.CorrectionForm):
    asks = EVENT_ASKS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "household" in self.fields:
            ask = EVENT_ASKS.corrects[rules.Kind.EARLY_PERMANENCE]["household"]
            self.fields["household"] = household_field(
                self.event.child, self.user, required=False, initial=(self.event.details or {}).get("household"),
                help_text=ask.help_text)


class ChildSearchForm(core_forms.Form):
    q = forms.CharField(label="Search by name or ID", required=False)
    la = forms.ChoiceField(label="Local authority", required=False)
    stage = forms.ChoiceField(label="Stage", required=False,
                              choices=[("", "All open stages")] + [(s.value, label) for s, label in rules.STAGE_LABELS.items()
                                                                    if s is not rules.Stage.NEW])
    holder = forms.ChoiceField(label="Case holder", required=False,
                               choices=[("", "Any"), ("la", "LA"), ("raa", "RAA")])
    priority = forms.BooleanField(label="Priority children only", required=False)
    overdue = forms.BooleanField(label="Overdue actions only", required=False)
    mine = forms.BooleanField(label="Only children allocated to me", required=False)

    def __init__(self, *args, las, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].choices = [("", "All")] + [(la.code, la.name) for la in las]
