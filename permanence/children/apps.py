from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "permanence.children"
    label = "children"

    def ready(self) -> None:
        from permanence.children.services import refresh_snapshots_for_la
        from permanence.organisations.services import on_policy_change

        on_policy_change(refresh_snapshots_for_la)
