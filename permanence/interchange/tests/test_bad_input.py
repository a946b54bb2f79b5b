"""Every kind of bad input gets a clear message and changes nothing; never a traceback."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanence.interchange import services
from permanence.interchange.models import ImportBatch
from permanence.interchange.ssda903 import mapping, parse
from permanence.interchange.tests.helpers import TODAY, files_903, kids, state_of_db
from permanence.testing import examples

HEADER = b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n1001,M,01/02/2022,WBRI,,,\r\n"
EPISODES = (b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"
            b"1001,03/03/2022,S,C2,N1,U6,PR1,01/06/2023,X1,,,,\r\n"
            b"1001,01/06/2023,L,E1,N1,U6,PR1,,,,,,\r\n")


@pytest.fixture(scope="module")
def good():
    return files_903(kids(count=8), [2025])


def refused(region, files, *, la=None, **kw):
    before = state_of_db()
    result = services.import_903(files=files, la=la or region.la, actor=None, on=TODAY, validate=False, **kw)
    assert result.batch.status == ImportBatch.Status.REFUSED
    assert state_of_db() == before
    return result


def messages(result) -> str:
    return " | ".join(f"{f.where}: {f.message}" for f in result.errors)


@pytest.mark.django_db
def test_wrong_headers(region, good):
    bad = b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER\r\n1,M,01/01/2020,WBRI,,\r\n"
    result = refused(region, [*good, ("header.csv", bad)])
    assert "header.csv looks like the Header table but its headers are wrong (missing MC_DOB)" in messages(result)


@pytest.mark.django_db
def test_not_a_903_table(region, good):
    result = refused(region, [*good, ("names.csv", b"name,age\r\nann,4\r\n")])
    assert "names.csv is not an SSDA903 table" in messages(result)


@pytest.mark.django_db
def test_not_csv_or_xml(region, good):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    result = refused(region, [*good, ("return.csv", png)])
    assert "return.csv is not a CSV or XML file" in messages(result)


@pytest.mark.django_db
def test_broken_xml(region):
    result = refused(region, [("return.xml", b"<Message><CHILD><CHILDID>1</CHILDID>")])
    assert "return.xml is not well-formed XML" in messages(result)


@pytest.mark.django_db
def test_xml_entities_are_refused(region):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Message><CHILD><CHILDID>&a;</CHILDID></CHILD></Message>'
    result = refused(region, [("bomb.xml", bomb)])
    assert "entity" in messages(result)


@pytest.mark.django_db
def test_broken_dates(region):
    result = refused(region, [("h.csv", HEADER), ("e.csv", EPISODES.replace(b"03/03/2022", b"31/02/2022"))])
    assert "e.csv, Episodes, row 2, DECOM: DECOM “31/02/2022” is not a date: write dates as dd/mm/yyyy." \
        in messages(result)


@pytest.mark.django_db
def test_unknown_codes(region):
    result = refused(region, [("h.csv", HEADER), ("e.csv", EPISODES.replace(b",E1,", b",Q9,"))])
    assert "e.csv, Episodes, row 3, LS: LS “Q9” is not a 903 code" in messages(result)


@pytest.mark.django_db
def test_overlapping_episodes(region):
    overlapping = EPISODES.replace(b"01/06/2023,X1", b"01/07/2023,X1")
    result = refused(region, [("h.csv", HEADER), ("e.csv", overlapping)])
    assert "Episodes overlap" in messages(result)


@pytest.mark.django_db
def test_match_date_with_no_placement_order(region):
    ad1 = (b"CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\r\n"
           b"1001,01/02/2022,01/05/2023,01/09/2023,0,1,F1,L0\r\n")
    no_po = EPISODES.replace(b",E1,", b",C2,")
    result = refused(region, [("h.csv", HEADER), ("e.csv", no_po), ("a.csv", ad1)])
    assert "There is a match date but no placement order" in messages(result)


@pytest.mark.django_db
def test_no_episodes(region):
    result = refused(region, [("h.csv", HEADER)])
    assert "There is no Episodes table" in messages(result)


@pytest.mark.django_db
def test_too_big(region, good, settings):
    settings.SSDA903_MAX_UPLOAD_BYTES = 300
    result = refused(region, good)
    assert "over the 300 bytes limit" in messages(result)


@pytest.mark.django_db
def test_good_files_import(region, good):
    result = services.import_903(files=good, la=region.la, actor=None, on=TODAY, validate=False)
    assert result.ok


@pytest.mark.django_db
def test_one_bad_file_and_nothing_is_half_loaded(region, good):
    broken = good[-1][1].replace(b"/20", b"/2O", 1)
    files = [*good[:-1], (good[-1][0], broken)] if b"/20" in good[-1][1] else [*good, ("x.csv", b"\x00\x01")]
    refused(region, files)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a.csv", "b.xml", "c"]), st.binary(max_size=600)), max_size=3))
def test_random_bytes_never_raise(files):
    parsed = parse.parse_files(files)
    mapping.assign_years(parsed)
    for c in mapping.gather(parsed).values():
        mapping.map_child(c, today=TODAY)


_csv_text = st.lists(st.lists(st.sampled_from(["CHILD", "DECOM", "RNE", "LS", "1", "S", "E1", "A5", "U2", "01/02/2023",
                                               "31/13/2023", "", "E11", "X1", ",", '"']), max_size=14), max_size=6)


@settings(max_examples=examples(150), deadline=None)
@given(_csv_text)
def test_random_903_like_tables_never_raise(rows):
    header = ",".join(["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                       "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"])
    text = header + "\r\n" + "\r\n".join(",".join(r) for r in rows)
    parsed = parse.parse_files([("e.csv", text.encode())])
    mapping.assign_years(parsed)
    for c in mapping.gather(parsed).values():
        mapping.map_child(c, today=TODAY)
