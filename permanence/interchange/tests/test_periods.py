"""Hand-worked 903 cases: periods of care, early permanence codes, and A10 for the carers who adopted (issue 9)."""

from __future__ import annotations

from datetime import date

import pytest

from permanence.children import services as child_services
from permanence.children.models import Child
from permanence.interchange import services
from permanence.interchange.ssda903 import tables as T
from permanence.interchange.ssda903 import writer
from permanence.interchange.tests.helpers import TODAY
from permanence.performance import measures

DOB = "01/06/2019"


def ep(child, decom, rne, ls, place, dec="", rec=""):
    return {"CHILD": child, "DECOM": decom, "RNE": rne, "LS": ls, "CIN": "N1", "PLACE": place,
            "PLACE_PROVIDER": "PR1", "DEC": dec, "REC": rec, "REASON_PLACE_CHANGE": "", "HOME_POST": "",
            "PL_POST": "", "URN": ""}


def header(child, year):
    return {"CHILD": child, "SEX": "M" if year >= 2025 else "1", "DOB": DOB, "ETHNIC": "WBRI", "UPN": "",
            "MOTHER": "", "MC_DOB": ""}


def ad1(child, date_int, date_match, foster_care):
    return {"CHILD": child, "DOB": DOB, "DATE_INT": date_int, "DATE_MATCH": date_match,
            "FOSTER_CARE": foster_care, "NB_ADOPTR": "1", "SEX_ADOPTR": "M1", "LS_ADOPTR": "L0"}


def files(year, tables: dict[str, list[dict]]):
    return [(f"999_{year - 1}-{str(year)[2:]}_{t}.csv", writer.to_csv(t, rows)) for t, rows in tables.items()]


def do_import(fs, la):
    result = services.import_903(files=fs, la=la, actor=None, on=TODAY, validate=False)
    assert result.ok, result.errors[:3]
    return result


def events(la, child):
    c = Child.objects.get(la=la, la_child_id=child)
    return {(e.kind.value, e.date): e.details for e in child_services.event_facts(c)}


# Child A: in care 2019–2020 and home again (REC E13... any REC but X1 ends the period), back in care in 2021,
# placement order, adopted by new adopters (A6) in 2024.
A_2020 = [ep("A", "10/07/2019", "S", "C2", "U6", "20/01/2020", "E13")]
A_2022 = [ep("A", "03/05/2021", "S", "C2", "U6", "14/09/2021", "X1"), ep("A", "14/09/2021", "L", "E1", "U6")]
A_2023 = [ep("A", "14/09/2021", "L", "E1", "U6", "02/08/2022", "X1"), ep("A", "02/08/2022", "P", "E1", "A6")]
A_2024 = [ep("A", "02/08/2022", "P", "E1", "A6", "15/03/2024", "E11")]


def child_a_returns():
    return {
        2020: files(2020, {"Header": [header("A", 2020)], "Episodes": A_2020}),
        2022: files(2022, {"Header": [header("A", 2022)], "Episodes": A_2022}),
        2023: files(2023, {"Header": [header("A", 2023)], "Episodes": A_2023}),
        2024: files(2024, {"Header": [header("A", 2024)], "Episodes": A_2024,
                           "AD1": [ad1("A", "01/07/2021", "20/07/2022", "0")]}),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("order", [(2020, 2022, 2023, 2024), (2024, 2023, 2022, 2020), (2023, 2020, 2024, 2022)])
def test_the_journey_is_the_period_of_care_in_which_the_child_was_placed(region, order):
    returns = child_a_returns()
    for y in order:
        do_import(returns[y], region.la)
    got = events(region.la, "A")
    assert ("entered_care", date(2021, 5, 3)) in got  # not 10/07/2019, the start of the earlier period
    assert not any(k == "entered_care" and d != date(2021, 5, 3) for k, d in got)
    assert ("placement_order", date(2021, 9, 14)) in got
    assert ("match_decision", date(2022, 7, 20)) in got
    assert ("placed_for_adoption", date(2022, 8, 2)) in got
    assert ("adoption_order", date(2024, 3, 15)) in got
    # A1 counts from 03/05/2021 to 02/08/2022: 456 days; A2 from the PO to the match: 309 days.
    figs = {f.key: f for f in measures.scorecard(measures.scope_for_la(region.la), 2024)}
    assert (figs["A1"].value, figs["A1"].n) == (456, 1)
    assert figs["A10"].value == 456
    assert figs["A2"].value == 309


@pytest.mark.django_db
def test_a_period_of_care_without_an_adoption_plan_is_history_only(region):
    """A child whose earlier period held the placement order and who is back in care with no plan yet: the
    journey stays with the period that holds the plan."""
    fs = files(2022, {"Header": [header("B", 2022)], "Episodes": [
        ep("B", "01/05/2021", "S", "C2", "U6", "01/07/2021", "X1"),
        ep("B", "01/07/2021", "L", "E1", "U6", "01/09/2021", "E13"),
        ep("B", "01/02/2022", "S", "V2", "U6")]})
    do_import(fs, region.la)
    got = events(region.la, "B")
    assert ("entered_care", date(2021, 5, 1)) in got
    assert ("placement_order", date(2021, 7, 1)) in got


def ffa_tables(child, fostering_code, adopted_by_carers: bool) -> dict[str, list[dict]]:
    """Entered care 01/04/2022; early permanence placement 01/06/2022 (U2 or U5); PO 01/09/2022; adoptive
    placement 01/12/2022 – with the same carers (A5, RNE T) or with other adopters (A6, RNE P); AO 01/08/2023."""
    adoptive = (ep(child, "01/12/2022", "T", "E1", "A5", "01/08/2023", "E11") if adopted_by_carers
                else ep(child, "01/12/2022", "P", "E1", "A6", "01/08/2023", "E11"))
    return {"Header": [header(child, 2024)], "Episodes": [
        ep(child, "01/04/2022", "S", "C2", "U6", "01/06/2022", "X1"),
        ep(child, "01/06/2022", "P", "C2", fostering_code, "01/09/2022", "X1"),
        ep(child, "01/09/2022", "L", "E1", fostering_code, "01/12/2022", "X1"),
        adoptive], "AD1": [ad1(child, "01/08/2022", "15/11/2022", "1" if adopted_by_carers else "0")]}


def ffa_returns(*children: tuple[str, str, bool]):
    tables: dict[str, list[dict]] = {}
    for args in children:
        for t, rows in ffa_tables(*args).items():
            tables.setdefault(t, []).extend(rows)
    return files(2024, tables)


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "carer"), [("U2", "connected"), ("U5", "other")])
def test_u2_and_u5_are_early_permanence_with_the_carers_said_and_the_type_left_to_a_person(region, code, carer):
    do_import(ffa_returns(("F", code, True)), region.la)
    got = events(region.la, "F")
    assert got[("early_permanence_placement", date(2022, 6, 1))] == {"placement_type": "not_recorded",
                                                                     "carer": carer}
    # Exported again with the same code.
    out = services.export_903(la=region.la, actor=None, years=[2023], on=TODAY)
    episodes = next(v for k, v in out.items() if k.endswith("_Episodes.csv")).decode()
    assert f",{code}," in episodes
    assert ",U2," not in episodes.replace(f",{code},", "") and ",U5," not in episodes.replace(f",{code},", "")


