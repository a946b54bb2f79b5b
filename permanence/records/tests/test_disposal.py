"""Disposal: refused before the retention date; after it, the personal data goes, a stub stays, events keep their
kinds and dates, and the audit trail keeps who did what but none of the personal data."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from permanence.adopters.models import Applicant, Household, HouseholdEvent
from permanence.children.models import Child, JourneyEvent
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role
from permanence.records import personal, rules, selectors, services
from permanence.records.models import DisposedRecord, RetentionPeriod


def _head(region):
    return region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)]


def test_every_table_reached_from_a_record_is_classified():
    """A table added later that points at a child, a household or an enquiry fails here until the registry says
    what of it is personal (disposal also refuses while one is unclassified)."""
    for model in (Child, Household, Applicant):
        assert personal.unclassified(model) == set()
    kinds = {BLANK for BLANK in (personal.BLANK, personal.MARK, personal.YEAR, personal.ID, personal.JSON)}
    assert {how for fields in personal.PERSONAL.values() for how in fields.values()} <= kinds
    for label, fields in personal.PERSONAL.items():  # every field named exists
        from django.apps import apps

        model = apps.get_model(label)
        assert set(fields) <= {f.name for f in model._meta.concrete_fields}, label


def test_refused_before_the_retention_date(world, today):
    head = _head(world)
    with pytest.raises(ValidationError, match="kept until 25 June 2031"):
        services.dispose(
            actor=head, kind="household", record=world.not_approved, reason="Tidying up", on=today
        )
    with pytest.raises(ValidationError, match="kept until 2 October 2098"):
        services.dispose(actor=head, kind="child", record=world.changed, reason="Tidying up", on=today)
    assert not DisposedRecord.objects.exists()
    world.not_approved.refresh_from_db()
    assert world.not_approved.name == "Notyet-Testfamily"


def test_refused_on_the_day_before_and_allowed_on_the_day(world):
    head = _head(world)
    with pytest.raises(ValidationError):
        services.dispose(
            actor=head, kind="household", record=world.withdrew, reason="Period ended", on=date(2027, 3, 31)
        )
    assert services.dispose(
        actor=head, kind="household", record=world.withdrew, reason="Period ended", on=date(2027, 4, 1)
    ).due_on == date(2027, 4, 1)


def test_a_reason_is_required_and_disposal_happens_once(world, today):
    head = _head(world)
    with pytest.raises(ValidationError, match="Enter the reason"):
        services.dispose(actor=head, kind="household", record=world.withdrew, reason="  ", on=today)
    services.dispose(actor=head, kind="household", record=world.withdrew, reason="Period ended", on=today)
    with pytest.raises(ValidationError, match="already been disposed"):
        services.dispose(actor=head, kind="household", record=world.withdrew, reason="Again", on=today)


def test_disposing_a_household_blanks_personal_data_and_keeps_a_stub(world, today):
    head = _head(world)
    household = world.withdrew
    household.address, household.postcode = "1 Testing Lane", "BS1 4DJ"
    household.save()
    household.members.create(name="Tobias Testmember", relationship="Son", date_of_birth=date(2015, 2, 2))
    events_before = list(household.events.values_list("kind", "date", "superseded").order_by("id"))
    audit_ids = list(
        AuditEvent.objects.filter(object_type="adopters.household", object_id=str(household.pk)).values_list(
            "pk", flat=True
        )
    )
    assert any("Okonkwo" in str(a.after) for a in AuditEvent.objects.filter(pk__in=audit_ids))

    stub = services.dispose(
        actor=head, kind="household", record=household, reason="Two years since withdrawal", on=today
    )

    household.refresh_from_db()
    assert (household.name, household.address, household.postcode) == (personal.DISPOSED, "", "")
    applicant = household.applicants.get()
    assert (applicant.first_name, applicant.last_name, applicant.date_of_birth) == (
        personal.DISPOSED,
        "",
        None,
    )
    member = household.members.get()
    assert (member.name, member.date_of_birth) == (personal.DISPOSED, None)
    # Events keep their kinds and dates (measures use them); their free text is gone.
    assert list(household.events.values_list("kind", "date", "superseded").order_by("id")) == events_before
    assert not HouseholdEvent.objects.filter(household=household).exclude(note="").exists()
    assert HouseholdEvent.objects.get(household=household, kind="closed").details == {"reason": "withdrew"}
    # The stub.
    assert (stub.reference, stub.category, stub.anchor_date, stub.due_on, stub.disposed_by, stub.reason) == (
        household.reference,
        rules.HOUSEHOLD_NOT_PROCEEDED,
        date(2025, 4, 1),
        date(2027, 4, 1),
        head,
        "Two years since withdrawal",
    )
    assert stub.birth_years == [1985, 2015]
    assert {(e["kind"], e["date"]) for e in stub.events} == {(k, d.isoformat()) for k, d, _s in events_before}
    # The audit trail keeps its rows but none of the personal data; the disposal's row says what and why only.
    for row in AuditEvent.objects.filter(pk__in=audit_ids):
        assert (row.before, row.after, row.reason) == (None, None, "")
    disposal = AuditEvent.objects.get(action="record.disposed")
    assert disposal.actor == head and disposal.reason == "Two years since withdrawal"
    text = str(disposal.before) + str(disposal.after)
    assert "Okonkwo" not in text and "1985" not in text and "Testing Lane" not in text
    # Gone from the list; the other RAA's record untouched.
    assert selectors.due_for_disposal(world.raa, today) == []
    world.theirs.refresh_from_db()
    assert world.theirs.name == "Southern-Testfamily"


def test_disposing_a_child_keeps_events_and_blanks_notes(world, today):
    RetentionPeriod.objects.create(
        category=rules.CHILD_PLAN_CHANGED,
        raa=world.raa,
        years=3,
        effective_from=date(2020, 1, 1),
        source="Test policy",
    )
    child = world.changed
    kinds_dates = list(child.events.values_list("kind", "date").order_by("id"))
    services.dispose(
        actor=_head(world), kind="child", record=child, reason="Three years since the plan changed", on=today
    )
    child = Child.objects.get(pk=child.pk)
    assert (child.first_name, child.last_name, child.date_of_birth) == (personal.DISPOSED, "", None)
    assert child.la_child_id == f"disposed-{child.pk}"
    assert list(child.events.values_list("kind", "date").order_by("id")) == kinds_dates
    assert not JourneyEvent.objects.filter(child=child).exclude(note="").exists()
    assert JourneyEvent.objects.get(child=child, kind="plan_changed").details == {"reason": "RD3"}
    assert (
        not AuditEvent.objects.filter(child_id=child.pk)
        .exclude(action="record.disposed")
        .exclude(before=None, after=None)
        .exists()
    )
    assert "Zebedee" not in str(list(AuditEvent.objects.values_list("before", "after", "reason")))
    assert DisposedRecord.objects.get().birth_years == [2022]


def test_an_enquiry_is_disposed_of(world, today):
    from permanence.adopters import services as adopter_services
    from permanence.adopters.tests.conftest import source

    enquiry = adopter_services.record_enquiry(
        actor=None,
        raa=world.raa,
        received_on=date(2025, 1, 6),
        source=source(),
        first_name="Ivy",
        last_name="Testenquirer",
        email="ivy@example.org",
    )
    adopter_services.set_enquiry_outcome(
        actor=None, enquiry=enquiry, outcome="no_further_contact", on=date(2025, 2, 1)
    )
    assert ("enquiry", enquiry.pk) in {(r.kind, r.pk) for r in selectors.due_for_disposal(world.raa, today)}
    services.dispose(actor=_head(world), kind="enquiry", record=enquiry, reason="Period ended", on=today)
    enquiry.refresh_from_db()
    assert (enquiry.first_name, enquiry.last_name, enquiry.email) == (personal.DISPOSED, "", "")


def test_dispose_page_warns_confirms_and_disposes(client, world, today):
    client.force_login(_head(world))
    url = reverse("records:dispose", args=["household", world.withdrew.pk])
    html = client.get(url).content.decode()
    assert "govuk-warning-text" in html and "cannot be undone" in html
    refused = client.post(url, {"reason": ""}).content.decode()
    assert "Enter the reason for disposing of this record" in refused
    assert "Confirm that you understand the personal data will be removed" in refused
    response = client.post(url, {"reason": "Two years since withdrawal", "confirm": "on"})
    assert response.status_code == 302 and response.url == reverse("records:retention")
    assert DisposedRecord.objects.filter(object_id=str(world.withdrew.pk)).exists()


def test_dispose_page_refuses_before_the_date(client, world, today):
    client.force_login(_head(world))
    url = reverse("records:dispose", args=["household", world.not_approved.pk])
    assert 'id="not-due"' in client.get(url).content.decode()
    response = client.post(url, {"reason": "Early", "confirm": "on"})
    assert response.status_code == 200 and "kept until 25 June 2031" in response.content.decode()
    assert not DisposedRecord.objects.exists()


def test_dispose_page_is_the_raas_own(client, world, today):
    client.force_login(_head(world))
    assert client.get(reverse("records:dispose", args=["household", world.theirs.pk])).status_code == 404
    assert client.get(reverse("records:dispose", args=["nonsense", world.withdrew.pk])).status_code == 404
    client.force_login(world.staff[("NR", Role.RAA_TEAM_MANAGER)])
    assert client.get(reverse("records:dispose", args=["household", world.withdrew.pk])).status_code == 404
