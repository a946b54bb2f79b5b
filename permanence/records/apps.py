from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "permanence.records"
    label = "records"
    verbose_name = "Records and data protection: retention, disposal, subject access"
