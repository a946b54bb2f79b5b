"""The access package: one not-found answer for every get_*_for, one measure scope for the pages and the API, and
every name the project uses from `access` still there."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.http import Http404

import permanence
from permanence import access
from permanence.adopted_adults.tests.conftest import make_request as make_adult_request
from permanence.adopters import services as adopter_services
from permanence.adopters.tests.conftest import TO_PANEL, make_household, source
from permanence.children import services as child_services
from permanence.family_finding import services as family_finding_services
from permanence.interchange import services as interchange_services
from permanence.interchange.jobs import KIND
from permanence.interchange.models import ImportConflict
from permanence.interchange.tests.helpers import files_903, kids
from permanence.jobs.models import Job
from permanence.organisations import services as org_services
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.performance import services as performance_services
from permanence.testing import PASSWORD, PLACEMENT_ORDER_JOURNEY, each_case

TODAY = date(2026, 3, 16)
MISSING = 10**9


class Side:
    """One RAA's records of every kind a get_*_for can return (its own LA's child, household, import …)."""

    def __init__(self, region, raa, la, tag):
        self.la = la
        self.child = region.child(la, first_name=f"Child{tag}", events=PLACEMENT_ORDER_JOURNEY)
        self.event = self.child.events.first()
        self.group = child_services.create_sibling_group(actor=None, la=la, name=f"Group{tag}")
        self.household = make_household(raa, f"Household{tag}", events=TO_PANEL)
        self.household_event = self.household.events.first()
        self.enquiry = adopter_services.record_enquiry(actor=None, raa=raa, received_on=date(2025, 8, 1),
                                                       source=source(), first_name="Quill", last_name=tag)
        self.panel = adopter_services.create_panel(actor=None, raa=raa, date=date(2025, 7, 1))
        self.item = adopter_services.book_item(actor=None, panel=self.panel, household=self.household)
        approved = make_household(raa, f"Approved{tag}", events=[
            *TO_PANEL, ("panel_recommendation", date(2025, 6, 20), {"recommendation": "approve"}),
            ("adm_decision", date(2025, 6, 25), {"decision": "approved"})])
        self.match_item = adopter_services.book_match_item(
            actor=None, panel=adopter_services.create_panel(actor=None, raa=raa, date=date(2026, 4, 1)),
            children=[self.child], household=approved, on=TODAY)
        self.link = family_finding_services.open_link(actor=None, child=self.child, household=approved,
                                                      on=TODAY, check_role=False)
        self.link_event = self.link.events.first()
        self.shortlist = family_finding_services.shortlist(child=self.child, actor=None, on=TODAY, spread=False,
                                                           check_role=False)
        self.batch = interchange_services.import_903(files=files_903(kids(la.code, count=1), [2025]), la=la,
                                                     actor=None, on=TODAY, validate=False).batch
        self.conflict = ImportConflict.objects.create(batch=self.batch, child=self.child, key="field:sex",
                                                      label="Sex", ours={"value": self.child.sex},
                                                      theirs={"value": "U"})
        self.team = org_services.create_team(actor=None, organisation=raa, name=f"Team{tag}")
        self.worker = org_services.create_staff(
            actor=None, organisation=raa, role=Role.RAA_FAMILY_FINDER, username=f"ff.{tag}", first_name="Fay",
            last_name=tag, team=self.team, password=PASSWORD)
        manager = region.staff[(raa.code, Role.RAA_TEAM_MANAGER)]
        self.action = performance_services.agree_action(
            actor=manager, child=self.child, text=f"Chase {tag}", owner=self.worker, due_by=TODAY + timedelta(7),
            agreed_on=TODAY, today=TODAY)
        from permanence.support import services as support_services  # adoption support (issue 12)
        self.support_case = support_services.create_referral(
            actor=None, raa=raa, on=TODAY, check_role=False, referrer_type="adoptive_family", referred_on=TODAY,
            family_name=f"Family{tag}", referrer_name="Ref", reason="Support", child_name=f"Kid{tag}")
        self.support_event = self.support_case.events.first()
        from permanence.support_fund.tests.helpers import access_rows  # support plans and the fund (issue 12)
        self.provider, self.commission, self.support_plan, self.fund_application = access_rows(raa, self.support_case)
        self.adult_request = make_adult_request(raa, first_name=f"Adult{tag}")  # adopted adults (issue 12)
        from permanence.complaints.tests.helpers import access_rows as complaint_rows  # complaints (issue 13)
        self.complaint = complaint_rows(raa)
        self.adult_request_event = self.adult_request.events.first()
        from permanence.blueprint.tests.helpers import make_review  # blueprint reviews (issue 13)
        self.blueprint_review = make_review(raa)
        self.job = Job.objects.create(kind=KIND, label=f"SSDA903 dry run {tag}", la=la, created_at=self.batch.created_at,
                                      actor=region.staff[(raa.code, Role.DATA_OFFICER)])


@pytest.fixture
def world(region, monkeypatch):
    monkeypatch.setattr(adopter_services, "today", lambda: TODAY)
    return region, Side(region, region.raa, region.la, "North"), Side(region, region.other_raa, region.other_la,
                                                                       "South")


# Every get_* helper: (who asks, then for own / not-yours: the arguments and what the own call returns).
# The North RAA's staff ask; the South RAA's records are "not yours". A missing record is MISSING (or a code no
# organisation has).
def _pk(field, role=Role.RAA_TEAM_MANAGER, parent=None):
    def case(region, own, other):
        user = region.staff[("NR", role)]
        before = (getattr(own, parent),) if parent else ()
        return user, before, getattr(own, field), getattr(other, field), MISSING

    return case


def _code(role):
    def case(region, own, other):
        return region.staff[("NR", role)], (), own.la, other.la, "999"

    return case


def _staff(role):
    def case(region, own, other):
        return (region.staff[("NR", role)], (), region.staff[("901", Role.LA_SOCIAL_WORKER)],
                region.staff[("SR", Role.RAA_FAMILY_FINDER)], 10**12)

    return case


CASES = {
    "get_child_for": _pk("child"),
    "get_sibling_group_for": _pk("group"),
    "get_event_for": _pk("event", parent="child"),
    "get_household_for": _pk("household"),
    "get_enquiry_for": _pk("enquiry"),
    "get_panel_for": _pk("panel"),
    "get_household_event_for": _pk("household_event", parent="household"),
    "get_panel_item_for": _pk("item", parent="panel"),
    "get_match_item_for_decision": _pk("match_item", Role.AGENCY_DECISION_MAKER),
    "get_link_for": _pk("link", Role.RAA_FAMILY_FINDER),
    "get_link_event_for": _pk("link_event", Role.RAA_FAMILY_FINDER, parent="link"),
    "get_shortlist_for": _pk("shortlist", Role.RAA_FAMILY_FINDER),
    "get_import_for": _pk("batch", Role.DATA_OFFICER),
    "get_import_conflict_for": _pk("conflict", Role.DATA_OFFICER),
    "get_surgery_team_for": _pk("team"),
    "get_surgery_worker_for": _pk("worker"),
    "get_surgery_action_for": _pk("action"),
    "get_surgery_child_for": _pk("child"),
    "get_surgery_household_for": _pk("household"),
    "get_la_for": _code(Role.RAA_TEAM_MANAGER),
    "get_administered_la": _code(Role.SYSTEM_ADMINISTRATOR),
    "get_administered_staff": _staff(Role.SYSTEM_ADMINISTRATOR),
    "get_903_la_for": _code(Role.DATA_OFFICER),
    "get_support_case_for": _pk("support_case", Role.RAA_SUPPORT_WORKER),
    "get_support_event_for": _pk("support_event", Role.RAA_SUPPORT_WORKER, parent="support_case"),
    "get_support_provider_for": _pk("provider"),
    "get_commission_for": _pk("commission", parent="provider"),
    "get_support_plan_for": _pk("support_plan", Role.RAA_SUPPORT_WORKER),
    "get_complaint_for": _pk("complaint", Role.COMPLAINTS_OFFICER),
    "get_fund_application_for": _pk("fund_application", Role.RAA_SUPPORT_WORKER),
    "get_adult_request_for": _pk("adult_request", Role.RAA_SUPPORT_WORKER),
    "get_adult_request_event_for": _pk("adult_request_event", Role.RAA_SUPPORT_WORKER, parent="adult_request"),
    "get_import_job_for": _pk("job", Role.DATA_OFFICER),
}


# Contact and birth relatives' support (issue 12): each side's rows made on the spot, asked by a support worker.
def _contact(what):
    def case(region, own, other):
        from permanence.contact.tests.helpers import contact_rows

        rows = [contact_rows(side.child)[what] for side in (own, other)]
        return region.staff[("NR", Role.RAA_SUPPORT_WORKER)], (), rows[0], rows[1], MISSING

    return case


CASES |= {"get_blueprint_review_for": _pk("blueprint_review", Role.RAA_QUALITY_LEAD)}
CASES |= {"get_contact_child_for": _contact("child"), "get_contact_plan_for": _contact("plan"),
          "get_contact_arrangement_for": _contact("arrangement"), "get_letterbox_exchange_for": _contact("exchange"),
          "get_birth_relative_offer_for": _contact("offer")}



# Disruption learning reviews (issue 13): each side's review made on the spot, asked by the RAA's quality lead.
def _reviews(what):
    def case(region, own, other):
        from permanence.disruptions.tests.helpers import access_rows

        rows = [dict(zip(("review", "rec", "child"), access_rows(region, side.la, side.la.raa), strict=True))
                for side in (own, other)]
        before = (rows[0]["review"],) if what == "rec" else ()
        return region.staff[("NR", Role.RAA_QUALITY_LEAD)], before, rows[0][what], rows[1][what], MISSING

    return case


CASES |= {"get_learning_review_for": _reviews("review"), "get_recommendation_for": _reviews("rec"),
          "get_reviewable_child_for": _reviews("child")}


# Case-file audits (issue 13): each side's round, sampled child and audit, asked by the RAA's quality lead.
def _audits(what):
    def case(region, own, other):
        from permanence.audits.tests.helpers import access_rows

        rows = [dict(zip(("round", "entry", "audit"), access_rows(region, side.la, side.la.raa), strict=True))
                for side in (own, other)]
        return region.staff[("NR", Role.RAA_QUALITY_LEAD)], (), rows[0][what], rows[1][what], MISSING

    return case


CASES |= {"get_audit_round_for": _audits("round"), "get_sample_entry_for": _audits("entry"),
          "get_case_audit_for": _audits("audit")}

# Files made by background jobs (issue 16): the person who asked only; another RAA's manager's job is not yours.
def _file_job(region, own, other):
    from permanence.jobs.files import EXPORT, _who

    mine, theirs = (Job.objects.create(kind=EXPORT, label="children", actor=region.staff[(code, Role.RAA_TEAM_MANAGER)],
                                       created_at=own.batch.created_at,
                                       params={"who": _who(region.staff[(code, Role.RAA_TEAM_MANAGER)])})
                    for code in ("NR", "SR"))
    return region.staff[("NR", Role.RAA_TEAM_MANAGER)], (), mine, theirs, MISSING


CASES |= {"get_file_job_for": _file_job}

# Records and data protection (issue 15): the RAA's own records for its head of service; an adopter of its own
# households for a subject access export.
def _retention(kind):
    def case(region, own, other):
        return region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)], (kind,), own.household, other.household, MISSING

    return case


def _subject(region, own, other):
    return (region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)], ("adopters",), own.household.applicants.first(),
            other.household.applicants.first(), MISSING)


def _profile(region, own, other):  # the anonymised household profile: the household on the LA's child's link
    return region.staff[("901", Role.LA_SOCIAL_WORKER)], (), own.link.household, other.link.household, MISSING


CASES |= {"get_retention_record_for": _retention("household"), "get_subject_for": _subject,
          "get_household_profile_for": _profile}


def test_every_get_helper_has_a_case():
    """A get_* helper added to access without a row in CASES fails here."""
    assert {n for n in access.__all__ if n.startswith("get_") and n != "get_or_404"} == set(CASES)


def test_missing_and_not_yours_give_the_same_404(world):
    """Every get_* helper (each in its own rolled-back savepoint, over one world)."""
    region, north, south = world

    def check(name):
        user, before, own, other, missing = CASES[name](region, north, south)
        helper = getattr(access, name)
        key = (lambda row: row.code) if isinstance(missing, str) else (lambda row: row.pk)
        assert helper(user, *before, key(own)) == own  # the user's own record is found …
        answers = []
        for asked in (key(other), missing, "not-a-key"):  # … the other RAA's, a missing one and a malformed one not
            with pytest.raises(Http404) as refused:
                helper(user, *before, asked)
            answers.append((type(refused.value), str(refused.value)))
        assert answers[0] == answers[1] == answers[2]
        assert answers[0][1].startswith("No ")

    each_case([(name,) for name in sorted(CASES)], check)


def test_a_parent_that_is_not_yours_is_the_same_404(world):
    """The events of a household or items of a panel of another RAA: not found, as a missing event is."""
    region, north, south = world
    user = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    for helper, parent, row in [(access.get_household_event_for, south.household, south.household_event),
                                (access.get_panel_item_for, south.panel, south.item),
                                (access.get_link_event_for, south.link, south.link_event),
                                (access.get_household_event_for, north.household, south.household_event),
                                (access.get_panel_item_for, north.panel, south.item),
                                (access.get_link_event_for, north.link, south.link_event),
                                (access.get_adult_request_event_for, south.adult_request, south.adult_request_event),
                                (access.get_adult_request_event_for, north.adult_request, south.adult_request_event)]:
        with pytest.raises(Http404) as theirs:
            helper(user, parent, row.pk)
        with pytest.raises(Http404) as missing:
            helper(user, parent, MISSING)
        assert str(theirs.value) == str(missing.value)


# ---------------------------------------------------------------------------------------------
# One measure scope for the pages (?scope=) and the API (?la=, ?raa=)

# The LAs each organisation sees, as the pages list them (by name: Keepham 902 before Transferton 901).
VISIBLE_LAS = {"NR": ["902", "901"], "SR": ["903"], "901": ["901"], "902": ["902"], "903": ["903"]}
USERS = [(code, role) for code in VISIBLE_LAS for role, kinds in ROLE_ORGANISATION_KINDS.items()
         if ("raa" if code in ("NR", "SR") else "la") in kinds]
AGGREGATES = {Role.BOARD_MEMBER, Role.RAA_HEAD_OF_SERVICE, Role.RAA_TEAM_MANAGER, Role.LA_TEAM_MANAGER,
              Role.DATA_OFFICER}


def test_measure_scope_for(region):
    def check(code, role):
        user = region.staff[(code, role)]
        if role not in AGGREGATES:
            for asked in ({}, {"raa": True}, {"la": "901"}):
                with pytest.raises(Http404):
                    access.measure_scope_for(user, **asked)
            return
        is_raa = code in ("NR", "SR")
        default = access.measure_scope_for(user)
        assert default.chosen == ("raa" if is_raa else code)
        assert [c for c, _label in default.choices] == (["raa"] if is_raa else []) + VISIBLE_LAS[code]
        for la in ("901", "902", "903"):
            if la in VISIBLE_LAS[code]:
                assert access.measure_scope_for(user, la=la).chosen == la
            else:
                with pytest.raises(access.MeasureScopeRefused) as refused:
                    access.measure_scope_for(user, la=la)
                assert refused.value.parameter == "la" and isinstance(refused.value, Http404)
        for raa in (True, "NR", "SR"):
            if is_raa and raa in (True, code):
                assert access.measure_scope_for(user, raa=raa).chosen == "raa"
            else:
                with pytest.raises(access.MeasureScopeRefused) as refused:
                    access.measure_scope_for(user, raa=raa)
                assert refused.value.parameter == "raa"

    each_case(USERS, check)


def test_drill_families(region):
    def check(code, role):
        user = region.staff[(code, role)]
        children = role in access.CHILD_RECORD_ROLES.get(user.organisation.kind, frozenset())
        adopters = code in ("NR", "SR") and role in access.ADOPTER_RECORD_ROLES
        assert access.drill_families_for(user) == {f for f, on in (("children", children), ("adopters", adopters)) if on}
        assert access.can_drill(user, "support") is False

    each_case(USERS, check)


# ---------------------------------------------------------------------------------------------
# The package keeps every name the single module had


def test_every_name_used_from_access_is_there():
    root = Path(permanence.__file__).parent.parent
    used = set()
    for folder in ("permanence", "tests", "bench"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text()
            if "from permanence import access" in text or "import permanence.access" in text:
                used |= set(re.findall(r"\baccess\.([A-Za-z_]\w*)", text))
    assert used, "no use of access found: the scan is broken"
    assert {"children_visible_to", "get_child_for", "measure_scope_for"} <= used
    assert sorted(n for n in used if not hasattr(access, n)) == []
