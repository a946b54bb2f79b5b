"""Family finding's forms: they only parse; the services check the journey."""

from datetime import date

from django import forms

from permanence.core.templatetags.govuk import govuk_date
from permanence.family_finding import rules
from permanence.journeys import forms as journey_forms

SHOW_CHOICES = [("mine", "My links"), ("team", "All the team's links")]


class BoardFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False, widget=forms.RadioSelect)
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage")] + [
        (s.value, rules.STAGE_LABELS[s]) for s in rules.STAGE_ORDER if s is not rules.Stage.NEW])
    stale = forms.BooleanField(label="Stale links only", required=False)


class ShortlistForm(forms.Form):
    include_inter_agency = forms.BooleanField(
        label="Include other agencies' approved households", required=False,
        help_text="Other RAAs' and VAAs' households, each marked inter-agency with its fee.")


class OpenLinkForm(forms.Form):
    """Opening a link from a shortlist entry: nothing to ask beyond the button."""


def _said_panel(details) -> str:
    return f"Matching panel on {govuk_date(date.fromisoformat(str(details['panel_date'])))}."


def _said_interest(details) -> str:
    return f"Interest from {rules.INTEREST_BY.get(details['by'], details['by']).lower()}."


ASKS = journey_forms.Asks(
    journey=rules.JOURNEY,
    details={
        "by": journey_forms.Ask("Who expressed interest?", said=_said_interest),
        "panel_date": journey_forms.Ask("Date of the matching panel", asked_as=journey_forms.DATE,
                                        help_text="For example, 27 3 2025", said=_said_panel),
        "recommendation": journey_forms.Ask("Recommendation", said="Recommendation: {}"),
        "decision": journey_forms.Ask("Decision", said="Decision: {}"),
        "summary": journey_forms.Ask("What happened", said="{}", said_as_given=True),
        "reason": journey_forms.Ask("Why did the link end?", said="Reason: {}"),
        "why": journey_forms.Ask(
            "In their words", required=False, said="In their words: {}",
            help_text="For a decline, what the adopters or the agency said (for example, travel distance). It is "
                      "shown on the household's next shortlists."),
    },
    date_hint="For example, 27 3 2025",
    also={rules.Kind.ENDED: ("why",)},  # details asked beyond those the table requires or checks
)


class EventForm(journey_forms.EventForm):
    """One step of a link: its date, the details its row of the table takes (a choice as radios), a note."""

    asks = ASKS


class CorrectionForm(journey_forms.CorrectionForm):
    asks = ASKS

CHILDREN_COUNTED = [("all", "Also those identified before the placement order"),
                    ("po", "Only those with a placement order")]


class SufficiencyFilterForm(forms.Form):
    la = forms.ChoiceField(label="Local authority", required=False)
    children = forms.ChoiceField(label="Waiting children counted", choices=CHILDREN_COUNTED, required=False,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, las=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].choices = [("", "All the RAA's local authorities")] + [(la.code, la.name) for la in las]
