"""Family finding's quarterly figures, as at the quarter's end, against counts worked out by hand for a small region
where every link's story is known: waiting children with and without an open link, links ended in and after the
quarter, a withdrawn ending, a link agreed and taken to panel, an inter-agency placement, another RAA's link."""

from datetime import date

import pytest

from permanence.adopters import services as household_services
from permanence.children import services as child_services
from permanence.family_finding import services as links
from permanence.family_finding.tests.conftest import AT_PO, approved_household
from permanence.performance import link_figures, measures, reports
from permanence.performance.rules import parse_quarter
from permanence.testing import PLACEMENT_ORDER_JOURNEY

QUARTER = "2025Q2"  # July to September 2025
PERIOD = parse_quarter(QUARTER)
RECENT_PO = [*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2025, 8, 1))]  # 60 days before the quarter end
TODAY = date(2026, 1, 15)


def step(link, kind, day, **details):
    return links.record_event(link=link, kind=kind, date=day, actor=None, details=details, check_role=False)


def open_link(child, household, day):
    return links.open_link(actor=None, child=child, household=household, on=day, check_role=False)


def to_agreed(link, start):
    step(link, "contact", start)
    step(link, "interest", date(start.year, start.month, start.day + 2), by="adopters")
    step(link, "link_agreed", date(start.year, start.month, start.day + 4))


@pytest.fixture
def today(monkeypatch):
    for module in (links, child_services, household_services):
        monkeypatch.setattr(module, "today", lambda: TODAY)


@pytest.fixture
def story(region, today):
    s = region
    home, second = approved_household(s.raa, "Alder"), approved_household(s.raa, "Birch")
    south_home = approved_household(s.other_raa, "Cedar")
    s.no_link = s.child(events=AT_PO, first_name="Ash")  # waiting since 2 September 2024: counted
    s.open = s.child(events=AT_PO, first_name="Beech")
    s.ended = s.child(events=AT_PO, first_name="Cherry")
    s.ended_after = s.child(events=AT_PO, first_name="Damson")
    s.recent = s.child(events=RECENT_PO, first_name="Elm")  # waiting 60 days: not counted
    s.withdrawn = s.child(events=AT_PO, first_name="Fir")
    s.inter = s.child(events=AT_PO, first_name="Gorse")
    s.south = s.child(s.other_la, events=AT_PO, first_name="Hazel")

    # Open at the quarter end, agreed on 9 August and recommended at panel on 20 September: 42 days.
    s.open_link = open_link(s.open, home, date(2025, 8, 1))
    to_agreed(s.open_link, date(2025, 8, 5))
    step(s.open_link, "panel_booked", date(2025, 8, 12), panel_date="2025-09-20")
    step(s.open_link, "panel_recommendation", date(2025, 9, 20), recommendation="match")
    # Ended in the quarter: the adopters declined. Its child has no open link at the end.
    s.ended_link = open_link(s.ended, second, date(2025, 7, 1))
    step(s.ended_link, "contact", date(2025, 7, 3))
    links.end_link(link=s.ended_link, reason="adopters_declined", why="travel distance", date=date(2025, 8, 15),
                   actor=None, check_role=False)
    # Ended only after the quarter: open at its end.
    s.after_link = open_link(s.ended_after, second, date(2025, 9, 1))
    links.end_link(link=s.after_link, reason="plan_changed", date=date(2025, 10, 10), actor=None, check_role=False)
    # Ended in the quarter, but the ending was recorded in error and withdrawn: open.
    s.withdrawn_link = open_link(s.withdrawn, home, date(2025, 7, 2))
    ending = links.end_link(link=s.withdrawn_link, reason="agency_declined", date=date(2025, 7, 20), actor=None,
                            check_role=False)
    links.correct_event(event=ending, actor=None, reason="Recorded on the wrong link", withdraw=True)
    # Placed in the quarter with another RAA's household: inter-agency.
    s.inter_link = open_link(s.inter, south_home, date(2025, 7, 1))
    to_agreed(s.inter_link, date(2025, 7, 3))
    step(s.inter_link, "panel_booked", date(2025, 7, 10), panel_date="2025-08-02")
    step(s.inter_link, "panel_recommendation", date(2025, 8, 2), recommendation="match")  # 26 days after 7 July
    step(s.inter_link, "match_decision", date(2025, 8, 8), decision="agreed")
    step(s.inter_link, "placed", date(2025, 9, 2))
    # The South RAA's child, whose link ended in the quarter.
    s.south_link = open_link(s.south, south_home, date(2025, 7, 1))
    links.end_link(link=s.south_link, reason="another_link", date=date(2025, 7, 30), actor=None, check_role=False)
    return s


