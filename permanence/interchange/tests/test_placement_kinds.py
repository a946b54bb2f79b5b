"""The placement kinds (early permanence ended, the adoption placement report, the placement plan, placement
reviews, a disruption's cause and the early permanence household) are not part of SSDA903: every kind of the
child's journey is either mapped or explicitly not, the writer leaves the new ones out and an import gives back
the rest."""

from datetime import date

from permanence.children import rules
from permanence.interchange.ssda903 import mapping, parse, writer

K = rules.Kind
D = date.fromisoformat
TODAY = date(2026, 3, 15)


def test_every_kind_is_either_in_903_or_explicitly_not():
    assert mapping.KINDS_903 | mapping.NOT_IN_903 == set(K)
    assert not mapping.KINDS_903 & mapping.NOT_IN_903
    assert {K.EARLY_PERMANENCE_ENDED, K.APR, K.PLACEMENT_PLAN, K.PLACEMENT_REVIEW} <= mapping.NOT_IN_903


def _facts(*steps):
    events = [rules.EventFact(k, D(d), i + 1, det) for i, (d, k, det) in
              enumerate((s if len(s) == 3 else (*s, {})) for s in steps)]
    rules.replay(events)
    return events


# A concurrent planning placement with household 7 that ends (returned home is not this story: the plan stays
# adoption), then a match with other adopters, their report and plan, two reviews, a disruption with its cause,
# a second placement and the adoption order.
WITH_NEW_KINDS = _facts(
    ("2021-03-01", K.ENTERED_CARE), ("2021-04-01", K.SHOULD_BE_PLACED),
    ("2021-04-10", K.EARLY_PERMANENCE, {"placement_type": "concurrent", "carer": "other", "household": "7"}),
    ("2021-07-01", K.PLACEMENT_ORDER),
    ("2021-08-01", K.EARLY_PERMANENCE_ENDED, {"end_reason": "broke_down"}),
    ("2021-09-01", K.LINKED), ("2021-09-20", K.APR), ("2021-10-01", K.MATCH_DECISION),
    ("2021-10-05", K.PLACEMENT_PLAN), ("2021-10-10", K.PLACED),
    ("2021-11-01", K.PLACEMENT_REVIEW), ("2022-01-20", K.PLACEMENT_REVIEW),
    ("2022-03-01", K.DISRUPTION, {"reason": "The adopters could not go on.", "cause": "adopters_circumstances"}),
    ("2022-05-01", K.MATCH_DECISION), ("2022-05-20", K.PLACED), ("2022-12-01", K.ADOPTION_ORDER),
)


def _without_new(events):
    new = {K.EARLY_PERMANENCE_ENDED, K.APR, K.PLACEMENT_PLAN, K.PLACEMENT_REVIEW}
    out = []
    for e in events:
        if e.kind in new:
            continue
        details = {k: v for k, v in e.details.items() if k not in ("household", "cause")}
        out.append(rules.EventFact(e.kind, e.date, e.seq, details))
    return out


def _episodes(events):
    return [(e.decom, e.rne, e.ls, e.place, e.dec, e.rec) for e in writer.episodes_for(events)]


def test_the_writer_leaves_the_new_kinds_and_details_out():
    assert _episodes(WITH_NEW_KINDS) == _episodes(_without_new(WITH_NEW_KINDS))
    # The early permanence placement is still a U5 episode, the disruption a change of carers.
    places = [e[3] for e in _episodes(WITH_NEW_KINDS)]
    assert places == ["U6", "U5", "U5", "A6", "U6", "A6"]
    assert mapping.comparable(mapping.project(WITH_NEW_KINDS)) == mapping.comparable(
        mapping.project(_without_new(WITH_NEW_KINDS)))


def test_an_import_of_the_written_return_gives_back_what_903_carries():
    rec = writer.ChildRecord("C1", D("2020-11-01"), "F", "WBRI", WITH_NEW_KINDS)
    files = []
    for y in writer.years_covering([rec], TODAY):
        tables = writer.tables_for_year([rec], y, today=TODAY)
        files += [(f"901_{y - 1}-{str(y)[2:]}_{t}.csv", writer.to_csv(t, rows)) for t, rows in tables.items()]
    parsed = parse.parse_files(files)
    mapping.assign_years(parsed)
    (child,) = mapping.gather(parsed).values()
    journey = mapping.map_child(child, today=TODAY)
    assert not [f for f in journey.findings if f.severity == parse.ERROR]
    got = mapping.comparable(journey.events)
    assert got == mapping.comparable(mapping.project(WITH_NEW_KINDS))
    # The imported disruption's cause is not recorded: the table accepts it without one.
    (disruption,) = [e for e in journey.events if e.kind is K.DISRUPTION]
    assert "cause" not in disruption.details
    assert rules.replay(journey.events).disruptions[0].cause == rules.DISRUPTION_NOT_RECORDED
