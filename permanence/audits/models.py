"""Case-file audits (seed 000, Appendix A): a versioned checklist, audit rounds with their drawn samples, and the
audits of each sampled child's file.

Templates are data: a new ChecklistVersion with its sections and criteria is added without code
(`permanence load_audit_checklist`); a round, and every audit in it, keeps the version it was made with.
"""

from django.db import models
from django.db.models import Q

from permanence.audits import rules


class ChecklistVersion(models.Model):
    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=300)
    valid_from = models.DateField()
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["version"]

    def __str__(self):
        return f"Version {self.version}: {self.title}"


class ChecklistSection(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="sections")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=60)
    number = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    asks_presence = models.BooleanField(default=True, help_text="Whether the audit asks if it is in the file")
    presence_rule = models.CharField(max_length=60, blank=True, help_text="A rule in audits.rules.PRESENCE_RULES")

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="audit_section_key")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ChecklistCriterion(models.Model):
    section = models.ForeignKey(ChecklistSection, on_delete=models.PROTECT, related_name="criteria")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=60)
    number = models.CharField(max_length=12)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    scale = models.CharField(max_length=10, choices=list(rules.SCALES.items()), default=rules.LIKERT)
    rule = models.CharField(max_length=60, blank=True, help_text="A rule in audits.rules.SCORE_RULES")

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "key"], name="audit_criterion_key")]

    def __str__(self):
        return f"{self.number} {self.title}"


class AuditRound(models.Model):
    """A quarter's audit: the sample drawn (reproducibly, from `seed`) from the RAA's children with an adoption
    order in the dates, n per stratum."""

    raa = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="audit_rounds")
    name = models.CharField(max_length=200)
    held_on = models.DateField(help_text="The start of the quarter the round belongs to")
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="rounds")
    orders_from = models.DateField(help_text="Children with an adoption order on or after this day")
    orders_to = models.DateField(null=True, blank=True)
    stratify_by = models.CharField(max_length=10, choices=list(rules.STRATIFY_LABELS.items()))
    per_stratum = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField()
    blinded = models.BooleanField(default=False, help_text="The auditor does not see the child's LA or group")
    source = models.CharField(max_length=20, blank=True, help_text="demo or blank")
    created_by = models.ForeignKey("organisations.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.name


class SampleEntry(models.Model):
    """One child drawn into a round, with the stratum and the group it was drawn as."""

    round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="entries")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="audit_samples")
    stratum = models.CharField(max_length=100)
    group = models.CharField(max_length=10, choices=list(rules.GROUP_LABELS.items()))
    adoption_order = models.DateField()

    class Meta:
        ordering = ["round", "stratum", "child_id"]
        constraints = [models.UniqueConstraint(fields=["round", "child"], name="audit_sample_child_once")]

    def __str__(self):
        return f"{self.child_id} in {self.round}"


class CaseAudit(models.Model):
    """The audit of one sampled child's file. The LA and group are kept as they were on the day."""

    entry = models.OneToOneField(SampleEntry, on_delete=models.PROTECT, related_name="audit")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="case_audits")
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="audits")
    la = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=10, choices=list(rules.GROUP_LABELS.items()))
    auditor = models.CharField(max_length=200)
    audited_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey("organisations.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-audited_on", "-id"]

    def __str__(self):
        return f"Audit of {self.child_id} on {self.audited_on}"


class SectionAnswer(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey(ChecklistSection, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(null=True, blank=True)
    auto_present = models.BooleanField(null=True, blank=True)
    evidence = models.TextField(blank=True, help_text="What the journey said, when the audit was made")
    override_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["section__order"]
        constraints = [models.UniqueConstraint(fields=["audit", "section"], name="audit_section_once")]

    def __str__(self):
        return f"Section {self.section_id} of audit {self.audit_id}: present {self.present}"


class CriterionScore(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ChecklistCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    auto_score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__section__order", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "criterion"], name="audit_score_once"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                                   name="audit_score_1_to_5"),
        ]

    def __str__(self):
        return f"Criterion {self.criterion_id} of audit {self.audit_id}: {self.score}"
