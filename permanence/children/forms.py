import datetime as dt

from django import forms

from permanence.children import rules
from permanence.children.models import Child, NeedCategory, NeedLevel, SiblingGroup
from permanence.core.forms import DateField
from permanence.organisations.models import Organisation, Role, Staff


class ChildForm(forms.ModelForm):
    date_of_birth = DateField(required=False, label="Date of birth", help_text="For example, 27 3 2024")
    expected_date_of_birth = DateField(required=False, label="Expected date of birth",
                                       help_text="Only for an unborn child. For example, 14 9 2026")

    class Meta:
        model = Child
        fields = ["la", "la_child_id", "first_name", "last_name", "date_of_birth", "expected_date_of_birth", "sex",
                  "ethnicity", "has_disability", "disabilities", "health_needs", "sibling_group", "la_social_worker",
                  "family_finder"]
        labels = {"la": "Local authority", "has_disability": "The child has a disability or medical condition",
                  "la_social_worker": "LA social worker", "family_finder": "RAA family finder"}
        widgets = {"sex": forms.RadioSelect, "disabilities": forms.Textarea(attrs={"rows": 3}),
                   "health_needs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, las, **kwargs):
        super().__init__(*args, **kwargs)
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
        return [f for f in self if not f.name.startswith("need_")]

    def child_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("need_") and k != "la"}

    def need_levels(self) -> dict:
        return {k.removeprefix("need_"): v for k, v in self.cleaned_data.items() if k.startswith("need_")}

    def _post_clean(self):
        # Validation lives in the service; the form only parses.
        pass


class EventForm(forms.Form):
    date = DateField(label="Date", help_text="For example, 27 3 2024")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind: rules.Kind, early_permanence: dt.date | None = None, **kwargs):
        """`early_permanence`: the start of the child's early permanence placement in force, if any – the date
        the placement form offers for the carers' move-in (it counts only if the box is ticked)."""
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind is rules.Kind.PLAN_CHANGED:
            self.fields["reason"] = forms.ChoiceField(label="Reason", choices=list(rules.PLAN_CHANGE_REASONS.items()),
                                                      widget=forms.RadioSelect)
        elif kind is rules.Kind.EARLY_PERMANENCE:
            self.fields["placement_type"] = forms.ChoiceField(
                label="Type of early permanence placement", choices=list(rules.EARLY_PERMANENCE_TYPES.items()),
                widget=forms.RadioSelect)
            self.fields["carer"] = forms.ChoiceField(
                label="Who are the carers?", required=False, widget=forms.RadioSelect,
                choices=list(rules.EARLY_PERMANENCE_CARERS.items()),
                help_text="Both are approved adopters. SSDA903 records U2 or U5 from this.")
        elif kind in (rules.Kind.LINK_ENDED, rules.Kind.DISRUPTION):
            self.fields["reason"] = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
        elif kind is rules.Kind.PLACED:
            self.fields["by_foster_carers"] = forms.BooleanField(
                label="The adopters are the carers the child already lives with (its foster carers or its early "
                      "permanence carers)", required=False,
                help_text="Tick this for a fostering for adoption or concurrent planning placement that becomes "
                          "the adoptive placement, too. Leave it unticked if the child moves to other adopters.")
            self.fields["moved_in_with_carers"] = DateField(
                label="Date the child moved in with these carers", required=False,
                help_text="The day the foster or early permanence placement with these carers began: the A10 "
                          "measure counts to it. Only if the box above is ticked.",
                initial=early_permanence)
        elif kind in (rules.Kind.LINKED, rules.Kind.MATCH_DECISION, rules.Kind.MATCHING_PANEL):
            self.fields["adopters"] = forms.CharField(label="Prospective adopters (reference)", required=False)
        if kind is rules.Kind.MATCHING_PANEL:
            self.fields["recommendation"] = forms.ChoiceField(
                label="Recommendation", choices=[("match", "Recommended the match"), ("no_match", "Did not recommend")],
                widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        if self.kind is rules.Kind.PLACED and data.get("by_foster_carers") and not data.get("moved_in_with_carers") \
                and "moved_in_with_carers" not in self.errors:
            self.add_error("moved_in_with_carers", "Enter the date the child moved in with these carers")
        return data

    def details(self) -> dict:
        out = {k: v for k, v in self.cleaned_data.items() if k not in ("date", "note")}
        if out.get("moved_in_with_carers"):
            out["moved_in_with_carers"] = out["moved_in_with_carers"].isoformat()
        if not out.get("by_foster_carers"):
            out.pop("by_foster_carers", None)
            if self.kind is rules.Kind.PLACED:
                out.pop("moved_in_with_carers", None)  # a date without the box ticked says nothing
        if "carer" in out and not out["carer"]:
            out.pop("carer")
        return out


class CorrectionForm(forms.Form):
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=[("correct", "Correct the date or details"), ("withdraw", "Withdraw it: it was recorded in error")],
        widget=forms.RadioSelect, initial="correct")
    date = DateField(label="Correct date", required=False, help_text="Leave as it is to keep the date.")
    reason = forms.CharField(label="Reason for the correction", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="This is kept in the child's audit trail.")

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event is not None and event.kind == rules.Kind.EARLY_PERMANENCE.value:
            details = event.details or {}
            self.fields["placement_type"] = forms.ChoiceField(
                label="Type of early permanence placement", choices=list(rules.EARLY_PERMANENCE_TYPES.items()),
                widget=forms.RadioSelect, initial=details.get("placement_type"),
                help_text="An SSDA903 return says only who the carers are (U2 or U5), not whether the placement is "
                          "Fostering for Adoption or concurrent planning.")
            self.fields["carer"] = forms.ChoiceField(
                label="Who are the carers?", required=False, widget=forms.RadioSelect,
                choices=list(rules.EARLY_PERMANENCE_CARERS.items()), initial=details.get("carer"))

    def details(self) -> dict | None:
        """The event's details with this form's changes, or None when the form changes no detail."""
        if "placement_type" not in self.fields:
            return None
        out = dict(self.event.details or {})
        out["placement_type"] = self.cleaned_data["placement_type"]
        if self.cleaned_data.get("carer"):
            out["carer"] = self.cleaned_data["carer"]
        return out


class ChildSearchForm(forms.Form):
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
