"""Enquiries, households and their applicants, the assessment journey, capacity profiles and panels.

As for children, the stage, due date and status kept on Household are a snapshot derived from its events by
`services.refresh_snapshot`, never typed in.
"""

from django.conf import settings
from django.db import models

from permanence.adopters import panel_rules, rules
from permanence.children.models import NeedCategory, NeedLevel
from permanence.children.rules import ETHNICITIES
from permanence.journeys.models import JourneyEventBase, JourneyRecord, kind_field
from permanence.organisations.models import Organisation

ETHNICITY_CHOICES = [(c, f"{label} ({c})") for c, (label, _) in ETHNICITIES.items()]


class EnquirySource(models.Model):
    """Where an enquiry came from: a configurable list."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Enquiry(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open", "Not yet decided"
        INFORMATION_SENT = "information_sent", "Information sent"
        INVITED_TO_EVENT = "invited_to_event", "Invited to an information event"
        ROI_RECEIVED = "roi_received", "Registration of interest received"
        SIGNPOSTED = "signposted", "Signposted elsewhere"
        NO_FURTHER_CONTACT = "no_further_contact", "No further contact"

    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="enquiries")
    received_on = models.DateField()
    source = models.ForeignKey(EnquirySource, on_delete=models.PROTECT)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    residence_la = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to={"kind": "la"})
    residence_area = models.CharField(max_length=100, blank=True, help_text="Where they live, if not a member LA.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_on = models.DateField(null=True, blank=True)
    signpost_reason = models.TextField(blank=True)
    household = models.OneToOneField("Household", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="enquiry")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name_plural = "enquiries"
        indexes = [models.Index(fields=["raa", "received_on"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.received_on:%d/%m/%Y})"


class Household(JourneyRecord, models.Model):
    rules = rules
    reference_letter = "H"  # H000123

    class Relationship(models.TextChoices):
        SINGLE = "single", "Single applicant"
        MARRIED = "married", "Married couple"
        CIVIL_PARTNERSHIP = "civil_partnership", "Civil partners"
        COHABITING = "cohabiting", "Unmarried couple living together"

    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="households")
    name = models.CharField(max_length=200, help_text="How the household is known, e.g. 'Okafor-Reid'.")
    relationship = models.CharField(max_length=20, choices=Relationship.choices, default=Relationship.SINGLE)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    residence_la = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to={"kind": "la"})
    previous_adopters = models.BooleanField(default=False)
    approved_foster_carers = models.BooleanField(default=False)
    assessing_social_worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                on_delete=models.SET_NULL, related_name="households")
    target_panel_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Snapshot derived from the events (services.refresh_snapshot).
    stage = models.CharField(max_length=30, choices=[(s.value, label) for s, label in rules.STAGE_LABELS.items()],
                             default=rules.Stage.NEW.value)
    stage_since = models.DateField(null=True, blank=True)
    roi_date = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    next_due_date = models.DateField(null=True, blank=True)
    next_due_label = models.CharField(max_length=200, blank=True)
    next_due_allowed_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["raa", "stage"]), models.Index(fields=["next_due_date"])]

    def __str__(self) -> str:
        return self.name

    @property
    def fast_track(self) -> bool:
        return self.previous_adopters or self.approved_foster_carers


class Applicant(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="applicants")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=4, choices=ETHNICITY_CHOICES, default="NOBT")
    religion = models.CharField(max_length=100, blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text="Languages spoken at home.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class HouseholdMember(models.Model):
    """Somebody else living in the household (birth children, other adults)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class HouseholdEvent(JourneyEventBase):
    """One dated step of the assessment. Never edited or deleted: a correction supersedes it."""

    rules = rules

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="events")
    kind = kind_field(rules.KIND_LABELS)

    class Meta(JourneyEventBase.Meta):
        indexes = [models.Index(fields=["household", "superseded", "date"]), models.Index(fields=["kind", "date"])]


