"""Every write to organisations, teams, staff and LA policies; and loading a whole structure from YAML."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.core import audit
from permanence.organisations import vocabulary as rules
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, LAPolicy, Organisation, Role, Staff, Team

POLICY_FIELDS = ["case_holding", "age_limit", "should_be_placed_delegated", "match_delegated", "cpr_writer",
                 "lsb_writer", "lll_writer", "note"]


def _validate_code(kind: str, code: str) -> None:
    if kind == Organisation.Kind.LA and not (len(code) == 3 and code.isdecimal()):
        raise ValidationError({"code": f"An LA is identified by its DfE three-digit LA code (e.g. 801), not {code!r}."})
    if not code:
        raise ValidationError({"code": "Enter a code."})


@transaction.atomic
def create_organisation(*, actor, kind: str, code: str, name: str, raa: Organisation | None = None) -> Organisation:
    code, name = str(code).strip(), name.strip()
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": f"Unknown kind of organisation: {kind!r}."})
    _validate_code(kind, code)
    if not name:
        raise ValidationError({"name": "Enter a name."})
    if kind == Organisation.Kind.LA and (raa is None or raa.kind != Organisation.Kind.RAA):
        raise ValidationError({"raa": "An LA must be a member of an RAA."})
    if Organisation.objects.filter(kind=kind, code=code).exists():
        raise ValidationError({"code": f"There is already an organisation of this kind with code {code}."})
    org = Organisation.objects.create(kind=kind, code=code, name=name,
                                      raa=raa if kind == Organisation.Kind.LA else None)
    audit.record_change(actor=actor, action="organisation.created", instance=org, after=audit.snapshot(org))
    return org


@transaction.atomic
def create_team(*, actor, organisation: Organisation, name: str) -> Team:
    if not name.strip():
        raise ValidationError({"name": "Enter a team name."})
    if Team.objects.filter(organisation=organisation, name=name.strip()).exists():
        raise ValidationError({"name": f"{organisation.name} already has a team called {name.strip()}."})
    team = Team.objects.create(organisation=organisation, name=name.strip())
    audit.record_change(actor=actor, action="team.created", instance=team, after=audit.snapshot(team))
    return team


STAFF_AUDITED = ["username", "organisation", "role", "team", "first_name", "last_name", "must_change_password"]


def _new_staff(*, organisation: Organisation, role: str, username: str, first_name: str, last_name: str,
               email: str = "", team: Team | None = None, password: str | None = None,
               password_hash: str | None = None, temporary: bool = False) -> Staff:
    """A member of staff checked and ready to save (the username's uniqueness is the caller's check)."""
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role: {role!r}."})
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise ValidationError({"role": f"A {Role(role).label} cannot belong to a {organisation.get_kind_display()}."})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": "The team must belong to the same organisation."})
    if not username.strip():
        raise ValidationError({"username": "Enter a username."})
    staff = Staff(organisation=organisation, role=role, username=username.strip(), first_name=first_name.strip(),
                  last_name=last_name.strip(), email=email.strip(), team=team,
                  must_change_password=bool(temporary and (password or password_hash)))
    if password and temporary:
        try:
            password_validation.validate_password(password, staff)
        except ValidationError as err:
            raise ValidationError({"password": err.messages}) from err
    if password_hash:
        staff.password = password_hash
    elif password:
        staff.set_password(password)
    else:
        staff.set_unusable_password()
    return staff


@transaction.atomic
def create_staff(*, actor, **values) -> Staff:
    """A new member of staff: organisation, role, username, first_name, last_name, and optionally email, team,
    password (or `password_hash`, from make_password, so a bulk load hashes a shared password once).

    `temporary`: the password is one an administrator chose; they must change it when they first sign in.
    """
    staff = _new_staff(**values)
    if Staff.objects.filter(username=staff.username).exists():
        raise ValidationError({"username": f"The username {staff.username} is taken."})
    staff.save()
    audit.record_change(actor=actor, action="staff.created", instance=staff,
                        after=audit.snapshot(staff, STAFF_AUDITED))
    return staff


@transaction.atomic
def create_staff_many(*, actor, people: list[dict]) -> list[Staff]:
    """Several new members of staff at once, each checked as create_staff checks one (all or none), in three
    queries rather than three each: one check of the usernames, one insert of the staff and one of their audit
    entries (the same entries create_staff writes)."""
    staff = [_new_staff(**values) for values in people]
    names = [s.username for s in staff]
    taken = sorted(set(Staff.objects.filter(username__in=names).values_list("username", flat=True))
                   | {n for n in names if names.count(n) > 1})
    if taken:
        raise ValidationError({"username": f"The username {taken[0]} is taken."})
    Staff.objects.bulk_create(staff)
    audit.record_changes(actor=actor, action="staff.created",
                         changes=[(s, None, audit.snapshot(s, STAFF_AUDITED)) for s in staff])
    return staff


def _check_policy(values: dict) -> None:
    errors = {}
    holding = values.get("case_holding")
    if holding not in LAPolicy.CaseHolding.values:
        errors["case_holding"] = "Choose how case holding works for this LA."
    if holding == LAPolicy.CaseHolding.RAA_AT_PO_AGE_LIMIT:
        limit = values.get("age_limit")
        if limit is None or limit == "":
            errors["age_limit"] = "Enter the age limit: children aged this many years or under at the PO transfer."
        elif not (0 <= int(limit) <= 17):
            errors["age_limit"] = "The age limit must be between 0 and 17 years."
    for side_field in ("cpr_writer", "lsb_writer", "lll_writer"):
        if values.get(side_field) not in LAPolicy.Side.values:
            errors[side_field] = "Choose the LA or the RAA."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_policy(*, actor, la: Organisation, effective_from: date, refresh: bool = True, **values) -> LAPolicy:
    """A new version of the LA's policy, in force from `effective_from`. Earlier versions are kept."""
    if la.kind != Organisation.Kind.LA:
        raise ValidationError("Policies belong to local authorities.")
    if not isinstance(effective_from, date):
        raise ValidationError({"effective_from": "Enter the date the policy takes effect."})
    values = {k: v for k, v in values.items() if k in POLICY_FIELDS}
    values.setdefault("case_holding", LAPolicy.CaseHolding.LA_KEEPS)
    for side_field in ("cpr_writer", "lsb_writer", "lll_writer"):
        values.setdefault(side_field, LAPolicy.Side.LA)
    _check_policy(values)
    if values["case_holding"] != LAPolicy.CaseHolding.RAA_AT_PO_AGE_LIMIT:
        values["age_limit"] = None
    if LAPolicy.objects.filter(la=la, effective_from=effective_from).exists():
        raise ValidationError({"effective_from": f"{la.name} already has a policy taking effect on "
                                                 f"{effective_from:%d/%m/%Y}. Choose another date."})
    previous = LAPolicy.objects.filter(la=la, effective_from__lt=effective_from).order_by("-effective_from").first()
    policy = LAPolicy.objects.create(la=la, effective_from=effective_from,
                                     created_by=actor if getattr(actor, "pk", None) else None, **values)
    audit.record_change(actor=actor, action="policy.created", instance=policy,
                        before=audit.snapshot(previous, POLICY_FIELDS + ["effective_from"]) if previous else None,
                        after=audit.snapshot(policy, POLICY_FIELDS + ["effective_from"]))
    if refresh:
        policy_changed(la)
    return policy


# What depends on an LA's policy (the children's case holders and due actions) is refreshed by the apps that own
# it: they register here when Django starts (children.apps), so organisations imports no app above it.
POLICY_CHANGE_HANDLERS: list = []


def on_policy_change(handler) -> None:
    if handler not in POLICY_CHANGE_HANDLERS:
        POLICY_CHANGE_HANDLERS.append(handler)


def policy_changed(la: Organisation) -> None:
    for handler in POLICY_CHANGE_HANDLERS:
        handler(la)


def current_policy(la: Organisation, on: date) -> LAPolicy | None:
    return la.policies.filter(effective_from__lte=on).order_by("-effective_from").first()


ROLE_CODES = {r.value for r in Role}
SIDES = {rules.LA, rules.RAA}
