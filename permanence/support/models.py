"""Adoption support: the RAA's support settings, support cases (a journey on the kernel) and their events.

As for links, a case's stage, the dates of its steps, its worker and what is due next are a snapshot derived from
its events by `services` (the journey writer), never typed in.
"""

from django.conf import settings
from django.db import models

from permanence.journeys.models import JourneyEventBase, JourneyRecord, kind_field
from permanence.organisations.models import Organisation
from permanence.support import rules


class SupportSettings(models.Model):
    """One RAA's adoption support settings (its team manager or head of service changes them)."""

    raa = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="support_settings",
                               limit_choices_to={"kind": "raa"})
    offers_special_guardianship = models.BooleanField(
        default=False, help_text="The RAA takes referrals from special guardianship families.")
    placing_la_years = models.PositiveSmallIntegerField(
        default=rules.PLACING_LA_YEARS,
        help_text="Years after the adoption order the placing LA stays responsible for support.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name_plural = "support settings"

    def __str__(self) -> str:
        return f"Support settings of {self.raa}"


class SupportCase(JourneyRecord, models.Model):
    """A referral for adoption support and what followed: the duty outcome, the assessment of need, support."""

    rules = rules
    reference_letter = "S"  # S000123

    class ReferrerType(models.TextChoices):
        ADOPTIVE_FAMILY = "adoptive_family", rules.REFERRER_TYPES["adoptive_family"]
        ADOPTED_ADULT = "adopted_adult", rules.REFERRER_TYPES["adopted_adult"]
        BIRTH_RELATIVE = "birth_relative", rules.REFERRER_TYPES["birth_relative"]
        SPECIAL_GUARDIANSHIP = "special_guardianship", rules.REFERRER_TYPES["special_guardianship"]

    class Urgency(models.TextChoices):
        URGENT = "urgent", "Urgent"
        STANDARD = "standard", "Standard"

    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="support_cases",
                            limit_choices_to={"kind": "raa"})
    referrer_type = models.CharField(max_length=24, choices=ReferrerType.choices)
    referred_on = models.DateField(help_text="The date the referral was made.")
    family_name = models.CharField(max_length=200, help_text="The family's (or the adult's) name.")
    referrer_name = models.CharField(max_length=200, help_text="Who referred.")
    referrer_relationship = models.CharField(max_length=100, blank=True,
                                             help_text="Their relationship to the child (adoptive mother, …).")
    reason = models.TextField(help_text="Why support is asked for.")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.STANDARD)
    safeguarding = models.BooleanField(default=False, help_text="The referral raised a safeguarding concern.")
    safeguarding_la = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", limit_choices_to={"kind": "la"},
                                        help_text="The LA told of the safeguarding concern.")
    safeguarding_told_on = models.DateField(null=True, blank=True)
    # The adopted child: the child's record when Permanence holds it, else the name and date of birth typed in.
    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="support_cases")
    child_name = models.CharField(max_length=200, blank=True)
    child_date_of_birth = models.DateField(null=True, blank=True)
    adoption_order_date = models.DateField(null=True, blank=True,
                                           help_text="From the child's journey when Permanence holds it.")
    placing_la = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   limit_choices_to={"kind": "la"}, help_text="The child's LA.")
    family_la = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  limit_choices_to={"kind": "la"}, help_text="The LA where the family lives.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Snapshot derived from the events (services.WRITER).
    stage = models.CharField(max_length=20, choices=[(s.value, label) for s, label in rules.STAGE_LABELS.items()],
                             default=rules.Stage.NEW.value)
    stage_since = models.DateField(null=True, blank=True)
    duty_outcome = models.CharField(max_length=20, blank=True, choices=list(rules.DUTY_OUTCOMES.items()))
    requested_on = models.DateField(null=True, blank=True, help_text="The assessment of need requested.")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="support_cases")
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    plan_agreed_on = models.DateField(null=True, blank=True)
    interim_offers = models.PositiveSmallIntegerField(default=0)
    last_activity_on = models.DateField(null=True, blank=True)
    next_due_date = models.DateField(null=True, blank=True)
    next_due_label = models.CharField(max_length=200, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=20, blank=True, choices=list(rules.CLOSED_REASON_LABELS.items()))

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["raa", "stage"]), models.Index(fields=["raa", "requested_on"]),
                   models.Index(fields=["raa", "referred_on"]), models.Index(fields=["child"]),
                   models.Index(fields=["safeguarding_la", "child"])]

    def __str__(self) -> str:
        return f"Support case {self.reference}"

    @property
    def is_open(self) -> bool:
        return rules.Stage(self.stage) in rules.OPEN_STAGES

    @property
    def waiting(self) -> bool:
        return rules.Stage(self.stage) in rules.WAITING_STAGES

    @property
    def child_label(self) -> str:
        if self.child_id:
            return self.child.full_name
        return self.child_name


class SupportEvent(JourneyEventBase):
    """One dated step of a support case. Never edited or deleted: a correction supersedes it."""

    rules = rules

    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="events")
    kind = kind_field(rules.KIND_LABELS)

    class Meta(JourneyEventBase.Meta):
        indexes = [models.Index(fields=["case", "superseded", "date"]), models.Index(fields=["kind", "date"])]
