from django.apps import AppConfig


class AdoptersConfig(AppConfig):
    name = "permanence.adopters"
    label = "adopters"

    def ready(self) -> None:
        from permanence.adopters.services import refresh_all_snapshots
        from permanence.journeys.registry import register_snapshots

        register_snapshots("households", refresh_all_snapshots)
