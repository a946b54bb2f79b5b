from django.apps import AppConfig


class FamilyFindingConfig(AppConfig):
    name = "permanence.family_finding"
    label = "family_finding"
    verbose_name = "Family finding"

    def ready(self) -> None:
        from permanence.family_finding.services import refresh_all_snapshots
        from permanence.journeys.registry import register_snapshots

        register_snapshots("links", refresh_all_snapshots)
