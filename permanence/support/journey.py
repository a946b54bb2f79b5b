"""The support case's journey as the pages and the API reach it: the case through access, its steps' services.
Audit entries are never filed under the child (the child's LA reads the child's trail)."""

from permanence import access
from permanence.journeys.records import JourneyRecords
from permanence.support import rules, services

RECORDS = JourneyRecords(rules.JOURNEY, services, get_record=access.get_support_case_for,
                         get_event=access.get_support_event_for)
