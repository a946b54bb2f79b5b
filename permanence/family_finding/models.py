"""Family finding: what the child's matching needs beyond its needs profile, the RAA's matching weights, saved
shortlists with their explanations, links (a journey on the kernel) and the inter-agency fee table.

As for children and households, the stage, last activity and stale flag kept on Link are a snapshot derived
from its events by `services.refresh_snapshot`, never typed in.
"""

from django.conf import settings
from django.db import models

from permanence.family_finding import fees, rules
from permanence.journeys.models import JourneyEventBase, kind_field
from permanence.organisations.models import Organisation


class ChildMatchingProfile(models.Model):
    """What matching needs to know about a child that its record and needs profile (children.ChildNeed) do not
    say. A child placed together with its sibling group is matched as the group (children.SiblingGroup with the
    plan 'placed together'): the group's profiles are combined."""

    class EarlyPermanence(models.TextChoices):
        NOT_CONSIDERED = "", "Not considered"
        POSSIBLE = "possible", "Early permanence possible"
        NEEDED = "needed", "Early permanence needed"

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="matching_profile")
    # Location rules
    avoid_birth_family_la = models.BooleanField(
        default=False, help_text="The child must not be placed in the birth family's LA.")
    birth_family_la = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind": "la"}, help_text="Where the birth family lives, if not the child's LA.")
    avoid_las = models.ManyToManyField(Organisation, blank=True, related_name="+", limit_choices_to={"kind": "la"},
                                       help_text="Other LAs the child must not be placed in.")
    avoid_places = models.JSONField(default=list, blank=True,
                                    help_text="Postcode districts (LS6) or areas (BD) the child must not be placed in.")
    reference_district = models.CharField(
        max_length=8, blank=True, help_text="The postcode district distances are measured from (e.g. the birth "
                                            "family's).")
    max_distance_miles = models.PositiveSmallIntegerField(null=True, blank=True)
    min_distance_miles = models.PositiveSmallIntegerField(null=True, blank=True)
    require_known_distance = models.BooleanField(
        default=False, help_text="Leave out households whose distance cannot be worked out.")
    # The contact the child's plan needs (blank: not recorded)
    letterbox_contact = models.BooleanField(null=True, blank=True)
    direct_contact = models.BooleanField(null=True, blank=True, help_text="Direct contact with the birth family.")
    sibling_contact = models.BooleanField(null=True, blank=True)
    early_permanence = models.CharField(max_length=10, choices=EarlyPermanence.choices, blank=True, default="")
    religion = models.CharField(max_length=100, blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text="Languages, separated by commas.")
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Matching profile of {self.child}"

    @property
    def contact(self) -> frozenset[str] | None:
        """The contact the plan needs, in the engine's words; None when none of it is recorded."""
        values = {"letterbox": self.letterbox_contact, "direct": self.direct_contact,
                  "sibling": self.sibling_contact}
        if all(v is None for v in values.values()):
            return None
        return frozenset(k for k, v in values.items() if v)


class MatchingWeights(models.Model):
    """An RAA's matching weights, versioned: the points per factor and the scales, with their source and the date
    they apply from. The row with no RAA is Permanence's documented defaults (docs/family-finding.md)."""

    raa = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="matching_weights", limit_choices_to={"kind": "raa"})
    version = models.CharField(max_length=60)
    source = models.CharField(max_length=500)
    valid_from = models.DateField()
    weights = models.JSONField(help_text="Points per factor: the most each factor can add or take away.")
    scales = models.JSONField(default=dict, blank=True, help_text="How a factor reaches its full points.")
    cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave out a household already put forward for this many children.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["raa_id", "-valid_from", "-id"]
        verbose_name_plural = "matching weights"
        constraints = [models.UniqueConstraint(fields=["raa", "version"], name="matching_weights_version")]

    def __str__(self) -> str:
        return f"Matching weights {self.version} from {self.valid_from:%d/%m/%Y}"


class Shortlist(models.Model):
    """One run of the matching engine for a child (or its sibling group) on a date, kept with its explanation so a
    page can show later why each household was or was not put forward."""

    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="shortlists")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="shortlists",
                              help_text="The child the search was run for.")
    sibling_group = models.ForeignKey("children.SiblingGroup", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="shortlists", help_text="Set when the group is placed together.")
    children = models.ManyToManyField("children.Child", related_name="+", help_text="Every child it covers.")
    on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    weights = models.ForeignKey(MatchingWeights, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    weights_version = models.CharField(max_length=60)
    include_inter_agency = models.BooleanField(default=False)
    explanation = models.JSONField(help_text="The engine's inputs (the child's profile, weights, rules, cap) and "
                                             "counts; each household's part is on its entry.")

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["child", "on"])]

    def __str__(self) -> str:
        return f"Shortlist for {self.child} on {self.on:%d/%m/%Y}"


