"""Postcode districts: parsing, the shipped centroid table, distances, and how the table is built."""

from __future__ import annotations

import math

import pytest

from permanence.family_finding import postcodes as p


@pytest.mark.parametrize("text, district", [
    ("LS6 3AB", "LS6"), ("ls63ab", "LS6"), (" bs16 ", "BS16"), ("SW1A 1AA", "SW1A"), ("W1D 3QU", "W1D"),
    ("EC1A1BB", "EC1A"), ("LS", ""), ("not a postcode", ""), ("", ""),
])
def test_district_of(text, district):
    assert p.district_of(text) == district


def test_area_of():
    assert [p.area_of(x) for x in ("LS6", "B15 2TT", "BD", "")] == ["LS", "B", "BD", ""]


def test_named_places_cover_districts_areas_and_sub_districts():
    assert p.in_named_places("LS6", ["LS6"]) == "LS6"
    assert p.in_named_places("LS6", ["ls"]) == "LS"
    assert p.in_named_places("W1D", ["W1"]) == "W1"
    assert p.in_named_places("LS16", ["LS1"]) is None  # LS16 is not inside LS1
    assert p.in_named_places("", ["LS"]) is None


def test_the_table_covers_great_britain_with_its_source():
    table = p.centroids()
    assert len(table) > 2800
    header = p.TABLE.read_text(encoding="utf-8").splitlines()[:10]
    assert any("Code-Point Open" in line for line in header)
    assert any("Open Government Licence" in line for line in header)
    lat, lon = table["LS6"]  # Headingley, Leeds
    assert 53.80 < lat < 53.84 and -1.60 < lon < -1.54
    assert "W1" in table and "W1D" in table and "SW1A" in table  # parents and sub-districts


def test_distances_in_miles():
    assert p.distance_miles("BS1", "BS1") == 0
    assert 165 < p.distance_miles("BS1 4DJ", "LS6") < 173  # Bristol to Leeds, as the crow flies
    assert p.distance_miles("LS6", "ZZ99") is None and p.distance_miles("", "LS6") is None
    # one degree of latitude is 69 miles, give or take
    assert 68.5 < p.haversine_miles((52.0, -1.0), (53.0, -1.0)) < 69.5


def test_national_grid_to_latitude_and_longitude():
    # Ordnance Survey's worked example (A guide to coordinate systems in Great Britain, annex C)
    lat, lon = p.grid_to_osgb36(651409.903, 313177.270)
    assert math.isclose(lat, 52 + 39 / 60 + 27.2531 / 3600, abs_tol=1e-6)
    assert math.isclose(lon, 1 + 43 / 60 + 4.5177 / 3600, abs_tol=1e-6)
    lat, lon = p.grid_to_wgs84(529090, 179645)  # SW1A 1AA
    assert math.isclose(lat, 51.50101, abs_tol=1e-4) and math.isclose(lon, -0.14159, abs_tol=1e-4)


def test_building_the_table_from_code_point_rows():
    rows = [("W1A 1AA", 10, 529000, 181000), ("W1A 1AB", 10, 529200, 181200), ("W1D 3QU", 10, 529600, 181000),
            ("LS6 3AB", 10, 428000, 436000), ("LS6 9ZZ", 90, 0, 0)]
    table = {d: (lat, lon, n) for d, lat, lon, n in p.district_table(rows)}
    assert set(table) == {"W1", "W1A", "W1D", "LS6"}
    assert table["W1"][2] == 3 and table["W1A"][2] == 2 and table["LS6"][2] == 1  # quality 90 left out
    assert table["W1A"][:2] == tuple(round(x, 5) for x in p.grid_to_wgs84(529100, 181100))