class CapacityProfile(models.Model):
    """What approved adopters can offer, in the same terms as the child's needs profile."""

    class Sexes(models.TextChoices):
        ANY = "any", "Boys or girls"
        MALE = "M", "Boys only"
        FEMALE = "F", "Girls only"

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="capacity")
    children_min = models.PositiveSmallIntegerField(default=1)
    children_max = models.PositiveSmallIntegerField(default=1)
    age_min_years = models.PositiveSmallIntegerField(default=0)
    age_max_years = models.PositiveSmallIntegerField(default=4)
    sibling_groups = models.BooleanField(default=False)
    sexes = models.CharField(max_length=3, choices=Sexes.choices, default=Sexes.ANY)
    heritage_open_to_any = models.BooleanField(default=True)
    heritages = models.JSONField(default=list, blank=True, help_text="DfE ethnicity codes they are open to.")
    religion_openness = models.CharField(max_length=200, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    letterbox_contact = models.BooleanField(default=True)
    direct_contact = models.BooleanField(default=False)
    sibling_contact = models.BooleanField(default=False)
    early_permanence = models.BooleanField(default=False, help_text="Willing to foster for adoption / concurrency.")
    max_distance_miles = models.PositiveSmallIntegerField(null=True, blank=True)
    # For family finding's matching engine (family_finding.profiles):
    on_hold = models.BooleanField(default=False, help_text="Approved, but not taking links for now.")
    on_hold_reason = models.CharField(max_length=300, blank=True)
    needs_parented = models.JSONField(default=list, blank=True,
                                      help_text="Need categories (codes) they have parented a child with.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Capacity of {self.household}"


class CapacityNeed(models.Model):
    profile = models.ForeignKey(CapacityProfile, on_delete=models.CASCADE, related_name="needs")
    category = models.ForeignKey(NeedCategory, on_delete=models.PROTECT)
    level = models.CharField(max_length=12, choices=NeedLevel.choices, default=NeedLevel.NONE,
                             help_text="The highest level of this need they can meet.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "category"], name="one_capacity_per_need")]

    def __str__(self) -> str:
        return f"{self.category}: {self.get_level_display()}"


class Panel(models.Model):
    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="panels")
    date = models.DateField()
    capacity = models.PositiveSmallIntegerField(default=6, help_text="How many items the panel can hear.")
    papers_due = models.DateField(null=True, blank=True, help_text="Papers must reach panel members by this date.")
    chair = models.CharField(max_length=200, blank=True)
    attendance = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["raa", "date"], name="one_panel_per_raa_per_day")]

    def __str__(self) -> str:
        return f"Panel {self.date:%d/%m/%Y}"


class PanelItem(models.Model):
    """One item on a panel's agenda: the approval of a household as adopters, or a match of a child (or a sibling
    group placed together: `children`) with an approved household. `child` is the first of the match's
    children. What each kind's recommendation and decision may be, and the papers it needs, are panel_rules'."""

    class Kind(models.TextChoices):
        APPROVAL = panel_rules.APPROVAL, panel_rules.KINDS[panel_rules.APPROVAL]
        MATCH = panel_rules.MATCH, panel_rules.KINDS[panel_rules.MATCH]

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.APPROVAL)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="panel_items")
    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="panel_items")
    children = models.ManyToManyField("children.Child", blank=True, related_name="match_items",
                                      help_text="A match's children: one child, or a sibling group placed together.")
    papers_received_on = models.DateField(null=True, blank=True,
                                          help_text="When the papers were in (a match: when the last of them came).")
    recommendation = models.CharField(max_length=20, choices=list(panel_rules.ALL_RECOMMENDATIONS.items()),
                                      blank=True)
    recommendation_reasons = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=list(panel_rules.ALL_DECISIONS.items()), blank=True)
    decision_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="Who recorded the agency decision.")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["panel__date", "id"]

    def __str__(self) -> str:
        if self.kind == self.Kind.MATCH:
            names = ", ".join(c.first_name for c in sorted(self.children.all(), key=lambda c: c.pk)) or \
                str(self.child or "")
            return f"Match: {names} with {self.household}" if self.household_id else f"Match: {names}"
        return f"{self.get_kind_display()}: {self.household or self.child}"

    @property
    def is_match(self) -> bool:
        return self.kind == self.Kind.MATCH

    @property
    def wording(self) -> dict[str, str]:
        return panel_rules.WORDING[self.kind]

    @property
    def recommendation_choices(self) -> dict[str, str]:
        return panel_rules.RECOMMENDATIONS[self.kind]

    @property
    def decision_choices(self) -> dict[str, str]:
        return panel_rules.DECISIONS[self.kind]

    @property
    def awaits_decision(self) -> bool:
        return not self.withdrawn and not self.decision and panel_rules.goes_to_decision(self.recommendation)


class PanelPaper(models.Model):
    """A paper the panel reads for an item (a match's APR, CPR and PAR), recorded as present with the date it
    arrived. The panel's papers due date says whether it was late."""

    item = models.ForeignKey(PanelItem, on_delete=models.CASCADE, related_name="papers")
    paper = models.CharField(max_length=10, choices=list(panel_rules.PAPERS.items()))
    received_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "paper"]
        constraints = [models.UniqueConstraint(fields=["item", "paper"], name="one_date_per_paper_per_item")]

    def __str__(self) -> str:
        return f"{self.get_paper_display()}: {self.received_on:%d/%m/%Y}"


class PanelMemberView(models.Model):
    """One panel member's view on an item, with their reasons, as the minutes record it."""

    item = models.ForeignKey(PanelItem, on_delete=models.CASCADE, related_name="member_views")
    member_name = models.CharField(max_length=200)
    member_role = models.CharField(max_length=30, choices=list(panel_rules.MEMBER_ROLES.items()))
    view = models.CharField(max_length=20, choices=list(panel_rules.MEMBER_VIEWS.items()))
    reasons = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return f"{self.member_name} ({self.get_member_role_display()}): {self.get_view_display()}"
