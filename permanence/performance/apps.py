from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "permanence.performance"
    label = "performance"
    verbose_name = "Performance management"

    def ready(self) -> None:
        from permanence.journeys.registry import register_derived
        from permanence.performance import adopter_figures, link_figures, services

        adopter_figures.register()
        link_figures.register()
        register_derived("children", services.refresh_adoption_days)  # the comparisons' per-child days
