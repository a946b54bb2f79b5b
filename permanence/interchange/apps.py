from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "permanence.interchange"
    label = "interchange"
    verbose_name = "SSDA903 import and export"
