"""SSDA903 imports: who loaded which files for which LA and what happened, and conflicts for a person."""

from django.conf import settings
from django.db import models

from permanence.children.models import Child, JourneyEvent
from permanence.organisations.models import Organisation


class ImportBatch(models.Model):
    """One upload (or command-line run) of an LA's 903 files. Kept for refused uploads and dry runs too."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Imported"
        DRY_RUN = "dry_run", "Dry run: nothing changed"
        REFUSED = "refused", "Refused: nothing changed"

    la = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ssda903_imports")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    via = models.CharField(max_length=10, default="web", help_text="web or command line")
    files = models.JSONField(default=list, help_text="Each file: name, size, table, collection year.")
    years = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    findings = models.JSONField(default=list)
    findings_total = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=list, help_text="What changed (or would change, on a dry run).")
    notes = models.JSONField(default=list, help_text="What validation ran.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "SSDA903 import"

    def __str__(self) -> str:
        return f"SSDA903 import {self.pk} for {self.la}"

    @property
    def errors(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] != "error"]


class ImportConflict(models.Model):
    """A 903 value that differs from what a person recorded in Permanence: never applied without a decision."""

    class Status(models.TextChoices):
        OPEN = "open", "To decide"
        ACCEPTED = "accepted", "903 value accepted"
        KEPT = "kept", "Permanence value kept"

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="conflicts")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="ssda903_conflicts")
    key = models.CharField(max_length=80, help_text="What the conflict is about: event:<kind>:<n> or field:<name>.")
    label = models.CharField(max_length=200)
    ours = models.JSONField(null=True, blank=True)
    theirs = models.JSONField()
    ours_event = models.ForeignKey(JourneyEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="The file, table, row and field.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["child_id", "id"]
        indexes = [models.Index(fields=["child", "key"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.label} for {self.child}"


class ReturnRow(models.Model):
    """One row of an SSDA903 return as received, kept so a child's journey is always derived from every return
    held for the LA (a year's return holds only what was open that year).

    One row per (LA, table, collection year, child, key): the key is the episode's DECOM (Episodes) or the
    decision's DATE_PLACED (PlacedAdoption), blank for Header and AD1. A later upload of the same year and table
    replaces that year's rows; rows of other years stay.
    """

    la = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ssda903_rows")
    child = models.CharField(max_length=40, help_text="The LA's child identifier (CHILD).")
    table = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField(help_text="Collection year, named by the year it ends.")
    key = models.CharField(max_length=10, blank=True)
    values = models.JSONField()
    file = models.CharField(max_length=200)
    row = models.PositiveIntegerField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="rows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["la", "child", "table", "year", "key"],
                                               name="ssda903_row_unique")]
        indexes = [models.Index(fields=["la", "table", "year"])]
        verbose_name = "SSDA903 row held"

    def __str__(self) -> str:
        return f"{self.table} {self.year} row for {self.child}"
