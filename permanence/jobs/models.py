"""Background jobs: what a person (or the command line) asked to run, how far it has got, and how it ended.

The queue itself is django-tasks' (docs/decisions/0008-background-jobs.md); a Job row is Permanence's own record
of the work, kept in the database so every web process and worker sees the same state.
"""

from django.conf import settings
from django.db import models

from permanence.organisations.models import Organisation


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed: nothing was changed"

    kind = models.CharField(max_length=40, help_text="What runs: a key of permanence.jobs.services.KINDS.")
    label = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    la = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                           help_text="The LA whose records the job reads or changes, if one.")
    params = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(max_length=200, blank=True, help_text="What it is doing, as the page says it.")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Which process runs it (set when it starts): a job whose process has gone is failed by `recover_stopped`.
    worker_host = models.CharField(max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)


class JobFile(models.Model):
    """An uploaded file a job reads, held in the database (any worker can read it); deleted when the job ends."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class JobOutput(models.Model):
    """The file a job made (a large export, a report PDF), held in the database so any web process can hand it to
    the person who asked; only they may download it, and it is deleted when it expires (jobs.files.purge_expired).
    A file a job wrote to disk (a list export) is held in JobOutputParts, in order, and `data` is empty; small
    bytes (a PDF) are held in `data`."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="output")
    name = models.CharField(max_length=200, help_text="The file name the download is given.")
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    rows = models.PositiveIntegerField(default=0)
    data = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class JobOutputPart(models.Model):
    """One part of a job's file, in order: a large export is stored and sent a part at a time, never whole."""

    SIZE = 1024 * 1024  # bytes a part holds (the last may hold fewer)

    output = models.ForeignKey(JobOutput, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["output", "index"]
        constraints = [models.UniqueConstraint(fields=["output", "index"], name="jobs_output_part_once")]

    def __str__(self) -> str:
        return f"{self.output_id}:{self.index}"
