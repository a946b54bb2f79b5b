from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "permanence.interchange"
    label = "interchange"
    verbose_name = "SSDA903 import and export"

    def ready(self):
        from permanence.interchange import jobs  # noqa: F401 - registers the SSDA903 import job
