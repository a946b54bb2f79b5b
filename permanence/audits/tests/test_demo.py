"""The demo: two Adoption West rounds (the last one fully audited, this quarter's blinded and half done), results
the quality lead can read, and --reset removes them and loads them again."""

import io
from datetime import date

from django.core.management import call_command
from django.urls import reverse

from permanence.audits.models import AuditRound, CaseAudit
from permanence.organisations.models import Staff

TODAY = date(2026, 11, 26)


def test_the_demo_has_two_rounds_and_reset_reloads_them(client, db):
    call_command("demo", children=120, today=TODAY.isoformat(), stdout=io.StringIO())
    rounds = list(AuditRound.objects.order_by("held_on"))
    assert [(r.name, r.raa.name, r.blinded) for r in rounds] == [
        ("Last half-year (demo)", "Adoption West", False), ("This quarter (demo)", "Adoption West", True)]
    last, this = rounds
    assert last.entries.count() == CaseAudit.objects.filter(entry__round=last).count() > 0
    assert 0 < CaseAudit.objects.filter(entry__round=this).count() < this.entries.count()
    assert {e.group for e in last.entries.all()} == {"raa_held", "la_kept"}
    assert all(e.adoption_order <= last.held_on for e in last.entries.all())
    client.force_login(Staff.objects.get(username="quality.aw"))
    page = client.get(reverse("audits:results"), {"round": last.pk}).content.decode()
    assert f"Last half-year (demo): {last.entries.count()} audits completed" in page
    assert "Case held by the RAA" in page and "Case kept by the LA" in page
    call_command("demo", children=120, today=TODAY.isoformat(), reset=True, stdout=io.StringIO())
    assert AuditRound.objects.count() == 2 and not AuditRound.objects.filter(pk=last.pk).exists()
