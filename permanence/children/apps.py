from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "permanence.children"
    label = "children"