@pytest.mark.django_db
def test_a10_counts_from_the_early_permanence_placement_only_when_those_carers_adopt(region):
    do_import(ffa_returns(("C", "U5", True), ("O", "U5", False)), region.la)
    by_carers, by_others = events(region.la, "C"), events(region.la, "O")
    assert by_carers[("placed_for_adoption", date(2022, 12, 1))] == {"by_foster_carers": True,
                                                                      "moved_in_with_carers": "2022-06-01"}
    assert by_others[("placed_for_adoption", date(2022, 12, 1))] == {}
    figs = {f.key: f for f in measures.scorecard(measures.scope_for_la(region.la), 2024)}
    # A1: 01/04/2022 -> 01/12/2022 = 244 days for both. A10: 61 days (to 01/06/2022) for C, 244 for O: 152.5 -> 153.
    assert (figs["A1"].value, figs["A1"].n) == (244, 2)
    assert (figs["A10"].value, figs["A10"].n) == (153, 2)


def test_early_permanence_codes_follow_the_dfe_code_set():
    assert T.EARLY_PERMANENCE_PLACEMENTS == {"U2": "connected", "U5": "other"}
    assert T.early_permanence_code({"placement_type": "ffa", "carer": "connected"}) == "U2"
    assert T.early_permanence_code({"placement_type": "concurrent", "carer": "other"}) == "U5"
    assert T.early_permanence_code({"placement_type": "ffa"}) == "U5"  # carers not recorded


@pytest.mark.django_db
def test_a_person_records_ffa_or_concurrent_on_an_imported_placement_and_the_next_import_keeps_it(client, region):
    from django.urls import reverse

    from permanence.children.models import JourneyEvent

    do_import(ffa_returns(("P", "U2", True)), region.la)
    child = Child.objects.get(la=region.la, la_child_id="P")
    event = JourneyEvent.objects.get(child=child, kind="early_permanence_placement", superseded=False)
    client.force_login(region.user("la_social_worker"))
    url = reverse("children:correct-event", args=[child.pk, event.pk])
    page = client.get(url).content.decode()
    assert "Type of early permanence placement" in page and "not whether the placement is" in page
    response = client.post(url, {"action": "correct", "date-day": "1", "date-month": "6", "date-year": "2022",
                                 "placement_type": "concurrent", "carer": "connected",
                                 "reason": "Concurrent planning, as the care plan says."})
    assert response.status_code == 302, response.content.decode()[:2000]
    now = JourneyEvent.objects.get(child=child, kind="early_permanence_placement", superseded=False)
    assert now.details == {"placement_type": "concurrent", "carer": "connected"}
    assert now.source == JourneyEvent.Source.PERMANENCE and now.corrects_id == event.pk
    # The same return again: the person's record stands, nothing is added or put to a person.
    again = do_import(ffa_returns(("P", "U2", True)), region.la)
    assert again.summary["events_added"] == again.summary["events_updated"] == again.summary["conflicts"] == 0
    assert JourneyEvent.objects.get(child=child, kind="early_permanence_placement", superseded=False).pk == now.pk
    # And the export still says U2: the carers are a relative or friend.
    out = services.export_903(la=region.la, actor=None, years=[2023], on=TODAY)
    assert ",U2," in next(v for k, v in out.items() if k.endswith("_Episodes.csv")).decode()
