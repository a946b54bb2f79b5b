from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "permanence.complaints"
    label = "complaints"
    verbose_name = "Complaints and service user feedback"
