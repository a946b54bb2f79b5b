from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "permanence.home"
    label = "home"
    verbose_name = "Home: each role's own work and tasks"
