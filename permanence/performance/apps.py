from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "permanence.performance"
    label = "performance"
    verbose_name = "Performance management"

    def ready(self) -> None:
        from permanence.performance import adopter_figures, link_figures

        adopter_figures.register()
        link_figures.register()
