from django.core.management.base import BaseCommand

from permanence.children.services import refresh_snapshots_for_la
from permanence.organisations.models import Organisation


class Command(BaseCommand):
    help = ("Recalculate every child's derived stage, case holder and next due action (and every household's), "
            "e.g. after changing a timescale. Safe to run at any time.")

    def handle(self, *args, **options):
        changed = 0
        for la in Organisation.objects.filter(kind=Organisation.Kind.LA):
            changed += refresh_snapshots_for_la(la)
        from permanence.adopters.models import Household
        from permanence.adopters.services import refresh_snapshot

        households = 0
        for household in Household.objects.all().iterator():
            refresh_snapshot(household)
            households += 1
        self.stdout.write(self.style.SUCCESS(f"{changed} children changed; {households} households recalculated."))
