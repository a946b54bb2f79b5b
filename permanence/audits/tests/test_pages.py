"""The pages through the test client: start a round, audit a file (pre-filled, with its errors), read the audit,
the results (hand-worked means by group and by LA, the trend), the PDF and the XLSX."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse

from permanence.audits.models import AuditRound, CaseAudit
from permanence.core.models import ExportLog
from permanence.organisations.models import Role

from .helpers import adopted, audit_entry, make_round


@pytest.fixture
def lead(client, region):
    client.force_login(region.staff[("NR", Role.RAA_QUALITY_LEAD)])
    return region


def _date(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _cells(page, row_id):
    row = re.search(rf'<tr class="govuk-table__row" id="{row_id}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", re.sub(r"\s+", " ", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_start_a_round_and_its_errors(client, lead):
    adopted(lead)
    adopted(lead, lead.la_keeps)
    bad = client.post(reverse("audits:round-add"), {"per_stratum": "0", **_date("orders_from", date(2025, 2, 1)),
                                                    **_date("orders_to", date(2025, 1, 1))}).content.decode()
    for message in ("Enter a name for the round, for example", "Enter the date the round starts",
                    "Enter how many cases to draw, 1 or more",
                    "The latest adoption order date must be the same as or after the earliest"):
        assert message in bad
    assert "govuk-error-summary" in bad and not AuditRound.objects.exists()
    data = {"name": "Quarter 1 2026", **_date("held_on", date(2026, 1, 1)), **_date("orders_from", date(2025, 1, 1)),
            "stratify_by": "group", "per_stratum": "5", "blinded": "on", "seed": "99"}
    response = client.post(reverse("audits:round-add"), data)
    rnd = AuditRound.objects.get()
    assert response.status_code == 302 and response.url == reverse("audits:round", args=[rnd.pk])
    assert (rnd.seed, rnd.blinded, rnd.entries.count(), rnd.raa) == (99, True, 2, lead.raa)
    page = client.get(response.url).content.decode()
    assert "seed 99" in page and "identified by number only" in page
    assert "Transferton" not in page and "Testcase" not in page  # blinded: no LA, no name
    assert "Quarter 1 2026" in client.get(reverse("audits:rounds")).content.decode()


def test_an_empty_list_and_results_say_so(client, lead):
    assert "has not started an audit round yet" in client.get(reverse("audits:rounds")).content.decode()
    assert "has not started an audit round yet" in client.get(reverse("audits:results")).content.decode()
    assert client.get(reverse("audits:results-pdf")).status_code == 404


def test_the_form_is_filled_in_from_the_journey_and_a_change_needs_a_reason(client, lead):
    child = adopted(lead, extra=[("life_story_book", date(2025, 7, 2))])
    rnd = make_round(lead.raa, blinded=True)
    entry = rnd.entries.get(child=child)
    form_url = reverse("audits:audit-add", args=[entry.pk])
    page = client.get(form_url).content.decode()
    assert re.search(r'name="score_life_story_book_timeliness" type="radio" value="5" checked', page)
    assert re.search(r'name="score_later_life_letter_timeliness" type="radio" value="1" checked', page)
    assert re.search(r'name="present_cpr" type="radio" value="yes" checked', page)
    assert "recorded as handed over on 2 July 2025" in page and "Hidden: this round is blinded" in page
    assert "Transferton" not in page
    data = {"auditor": "Jane Auditor", **_date("audited_on", date(2026, 1, 20)), "location": "RAA office",
            "score_life_story_book_timeliness": "1", "score_later_life_letter_timeliness": "1",
            "present_cpr": "yes", "present_life_story_book": "yes", "score_cpr_accuracy": "4",
            "note_cpr_accuracy": "Sibling names right"}
    refused = client.post(form_url, data).content.decode()
    assert "govuk-error-summary" in refused
    assert "Give a reason for changing the score of 1a.ii timeliness from 5" in refused
    assert not CaseAudit.objects.exists()
    response = client.post(form_url, data | {"reason_life_story_book_timeliness": "The book in the file is dated "
                                                                                   "later"})
    audit = CaseAudit.objects.get()
    assert response.status_code == 302 and response.url == reverse("audits:audit", args=[audit.pk])
    shown = client.get(response.url).content.decode()
    assert "Changed from 5 because: The book in the file is dated later" in shown
    assert "Sibling names right" in shown and "Hidden: this round is blinded" in shown
    assert client.get(form_url).status_code == 302  # already audited: to the audit


def test_errors_on_the_audit_form_say_what_to_do(client, lead):
    child = adopted(lead)
    entry = make_round(lead.raa).entries.get(child=child)
    page = client.post(reverse("audits:audit-add", args=[entry.pk]), {"score_cpr_accuracy": "9"}).content.decode()
    assert "Enter the name of the auditor" in page and "Enter the date of the audit" in page
    assert "Score 3.i accuracy of information from the choices, or choose Not scored" in page
    assert "This field is required" not in page


@pytest.fixture
def results_world(lead):
    """Two rounds. The latest: Transferton (RAA held) children scored 4 and 5 on CPR accuracy, a Keepham (LA kept)
    child 3; CPR present in all three; the later life letter present in one Transferton file of two."""
    held = [adopted(lead, lead.la) for _ in range(2)]
    kept = adopted(lead, lead.la_keeps)
    old = make_round(lead.raa, name="Quarter 4 2025", held_on=date(2025, 10, 1))
    audit_entry(old.entries.get(child=held[0]), {("cpr", "accuracy"): 2}, on=date(2025, 10, 20))
    new = make_round(lead.raa, name="Quarter 1 2026", held_on=date(2026, 1, 1))
    for child, score, lll in ((held[0], 4, True), (held[1], 5, False), (kept, 3, None)):
        audit_entry(new.entries.get(child=child), {("cpr", "accuracy"): score},
                    presence={"later_life_letter": lll})
    lead.old, lead.new = old, new
    return lead


def test_results_by_group_and_by_la_on_hand_worked_figures(client, results_world):
    page = client.get(reverse("audits:results")).content.decode()
    assert "Quarter 1 2026: 3 audits completed" in page
    # CPR accuracy: RAA held 4, 5 → 4.5 (n 2); LA kept 3 → 3.0 (n 1); all 12/3 = 4.0 (n 3).
    assert _cells(page, "cpr-3i") == ["4.5 (n = 2)", "3.0 (n = 1)", "4.0 (n = 3)"]
    assert _cells(page, "cpr-presence") == ["2 of 2 (100%)", "1 of 1 (100%)", "3 of 3 (100%)"]
    assert _cells(page, "later_life_letter-presence") == ["1 of 2 (50%)", "Not answered", "1 of 2 (50%)"]
    assert _cells(page, "cpr-3ii") == ["No scores (n = 0)"] * 3
    # Later life letter timeliness: never handed over, due long before the audit → 1 for every file.
    assert _cells(page, "later_life_letter-1bii") == ["1.0 (n = 2)", "1.0 (n = 1)", "1.0 (n = 3)"]
    # The CPR section pools its scores: accuracy alone was scored, so the same as accuracy.
    assert _cells(page, "cpr-section") == ["4.5 (n = 2)", "3.0 (n = 1)", "4.0 (n = 3)"]
    by_la = client.get(reverse("audits:results"), {"round": results_world.new.pk, "by": "la"}).content.decode()
    assert _cells(by_la, "cpr-3i") == ["3.0 (n = 1)", "4.5 (n = 2)", "4.0 (n = 3)"]  # Keepham, Transferton, all
    # The trend, oldest first: one audit in the old round (the two timeliness scores of 1 alone in their
    # sections, CPR 2.0 from one score), then CPR 4.0 from three.
    assert _cells(page, f"trend-{results_world.old.pk}")[0:5] == ["1", "1.0 (n = 1)", "1.0 (n = 1)",
                                                                     "No scores (n = 0)", "2.0 (n = 1)"]
    assert _cells(page, f"trend-{results_world.new.pk}")[4] == "4.0 (n = 3)"
    assert page.index(f'id="trend-{results_world.old.pk}"') < page.index(f'id="trend-{results_world.new.pk}"')
    older = client.get(reverse("audits:results"), {"round": results_world.old.pk}).content.decode()
    assert "Quarter 4 2025: 1 audit completed" in older


def test_the_pdf_and_xlsx_hold_the_same_figures_and_are_logged(client, results_world):
    from openpyxl import load_workbook

    query = {"round": results_world.new.pk, "by": "group"}
    pdf = client.get(reverse("audits:results-pdf"), query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("audits:results-xlsx"), query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Section", "Number", "Criterion", "Group or LA", "n", "Mean score (1-5)")
    found = {(r[1], r[3]): (r[4], r[5]) for r in rows[1:] if r[2] == "Accuracy of information" and r[0].startswith("3.")}
    assert {k: (n, float(m)) for k, (n, m) in found.items()} == {
        ("3.i", "Case held by the RAA"): (2, 4.5), ("3.i", "Case kept by the LA"): (1, 3.0),
        ("3.i", "All audits"): (3, 4.0)}
    presence = [r for r in rows if r[0].startswith("3.") and r[2] == "Presence" and r[3] == "All audits"]
    assert presence[0][6:8] == (3, 100)
    assert ExportLog.objects.filter(what="audits.results").count() == 2


def test_another_raas_round_is_not_a_choice(client, results_world):
    from permanence.audits.tests.helpers import adopted as adopt

    adopt(results_world, results_world.other_la)
    theirs = make_round(results_world.other_raa, name="Theirs")
    page = client.get(reverse("audits:results"), {"round": theirs.pk}).content.decode()
    assert "Choose one of the audit rounds listed" in page and "Theirs" not in page
    assert "Quarter 1 2026: 3 audits completed" in page  # the latest own round instead
