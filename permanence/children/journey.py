"""The child's journey as the pages and the API reach it: the child through access, its events' services."""

from permanence import access
from permanence.children import rules, services
from permanence.journeys.records import JourneyRecords

RECORDS = JourneyRecords(rules.JOURNEY, services, get_record=access.get_child_for, get_event=access.get_event_for,
                         child_id=lambda child: child.pk)
