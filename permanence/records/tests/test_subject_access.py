"""Subject access: an adopter's export holds every table reached from their household (found through
_meta.related_objects, so a new table fails here until it is in the export), their audit rows, views and exports,
with other people's data redacted; it is logged as an export."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse

from permanence.adopters import services as adopter_services
from permanence.adopters.models import CapacityNeed, CapacityProfile, PanelMemberView, PanelPaper
from permanence.adopters.tests.conftest import TO_PANEL
from permanence.children.models import NeedCategory
from permanence.complaints.models import FeedbackResponse, FeedbackSurvey
from permanence.complaints.tests.helpers import make_complaint
from permanence.core import audit
from permanence.core.models import ExportLog
from permanence.family_finding import services as ff_services
from permanence.family_finding.models import ShortlistEntry
from permanence.organisations.models import Role
from permanence.performance import services as performance_services
from permanence.records import personal, subject_access

TODAY = date(2026, 3, 16)
APPROVED = [
    *TO_PANEL,
    ("panel_recommendation", date(2025, 6, 20), {"recommendation": "approve"}),
    ("adm_decision", date(2025, 6, 25), {"decision": "approved"}),
]


@pytest.fixture
def person(region, monkeypatch):
    """An approved household of two applicants with data in every table reached from it."""
    monkeypatch.setattr(adopter_services, "today", lambda: TODAY)
    raa = region.raa
    enquiry = adopter_services.record_enquiry(
        actor=None,
        raa=raa,
        received_on=date(2024, 12, 1),
        source=adopter_services.EnquirySource.objects.first(),
        first_name="Alex",
        last_name="Everytable",
    )
    household = adopter_services.register_interest(
        actor=None,
        raa=raa,
        name="Everytable",
        enquiry=enquiry,
        roi_date=date(2025, 1, 6),
        applicants=[
            {"first_name": "Alex", "last_name": "Everytable"},
            {"first_name": "Quentin", "last_name": "Otherapplicant", "date_of_birth": date(1980, 1, 2)},
        ],
        members=[
            {"name": "Wilhelmina Birthchild", "relationship": "Daughter", "date_of_birth": date(2014, 5, 5)}
        ],
        address="2 Subject Street",
        relationship="married",
    )
    panel = adopter_services.create_panel(actor=None, raa=raa, date=date(2025, 6, 20))
    for n, (kind, day, *details) in enumerate(APPROVED):
        if n == len(TO_PANEL):
            household.refresh_from_db()
            item = adopter_services.book_item(actor=None, panel=panel, household=household)
        adopter_services.record_event(
            household=household,
            kind=kind,
            date=day,
            actor=None,
            check_role=False,
            details=details[0] if details else None,
            note=f"Note on {kind}",
        )
    household.refresh_from_db()
    profile, _ = CapacityProfile.objects.get_or_create(household=household)
    CapacityNeed.objects.create(profile=profile, category=NeedCategory.objects.first(), level="mild")
    PanelPaper.objects.create(item=item, paper="par", received_on=date(2025, 6, 2))
    PanelMemberView.objects.create(
        item=item,
        member_name="Panel Chairperson",
        member_role="chair",
        view="approve",
        reasons="Warm and reflective",
    )
    child = region.child(
        region.la,
        first_name="Thirdparty",
        events=[
            ("entered_care", date(2024, 1, 10)),
            ("identified", date(2024, 2, 1)),
            ("permanence_plan", date(2024, 5, 2)),
            ("should_be_placed", date(2024, 7, 3)),
        ],
    )
    shortlist = ff_services.shortlist(child=child, actor=None, on=TODAY, spread=False, check_role=False)
    entry, _ = ShortlistEntry.objects.get_or_create(shortlist=shortlist, household=household)
    ff_services.open_link(
        actor=None,
        child=child,
        household=household,
        on=TODAY,
        shortlist_entry=entry,
        check_role=False,
        note="Thirdparty might fit",
    )
    manager = region.staff[(raa.code, Role.RAA_TEAM_MANAGER)]
    performance_services.agree_action(
        actor=manager,
        household=household,
        text="Chase references",
        owner=manager,
        due_by=TODAY + timedelta(7),
        agreed_on=TODAY,
        today=TODAY,
    )
    make_complaint(raa, household=household, received_on=date(2026, 3, 2))
    survey = FeedbackSurvey.objects.first() or FeedbackSurvey.objects.create(
        point="approval", version=1, valid_from=date(2020, 1, 1), title="Approval", questions=[]
    )
    FeedbackResponse.objects.create(
        raa=raa, survey=survey, received_on=TODAY, household=household, answers={}
    )
    audit.record_view(viewer=manager, instance=household, path="/adopters/households/")
    return household.applicants.get(first_name="Alex")


def test_every_table_and_field_reached_from_the_household_is_in_the_export(person):
    data = subject_access.build(person)
    tables = personal.tables_of(type(person.household))
    assert {t.label for t in tables} <= set(data["tables"])
    for table in tables:  # the fixture puts a row in each: a new table fails until the fixture fills it too
        assert data["tables"][table.label], f"no row of {table.label} in the export"
        fields = {f.name for f in table.model._meta.concrete_fields}
        for row in data["tables"][table.label]:
            assert set(row) == fields, table.label
    assert set(data["tables"]["adopters.household"][0]) == {
        f.name for f in type(person.household)._meta.concrete_fields
    }
    assert any(c["action"] == "household.created" for c in data["changes"])
    assert any(c["action"] == "enquiry.created" for c in data["changes"])
    assert [v["object_type"] for v in data["views"]] == ["adopters.household"]


def test_third_parties_are_redacted_by_rule_and_by_choice(person):
    data = subject_access.build(person, extra=["adopters.householdevent.note"])
    text = json.dumps(data)
    assert "Alex" in text and "Everytable" in text  # the subject's own data
    for other in ("Quentin", "Otherapplicant", "1980-01-02", "Wilhelmina", "2014-05-05", "Note on"):
        assert other not in text, other
    other = next(a for a in data["tables"]["adopters.applicant"] if a["id"] != person.pk)
    assert other["first_name"] == personal.REDACTED
    assert data["tables"]["adopters.householdmember"][0]["name"] == personal.REDACTED
    assert {e["note"] for e in data["tables"]["adopters.householdevent"]} == {
        personal.REDACTED,
        "",
    }  # ROI: no note
    # Without the choice the notes are there (they are the subject's own record).
    assert "Note on" in json.dumps(subject_access.build(person))


def test_the_export_is_a_zip_with_json_html_and_pdf_and_is_logged(client, region, person):
    client.force_login(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    url = reverse("records:subject-access", args=["adopters", person.pk])
    page = client.get(url).content.decode()
    assert "adopters.householdevent.note" in page  # the free-text fields offered for redaction
    response = client.post(url, {"redact": ["adopters.householdevent.note"]})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {"subject-access.json", "subject-access.html", "subject-access.pdf"}
    data = json.loads(archive.read("subject-access.json"))
    assert (data["subject"]["type"], data["subject"]["id"]) == ("adopter", person.pk) and data["redacted"]["chosen"] == [
        "adopters.householdevent.note"
    ]
    html = archive.read("subject-access.html").decode()
    assert "Alex Everytable" in html and "Quentin" not in html and "[redacted]" in html
    assert archive.read("subject-access.pdf").startswith(b"%PDF")
    log = ExportLog.objects.get(what="subject_access.adopter")
    assert (log.format, log.object_type, log.object_id) == ("zip", "adopters.applicant", str(person.pk))


def test_the_household_page_links_to_the_export_for_those_allowed(client, region, person):
    url = reverse("records:subject-access", args=["adopters", person.pk])
    client.force_login(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    assert url in client.get(reverse("adopters:household-detail", args=[person.household.pk])).content.decode()
    client.force_login(region.staff[("NR", Role.RAA_ASSESSING_SOCIAL_WORKER)])
    assert url not in client.get(reverse("adopters:household-detail", args=[person.household.pk])).content.decode()


# A child, an adopted adult and a birth relative: the same export from their own record.


@pytest.fixture
def child(region):
    """A child with notes, a need, a support case, a birth relative offered support and a contact arrangement."""
    from permanence.children import services as child_services
    from permanence.children.models import ChildNeed
    from permanence.contact import services as contact_services
    from permanence.contact.tests.conftest import ADOPTED
    from permanence.support import services as support_services

    child = region.child(region.la, first_name="Ottoline", last_name="Subjectchild", events=ADOPTED)
    child_services.record_event(child=child, kind="visit", date=date(2024, 9, 20), actor=None, check_role=False,
                                note="Ottoline talked about her brother Barnaby")
    ChildNeed.objects.create(child=child, category=NeedCategory.objects.first(), level="mild",
                             note="Asthma, managed")
    support_services.create_referral(
        actor=None, raa=region.raa, check_role=False, on=TODAY, referrer_type="adoptive_family",
        referred_on=date(2025, 6, 2), family_name="Carer family", referrer_name="Perpetua Referrer",
        referrer_relationship="Foster carer", reason="Sleep", urgency="standard", child=child,
        child_name="Ottoline Subjectchild", child_date_of_birth=child.date_of_birth)
    contact_services.record_offer(actor=None, child=child, relative_name="Morwenna Birthaunt",
                                  relationship="birth_mother", offered_on=date(2024, 5, 20),
                                  offered_by="A worker", check_role=False, notes="Birthaunt's own words")
    plan = contact_services.create_plan(actor=None, child=child, check_role=False)
    contact_services.add_arrangement(actor=None, plan=plan, kind="letterbox", with_name="Granville Birthgrandad",
                                     relationship="birth_mother", start_on=date(2025, 7, 1), times_a_year=1,
                                     check_role=False, schedule_until=TODAY)
    child.refresh_from_db()
    return child


def test_a_childs_export_holds_every_table_reached_from_the_child_with_others_redacted(child):
    data = subject_access.build(child)
    assert set(data["tables"]) == {"children.child"} | {t.label for t in personal.tables_of(type(child))}
    for label in ("children.child", "children.journeyevent", "children.childneed", "support.supportcase",
                  "contact.birthrelativeoffer", "contact.contactplan", "contact.contactarrangement"):
        assert data["tables"][label], label
    assert data["subject"] == {"type": "child", "id": child.pk, "record": "children.child",
                               "reference": child.reference, "name": "Ottoline Subjectchild"}
    text = json.dumps(data)
    assert "Ottoline talked about her brother Barnaby" in text and "Asthma, managed" in text
    case = data["tables"]["support.supportcase"][0]
    assert case["child_name"] == "Ottoline Subjectchild"  # the child's own name, not a third party's
    assert case["referrer_name"] == case["family_name"] == case["referrer_relationship"] == personal.REDACTED
    offer = data["tables"]["contact.birthrelativeoffer"][0]
    assert offer["notes"] == personal.REDACTED and offer["relative_name"] == personal.REDACTED
    assert "Birthaunt's own words" not in text
    # Short free text that is not a code may be chosen for redaction too (the LA's child ID, a name).
    offered = dict(subject_access.free_text_choices(child))
    assert "children.child.la_child_id" in offered and "children.child.sex" not in offered
    for other in ("Perpetua", "Morwenna", "Birthaunt", "Granville", "Birthgrandad"):
        assert other not in text, other
    assert any(c["action"].startswith("child.") and c["object_type"] == "children.child" for c in data["changes"])
    chosen = json.dumps(subject_access.build(child, extra=["children.journeyevent.note"]))
    assert "Barnaby" not in chosen and "Asthma, managed" in chosen


def test_an_adopted_adults_export_holds_their_request_and_its_steps(region):
    from permanence.adopted_adults.tests.conftest import make_request

    adult = make_request(region.raa, first_name="Hermione", last_name="Adoptedadult")
    data = subject_access.build(adult)
    assert set(data["tables"]) == {"adopted_adults.adultrequest", "adopted_adults.adultrequestevent"}
    assert data["tables"]["adopted_adults.adultrequest"][0]["first_name"] == "Hermione"
    assert data["tables"]["adopted_adults.adultrequestevent"]  # the request received
    assert (data["subject"]["type"], data["subject"]["name"], data["held_by"]) == (
        "adopted_adult", "Hermione Adoptedadult", region.raa.name)


def test_a_birth_relatives_export_holds_the_offer_and_sessions_not_the_child(region, child):
    from permanence.contact import services as contact_services

    offer = child.birth_relative_offers.get()
    contact_services.record_response(actor=None, offer=offer, response="accepted", response_on=date(2024, 6, 1),
                                     check_role=False)
    contact_services.record_session(actor=None, offer=offer, held_on=date(2024, 7, 1), notes="A first session",
                                    check_role=False)
    data = subject_access.build(offer)
    assert set(data["tables"]) == {"contact.birthrelativeoffer", "contact.birthrelativesession"}
    assert data["tables"]["contact.birthrelativeoffer"][0]["relative_name"] == "Morwenna Birthaunt"
    assert data["tables"]["contact.birthrelativesession"][0]["notes"] == "A first session"
    assert "Ottoline" not in json.dumps(data)  # the child is another person: only the child's id is there
    assert data["subject"]["type"] == "birth_relative"


@pytest.mark.parametrize("kind", ["children", "adopted-adults", "birth-relatives"])
def test_each_kinds_export_is_offered_on_its_page_downloaded_and_logged(client, region, child, kind):
    from permanence.adopted_adults.tests.conftest import make_request

    subject = {"children": child, "adopted-adults": make_request(region.raa),
               "birth-relatives": child.birth_relative_offers.get()}[kind]
    record_page = {"children": reverse("children:detail", args=[child.pk]),
                   "adopted-adults": reverse("adopted_adults:detail", args=[subject.pk]),
                   "birth-relatives": reverse("contact:child", args=[child.pk])}[kind]
    url = reverse("records:subject-access", args=[kind, subject.pk])
    client.force_login(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    assert url in client.get(record_page).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Subject access export for" in page.content.decode()
    response = client.post(url, {})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert json.loads(archive.read("subject-access.json"))["subject"]["id"] == subject.pk
    assert archive.read("subject-access.pdf").startswith(b"%PDF")
    log = ExportLog.objects.get()
    what = subject_access.KINDS[kind].what
    assert (log.what, log.object_type, log.object_id) == (f"subject_access.{what}", subject._meta.label_lower,
                                                            str(subject.pk))
    client.force_login(region.staff[("NR", Role.RAA_FAMILY_FINDER)])  # no export for the other roles
    assert client.get(url).status_code == 404
    if kind != "adopted-adults":
        assert url not in client.get(record_page).content.decode()


def test_an_unknown_kind_of_person_is_not_found(client, region, child):
    client.force_login(region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)])
    assert client.get(reverse("records:subject-access", args=["neighbours", child.pk])).status_code == 404
