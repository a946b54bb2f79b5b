from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "permanence.core"
    label = "core"
