"""Configuration of the measures, as data: thresholds, the daily cost of care, and the history of which RAA each
LA belonged to. Every row has a source and a validity period; rows are added, not edited, so history is kept."""

from django.conf import settings
from django.db import models

from permanence.organisations.models import Organisation
from permanence.performance import rules


class Threshold(models.Model):
    """A performance threshold (or a measure's parameter, such as A3's months) in force for scorecards whose period
    ends between valid_from and valid_to."""

    key = models.CharField(max_length=40, help_text="The measure's key, e.g. A1, A2, A3 (months), A3_PERCENT.")
    value = models.DecimalField(max_digits=10, decimal_places=2)
    unit = models.CharField(max_length=20, choices=[(u.value, u.value) for u in rules.Unit])
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Empty: still in force.")
    amber_margin_percent = models.PositiveSmallIntegerField(
        default=10, help_text="A figure missing the threshold by no more than this is amber, beyond it red.")
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["key", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "valid_from"], name="one_threshold_per_key_and_date")]

    def __str__(self) -> str:
        return f"{self.key} {self.value} {self.unit} from {self.valid_from:%d/%m/%Y}"

    def as_fact(self) -> rules.ThresholdFact:
        return rules.ThresholdFact(key=self.key, value=self.value, unit=self.unit, valid_from=self.valid_from,
                                   valid_to=self.valid_to, source=self.source,
                                   amber_margin_percent=self.amber_margin_percent)


class DailyCostOfCare(models.Model):
    """What a day in care costs, for the cost calculator (seed 003), from a date: an RAA's (or an LA's) own
    figure, or – with no organisation – the installation's default. The most specific figure in force wins:
    the LA's, else its RAA's, else the default."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="daily_costs_of_care",
                                     help_text="Empty: the default for every organisation without its own figure.")
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="Pounds per child per day.")
    valid_from = models.DateField()
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["valid_from"]
        verbose_name_plural = "daily costs of care"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "valid_from"], name="one_daily_cost_per_org_and_date"),
            models.UniqueConstraint(fields=["valid_from"], condition=models.Q(organisation__isnull=True),
                                    name="one_default_daily_cost_per_date"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} a day from {self.valid_from:%d/%m/%Y}"


class RAAMembership(models.Model):
    """Which RAA an LA belonged to, from a date to a date (inclusive). RAA figures count an LA's children for the
    RAA it belonged to on the date that puts the child in the figure (the adoption order for the scorecard, the
    event for quarterly counts, the quarter end for children waiting, the first PO for a prospective cohort).

    An LA with no rows here counts for its current RAA (Organisation.raa) on every date."""

    la = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="raa_memberships",
                           limit_choices_to={"kind": "la"})
    raa = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="la_memberships",
                            limit_choices_to={"kind": "raa"})
    valid_from = models.DateField(null=True, blank=True, help_text="Empty: since before records began.")
    valid_to = models.DateField(null=True, blank=True, help_text="Empty: still a member.")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["la", "valid_from"]
        verbose_name = "RAA membership"

    def __str__(self) -> str:
        return f"{self.la} in {self.raa} from {self.valid_from or 'the start'} to {self.valid_to or 'now'}"


class LocalTarget(models.Model):
    """An organisation's own target for a measure (the board's ambition, beside the national threshold), for
    figures whose period ends between valid_from and valid_to. An RAA's target applies to the RAA's figures; an
    LA's to the LA's. Rows are added, not edited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="local_targets")
    key = models.CharField(max_length=40, help_text="The measure's key, e.g. A1, A2, A3.")
    value = models.DecimalField(max_digits=10, decimal_places=2)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Empty: still in force.")
    amber_margin_percent = models.PositiveSmallIntegerField(default=10)
    source = models.CharField(max_length=300, help_text="Who set it and where, e.g. 'Board, 12 March 2026'.")

    class Meta:
        ordering = ["organisation", "key", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key", "valid_from"],
                                               name="one_local_target_per_key_and_date")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.key} {self.value} from {self.valid_from:%d/%m/%Y}"

    def as_fact(self) -> rules.ThresholdFact:
        unit = rules.MEASURES[self.key].unit.value if self.key in rules.MEASURES else ""
        return rules.ThresholdFact(key=self.key, value=self.value, unit=unit, valid_from=self.valid_from,
                                   valid_to=self.valid_to, source=self.source,
                                   amber_margin_percent=self.amber_margin_percent)


