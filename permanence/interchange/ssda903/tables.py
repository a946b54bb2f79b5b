"""The SSDA903 tables, recognised by their exact header sets, and the code lists the importer reads.

Column lists follow the DfE specification as implemented by the maintained validator
(`csc-validator-be-903`, lac_validator/config.py).
"""

from __future__ import annotations

from datetime import date

from permanence.children.rules import ETHNICITIES

TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
            "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED"),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}
BY_HEADER: dict[frozenset[str], str] = {frozenset(cols): name for name, cols in TABLES.items()}

# The tables the journey is built from; the others are read, validated and otherwise left alone.
USED_TABLES = ("Header", "Episodes", "AD1", "PlacedAdoption")

# What makes a row the same row in another year's return: an episode's start, a decision's date (Header and AD1
# have one row per child).
ROW_KEYS: dict[str, str] = {"Episodes": "DECOM", "PlacedAdoption": "DATE_PLACED"}

# Date fields per table (dd/mm/YYYY).
DATE_FIELDS: dict[str, tuple[str, ...]] = {
    "Header": ("DOB", "MC_DOB"),
    "Episodes": ("DECOM", "DEC"),
    "AD1": ("DOB", "DATE_INT", "DATE_MATCH"),
    "PlacedAdoption": ("DOB", "DATE_PLACED", "DATE_PLACED_CEASED"),
    "Reviews": ("DOB", "REVIEW"),
    "UASC": ("DOB", "DUC"),
    "OC2": ("DOB",),
    "OC3": ("DOB",),
    "PrevPerm": ("DOB",),
    "Missing": ("DOB", "MIS_START", "MIS_END"),
    "SWEpisodes": ("DOB", "SW_DECOM", "SW_DEC"),
    "DoLo": ("DOB", "DOLO_START", "DOLO_END"),
}
# The longest value each field may have: CHILD is stored as the child's LA child ID and the held row's child (both
# 40 characters); every other 903 field is a short code, date or number, so anything longer is not one.
MAX_LENGTHS: dict[str, int] = {"CHILD": 40}
MAX_LENGTH_OTHERWISE = 100

# Fields that must be present on every row of a table we use.
REQUIRED: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "DOB"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "PLACE"),
    "AD1": ("CHILD",),
    "PlacedAdoption": ("CHILD", "DATE_PLACED"),
}

# Code lists (the union over the collection years the importer reads).
SEX = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}  # 1/2 before 2024/25, M/F/U from 2024/25
RNE = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer(s) only",
    "T": "Change of placement type only (same carers)",
    "U": "Change of legal status and placement type at the same time (same carers)",
    "B": "Change of legal status and placement and carer(s) at the same time",
}
SAME_CARER_RNE = frozenset({"T", "U", "L"})
LS = {"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"}
PLACE = {"A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1",
         "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"}
ADOPTIVE_PLACEMENTS = frozenset({"A3", "A4", "A5", "A6"})
FOSTER_CARER_ADOPTION_PLACEMENTS = frozenset({"A3", "A5"})
# Early permanence: foster placements with carers who are also approved adopters, FfA or concurrent planning
# (the code does not say which): U2 with a relative or friend, U5 with another foster carer. The values are
# children.rules.EARLY_PERMANENCE_CARERS keys; a placement whose carers are not recorded is written as U5.
EARLY_PERMANENCE_PLACEMENTS = {"U2": "connected", "U5": "other"}
EARLY_PERMANENCE_CODES = {v: k for k, v in EARLY_PERMANENCE_PLACEMENTS.items()}


def early_permanence_code(details: dict) -> str:
    """The PLACE code for an early permanence placement from its event details."""
    return EARLY_PERMANENCE_CODES.get(details.get("carer") or "", "U5")
REC = {"E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45", "E46", "E47", "E48", "E4A",
       "E4B", "E5", "E6", "E7", "E8", "E9", "X1"}
ADOPTED_REC = frozenset({"E11", "E12"})
REASON_PLACED_CEASED = {"E11", "E12", "RD1", "RD2", "RD3", "RD4"}
FOSTER_CARE = {"0", "1"}
CODE_FIELDS: dict[tuple[str, str], set[str] | dict[str, str]] = {
    ("Header", "SEX"): SEX,
    ("Header", "ETHNIC"): set(ETHNICITIES),
    ("Episodes", "RNE"): RNE,
    ("Episodes", "LS"): LS,
    ("Episodes", "PLACE"): PLACE,
    ("Episodes", "REC"): REC,
    ("AD1", "FOSTER_CARE"): FOSTER_CARE,
    ("PlacedAdoption", "REASON_PLACED_CEASED"): REASON_PLACED_CEASED,
}


def collection_year_of(day: date) -> int:
    """The collection year containing `day`, named by the year it ends (2025 for 1/4/2024–31/3/2025)."""
    return day.year + 1 if day.month >= 4 else day.year


FIRST_COLLECTION_YEAR = 1992  # the 903 return as it is collected began in 1991/92


def year_problem(year, today: date) -> str | None:
    """Why `year` cannot be a collection year (named by the year it ends), or None: a whole number from the first
    collection to the one after this one."""
    last = collection_year_of(today) + 1
    text = str(year).strip()
    if not (text.isascii() and text.lstrip("-").isdecimal()) or len(text) > 9:
        return f"Enter the collection year as 4 numbers, for example {collection_year_of(today)}"
    number = int(text)
    if not FIRST_COLLECTION_YEAR <= number <= last:
        return f"The collection year must be between {FIRST_COLLECTION_YEAR} and {last}"
    return None


def year_bounds(year: int) -> tuple[date, date]:
    return date(year - 1, 4, 1), date(year, 3, 31)


def year_label(year: int) -> str:
    return f"{year - 1}/{str(year)[2:]}"
