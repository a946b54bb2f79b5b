"""The 903 writer: each year's tables hold only what was open that year, parse cleanly, and carry the cases
real returns hold (earlier periods of care, early permanence carers, carers who adopt, adoption orders on the
year's edges)."""

from collections import Counter
from datetime import date

import pytest

from permanence.children import rules
from permanence.demo.journeys import generate
from permanence.demo.ssda903_files import record_of
from permanence.interchange.ssda903 import parse, writer
from permanence.interchange.ssda903 import tables as T
from permanence.interchange.tests.helpers import TODAY

K = rules.Kind
D = date.fromisoformat


@pytest.fixture(scope="module")
def generated():
    return generate(11, TODAY, [("901", 150)])


@pytest.fixture(scope="module")
def by_year(generated):
    recs = [record_of(k) for k in generated]
    return {y: writer.tables_for_year(recs, y, today=TODAY) for y in writer.years_covering(recs, TODAY)}


def _d(v):
    return parse.parse_date(v) if v else None


def test_each_year_holds_only_what_was_open_in_it(generated, by_year):
    full = {r.child_id: writer.episodes_for(r.events, r.earlier_periods, r.left_care)
            for r in map(record_of, generated)}
    assert len(by_year) >= 6
    for y, tables in by_year.items():
        start, end = T.year_bounds(y)
        end = min(end, TODAY)
        rows = tables["Episodes"]
        assert rows, y
        for r in rows:
            decom, dec = _d(r["DECOM"]), _d(r["DEC"])
            assert decom <= end and (dec is None or dec >= start), (y, r)
            assert bool(r["DEC"]) == bool(r["REC"]), r
            ep = next(e for e in full[r["CHILD"]] if e.decom == decom)
            # DEC and REC are blank exactly when the episode was still open at the year's end.
            assert (dec is None) == (ep.dec is None or ep.dec > end), (y, r)
        # And every episode open in the year is there.
        want = {(c, e.decom) for c, eps in full.items() for e in eps
                if e.decom <= end and (e.dec is None or e.dec >= start)}
        assert {(r["CHILD"], _d(r["DECOM"])) for r in rows} == want
        # A Header row for every child looked after in the year, and no other.
        assert sorted(r["CHILD"] for r in tables["Header"]) == sorted({r["CHILD"] for r in rows})
        # AD1 only in the year of the adoption.
        adopted = {r["CHILD"] for r in rows if r["REC"] in T.ADOPTED_REC}
        assert {r["CHILD"] for r in tables["AD1"]} == adopted
        # PlacedAdoption while the decision is open or ceased in the year.
        for r in tables["PlacedAdoption"]:
            assert _d(r["DATE_PLACED"]) <= end
            ceased = _d(r["DATE_PLACED_CEASED"])
            assert ceased is None or start <= ceased <= end
            assert bool(ceased) == bool(r["REASON_PLACED_CEASED"])


def test_every_file_parses_without_errors(by_year):
    for y, tables in by_year.items():
        files = [(f"901_{y - 1}-{str(y)[2:]}_{t}.csv", writer.to_csv(t, rows)) for t, rows in tables.items()]
        parsed = parse.parse_files(files)
        assert not [f for f in parsed.findings if f.severity == parse.ERROR], y
        assert {tf.table for tf in parsed.tables} == {t for t, rows in tables.items()}
        xml = parse.parse_files([(f"901_{y}.xml", writer.to_xml(tables, year=y))])
        assert not [f for f in xml.findings if f.severity == parse.ERROR], y


