"""Complaints and representations, and service user feedback (two parts of one app).

- `ComplaintTheme`: the configurable list of themes (data, kept in the admin).
- `Complaint`: one RAA's complaint, optionally about a child, a household or a support case; its `ComplaintStage`s
  (1 local resolution, 2 investigation, 3 review panel) carry their own dates; due dates come from rules.
- `FeedbackSurvey`: a versioned survey template (questions as data) for one point of the journey; a
  `FeedbackResponse` keeps the version it answered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from permanence.complaints import rules


def _choices(enum, labels):
    return [(member.value, labels[member]) for member in enum]


class ComplaintTheme(models.Model):
    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    raa = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="complaints")
    received_on = models.DateField()
    complainant_type = models.CharField(max_length=30,
                                        choices=_choices(rules.ComplainantType, rules.COMPLAINANT_LABELS))
    summary = models.TextField()
    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="complaints")
    household = models.ForeignKey("adopters.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="complaints")
    support_case = models.ForeignKey("support.SupportCase", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="complaints")
    themes = models.ManyToManyField(ComplaintTheme, blank=True, related_name="complaints")
    outcome = models.CharField(max_length=20, blank=True, choices=_choices(rules.Outcome, rules.OUTCOME_LABELS))
    closed_on = models.DateField(null=True, blank=True)
    lessons_learned = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Complaint {self.pk} received {self.received_on:%d %B %Y}"

    @property
    def current_stage(self):
        stages = list(self.stages.all())
        return stages[-1] if stages else None

    @property
    def outcome_label(self) -> str:
        return rules.OUTCOME_LABELS[rules.Outcome(self.outcome)] if self.outcome else ""

    @property
    def complainant_label(self) -> str:
        return rules.COMPLAINANT_LABELS[rules.ComplainantType(self.complainant_type)]


class ComplaintStage(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(choices=[(s.value, rules.STAGE_LABELS[s]) for s in rules.Stage])
    started_on = models.DateField()
    extended = models.BooleanField(default=False)
    panel_on = models.DateField(null=True, blank=True, help_text="Stage 3: the day the review panel sat.")
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["stage"]
        constraints = [models.UniqueConstraint(fields=["complaint", "stage"], name="complaint_stage_once")]

    def __str__(self) -> str:
        return f"{self.label} from {self.started_on:%d %B %Y}"

    @cached_property
    def due_on(self):
        """From the complaint timescales in force on the day the stage started (timescales as data)."""
        from permanence.timescales.selectors import timescales_in_force

        return self.due_with(timescales_in_force(self.started_on, rules.TIMESCALE_SUBJECT))

    @cached_property
    def timescale_label(self) -> str:
        """The timescale the stage is due by, as the page says it ("10 working days"), or that none is in force."""
        from permanence.timescales.rules import describe_period
        from permanence.timescales.selectors import timescales_in_force

        t = rules.stage_timescale(self.stage, timescales=timescales_in_force(self.started_on, rules.TIMESCALE_SUBJECT),
                                  extended=self.extended, panel_on=self.panel_on)
        return describe_period(t.amount, t.unit) if t else "No timescale in force"

    def due_with(self, timescales):
        return rules.stage_due(self.stage, self.started_on, timescales=timescales, extended=self.extended,
                               panel_on=self.panel_on)

    @property
    def label(self) -> str:
        return rules.STAGE_LABELS[rules.Stage(self.stage)]


class FeedbackSurvey(models.Model):
    point = models.CharField(max_length=20, choices=_choices(rules.SurveyPoint, rules.POINT_LABELS))
    version = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    title = models.CharField(max_length=200)
    questions = models.JSONField(help_text='A list of {"key": …, "text": …, "kind": "scale" | "yes_no" | "text"}.')

    class Meta:
        ordering = ["point", "-version"]
        constraints = [models.UniqueConstraint(fields=["point", "version"], name="feedback_survey_version_once")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def point_label(self) -> str:
        return rules.POINT_LABELS[rules.SurveyPoint(self.point)]


class FeedbackResponse(models.Model):
    raa = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                            related_name="feedback_responses")
    survey = models.ForeignKey(FeedbackSurvey, on_delete=models.PROTECT, related_name="responses")
    received_on = models.DateField()
    household = models.ForeignKey("adopters.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="feedback_responses")
    support_case = models.ForeignKey("support.SupportCase", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="feedback_responses")
    answers = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Feedback of {self.received_on:%d %B %Y} ({self.survey})"