def by_key(scope):
    return {f.key: f for f in link_figures.figures(scope, PERIOD)}


def test_the_north_raas_quarter(story):
    f = by_key(measures.scope_for_raa(story.raa))
    assert set(f[link_figures.PO_NO_LINK].child_ids) == {story.no_link.pk, story.ended.pk}
    assert f[link_figures.ENDED].value == 1 and f[link_figures.ENDED].child_ids == (story.ended.pk,)
    ended = {reason: f[key].value for reason, key in link_figures.ENDED_BY_REASON.items()}
    assert ended == {"adopters_declined": 1, "agency_declined": 0, "plan_changed": 0, "another_link": 0,
                     "match_not_agreed": 0}
    assert f[link_figures.LINK_TO_PANEL].value == (42 + 26) / 2 and f[link_figures.LINK_TO_PANEL].n == 2
    assert f[link_figures.INTER_AGENCY].child_ids == (story.inter.pk,)


def test_the_south_raa_and_a_single_la(story):
    south = by_key(measures.scope_for_la(story.other_la))
    assert south[link_figures.PO_NO_LINK].child_ids == (story.south.pk,)
    assert south[link_figures.ENDED].value == 1 and south[link_figures.ENDED_BY_REASON["another_link"]].value == 1
    assert south[link_figures.INTER_AGENCY].value == 0  # the household was the South's own, the child the North's
    assert by_key(measures.scope_for_la(story.la_keeps))[link_figures.PO_NO_LINK].value == 0


def test_a_later_quarter_sees_what_happened_since(story):
    later = {f.key: f for f in link_figures.figures(measures.scope_for_raa(story.raa), parse_quarter("2025Q3"))}
    assert later[link_figures.ENDED].child_ids == (story.ended_after.pk,)
    assert set(later[link_figures.PO_NO_LINK].child_ids) >= {story.no_link.pk, story.ended.pk, story.ended_after.pk}
    assert story.open.pk not in later[link_figures.PO_NO_LINK].child_ids


def test_the_quarterly_report_carries_them(story):
    report = reports.quarterly_report(measures.scope_for_raa(story.raa), QUARTER, suppress=False)
    keys = [f["key"] for f in report["figures"]]
    assert set(link_figures.KEYS) <= set(keys)
    assert next(f for f in report["figures"] if f["key"] == link_figures.PO_NO_LINK)["value"] == 2
    suppressed = reports.quarterly_report(measures.scope_for_raa(story.raa), QUARTER)
    assert next(f for f in suppressed["figures"] if f["key"] == link_figures.PO_NO_LINK)["value"] == "<5"


def test_the_dashboard_shows_the_last_quarter_and_drills_to_the_children(story, client):
    from django.urls import reverse

    from permanence.organisations.models import Role
    from permanence.performance.views import dashboard_data

    data = dashboard_data(measures.scope_for_raa(story.raa), [story.la, story.la_keeps], date(2025, 10, 15))
    assert data["family_finding_quarter"] == PERIOD
    shown = {f.key: f.value for f in data["family_finding"]}
    assert shown[link_figures.PO_NO_LINK] == 2 and shown[link_figures.INTER_AGENCY] == 1

    client.force_login(story.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("performance:drill"), {"report": "quarterly", "key": link_figures.PO_NO_LINK,
                                                    "scope": "raa", "quarter": QUARTER}).content.decode()
    assert "Ash" in page and "Cherry" in page and "Beech" not in page
    client.force_login(story.user(Role.BOARD_MEMBER))
    assert client.get(reverse("performance:drill"), {"report": "quarterly", "key": link_figures.PO_NO_LINK,
                                                     "scope": "raa", "quarter": QUARTER}).status_code == 404


def test_the_dashboards_copy_follows_every_write(story):
    """Kept until something is recorded: a new step, and a withdrawal (no new step, an audit entry), both show."""
    scope = measures.scope_for_raa(story.raa)

    def no_link():
        return set(next(f for f in link_figures.figures_for_dashboard(scope, PERIOD)
                        if f.key == link_figures.PO_NO_LINK).child_ids)

    assert no_link() == {story.no_link.pk, story.ended.pk}
    late = open_link(story.no_link, approved_household(story.raa, "Larch"), date(2025, 9, 10))
    assert no_link() == {story.ended.pk}  # a link opened in the quarter, recorded today
    ended = links.end_link(link=late, reason="agency_declined", date=date(2025, 9, 25), actor=None,
                           check_role=False)
    assert no_link() == {story.ended.pk, story.no_link.pk}
    links.correct_event(event=ended, actor=None, reason="Recorded in error", withdraw=True)
    assert no_link() == {story.ended.pk}  # a withdrawal adds no step, only an audit entry
