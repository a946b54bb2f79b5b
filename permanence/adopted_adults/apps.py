from django.apps import AppConfig


class AdoptedAdultsConfig(AppConfig):
    name = "permanence.adopted_adults"
    label = "adopted_adults"
    verbose_name = "Adopted adults"

    def ready(self) -> None:
        from permanence.adopted_adults import figures
        from permanence.adopted_adults.services import refresh_all_snapshots
        from permanence.journeys.registry import register_snapshots

        register_snapshots("adult requests", refresh_all_snapshots)
        figures.register()
