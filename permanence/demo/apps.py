from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "permanence.demo"
    label = "demo"
    verbose_name = "Demo data"
