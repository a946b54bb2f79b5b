"""Load a whole RAA structure – RAAs, member LAs, VAAs, teams, per-LA policies, staff – from YAML.

Loading is all or nothing and repeatable: loading the same file twice changes nothing. See
docs/org-structure.md and the demo region's file, permanence/demo/adoption-west.yaml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from permanence.organisations import services
from permanence.organisations.models import LAPolicy, Organisation, Staff, Team


class StructureError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _messages(err: ValidationError) -> list[str]:
    if hasattr(err, "error_dict"):
        return [f"{field}: {m}" for field, msgs in err.message_dict.items() for m in msgs]
    return list(err.messages)


def read_file(path: str | Path) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise StructureError([f"Cannot read {path}: {exc.strerror}."]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise StructureError([f"{path} is not valid YAML: {exc}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("raas"), list):
        raise StructureError([f"{path} must have a top-level list called 'raas'."])
    return data


def _date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: {value!r} is not a date (use YYYY-MM-DD).")
        return None


@transaction.atomic
def load_structure(data: dict, *, actor=None) -> dict[str, int]:
    """Create or update everything in `data`. Raises StructureError (and writes nothing) on any problem."""
    counts = {"organisations": 0, "teams": 0, "policies": 0, "staff": 0}
    problems: list[str] = []
    changed_las: set[int] = set()
    hashes: dict[str, str] = {}  # a shared password is hashed once per load

    def attempt(where: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as err:
            problems.extend(f"{where}: {m}" for m in _messages(err))
            return None

    def org(kind: str, code: str, name: str, raa: Organisation | None, where: str) -> Organisation | None:
        existing = Organisation.objects.filter(kind=kind, code=str(code)).first()
        if existing:
            if existing.name != name or (kind == "la" and existing.raa_id != (raa.pk if raa else None)):
                existing.name = name
                if kind == "la":
                    existing.raa = raa
                existing.save()
                counts["organisations"] += 1
            return existing
        created = attempt(where, services.create_organisation, actor=actor, kind=kind, code=str(code), name=name,
                          raa=raa)
        if created:
            counts["organisations"] += 1
        return created

    def _hash(password: str | None) -> str | None:
        if not password:
            return None
        if password not in hashes:
            hashes[password] = make_password(str(password))
        return hashes[password]

    def teams(owner: Organisation, names: list, where: str) -> None:
        for j, name in enumerate(names or []):
            if not Team.objects.filter(organisation=owner, name=str(name)).exists():
                if attempt(f"{where}.teams[{j}]", services.create_team, actor=actor, organisation=owner, name=str(name)):
                    counts["teams"] += 1

    for i, raa_data in enumerate(data.get("raas") or []):
        where = f"raas[{i}]"
        if not isinstance(raa_data, dict) or not raa_data.get("code") or not raa_data.get("name"):
            problems.append(f"{where}: an RAA needs a code and a name.")
            continue
        raa = org("raa", raa_data["code"], raa_data["name"], None, where)
        if raa is None:
            continue
        teams(raa, raa_data.get("teams"), where)
        for j, vaa_data in enumerate(raa_data.get("vaas") or []):
            vaa = org("vaa", vaa_data.get("code", ""), vaa_data.get("name", ""), None, f"{where}.vaas[{j}]")
            if vaa is not None:
                vaa.partner_raas.add(raa)
        for j, la_data in enumerate(raa_data.get("las") or []):
            lwhere = f"{where}.las[{j}]"
            if not isinstance(la_data, dict):
                problems.append(f"{lwhere}: expected a mapping with code and name.")
                continue
            la = org("la", str(la_data.get("code", "")), la_data.get("name", ""), raa, lwhere)
            if la is None:
                continue
            teams(la, la_data.get("teams"), lwhere)
            policies = la_data.get("policies") or []
            if not policies:
                problems.append(f"{lwhere}: give at least one policy (case_holding, effective_from).")
            for k, pol in enumerate(policies):
                pwhere = f"{lwhere}.policies[{k}]"
                pol = dict(pol or {})
                eff = _date(pol.pop("effective_from", None), f"{pwhere}.effective_from", problems)
                if eff is None:
                    continue
                existing = LAPolicy.objects.filter(la=la, effective_from=eff).first()
                if existing:
                    differs = [f for f, v in pol.items() if f in services.POLICY_FIELDS and getattr(existing, f) != v
                               and not (f == "age_limit" and existing.case_holding != "raa_at_po_age_limit")]
                    if differs:
                        problems.append(f"{pwhere}: {la.name} already has a different policy from {eff} "
                                        f"({', '.join(differs)}); add a new policy with a later date instead.")
                    continue
                unknown = set(pol) - set(services.POLICY_FIELDS)
                if unknown:
                    problems.append(f"{pwhere}: unknown fields {', '.join(sorted(unknown))}.")
                    continue
                if attempt(pwhere, services.set_policy, actor=actor, la=la, effective_from=eff, refresh=False, **pol):
                    counts["policies"] += 1
                    changed_las.add(la.pk)
        for j, person in enumerate(raa_data.get("staff") or []):
            swhere = f"{where}.staff[{j}]"
            username = str(person.get("username", ""))
            if Staff.objects.filter(username=username).exists():
                continue
            org_code = str(person.get("organisation", raa.code))
            owner = raa if org_code == raa.code else Organisation.objects.filter(
                Q(kind="la", raa=raa) | Q(kind="vaa", partner_raas=raa), code=org_code).first()
            if owner is None:
                problems.append(f"{swhere}: {raa.name} has no member LA or partner VAA with code {org_code}.")
                continue
            team = None
            if person.get("team"):
                team = Team.objects.filter(organisation=owner, name=person["team"]).first()
                if team is None:
                    problems.append(f"{swhere}: {owner.name} has no team called {person['team']!r}.")
                    continue
            if attempt(swhere, services.create_staff, actor=actor, organisation=owner, role=person.get("role", ""),
                       username=username, first_name=person.get("first_name", ""),
                       last_name=person.get("last_name", ""), email=person.get("email", ""), team=team,
                       password_hash=_hash(person.get("password"))):
                counts["staff"] += 1
    if problems:
        transaction.set_rollback(True)
        raise StructureError(problems)
    for la in Organisation.objects.filter(pk__in=changed_las):
        services.policy_changed(la)
    return counts
