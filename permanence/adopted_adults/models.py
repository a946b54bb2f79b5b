"""Adopted adults' requests: access to their birth records, or an intermediary service (contact with a birth
relative). A request is a journey on the kernel (rules.py); its stage, priority, wait and chase dates kept here
are a snapshot derived from its events by `services.refresh_snapshots`, never typed in.

Synthetic data only in the demo and tests: never a real person's details.
"""

from django.conf import settings
from django.db import models

from permanence.adopted_adults import rules
from permanence.journeys.models import JourneyEventBase, JourneyRecord, kind_field
from permanence.organisations.models import Organisation


class AdultRequest(JourneyRecord, models.Model):
    """One adopted adult's request to the RAA."""

    rules = rules
    reference_letter = "R"

    class Contact(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        ONLINE = "online", "Online form"
        IN_PERSON = "in_person", "In person"
        REFERRAL = "referral", "Referred by another agency"

    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="adult_requests",
                            limit_choices_to={"kind": "raa"})
    request_type = models.CharField(max_length=20, choices=list(rules.REQUEST_TYPES.items()))
    # The adopted adult
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    birth_name = models.CharField(max_length=200, blank=True, help_text="Their name at birth, if different.")
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    # The adoption
    adoption_year = models.PositiveSmallIntegerField(null=True, blank=True)
    adoption_agency = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", help_text="The agency that arranged the adoption, when "
                                                                    "Permanence knows it.")
    adoption_agency_name = models.CharField(max_length=200, blank=True,
                                            help_text="The agency that arranged it, in words (e.g. a former "
                                                      "council or voluntary society).")
    received_on = models.DateField()
    contact_method = models.CharField(max_length=12, choices=Contact.choices)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="adult_requests")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Snapshot derived from the events (services.refresh_snapshots).
    stage = models.CharField(max_length=20, choices=[(s.value, label) for s, label in rules.STAGE_LABELS.items()],
                             default=rules.Stage.NEW.value)
    stage_since = models.DateField(null=True, blank=True)
    priority = models.CharField(max_length=20, blank=True, choices=list(rules.PRIORITIES.items()))
    priority_rank = models.PositiveSmallIntegerField(default=rules.PRIORITY_RANK[None])
    triaged_on = models.DateField(null=True, blank=True)
    first_interview_on = models.DateField(null=True, blank=True)
    interview_due = models.DateField(null=True, blank=True,
                                     help_text="The target date for the first interview, while it waits.")
    sessions = models.PositiveSmallIntegerField(default=0)
    records_outstanding = models.PositiveSmallIntegerField(default=0)
    chase_due = models.DateField(null=True, blank=True,
                                 help_text="The earliest chase date of the agencies' records outstanding.")
    last_activity_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, blank=True, choices=list(rules.OUTCOMES.items()))

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["raa", "stage", "priority_rank", "received_on"]),
                   models.Index(fields=["raa", "received_on"]), models.Index(fields=["chase_due"])]

    def __str__(self) -> str:
        return f"Request {self.reference}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_open(self) -> bool:
        return rules.Stage(self.stage) in rules.OPEN_STAGES

    @property
    def is_waiting(self) -> bool:
        return rules.Stage(self.stage) in rules.WAITING_STAGES

    @property
    def type_label(self) -> str:
        return rules.REQUEST_TYPES.get(self.request_type, self.request_type)

    @property
    def priority_label(self) -> str:
        return rules.PRIORITIES.get(self.priority, "Not yet triaged")

    @property
    def agency_label(self) -> str:
        """The agency that arranged the adoption, as the pages say it."""
        if self.adoption_agency_id and self.adoption_agency_name:
            return f"{self.adoption_agency} ({self.adoption_agency_name})"
        return str(self.adoption_agency) if self.adoption_agency_id else self.adoption_agency_name or "Not known"


class AdultRequestEvent(JourneyEventBase):
    """One dated step of an adopted adult's request. Never edited or deleted: a correction supersedes it."""

    rules = rules

    class Source(models.TextChoices):
        PERMANENCE = "permanence", "Recorded in Permanence"
        DEMO = "demo", "Synthetic demo data"

    adult_request = models.ForeignKey(AdultRequest, on_delete=models.PROTECT, related_name="events")
    kind = kind_field(rules.KIND_LABELS)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.PERMANENCE)

    class Meta(JourneyEventBase.Meta):
        indexes = [models.Index(fields=["adult_request", "superseded", "date"]),
                   models.Index(fields=["kind", "date"])]
