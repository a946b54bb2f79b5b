from django.apps import AppConfig


class SupportFundConfig(AppConfig):
    name = "permanence.support_fund"
    label = "support_fund"
    verbose_name = "Support plans and the support fund"

    def ready(self) -> None:
        from permanence.support_fund import measures

        measures.register()
