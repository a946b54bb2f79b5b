"""Shared fixtures: a small region built with the same services users call."""

from __future__ import annotations

from datetime import date

import pytest

from permanence.children import services as child_services
from permanence.organisations import services as org_services
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role

PASSWORD = "test-password-123"  # noqa: S105 (synthetic test users)


def examples(n: int) -> int:
    """How many examples a property test draws: `n`, times PERMANENCE_TEST_EXAMPLES (a factor, default 1), never
    fewer than 3. `make test` runs the whole suite on SQLite at full depth, then every test that uses the database
    again on PostgreSQL with the factor at 0.25: what a property explores (the rules, the rankings, the figures) is
    Python's, the same on either, so the second run draws fewer examples (CI time, issue 16)."""
    import os

    try:
        factor = float(os.environ.get("PERMANENCE_TEST_EXAMPLES", "1"))
    except ValueError:
        factor = 1.0
    return max(3, round(n * factor)) if factor > 0 else n


class Region:
    """Two RAAs: North (LAs 901 'transfer at PO' and 902 'LA keeps') and South (LA 903)."""

    def __init__(self):
        mk = org_services.create_organisation
        self.raa = mk(actor=None, kind="raa", code="NR", name="North RAA")
        self.other_raa = mk(actor=None, kind="raa", code="SR", name="South RAA")
        self.la = mk(actor=None, kind="la", code="901", name="Transferton", raa=self.raa)
        self.la_keeps = mk(actor=None, kind="la", code="902", name="Keepham", raa=self.raa)
        self.other_la = mk(actor=None, kind="la", code="903", name="Elsewhere", raa=self.other_raa)
        org_services.set_policy(actor=None, la=self.la, effective_from=date(2020, 1, 1), case_holding="raa_at_po")
        org_services.set_policy(actor=None, la=self.la_keeps, effective_from=date(2020, 1, 1),
                                case_holding="la_keeps")
        org_services.set_policy(actor=None, la=self.other_la, effective_from=date(2020, 1, 1),
                                case_holding="raa_at_po")
        from django.contrib.auth.hashers import make_password

        password_hash = make_password(PASSWORD)  # hashed once for every member of staff
        keys, people = [], []
        for org in (self.raa, self.other_raa, self.la, self.la_keeps, self.other_la):
            for role, kinds in ROLE_ORGANISATION_KINDS.items():
                if org.kind in kinds:
                    keys.append((org.code, role))
                    people.append({"organisation": org, "role": role, "username": f"{role}.{org.code}",
                                   "first_name": Role(role).label.split()[0], "last_name": org.code,
                                   "password_hash": password_hash})
        self.staff: dict[tuple[str, str], object] = dict(
            zip(keys, org_services.create_staff_many(actor=None, people=people), strict=True))

    def user(self, role: str, org=None):
        org = org or (self.la if "raa" not in ROLE_ORGANISATION_KINDS[role] else self.raa)
        return self.staff[(org.code, role)]

    def child(self, la=None, *, dob=date(2022, 3, 1), events=(), **values):
        la = la or self.la
        n = len(self.__dict__.setdefault("_children", [])) + 1
        child = child_services.create_child(
            actor=None, la=la, la_child_id=f"C{n:05d}", first_name=values.pop("first_name", f"Child{n}"),
            last_name=values.pop("last_name", "Testcase"), date_of_birth=dob, **values)
        self._children.append(child)
        for kind, day, *details in events:
            child_services.record_event(child=child, kind=kind, date=day, actor=None, check_role=False,
                                        details=details[0] if details else None)
        child.refresh_from_db()
        return child


def each_case(cases, check, *, client=None) -> None:
    """check(*case) for every case, each in its own savepoint rolled back after it, with an empty cache and (given
    the test client) nobody signed in: one world built once for a whole matrix of roles, each case seeing it as it
    was built, as if it were a test of its own. A failing case says which it was."""
    from django.core.cache import cache
    from django.db import transaction

    for case in cases:
        cache.clear()
        if client is not None:
            client.logout()
        try:
            with transaction.atomic():
                check(*case)
                transaction.set_rollback(True)
        except BaseException as failure:
            failure.add_note(f"In the case {case!r}.")
            raise


def stagger_ids(step: int = 1000) -> None:
    """Start each table's next id at a different place (table n at n * step), as a database that has been in use
    would: a test that passes one model's ids where another's are meant (which a fresh database, where every table
    counts from 1, lets pass) then finds nothing. Inside the test's transaction, so undone with it."""
    from django.apps import apps
    from django.db import connection

    tables = sorted(m._meta.db_table for m in apps.get_models() if m._meta.managed and m._meta.auto_field)
    with connection.cursor() as cursor:
        for n, table in enumerate(tables, start=1):
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, n * step])
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, n * step])


@pytest.fixture
def region(db):
    return Region()


PLACEMENT_ORDER_JOURNEY = [
    ("entered_care", date(2024, 1, 10)),
    ("identified", date(2024, 2, 1)),
    ("permanence_plan", date(2024, 5, 2)),
    ("should_be_placed", date(2024, 7, 3)),
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the sufficiency figures (per RAA and day) and the dashboard's
    family-finding figures (per scope and data version) are cached, and a test database reuses ids."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign in many synthetic users: a fast hasher keeps the suite quick (never used outside tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    """Background jobs run in the test's own process and transaction (the ImmediateBackend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def current_version(client, url: str) -> dict:
    """The hidden `version` an edit page carries now, as POST data to merge into a test's post."""
    context = client.get(url).context
    form = context.get("form") if context is not None else None  # none when the page refuses or redirects
    return {"version": form["version"].value()} if form is not None and "version" in form.fields else {}


def confirmed(client, url: str, data: dict, **kwargs):
    """Post a form guarded by core.forms.ConfirmWarnings as a user who reads the warning and confirms it: posted
    once; if the page asks for a confirmation, posted again with the box ticked."""
    import re

    response = client.post(url, data)
    match = re.search(r'name="confirmed" type="checkbox" value="(\w+)"', response.content.decode())
    if match is None:
        if kwargs.get("follow") and response.status_code in (301, 302, 303):
            return client.get(response["Location"], follow=True)
        return response
    return client.post(url, {**data, "confirmed": match.group(1)}, **kwargs)


def django_default_fragments() -> list[str]:
    """The fixed words of every message Django's fields, model fields, validators and auth forms write by default
    (up to their first placeholder): what must never reach a page."""
    import inspect
    import re

    from django.contrib.auth import forms as auth_forms
    from django.core import validators
    from django.db.models import fields as model_fields
    from django.forms import fields as form_fields
    from django.forms import models as form_models

    messages = []
    for mod in (form_fields, form_models, model_fields):
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            messages += [str(m) for m in getattr(cls, "default_error_messages", {}).values()]
    for _, cls in inspect.getmembers(validators, inspect.isclass):
        message = cls.__dict__.get("message")
        if message is not None and not isinstance(message, property):
            messages.append(str(message))
    for limit in (1, 40):
        messages += [str(validators.MaxLengthValidator(limit).message % {"limit_value": limit, "show_value": 0}),
                     str(validators.MinLengthValidator(limit).message % {"limit_value": limit, "show_value": 0})]
    messages += [str(m) for m in auth_forms.AuthenticationForm.error_messages.values()]
    fragments = set()
    for message in messages:
        fixed = re.split(r"%\(|%s|%d|\{|“", message)[0].strip()
        if len(fixed) >= 12:  # long enough to say only that message ("Enter a valid", "Ensure this value")
            fragments.add(fixed)
    return sorted(fragments)
