"""A synthetic national structure: many RAAs and LAs with invented names, for volume testing."""

from __future__ import annotations

import random
from datetime import date

from permanence.children import rules

_PREFIXES = ("Ash", "Bram", "Cold", "Dun", "East", "Fair", "Glen", "Hart", "Kings", "Lang", "Mill", "North",
             "Oak", "Red", "Stan", "Thorn", "Wey", "Whit", "Brook", "Elm")
_SUFFIXES = ("bridge", "bury", "field", "ford", "ham", "ley", "mouth", "stead", "ton", "wick", "worth", "chester")


def national_structure(seed: int, *, las: int = 150, raas: int = 32, exclude_codes: set[str] = frozenset(),
                       password: str | None = None) -> dict:
    """A structure dict for organisations.loader.load_structure: `raas` RAAs sharing `las` LAs.

    LA codes are unique three-digit codes from 201–999 (avoiding `exclude_codes`); policies are a
    random mix of the three case-holding variants, delegations and writers, some with a second
    version. Staff get usernames like ff.r01.1; only each RAA's team manager (tm.r01) gets
    `password` (if given), everyone else an unusable password.
    """
    rng = random.Random(f"national/{seed}")
    codes = [c for c in range(201, 1000) if str(c) not in exclude_codes]
    codes = sorted(rng.sample(codes, las))
    names = [p + s for p in _PREFIXES for s in _SUFFIXES]
    rng.shuffle(names)
    out = {"raas": []}
    per = [las // raas + (1 if i < las % raas else 0) for i in range(raas)]
    k = 0
    for r in range(raas):
        tag = f"r{r + 1:02d}"
        raa = {"code": f"R{r + 1:02d}", "name": f"Regional Adoption Agency {r + 1:02d}",
               "teams": ["Family finding", "Assessment"], "las": [], "staff": []}
        staff = raa["staff"]
        for i in range(3):
            staff.append({"username": f"ff.{tag}.{i + 1}", "first_name": "Family finder", "last_name": f"{tag.upper()}-{i + 1}",
                          "role": rules.RAA_FAMILY_FINDER, "team": "Family finding"})
        staff.append({"username": f"tm.{tag}", "first_name": "Team manager", "last_name": tag.upper(),
                      "role": rules.RAA_TEAM_MANAGER, "team": "Family finding",
                      **({"password": password} if password else {})})
        for i in range(3):
            staff.append({"username": f"asw.{tag}.{i + 1}", "first_name": "Assessing social worker",
                          "last_name": f"{tag.upper()}-{i + 1}", "role": rules.RAA_ASSESSING_SW, "team": "Assessment"})
        staff.append({"username": f"adm.{tag}", "first_name": "Decision maker", "last_name": tag.upper(),
                      "role": rules.ADM})
        staff.append({"username": f"panel.{tag}", "first_name": "Panel adviser", "last_name": tag.upper(),
                      "role": rules.PANEL_ADVISER})
        for _ in range(per[r]):
            code = str(codes[k])
            name = names[k % len(names)] + (f" {k // len(names) + 1}" if k >= len(names) else "")
            k += 1
            raa["las"].append({"code": code, "name": name, "policies": _policies(rng)})
            for i in range(2):
                staff.append({"username": f"sw.{code}.{i + 1}", "first_name": "Social worker",
                              "last_name": f"{name} {i + 1}", "role": rules.LA_SOCIAL_WORKER, "organisation": code})
            staff.append({"username": f"tm.{code}", "first_name": "Team manager", "last_name": name,
                          "role": rules.LA_TEAM_MANAGER, "organisation": code})
        out["raas"].append(raa)
    return out


def _policies(rng: random.Random) -> list[dict]:
    def one(effective: date) -> dict:
        holding = rng.choice((rules.LA_KEEPS, rules.RAA_AT_PO, rules.RAA_AT_PO, rules.RAA_AT_PO_AGE_LIMIT))
        pol = {"effective_from": effective, "case_holding": holding,
               "should_be_placed_delegated": rng.random() < 0.1, "match_delegated": rng.random() < 0.15,
               "cpr_writer": rng.choice((rules.LA, rules.LA, rules.RAA)),
               "lsb_writer": rng.choice((rules.LA, rules.RAA)), "lll_writer": rng.choice((rules.LA, rules.RAA)),
               "note": "Synthetic national volume data."}
        if holding == rules.RAA_AT_PO_AGE_LIMIT:
            pol["age_limit"] = rng.choice((1, 2, 2, 4))
        return pol

    start = date(2017 + rng.randint(0, 4), rng.choice((1, 4, 7, 10)), 1)
    out = [one(start)]
    if rng.random() < 0.2:
        out.append(one(date(2023 + rng.randint(0, 2), 4, 1)))
    return out