class ShortlistEntry(models.Model):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    household = models.ForeignKey("adopters.Household", on_delete=models.PROTECT, related_name="shortlist_entries")
    rank = models.PositiveIntegerField(null=True, blank=True, help_text="Its place, 1 the best; blank if excluded.")
    score = models.FloatField(null=True, blank=True, help_text="Blank if excluded.")
    excluded = models.BooleanField(default=False)
    reasons = models.JSONField(default=list, blank=True,
                               help_text="Excluded: the rules it failed; ranked: each factor's points and why.")
    inter_agency = models.BooleanField(default=False)
    fee = models.PositiveIntegerField(null=True, blank=True, help_text="The inter-agency fee, in pounds.")
    profile = models.JSONField(default=dict, blank=True, help_text="The household's profile as the engine saw it.")

    class Meta:
        ordering = ["shortlist", "excluded", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["shortlist", "household"], name="one_entry_per_household")]

    def __str__(self) -> str:
        return f"{self.household} on {self.shortlist}"


class Link(models.Model):
    """A child (or a sibling group placed together) and a household, from the shortlist to the placement."""

    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="links",
                            help_text="The RAA family-finding for the child.")
    la = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", help_text="The child's LA.")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="lead_links",
                              help_text="The child the link was opened for.")
    sibling_group = models.ForeignKey("children.SiblingGroup", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="links")
    children = models.ManyToManyField("children.Child", related_name="links", help_text="Every child it covers.")
    household = models.ForeignKey("adopters.Household", on_delete=models.PROTECT, related_name="links")
    shortlist_entry = models.ForeignKey(ShortlistEntry, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="links")
    family_finder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="ff_links")
    opened_on = models.DateField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Snapshot derived from the events (services.refresh_snapshot).
    stage = models.CharField(max_length=20, choices=[(s.value, label) for s, label in rules.STAGE_LABELS.items()],
                             default=rules.Stage.NEW.value)
    stage_since = models.DateField(null=True, blank=True)
    last_activity_on = models.DateField(null=True, blank=True)
    activity_due = models.DateField(null=True, blank=True,
                                    help_text="An open link with no activity by this date is stale.")
    stale = models.BooleanField(default=False)
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=20, blank=True,
                                    choices=list(rules.END_REASON_LABELS.items()))

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["raa", "stage"]), models.Index(fields=["household", "stage"]),
                   models.Index(fields=["la", "stage"]), models.Index(fields=["activity_due"])]

    def __str__(self) -> str:
        return f"Link {self.reference}"

    @property
    def reference(self) -> str:
        return f"L{self.pk:06d}"

    @property
    def stage_label(self) -> str:
        return rules.STAGE_LABELS[rules.Stage(self.stage)]

    @property
    def is_open(self) -> bool:
        return rules.Stage(self.stage) in rules.OPEN_STAGES


class LinkEvent(JourneyEventBase):
    """One dated step of a link. Never edited or deleted: a correction supersedes it."""

    rules = rules

    link = models.ForeignKey(Link, on_delete=models.PROTECT, related_name="events")
    kind = kind_field(rules.KIND_LABELS)

    class Meta(JourneyEventBase.Meta):
        indexes = [models.Index(fields=["link", "superseded", "date"]), models.Index(fields=["kind", "date"])]


class InterAgencyFee(models.Model):
    """The inter-agency fee for one financial year and kind of agency pair, with its source (configurable: a new
    year is a new row)."""

    class Agencies(models.TextChoices):
        VAA = fees.VAA, fees.AGENCY_PAIRS[fees.VAA]
        LA_RAA = fees.LA_RAA, fees.AGENCY_PAIRS[fees.LA_RAA]

    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts in: 2025 for 2025/26.")
    agencies = models.CharField(max_length=10, choices=Agencies.choices)
    first_child = models.PositiveIntegerField(help_text="Pounds, for the first (or only) child.")
    each_additional_child = models.PositiveIntegerField(null=True, blank=True,
                                                        help_text="Pounds for each further sibling placed together.")
    london_uplift_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    monthly_after_12_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pounds a month once placed 12 months without an adoption order.")
    source = models.CharField(max_length=500)

    class Meta:
        ordering = ["-financial_year", "agencies"]
        constraints = [models.UniqueConstraint(fields=["financial_year", "agencies"], name="one_fee_per_year_pair")]

    def __str__(self) -> str:
        return f"{self.get_agencies_display()} {self.financial_year_label}"

    @property
    def financial_year_label(self) -> str:
        return fees.financial_year_label(self.financial_year)

    def as_fact(self) -> fees.FeeRate:
        return fees.FeeRate(financial_year=self.financial_year, agencies=self.agencies, first_child=self.first_child,
                            each_additional_child=self.each_additional_child,
                            london_uplift_percent=self.london_uplift_percent,
                            monthly_after_12_months=self.monthly_after_12_months, source=self.source)
