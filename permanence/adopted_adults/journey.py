"""An adopted adult's request as the pages and the API reach it: the request through access, its steps'
services."""

from permanence import access
from permanence.adopted_adults import rules, services
from permanence.journeys.records import JourneyRecords

RECORDS = JourneyRecords(rules.JOURNEY, services, get_record=access.get_adult_request_for,
                         get_event=access.get_adult_request_event_for)
