from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "permanence.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
