from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "permanence.timescales"
    label = "timescales"