def test_the_cases_real_returns_hold_appear(generated, by_year):
    first_rne: dict[str, str] = {}
    later_starts = Counter()
    places, recs, ad1 = Counter(), Counter(), {}
    ao_days = set()
    reasons = set()
    for y in sorted(by_year):
        tables = by_year[y]
        for r in tables["Episodes"]:
            if r["CHILD"] not in first_rne:
                first_rne[r["CHILD"]] = r["RNE"]
            elif r["RNE"] == "S":
                later_starts[r["CHILD"]] += 1
            places[(r["RNE"], r["PLACE"])] += 1
            recs[r["REC"]] += 1
            if r["REC"] in T.ADOPTED_REC:
                ao_days.add(r["DEC"][:5])
                if r["DEC"] == "29/02/2024":
                    ao_days.add("29/02/2024")
        for r in tables["AD1"]:
            ad1[r["CHILD"]] = r["FOSTER_CARE"]
        reasons |= {r["REASON_PLACED_CEASED"] for r in tables["PlacedAdoption"]}
    # A later year's return starts part-way through a period of care; children re-enter care.
    latest = max(by_year)
    firsts = {r["CHILD"]: r["RNE"] for r in reversed(by_year[latest]["Episodes"])}
    assert {"L", "P", "T"} & set(firsts.values())
    assert later_starts, "no child with a second period of care"
    # Earlier periods end with a return home (or similar), never X1.
    assert recs["E4A"] and {"E13", "E4B", "E41", "E45", "E46"} & set(recs)
    # Early permanence with a relative or friend (U2) and with another carer (U5); adoption by the carers the
    # child lives with (A5/A3, RNE T, FOSTER_CARE 1) and by new carers (A6/A4, RNE P/B, FOSTER_CARE 0).
    assert places[("P", "U2")] + places[("B", "U2")] and places[("P", "U5")] + places[("B", "U5")]
    assert places[("T", "A5")] + places[("T", "A3")] + places[("U", "A5")]
    assert places[("P", "A6")] + places[("B", "A6")] + places[("P", "A4")]
    assert set(ad1.values()) == {"0", "1"}
    # Adoption orders on 31 March, 1 April and 29 February; plans reversed; still open at the last year's end.
    assert {"31/03", "01/04", "29/02/2024"} <= ao_days
    assert reasons & {"RD1", "RD2", "RD3", "RD4"} and "E11" in reasons
    assert any(r["DEC"] == "" for r in by_year[latest]["Episodes"])


def _record(*steps, earlier=(), left=None):
    events = [rules.EventFact(k, D(d), i + 1, det) for i, (d, k, det) in
              enumerate((s if len(s) == 3 else (*s, {})) for s in steps)]
    rules.replay(events)
    return writer.ChildRecord("C1", D("2019-01-01"), "F", "WBRI", events, earlier_periods=earlier, left_care=left)


def _eps(rec):
    return [(e.decom.isoformat(), e.rne, e.ls, e.place, e.dec and e.dec.isoformat(), e.rec)
            for e in writer.episodes_for(rec.events, rec.earlier_periods, rec.left_care)]


def test_early_permanence_adopted_by_those_carers_and_an_earlier_period():
    rec = _record(("2021-03-01", K.ENTERED_CARE),
                  ("2021-03-10", K.EARLY_PERMANENCE, {"placement_type": "ffa", "carer": "connected"}),
                  ("2021-06-01", K.SHOULD_BE_PLACED), ("2021-09-01", K.PLACEMENT_ORDER), ("2021-10-01", K.LINKED),
                  ("2021-11-01", K.MATCH_DECISION),
                  ("2021-12-01", K.PLACED, {"by_foster_carers": True, "moved_in_with_carers": "2021-03-10"}),
                  ("2022-04-01", K.ADOPTION_ORDER),
                  earlier=((D("2020-01-10"), D("2020-06-30"), "E4A"),))
    assert _eps(rec) == [
        ("2020-01-10", "S", "V2", "U6", "2020-04-05", "X1"),
        ("2020-04-05", "L", "C2", "U6", "2020-06-30", "E4A"),
        ("2021-03-01", "S", "C2", "U6", "2021-03-10", "X1"),
        ("2021-03-10", "P", "C2", "U2", "2021-09-01", "X1"),  # a relative or friend: U2
        ("2021-09-01", "L", "E1", "U2", "2021-12-01", "X1"),
        ("2021-12-01", "T", "E1", "A5", "2022-04-01", "E11"),  # the same carers
    ]
    y2022 = writer.tables_for_year([rec], 2022)
    assert y2022["Episodes"][-1]["DEC"] == "" and not y2022["AD1"]  # open on 31/03/2022
    y2023 = writer.tables_for_year([rec], 2023)
    assert [r["DECOM"] for r in y2023["Episodes"]] == ["01/12/2021"]  # the return starts part-way (RNE T)
    assert y2023["Episodes"][0]["DEC"] == "01/04/2022" and y2023["Episodes"][0]["REC"] == "E11"
    assert y2023["AD1"][0]["FOSTER_CARE"] == "1"
    assert y2023["PlacedAdoption"][0]["REASON_PLACED_CEASED"] == "E11"
    y2020 = writer.tables_for_year([rec], 2020)
    assert [r["DECOM"] for r in y2020["Episodes"]] == ["10/01/2020"] and y2020["Episodes"][0]["DEC"] == ""


