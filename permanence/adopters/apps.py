from django.apps import AppConfig


class AdoptersConfig(AppConfig):
    name = "permanence.adopters"
    label = "adopters"
