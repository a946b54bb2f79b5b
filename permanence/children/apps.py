from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "permanence.children"
    label = "children"

    def ready(self) -> None:
        from permanence.children.services import refresh_all_snapshots, refresh_snapshots_for_la
        from permanence.journeys.registry import register_snapshots
        from permanence.organisations.services import on_policy_change

        on_policy_change(refresh_snapshots_for_la)
        register_snapshots("children", refresh_all_snapshots)
