"""Forms for the adopters' pages. They only parse: every rule is checked by the services."""

from __future__ import annotations

from datetime import date

from django import forms

from permanence.adopters import guards, panel_rules, rules
from permanence.adopters.models import ETHNICITY_CHOICES, CapacityProfile, Enquiry, EnquirySource, Household
from permanence.children.models import NeedCategory, NeedLevel
from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField
from permanence.journeys import forms as journey_forms

DATE_HINT = "For example, 27 3 2025"


def _month_choices(today: date, months: int = 24) -> list[tuple[str, str]]:
    out = [("", "Any month")]
    y, m = today.year, today.month
    for _ in range(months):
        out.append((f"{y:04d}-{m:02d}", date(y, m, 1).strftime("%B %Y")))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


# ---------------------------------------------------------------------------------------------
# Enquiries


class EnquiryForm(core_forms.Form):
    received_on = DateField(label="Date the enquiry was received", help_text=DATE_HINT)
    source = forms.ModelChoiceField(label="Where did the enquiry come from?", queryset=EnquirySource.objects.none(),
                                    widget=forms.RadioSelect, empty_label=None)
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    residence_la = forms.ModelChoiceField(label="Local authority they live in", required=False,
                                          queryset=None, empty_label="Not one of our local authorities")
    residence_area = forms.CharField(label="Where they live, if not in one of our local authorities",
                                     max_length=100, required=False, help_text="For example, a town or county")

    def __init__(self, *args, las, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = EnquirySource.objects.filter(active=True)
        self.fields["source"].error_messages["required"] = "Choose where the enquiry came from."
        self.fields["residence_la"].queryset = las


class EnquiryFilterForm(core_forms.Form):
    source = forms.ModelChoiceField(label="Source", required=False, queryset=EnquirySource.objects.all(),
                                    empty_label="Any source")
    outcome = forms.ChoiceField(label="Outcome", required=False,
                                choices=[("", "Any outcome"), *Enquiry.Outcome.choices])
    month = forms.ChoiceField(label="Month received", required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices(today)


class EnquiryOutcomeForm(core_forms.Form):
    OUTCOMES = [(v, label) for v, label in Enquiry.Outcome.choices
                if v not in (Enquiry.Outcome.OPEN, Enquiry.Outcome.ROI_RECEIVED)]
    outcome = forms.ChoiceField(label="What happened?", choices=OUTCOMES, widget=forms.RadioSelect)
    on = DateField(label="Date", help_text=DATE_HINT)
    signpost_reason = forms.CharField(label="Where were they signposted, and why?", required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text="Only when they were signposted elsewhere.")


# ---------------------------------------------------------------------------------------------
# Households


APPLICANT_FIELDS = ("first_name", "last_name", "date_of_birth", "ethnicity", "religion", "languages")


class HouseholdForm(VersionedForm, core_forms.Form):
    """Registration of interest (and, without the applicants and ROI date, the household's details)."""

    roi_date = DateField(label="Date the registration of interest was received", help_text=DATE_HINT)
    name = forms.CharField(label="Household name", max_length=200, required=False,
                           help_text="How the household is known, for example 'Okafor-Reid'.")
    relationship = forms.ChoiceField(label="Relationship", choices=Household.Relationship.choices,
                                     widget=forms.RadioSelect, initial=Household.Relationship.SINGLE)
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    residence_la = forms.ModelChoiceField(label="Local authority they live in", required=False, queryset=None,
                                          empty_label="Not one of our local authorities")
    previous_adopters = forms.BooleanField(label="They have adopted before", required=False)
    approved_foster_carers = forms.BooleanField(label="They are approved foster carers", required=False)
    assessing_social_worker = forms.ModelChoiceField(label="Assessing social worker", required=False,
                                                     queryset=None, empty_label="Not allocated yet")

    def __init__(self, *args, las, workers, with_applicants: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence_la"].queryset = las
        self.fields["assessing_social_worker"].queryset = workers
        self.with_applicants = with_applicants
        if not with_applicants:
            del self.fields["roi_date"]
            return
        for n in (1, 2):
            p = f"a{n}_"
            self.fields[p + "first_name"] = forms.CharField(label="First name", max_length=100, required=False)
            self.fields[p + "last_name"] = forms.CharField(label="Last name", max_length=100, required=False)
            self.fields[p + "date_of_birth"] = DateField(kind="birth", label="Date of birth", required=False,
                                                         help_text="For example, 27 3 1985")
            self.fields[p + "ethnicity"] = forms.ChoiceField(label="Ethnicity", required=False,
                                                             choices=[("", "Not recorded"), *ETHNICITY_CHOICES])
            self.fields[p + "religion"] = forms.CharField(label="Religion", max_length=100, required=False)
            self.fields[p + "languages"] = forms.CharField(label="Languages spoken at home", max_length=200,
                                                          required=False)

    @property
    def applicant_fields_1(self):
        return [self[f"a1_{f}"] for f in APPLICANT_FIELDS]

    @property
    def applicant_fields_2(self):
        return [self[f"a2_{f}"] for f in APPLICANT_FIELDS]

    @property
    def household_fields(self):
        return [self[n] for n in ("name", "relationship", "address", "postcode", "residence_la")]

    @property
    def experience_fields(self):
        return [self["previous_adopters"], self["approved_foster_carers"]]

    def applicants(self) -> list[dict]:
        out = []
        for n in (1, 2):
            values = {f: self.cleaned_data.get(f"a{n}_{f}") for f in APPLICANT_FIELDS}
            if n == 2 and not any(values.values()):
                continue
            values = {k: v for k, v in values.items() if v not in (None, "")}
            values.setdefault("first_name", "")
            values.setdefault("last_name", "")
            out.append(values)
        return out

    def household_values(self) -> dict:
        keys = ("name", "relationship", "address", "postcode", "residence_la", "previous_adopters",
                "approved_foster_carers", "assessing_social_worker")
        return {k: self.cleaned_data[k] for k in keys}


class HouseholdFilterForm(core_forms.Form):
    RAG_CHOICES = [("", "Any"), ("red", "Red: overdue"), ("amber", "Amber: due soon"), ("green", "Green: on time"),
                   ("paused", "Paused"), ("none", "Nothing due")]
    q = forms.CharField(label="Search by name or reference", required=False, help_text="For example, H000123")
    stage = forms.ChoiceField(label="Stage", required=False,
                              choices=[("", "All stages")] + [(s.value, label) for s, label in rules.STAGE_LABELS.items()
                                                              if s is not rules.Stage.NEW])
    worker = forms.ChoiceField(label="Assessing social worker", required=False)
    rag = forms.ChoiceField(label="Status", required=False, choices=RAG_CHOICES)
    fast_track = forms.BooleanField(label="Fast track only", required=False)
    include_closed = forms.BooleanField(label="Include closed households", required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "Anyone"), ("none", "Not allocated")] + [
            (str(w.pk), w.get_full_name() or w.username) for w in workers]


class TimescaleFilterForm(core_forms.Form):
    worker = forms.ChoiceField(label="Assessing social worker", required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "Anyone"), ("none", "Not allocated")] + [
            (str(w.pk), w.get_full_name() or w.username) for w in workers]


class TargetPanelDateForm(core_forms.ConfirmWarnings, VersionedForm, core_forms.Form):
    target = DateField(kind="planned", label="Target panel date", help_text=DATE_HINT)
    reason = forms.CharField(label="Reason for moving the date", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Needed when you move a date already set. It is kept in the audit trail.")
    confirm_label = "Yes, I understand – set this target panel date anyway"

    def __init__(self, *args, household=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household, self.today = household, today

    def warnings(self) -> list[str]:
        if self.household is None or self.today is None or not self.cleaned_data.get("target"):
            return []
        return guards.target_panel_date(self.cleaned_data["target"], self.household, self.today)


def _checks_offered(kind: rules.Kind, state: rules.HouseholdState) -> list[str]:
    """The checks worth offering: those not yet requested, or requested and not yet received (else all)."""
    if kind is rules.Kind.CHECK_REQUESTED:
        codes = [c for c in rules.CHECKS if c not in state.checks_requested]
    else:
        codes = [c for c in rules.CHECKS if c in state.checks_requested and c not in state.checks_received]
    return codes or list(rules.CHECKS)


# How the household's event forms ask for each detail (permanence.journeys.forms builds them from the table).
EVENT_ASKS = journey_forms.Asks(
    journey=rules.JOURNEY,
    date_hint=DATE_HINT,
    details={
        "outcome": journey_forms.Ask("Outcome", said="Outcome: {}"),
        "check": journey_forms.Ask("Which check?", offer=_checks_offered, said="Check: {}"),
        "recommendation": journey_forms.Ask("Recommendation", said="{}"),
        "decision": journey_forms.Ask("Decision", said="Decision: {}"),
        "reason": journey_forms.Ask("Reason", said="Reason: {}"),  # a closing's by its label
    },
)


class EventForm(journey_forms.EventForm):
    asks = EVENT_ASKS


class CorrectionForm(journey_forms.CorrectionForm):
    asks = EVENT_ASKS


class CapacityForm(VersionedForm, core_forms.Form):
    version_related = ("needs",)
    CHILDREN = [(n, str(n)) for n in range(1, 5)]
    AGES = [(n, str(n)) for n in range(18)]
    children_min = forms.TypedChoiceField(label="Fewest children", choices=CHILDREN, coerce=int)
    children_max = forms.TypedChoiceField(label="Most children", choices=CHILDREN, coerce=int)
    age_min_years = forms.TypedChoiceField(label="Youngest age (years)", choices=AGES, coerce=int)
    age_max_years = forms.TypedChoiceField(label="Oldest age (years)", choices=AGES, coerce=int)
    sibling_groups = forms.BooleanField(label="Open to sibling groups", required=False)
    sexes = forms.ChoiceField(label="Boys or girls", choices=CapacityProfile.Sexes.choices, widget=forms.RadioSelect)
    heritage_open_to_any = forms.BooleanField(label="Open to a child of any heritage", required=False)
    heritages = forms.MultipleChoiceField(label="Heritages they are open to", required=False,
                                          choices=ETHNICITY_CHOICES, widget=forms.CheckboxSelectMultiple,
                                          help_text="Only if they are not open to any heritage.")
    religion_openness = forms.CharField(label="Religion", max_length=200, required=False,
                                        help_text="For example, 'any', or the faiths they would bring a child up in.")
    languages = forms.CharField(label="Languages", max_length=200, required=False)
    letterbox_contact = forms.BooleanField(label="Letterbox contact with birth family", required=False)
    direct_contact = forms.BooleanField(label="Direct contact with birth family", required=False)
    sibling_contact = forms.BooleanField(label="Contact with brothers and sisters living elsewhere", required=False)
    early_permanence = forms.BooleanField(label="Early permanence (fostering for adoption or concurrent planning)",
                                          required=False)
    max_distance_miles = forms.IntegerField(label="Furthest distance for contact and introductions (miles)",
                                            required=False, min_value=0, max_value=1000)

    def __init__(self, *args, profile: CapacityProfile, **kwargs):
        initial = {f: getattr(profile, f) for f in (
            "children_min", "children_max", "age_min_years", "age_max_years", "sibling_groups", "sexes",
            "heritage_open_to_any", "heritages", "religion_openness", "languages", "letterbox_contact",
            "direct_contact", "sibling_contact", "early_permanence", "max_distance_miles")}
        current = {n.category_id: n.level for n in profile.needs.all()} if profile.pk else {}
        self.needs = list(NeedCategory.objects.all())
        for cat in self.needs:
            initial[f"need_{cat.code}"] = current.get(cat.pk, NeedLevel.NONE)
        super().__init__(*args, initial=initial, **kwargs)
        for cat in self.needs:
            self.fields[f"need_{cat.code}"] = forms.ChoiceField(
                label=cat.name, choices=NeedLevel.choices, help_text=cat.description or None)

    @property
    def need_fields(self):
        return [self[f"need_{c.code}"] for c in self.needs]

    @property
    def field_group_children(self):
        return [self[n] for n in ("children_min", "children_max", "age_min_years", "age_max_years")]

    def values(self) -> dict:
        d = {k: v for k, v in self.cleaned_data.items() if not k.startswith("need_")}
        if d["heritage_open_to_any"]:
            d["heritages"] = []
        return d

    def need_levels(self) -> dict:
        return {k.removeprefix("need_"): v for k, v in self.cleaned_data.items() if k.startswith("need_")}


# ---------------------------------------------------------------------------------------------
# Panels


class PanelForm(core_forms.Form):
    date = DateField(kind="planned", label="Panel date", help_text=DATE_HINT)
    capacity = forms.IntegerField(label="How many items can the panel hear?", initial=6, min_value=0, max_value=50)
    papers_due = DateField(kind="planned", label="Papers due", required=False,
                           help_text="Papers must reach panel members by this date. For example, 13 3 2025")
    chair = forms.CharField(label="Chair", max_length=200, required=False)


class BookingForm(core_forms.ConfirmWarnings, core_forms.Form):
    household = forms.ModelChoiceField(label="Household", queryset=None, widget=forms.RadioSelect, empty_label=None,
                                       error_messages={"required": "Choose a household to book."})
    confirm_label = "Yes, I understand – book it anyway"

    def __init__(self, *args, households, panel=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel, self.today = panel, today
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: f"{h.name} ({h.reference}) – {h.stage_label}"

    def warnings(self) -> list[str]:
        if self.panel is None or self.today is None:
            return []
        return guards.approval_panel(self.panel.date, self.cleaned_data["household"], self.today)


class MatchBookingForm(core_forms.ConfirmWarnings, core_forms.Form):
    """A match to book: a child or a sibling group placed together (matchable_subjects), and an approved
    household (matchable_households)."""

    subject = forms.ChoiceField(label="Who is the match for?",
                                error_messages={"required": "Choose the child, or the sibling group, the match is for.",
                                                "invalid_choice": "Choose one of the children or sibling groups "
                                                                  "listed."})
    household = forms.ModelChoiceField(label="Which approved household is the match with?", queryset=None,
                                       empty_label="Choose a household",
                                       error_messages={"required": "Choose the approved household the match is "
                                                                   "with.",
                                                       "invalid_choice": "Choose one of the approved households "
                                                                         "listed."})

    confirm_label = "Yes, I understand – book it anyway"

    def __init__(self, *args, subjects, households, panel=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel, self.today = panel, today
        self.subjects = {s.key: s for s in subjects}
        self.fields["subject"].choices = [("", "Choose a child or sibling group"),
                                          *((s.key, s.label) for s in subjects)]
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: (
            f"{h.name} ({h.reference}), approved {h.approved_on:%d/%m/%Y}" if h.approved_on else
            f"{h.name} ({h.reference})")

    def children(self) -> list:
        return list(self.subjects[self.cleaned_data["subject"]].children)

    def warnings(self) -> list[str]:
        if self.panel is None or self.today is None:
            return []
        return guards.match_panel(self.panel.date, self.children(), self.today)


class PapersForm(core_forms.Form):
    on = DateField(label="Date the papers were received", help_text=DATE_HINT,
                   error_messages={"required": "Enter the date the papers were received."})


class MatchPapersForm(core_forms.Form):
    """A match's papers, each recorded as present with the date it arrived (leave a date blank while the paper
    is still awaited)."""

    def __init__(self, *args, received: dict, **kwargs):
        super().__init__(*args, initial={code: d for code, d in received.items() if d}, **kwargs)
        for code in panel_rules.PAPERS_BY_KIND[panel_rules.MATCH]:
            self.fields[code] = DateField(label=f"Date the {panel_rules.PAPERS[code]} was received", required=False,
                                          help_text="Leave blank if it has not arrived. " + DATE_HINT)

    def received(self) -> dict:
        return dict(self.cleaned_data)


class MemberViewForm(core_forms.Form):
    member_name = forms.CharField(label="Panel member's name", max_length=200,
                                  error_messages={"required": "Enter the panel member's name."})
    member_role = forms.ChoiceField(label="Their role on the panel",
                                    choices=[("", "Choose a role"), *panel_rules.MEMBER_ROLES.items()],
                                    error_messages={"required": "Choose the panel member's role."})
    view = forms.ChoiceField(label="Their view", choices=list(panel_rules.MEMBER_VIEWS.items()),
                             widget=forms.RadioSelect,
                             error_messages={"required": "Choose the panel member's view: recommend, not "
                                                         "recommend, or abstain."})
    reasons = forms.CharField(label="Their reasons", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="Needed unless they abstained.")


class RecommendationForm(core_forms.Form):
    """The panel's recommendation in the item's own words (an approval's or a match's)."""

    recommendation = forms.ChoiceField(label="The panel's recommendation", widget=forms.RadioSelect,
                                       error_messages={"required": "Choose the panel's recommendation."})
    reasons = forms.CharField(label="The panel's reasons", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "Give the panel's reasons for its recommendation."})
    minutes = forms.CharField(label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = list(item.recommendation_choices.items())
        self.fields["recommendation"].label = item.wording["recommendation_question"]
        self.fields["reasons"].required = panel_rules.recommendation_needs_reasons(item.kind)


class DecisionForm(core_forms.Form):
    """The agency decision in the item's own words."""

    decision = forms.ChoiceField(label="Agency decision", widget=forms.RadioSelect,
                                 error_messages={"required": "Choose the decision."})
    on = DateField(label="Date of the decision", help_text=DATE_HINT,
                   error_messages={"required": "Enter the date of the decision."})

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = list(item.decision_choices.items())
        self.fields["decision"].label = item.wording["decision_question"]