class SurgeryAction(models.Model):
    """An action agreed at a performance surgery (seed 003: fortnightly, "what have you done, why haven't you done
    it") about one child or one household: what is to be done, who owns it and by when. It belongs to the
    organisation whose surgery agreed it, and only that organisation's staff see it.

    Written only by performance.services (agree, complete, escalate, withdraw), each change audited, so the audit
    log is the action's history. An action is never deleted: one no longer needed is withdrawn, with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ESCALATED = "escalated", "Escalated"
        DONE = "done", "Done"
        WITHDRAWN = "withdrawn", "Withdrawn"

    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="surgery_actions")
    household = models.ForeignKey("adopters.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="surgery_actions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surgery_actions",
                                     help_text="The RAA or LA whose surgery agreed the action.")
    team = models.ForeignKey("organisations.Team", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="surgery_actions", help_text="The team whose surgery agreed it, if any.")
    text = models.CharField(max_length=500, help_text="What is to be done.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="surgery_actions")
    due_by = models.DateField()
    agreed_on = models.DateField(help_text="The date of the surgery.")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    escalated_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="escalated_surgery_actions")
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    escalated_on = models.DateField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="When it was done or withdrawn.")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    outcome = models.TextField(blank=True, help_text="What was done, or why it was withdrawn.")
    created_at = models.DateTimeField(auto_now_add=True)

    OPEN_STATUSES = (Status.OPEN, Status.ESCALATED)

    class Meta:
        ordering = ["-agreed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(child__isnull=False, household__isnull=True)
                           | models.Q(child__isnull=True, household__isnull=False)),
                name="surgery_action_one_subject"),
            models.CheckConstraint(condition=models.Q(due_by__gte=models.F("agreed_on")),
                                   name="surgery_action_due_after_agreed"),
            models.CheckConstraint(
                condition=~models.Q(status="escalated") | models.Q(escalated_to__isnull=False),
                name="surgery_action_escalated_to_someone"),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "escalated"]) | models.Q(closed_on__isnull=False),
                name="surgery_action_closed_has_date"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["child", "agreed_on"]),
            models.Index(fields=["household", "agreed_on"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.owner}, by {self.due_by:%d/%m/%Y})"

    @property
    def subject(self):
        return self.child if self.child_id else self.household

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_by < today


class NationalFigure(models.Model):
    """A published England figure for a measure and a period (DfE, Coram-i/ASGLB), loaded as data with its
    source: the comparator the comparisons and the pages show as "England". Never computed from the LAs one
    installation holds. Loaded by performance.services.load_national_figures (`permanence national-figures load`);
    a row is replaced only when a load says so (--replace), and the audit log keeps what it was."""

    measure = models.CharField(max_length=40, help_text="The measure's key, e.g. A1, A2, A10.")
    period = models.CharField(max_length=12, help_text="As written: 2019-20 (a financial year), 2012-15 (three "
                                                       "years ending 31 March 2015), 2025Q1 (a quarter).")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=10, decimal_places=2)
    n = models.PositiveIntegerField(null=True, blank=True, help_text="Children (or adopters) counted, if published.")
    source = models.CharField(max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "period_start", "period_end"]
        constraints = [models.UniqueConstraint(fields=["measure", "period_start", "period_end"],
                                               name="one_national_figure_per_measure_and_period")]

    def __str__(self) -> str:
        return f"England {self.measure} {self.period}: {self.value}"

    def as_fact(self) -> rules.NationalFact:
        return rules.NationalFact(measure=self.measure, start=self.period_start, end=self.period_end,
                                  value=rules._num(self.value), n=self.n, source=self.source, period=self.period)


class AdoptionDays(models.Model):
    """One adopted child's days as the scorecard counts them for A1, A10 and A2 (rules.child_days), by its LA and
    the date of its adoption order: what the comparisons of groups add up per LA and period, so that a page reads
    totals per LA rather than every child's events in the country (measures.group_trend).

    Derived, never typed in: refreshed from the child's events in the same transaction as the child's snapshot,
    whenever its events change (recorded, corrected, withdrawn, imported, `permanence refresh-snapshots`;
    services.refresh_adoption_days). A child without an adoption order in force has no row. The days are the
    child's as its events stand, which is the figure as at any date after the order: once a child is adopted
    its journey accepts no event that moves a milestone (children.rules)."""

    child = models.OneToOneField("children.Child", primary_key=True, on_delete=models.CASCADE, related_name="+")
    la = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    adopted_on = models.DateField(help_text="The adoption order's date.")
    a1 = models.PositiveIntegerField(null=True, help_text="Days from entering care to moving in (A1).")
    a10 = models.PositiveIntegerField(null=True, help_text="A1 counted to the move-in with the carers who adopted (A10).")
    a2 = models.PositiveIntegerField(null=True, help_text="Days from the placement order to the match (A2).")

    class Meta:
        verbose_name_plural = "adoption days"
        # Both read every column they need from the index: an LA's (or a group's) periods, and every LA's.
        indexes = [models.Index(fields=["la", "adopted_on", "a1", "a10", "a2"], name="adoption_days_by_la"),
                   models.Index(fields=["adopted_on", "la", "a1", "a10", "a2"], name="adoption_days_by_date")]

    def __str__(self) -> str:
        return f"Child {self.child_id} adopted {self.adopted_on:%d/%m/%Y}"
