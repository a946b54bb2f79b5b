from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "permanence.performance"
    label = "performance"
    verbose_name = "Performance management"
