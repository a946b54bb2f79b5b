from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "permanence.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from permanence.api import schema  # noqa: F401 (registers the OpenAPI extension for our token auth)