def test_ffa_then_adopted_by_others_and_foster_carers_who_adopt():
    others = _record(("2021-03-01", K.ENTERED_CARE), ("2021-03-10", K.EARLY_PERMANENCE, {"placement_type": "ffa"}),
                     ("2021-06-01", K.SHOULD_BE_PLACED), ("2021-09-01", K.PLACEMENT_ORDER),
                     ("2021-10-01", K.LINKED), ("2021-11-01", K.MATCH_DECISION), ("2021-12-01", K.PLACED),
                     ("2022-05-01", K.ADOPTION_ORDER))
    assert [e[1:4] for e in _eps(others)] == [("S", "C2", "U6"), ("P", "C2", "U5"), ("L", "E1", "U5"),
                                               ("P", "E1", "A6")]  # no carer said: U5; new carers: P, A6
    assert writer.tables_for_year([others], 2023)["AD1"][0]["FOSTER_CARE"] == "0"
    fosterers = _record(("2021-03-01", K.ENTERED_CARE), ("2021-06-01", K.SHOULD_BE_PLACED),
                        ("2021-09-01", K.PLACEMENT_ORDER), ("2021-10-01", K.LINKED), ("2021-11-01", K.MATCH_DECISION),
                        ("2021-12-01", K.PLACED, {"by_foster_carers": True, "moved_in_with_carers": "2021-03-20"}),
                        ("2022-05-01", K.ADOPTION_ORDER))
    assert [e[:4] for e in _eps(fosterers)] == [("2021-03-01", "S", "C2", "U6"), ("2021-03-20", "P", "C2", "U6"),
                                                ("2021-09-01", "L", "E1", "U6"), ("2021-12-01", "T", "E1", "A5")]
    assert writer.tables_for_year([fosterers], 2023)["AD1"][0]["FOSTER_CARE"] == "1"


def test_left_care_after_the_plan_changed():
    rec = _record(("2021-03-01", K.ENTERED_CARE), ("2021-06-01", K.SHOULD_BE_PLACED),
                  ("2021-09-01", K.PLACEMENT_ORDER), ("2022-01-10", K.PO_REVOKED),
                  ("2022-02-01", K.PLAN_CHANGED, {"reason": "RD1"}), left=(D("2022-05-01"), "E4A"))
    assert [e[1:] for e in _eps(rec)] == [("S", "C2", "U6", "2021-09-01", "X1"), ("L", "E1", "U6", "2022-01-10", "X1"),
                                          ("L", "C2", "U6", "2022-05-01", "E4A")]
    y2022 = writer.tables_for_year([rec], 2022)
    assert y2022["PlacedAdoption"][0]["REASON_PLACED_CEASED"] == "RD1"
    assert writer.tables_for_year([rec], 2023)["Episodes"][0]["REC"] == "E4A"
    assert not writer.tables_for_year([rec], 2024)["Header"]
