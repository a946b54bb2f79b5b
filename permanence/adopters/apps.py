from django.apps import AppConfig


class AdoptersConfig(AppConfig):
    name = "permanence.adopters"
    label = "adopters"

    def ready(self) -> None:
        from permanence.adopters import performance

        performance.register()
