from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "permanence.support"
    label = "support"
    verbose_name = "Adoption support"

    def ready(self) -> None:
        from permanence.journeys.registry import register_snapshots
        from permanence.support import figures
        from permanence.support.services import refresh_all_snapshots

        register_snapshots("support cases", refresh_all_snapshots)
        figures.register()
