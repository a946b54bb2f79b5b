"""The complaint stages' timescales are data: seeded by the migration with the statutory values, each with its
source and validity date; a new version (no code) changes the due dates of stages started from its date only."""

from datetime import date

from permanence.complaints import selectors
from permanence.complaints.models import Complaint
from permanence.timescales import services as timescale_services
from permanence.timescales.models import Timescale

from .helpers import make_complaint
from .test_rules import AMOUNTS


def test_the_migration_seeds_the_statutory_timescales_with_their_source(db):
    rows = Timescale.objects.filter(subject="complaint")
    assert {r.key: (r.amount, r.unit) for r in rows} == {k: (n, "working_days") for k, n in AMOUNTS.items()}
    assert all("Representations Procedure (England) Regulations 2006" in r.source for r in rows)
    assert {r.valid_from for r in rows} == {date(2006, 9, 1)} and all(r.valid_to is None for r in rows)


def test_a_new_version_changes_later_stages_only(region):
    before = make_complaint(region.raa, received_on=date(2026, 3, 2))
    timescale_services.set_timescale(actor=None, key="complaint_stage_1", amount=15, unit="working_days",
                                     valid_from=date(2026, 4, 1), source="Local procedure 2026 (synthetic)")
    after = make_complaint(region.raa, received_on=date(2026, 4, 1), summary="Later")
    # Before: Mon 2 March + 10 working days. After: Wed 1 April + 15 working days, Easter (3 and 6 April) skipped.
    assert before.stages.get().due_on == date(2026, 3, 16)
    assert after.stages.get().due_on == date(2026, 4, 24)
    rows = selectors.open_list(Complaint.objects.filter(raa=region.raa))
    assert [(c.summary, due) for c, _stage, due in rows] == [("Slow replies", date(2026, 3, 16)),
                                                              ("Later", date(2026, 4, 24))]
    overdue = selectors.overdue(Complaint.objects.filter(raa=region.raa), date(2026, 4, 27))
    assert [(c.summary, due) for c, _stage, due in overdue] == [("Slow replies", date(2026, 3, 16)),
                                                                 ("Later", date(2026, 4, 24))]
    assert selectors.overdue(Complaint.objects.filter(raa=region.raa), date(2026, 4, 24))[-1][0] == before
    assert (before.stages.get().timescale_label, after.stages.get().timescale_label) == (
        "10 working days", "15 working days")


def test_the_detail_page_shows_the_stage_timescale_and_none_in_force(client, region):
    from django.urls import reverse

    from permanence.organisations.models import Role

    complaint = make_complaint(region.raa, received_on=date(2026, 3, 2))
    old = make_complaint(region.raa, received_on=date(2006, 8, 31), summary="Before the 2006 regulations")
    client.force_login(region.staff[("NR", Role.COMPLAINTS_OFFICER)])
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "10 working days" in page and "16 March 2026" in page
    page = client.get(reverse("complaints:detail", args=[old.pk])).content.decode()
    assert "No timescale in force" in page and "No due date" in page
