from django.apps import AppConfig


class BlueprintConfig(AppConfig):
    name = "permanence.blueprint"
    label = "blueprint"
    verbose_name = "Blueprint reviews of the adoption support service"
