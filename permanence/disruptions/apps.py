from django.apps import AppConfig


class DisruptionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "permanence.disruptions"
    label = "disruptions"
    verbose_name = "Disruption learning reviews"
