"""The link's journey as the pages and the API reach it: the link through access, its steps' services."""

from permanence import access
from permanence.family_finding import rules, services
from permanence.journeys.records import JourneyRecords

RECORDS = JourneyRecords(rules.JOURNEY, services, get_record=access.get_link_for, get_event=access.get_link_event_for,
                         child_id=lambda link: link.child_id)
