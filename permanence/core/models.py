"""The audit trail: an append-only log of changes and a log of who viewed which record."""

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class AuditEvent(AppendOnly):
    """A change: who did what to which record, when, with the state before and after, and why."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"


class RecordView(AppendOnly):
    """Someone opened a person's record (a child, a household, a case...), or listed or searched records.

    A record: object_type and object_id name it. A list or a search (a page's list, an API list, a printed
    agenda): `what` names it ("children.list", "api:child-list"), `filters` holds the filters it was asked
    with – a search term only as a keyed hash ("hmac:…", core.audit.keyed_hash) – and `row_count` how many
    records matched. The path never carries the query string.
    """

    at = models.DateTimeField(db_index=True)
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=300)
    what = models.CharField(max_length=80, blank=True, db_index=True,
                            help_text="A list or search that was shown, e.g. children.list; blank for a record.")
    filters = models.JSONField(default=dict, blank=True, help_text="The list's filters, search terms hashed.")
    row_count = models.PositiveIntegerField(null=True, blank=True, help_text="How many records the list matched.")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        if self.what:
            return f"{self.at:%d/%m/%Y %H:%M} {self.viewer} listed {self.what} ({self.row_count} rows)"
        return f"{self.at:%d/%m/%Y %H:%M} {self.viewer} viewed {self.object_type} {self.object_id}"


class ExportLog(AppendOnly):
    """Someone took records out of Permanence as a file: a list as CSV or XLSX, a whole record as a PDF."""

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=60, db_index=True, help_text="What was exported, e.g. children.list.")
    format = models.CharField(max_length=10)
    filters = models.JSONField(default=dict, blank=True, help_text="The filters the list was exported with.")
    row_count = models.PositiveIntegerField(default=0)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} exported {self.what} as {self.format} ({self.row_count} rows)"
