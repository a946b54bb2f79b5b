"""Child records, sibling groups, needs and the journey events.

The stage, case holder and next due action kept on Child are a snapshot derived from the events
by `services.refresh_snapshot` (inside the same transaction as every write): never typed in.
"""

from django.conf import settings
from django.db import models

from permanence.children import rules
from permanence.journeys.models import JourneyEventBase, JourneyRecord, kind_field
from permanence.organisations.models import Organisation


class SiblingGroup(models.Model):
    class Plan(models.TextChoices):
        TOGETHER = "together", "Placed together"
        APART = "apart", "Placed apart"
        UNDECIDED = "undecided", "Not yet decided"

    la = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sibling_groups")
    name = models.CharField(max_length=200)
    plan = models.CharField(max_length=10, choices=Plan.choices, default=Plan.UNDECIDED)

    def __str__(self) -> str:
        return self.name


class NeedCategory(models.Model):
    """A category of need, shared by the child's needs profile and the adopters' capacity profile."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "need categories"

    def __str__(self) -> str:
        return self.name


class NeedLevel(models.TextChoices):
    NONE = "none", "None"
    MILD = "mild", "Mild (Low)"
    MODERATE = "moderate", "Moderate (Medium)"
    SIGNIFICANT = "significant", "Significant (High)"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class Child(JourneyRecord, models.Model):
    rules = rules
    reference_letter = "P"  # P000123

    la = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="children")
    la_child_id = models.CharField("LA child ID", max_length=40, help_text="The child's ID in the LA's case system.")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True, help_text="For an unborn child.")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(
        max_length=4, choices=[(c, f"{label} ({c})") for c, (label, _) in rules.ETHNICITIES.items()], default="NOBT"
    )
    has_disability = models.BooleanField(default=False)
    disabilities = models.TextField(blank=True)
    health_needs = models.TextField(blank=True)
    sibling_group = models.ForeignKey(
        SiblingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    la_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="la_children"
    )
    family_finder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="ff_children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Snapshot derived from the events (see services.refresh_snapshot).
    stage = models.CharField(max_length=30, choices=[(s.value, label) for s, label in rules.STAGE_LABELS.items()],
                             default=rules.Stage.NEW.value)
    case_holder = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="held_children"
    )
    entered_care_date = models.DateField(null=True, blank=True)
    po_date = models.DateField(null=True, blank=True)
    next_due_date = models.DateField(null=True, blank=True)
    next_due_label = models.CharField(max_length=200, blank=True)
    last_event_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(fields=["la", "la_child_id"], name="la_child_id_unique_per_la"),
        ]
        indexes = [
            models.Index(fields=["la", "stage"]),
            models.Index(fields=["stage"]),
            models.Index(fields=["next_due_date"]),
            models.Index(fields=["last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None


class ChildNeed(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="needs")
    category = models.ForeignKey(NeedCategory, on_delete=models.PROTECT)
    level = models.CharField(max_length=12, choices=NeedLevel.choices, default=NeedLevel.NONE)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["category__order"]
        constraints = [models.UniqueConstraint(fields=["child", "category"], name="one_level_per_need")]

    def __str__(self) -> str:
        return f"{self.category}: {self.get_level_display()}"


class JourneyEvent(JourneyEventBase):
    """One dated step in the child's journey. Never edited or deleted: a correction supersedes it."""

    rules = rules

    class Source(models.TextChoices):
        PERMANENCE = "permanence", "Recorded in Permanence"
        SSDA903 = "ssda903", "SSDA903 import"
        DEMO = "demo", "Synthetic demo data"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="events")
    kind = kind_field(rules.KIND_LABELS)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.PERMANENCE)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="The event this one corrects.")
    superseded = models.BooleanField(default=False, help_text="Replaced or withdrawn by a correction.")

    class Meta(JourneyEventBase.Meta):
        # (child, kind, date, superseded): a scope's events of a kind, reached from its children, read from the
        # index alone (docs/performance.md, "Scope first").
        indexes = [models.Index(fields=["child", "superseded", "date"]), models.Index(fields=["kind", "date"]),
                   models.Index(fields=["child", "kind", "date", "superseded"], name="children_event_child_kind")]


class PriorityDefinition(models.Model):
    """A definition of priority ("harder to place") children. One is active at a time."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    min_age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    bme = models.BooleanField(default=True)
    sibling_group_min = models.PositiveSmallIntegerField(null=True, blank=True)
    disability = models.BooleanField(default=True)
    waiting_months = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300)
    active = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name

    def as_fact(self) -> rules.PriorityDefinition:
        return rules.PriorityDefinition(
            name=self.name,
            min_age_years=self.min_age_years,
            bme=self.bme,
            sibling_group_min=self.sibling_group_min,
            disability=self.disability,
            waiting_months=self.waiting_months,
        )
