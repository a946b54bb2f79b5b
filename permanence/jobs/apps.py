from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "permanence.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from permanence.jobs import files  # noqa: F401 - registers the file jobs (exports, reports)
