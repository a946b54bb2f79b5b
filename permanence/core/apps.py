from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "permanence.core"
    label = "core"

    def ready(self):
        from permanence.core import signin  # noqa: F401  (connects the sign-in audit receivers)
