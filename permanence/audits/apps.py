from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "permanence.audits"
    label = "audits"
    verbose_name = "Case-file quality audits"
