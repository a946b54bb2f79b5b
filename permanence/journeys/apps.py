from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "permanence.journeys"
    label = "journeys"
    verbose_name = "Journey kernel"
