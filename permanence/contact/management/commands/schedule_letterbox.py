"""`permanence schedule_letterbox`: schedule every open letterbox arrangement's exchanges a year ahead (run daily or
monthly; idempotent). Arrangements are scheduled a year ahead when added; this keeps them a year ahead."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q

from permanence.contact import services
from permanence.contact.models import ContactArrangement


class Command(BaseCommand):
    help = "Schedule the letterbox exchanges of every open letterbox arrangement a year ahead."

    def handle(self, *args, **options):
        today = services.today()
        until = today + timedelta(days=services.SCHEDULE_AHEAD_DAYS)
        open_ = ContactArrangement.objects.filter(kind="letterbox").filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
        made = sum(len(services.schedule_exchanges(a, until)) for a in open_.iterator())
        self.stdout.write(f"Scheduled {made} letterbox exchanges up to {until.isoformat()}.")
