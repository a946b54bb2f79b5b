from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "permanence.organisations"
    label = "organisations"
