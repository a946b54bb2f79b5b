"""RAAs, their member LAs and partner VAAs; teams; staff and roles; the per-LA responsibility matrix."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from permanence.organisations import vocabulary as rules


class Organisation(models.Model):
    class Kind(models.TextChoices):
        RAA = "raa", "Regional adoption agency"
        LA = "la", "Local authority"
        VAA = "vaa", "Voluntary adoption agency"

    kind = models.CharField(max_length=3, choices=Kind.choices)
    code = models.CharField(
        max_length=20,
        help_text="For an LA, its DfE three-digit LA code (801 is Bristol). For an RAA or VAA, a short code.",
    )
    name = models.CharField(max_length=200)
    raa = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_las",
        limit_choices_to={"kind": "raa"},
        help_text="For an LA: the RAA it is a member of.",
    )
    partner_raas = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="partner_vaas", help_text="For a VAA: RAAs it works with."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="organisation_code_unique_per_kind")]

    def __str__(self) -> str:
        if self.kind == self.Kind.LA:
            return f"{self.name} ({self.code})"
        return self.name

    @property
    def is_la(self) -> bool:
        return self.kind == self.Kind.LA

    @property
    def is_raa(self) -> bool:
        return self.kind == self.Kind.RAA


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation.name}"


class Role(models.TextChoices):
    RAA_FAMILY_FINDER = rules.RAA_FAMILY_FINDER, "RAA family finder"
    RAA_ASSESSING_SOCIAL_WORKER = rules.RAA_ASSESSING_SW, "RAA assessing social worker"
    RAA_SUPPORT_WORKER = rules.RAA_SUPPORT_WORKER, "RAA adoption support worker"
    RAA_TEAM_MANAGER = rules.RAA_TEAM_MANAGER, "RAA team manager"
    RAA_HEAD_OF_SERVICE = rules.RAA_HEAD_OF_SERVICE, "RAA head of service"
    PANEL_ADVISER = rules.PANEL_ADVISER, "Panel adviser"
    AGENCY_DECISION_MAKER = rules.ADM, "Agency decision maker"
    LA_SOCIAL_WORKER = rules.LA_SOCIAL_WORKER, "LA child's social worker"
    LA_TEAM_MANAGER = rules.LA_TEAM_MANAGER, "LA team manager"
    DATA_OFFICER = rules.DATA_OFFICER, "Data officer"
    BOARD_MEMBER = rules.BOARD_MEMBER, "Board member (aggregate figures only)"
    SYSTEM_ADMINISTRATOR = rules.SYSTEM_ADMINISTRATOR, "System administrator"
    RAA_QUALITY_LEAD = rules.RAA_QUALITY_LEAD, "RAA quality lead"
    COMPLAINTS_OFFICER = rules.COMPLAINTS_OFFICER, "Complaints officer"


# Which kinds of organisation each role can belong to.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.RAA_FAMILY_FINDER: {"raa"},
    Role.RAA_ASSESSING_SOCIAL_WORKER: {"raa"},
    Role.RAA_SUPPORT_WORKER: {"raa"},
    Role.RAA_TEAM_MANAGER: {"raa"},
    Role.RAA_HEAD_OF_SERVICE: {"raa"},
    Role.PANEL_ADVISER: {"raa"},
    Role.AGENCY_DECISION_MAKER: {"raa", "la"},
    Role.LA_SOCIAL_WORKER: {"la"},
    Role.LA_TEAM_MANAGER: {"la"},
    Role.DATA_OFFICER: {"raa", "la"},
    Role.BOARD_MEMBER: {"raa"},
    Role.SYSTEM_ADMINISTRATOR: {"raa"},
    Role.RAA_QUALITY_LEAD: {"raa"},
    Role.COMPLAINTS_OFFICER: {"raa"},
}

MANAGER_ROLES = frozenset(
    {Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.LA_TEAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}
)


class Staff(AbstractUser):
    """A person who signs in. Every member of staff belongs to one organisation and has one role."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    # Set when an administrator gives a temporary password: nothing else opens until they choose their own.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "member of staff"
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


class LAPolicy(models.Model):
    """The responsibility matrix for one LA, in force from a date until the next one.

    Rows are never edited: a change is a new row with a later effective date, so history is kept.
    """

    class CaseHolding(models.TextChoices):
        LA_KEEPS = rules.LA_KEEPS, rules.CASE_HOLDING_LABELS[rules.LA_KEEPS]
        RAA_AT_PO = rules.RAA_AT_PO, rules.CASE_HOLDING_LABELS[rules.RAA_AT_PO]
        RAA_AT_PO_AGE_LIMIT = rules.RAA_AT_PO_AGE_LIMIT, rules.CASE_HOLDING_LABELS[rules.RAA_AT_PO_AGE_LIMIT]

    class Side(models.TextChoices):
        LA = rules.LA, "The LA"
        RAA = rules.RAA, "The RAA"

    la = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="policies", limit_choices_to={"kind": "la"}
    )
    effective_from = models.DateField()
    case_holding = models.CharField(max_length=30, choices=CaseHolding.choices, default=CaseHolding.LA_KEEPS)
    age_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Transfer only children aged this many years or under at the PO date."
    )
    should_be_placed_delegated = models.BooleanField(
        default=False, help_text="The should-be-placed decision is delegated to the RAA's ADM."
    )
    match_delegated = models.BooleanField(default=False, help_text="The match decision is delegated to the RAA's ADM.")
    cpr_writer = models.CharField(max_length=3, choices=Side.choices, default=Side.LA)
    lsb_writer = models.CharField(max_length=3, choices=Side.choices, default=Side.LA)
    lll_writer = models.CharField(max_length=3, choices=Side.choices, default=Side.LA)
    note = models.TextField(blank=True, help_text="Where this policy comes from (an agreement, a board minute).")
    created_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["la", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["la", "effective_from"], name="one_policy_per_la_per_date"),
        ]
        verbose_name = "LA policy"
        verbose_name_plural = "LA policies"

    def __str__(self) -> str:
        return f"{self.la} from {self.effective_from:%d/%m/%Y}"

    def as_fact(self) -> rules.PolicyFact:
        return rules.PolicyFact(
            effective_from=self.effective_from,
            case_holding=self.case_holding,
            age_limit=self.age_limit,
            should_be_placed_delegated=self.should_be_placed_delegated,
            match_delegated=self.match_delegated,
            cpr_writer=self.cpr_writer,
            lsb_writer=self.lsb_writer,
            lll_writer=self.lll_writer,
        )

    def describe_case_holding(self) -> str:
        return self.as_fact().describe_case_holding()
