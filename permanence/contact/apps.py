from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "permanence.contact"
    label = "contact"
    verbose_name = "Contact and birth relatives' support"

    def ready(self) -> None:
        from permanence.contact import figures

        figures.register()
