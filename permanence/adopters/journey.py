"""The household's assessment as the pages and the API reach it: the household through access, its events'
services."""

from permanence import access
from permanence.adopters import rules, services
from permanence.journeys.records import JourneyRecords

RECORDS = JourneyRecords(rules.JOURNEY, services, get_record=access.get_household_for,
                         get_event=access.get_household_event_for)
