"""Optimistic concurrency on edit pages (issue 16 item 2): a save from a page opened before someone else's
change is refused, shows both versions, keeps theirs, and goes through when submitted again."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import pytest
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from permanence.children.models import Child
from permanence.core import concurrency
from permanence.core.forms import DateField
from permanence.organisations.models import Role

pytestmark = pytest.mark.django_db

# Views that take a record in the URL and accept a POST but only append to it (an event, a note, a decision
# the service refuses to record twice) or move it through a guarded step: no version needed.
EXEMPT = {
    "password-change": "a person's own password, which only they change; Django checks the old password",
}
# Edit pages: the view saves inside `with form.saving():`.
VERSIONED = {
    "children:edit", "adopters:household-edit", "adopters:target-panel-date", "adopters:capacity",
    "blueprint:review-edit", "disruptions:review-edit", "organisations:la-policy",
    "disruptions:recommendation-edit", "family_finding:edit-matching-profile", "family_finding:set-weights",
    "support_fund:application-edit", "support_fund:provider-edit", "support_fund:commission-edit",
    "support_fund:plan-edit", "support_fund:service-edit", "contact:settings", "support:settings",
    "performance:targets",
}
EDIT_NAME = re.compile(r"(^|[-:])(edit|change|update)($|-)|settings|policy|capacity|target")


def _patterns(resolver=None, ns=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}", p


def _source(callback) -> str:
    return inspect.getsource(inspect.unwrap(callback))


def test_every_edit_page_checks_the_version():
    """A URL named like an edit page, or whose view gives a form an existing `instance=`/`versioned=`, saves
    inside form.saving(); a new edit page without it fails here."""
    found = set()
    for name, p in _patterns():
        if name.startswith("api:") or name.startswith("admin:"):
            continue
        try:
            src = _source(p.callback)
        except (OSError, TypeError):
            continue
        edits = bool(EDIT_NAME.search(name.split(":")[-1])) or bool(re.search(r"Form\([^)]*instance=\w", src))
        if not edits:
            continue
        found.add(name)
        if name in VERSIONED:
            assert "form.saving()" in src, f"{name} saves without checking the version"
            for template in re.findall(r'"([\w/]+\.html)"', src):
                text = next(Path(__file__).resolve().parents[2].glob(f"*/templates/{template}")).read_text()
                if "<form" in text and "csrf_token" in text:
                    assert "form.version" in text, f"{template} ({name}) does not carry the version"
    unversioned = found - VERSIONED - set(EXEMPT)
    assert unversioned <= KNOWN_NOT_YET, f"edit pages without a version check: {sorted(unversioned - KNOWN_NOT_YET)}"


# Edit pages found above that are not versioned yet (each a known gap, listed in the report; shrink, never grow).
KNOWN_NOT_YET: set[str] = set()


def post_data(form) -> dict:
    """What the page's form would post unchanged (its initial values), in the widgets' names."""
    data = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        key = form.add_prefix(name)
        if isinstance(field, DateField):
            d = value if isinstance(value, dt.date) else None
            data |= {f"{key}_day": d.day if d else "", f"{key}_month": d.month if d else "",
                     f"{key}_year": d.year if d else ""}
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, Model):
            data[key] = value.pk
        elif isinstance(value, list | tuple):
            data[key] = [getattr(v, "pk", v) for v in value]
        else:
            data[key] = "" if value is None else value
    return data


def test_token_changes_with_a_field_and_not_with_derived_columns(region):
    child = region.child()
    before = concurrency.version_token(child)
    assert len(before) == 20 and before == concurrency.version_token(Child.objects.get(pk=child.pk))
    Child.objects.filter(pk=child.pk).update(next_due_label="Something else")  # derived from events
    assert concurrency.version_token(Child.objects.get(pk=child.pk)) == before
    Child.objects.filter(pk=child.pk).update(health_needs="Asthma")
    assert concurrency.version_token(Child.objects.get(pk=child.pk)) != before


def test_stale_child_edit_is_refused_shows_both_versions_and_resubmits(client, region):
    child = region.child(first_name="Ada")
    first, second = region.user(Role.LA_SOCIAL_WORKER), region.user(Role.LA_TEAM_MANAGER)
    url = reverse("children:edit", args=[child.pk])
    client.force_login(first)
    page_one = post_data(client.get(url).context["form"])
    client.force_login(second)
    page_two = post_data(client.get(url).context["form"])
    assert page_one["version"] == page_two["version"] != ""

    client.force_login(first)
    assert client.post(url, page_one | {"health_needs": "Asthma"}).status_code == 302
    client.force_login(second)
    resp = client.post(url, page_two | {"disabilities": "Hearing loss"})
    assert resp.status_code == 200
    text = resp.content.decode()
    assert concurrency.CONFLICT_MESSAGE.split(".")[0] in text
    assert "Their version" in text and "Your version" in text and "Asthma" in text
    child.refresh_from_db()
    assert (child.health_needs, child.disabilities) == ("Asthma", "")  # the first change kept, nothing applied
    form = resp.context["form"]
    assert form["disabilities"].value() == "Hearing loss"  # what they typed is still there
    assert form["version"].value() == concurrency.version_token(child, ("needs",))

    again = post_data(form) | {"disabilities": "Hearing loss", "version": form["version"].value()}
    again["health_needs"] = "Asthma"
    assert client.post(url, again).status_code == 302
    child.refresh_from_db()
    assert (child.health_needs, child.disabilities) == ("Asthma", "Hearing loss")


def test_missing_version_is_refused(client, region):
    child = region.child(first_name="Ada")
    client.force_login(region.user(Role.LA_SOCIAL_WORKER))
    url = reverse("children:edit", args=[child.pk])
    data = post_data(client.get(url).context["form"])
    del data["version"]
    resp = client.post(url, data | {"health_needs": "Asthma"})
    assert resp.status_code == 200 and concurrency.MISSING_MESSAGE in resp.content.decode()
    child.refresh_from_db()
    assert child.health_needs == ""


def test_stale_policy_save_is_refused(client, region):
    admin = region.user(Role.SYSTEM_ADMINISTRATOR, region.raa)
    url = reverse("organisations:la-policy", args=[region.la.code])
    client.force_login(admin)
    stale = post_data(client.get(url).context["form"])
    from permanence.organisations import services as org_services

    org_services.set_policy(actor=None, la=region.la, effective_from=dt.date(2021, 1, 1), case_holding="la_keeps")
    count = region.la.policies.count()
    resp = client.post(url, stale)
    assert resp.status_code == 200 and "Someone else changed this record" in resp.content.decode()
    assert region.la.policies.count() == count


def _two_pages(client, url, first, second):
    """What each of two people's copies of the page would post, both opened before either saves."""
    client.force_login(first)
    page_one = post_data(client.get(url).context["form"])
    client.force_login(second)
    page_two = post_data(client.get(url).context["form"])
    assert page_one["version"] == page_two["version"] != ""
    return page_one, page_two


def _refused_showing_both(resp, theirs: str, yours: str) -> None:
    assert resp.status_code == 200
    text = resp.content.decode()
    assert concurrency.CONFLICT_MESSAGE.split(".")[0] in text
    table = text.split('id="version-conflict"')[1].split("</table>")[0]
    assert "Their version" in table and "Your version" in table and theirs in table and yours in table


def test_stale_household_edit_is_refused_and_keeps_the_first_change(client, region):
    from permanence.adopters.models import Household
    from permanence.adopters.tests.conftest import make_household

    household = make_household(region.raa, "Hart")
    url = reverse("adopters:household-edit", args=[household.pk])
    page_one, page_two = _two_pages(client, url, region.user(Role.RAA_ASSESSING_SOCIAL_WORKER),
                                    region.user(Role.RAA_TEAM_MANAGER))
    client.force_login(region.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    assert client.post(url, page_one | {"address": "1 High Street, Leeds"}).status_code == 302
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    resp = client.post(url, page_two | {"address": "2 Low Lane, Bradford"})
    _refused_showing_both(resp, "1 High Street, Leeds", "2 Low Lane, Bradford")
    assert Household.objects.get(pk=household.pk).address == "1 High Street, Leeds"


def test_stale_fund_application_edit_is_refused_and_keeps_the_first_change(client, region):
    from decimal import Decimal

    from permanence.support_fund.models import FundApplication
    from permanence.support_fund.tests.helpers import application, make_case

    draft = application(make_case(region.raa), amount=500)
    url = reverse("support_fund:application-edit", args=[draft.pk])
    worker, manager = region.user(Role.RAA_SUPPORT_WORKER), region.user(Role.RAA_TEAM_MANAGER)
    page_one, page_two = _two_pages(client, url, worker, manager)
    client.force_login(worker)
    assert client.post(url, page_one | {"amount_requested": "650"}).status_code == 302
    client.force_login(manager)
    resp = client.post(url, page_two | {"amount_requested": "800", "description": "Therapy and travel"})
    _refused_showing_both(resp, "650", "800")
    assert "Therapy and travel" in resp.content.decode()
    draft = FundApplication.objects.get(pk=draft.pk)
    assert (draft.amount_requested, draft.description) == (Decimal("650"), "Therapy")


# Pages whose first save creates the record they edit (an RAA's settings, a household's capacity): two people open
# the page before there is one; the second save finds the first one's record and is refused, showing it.
FIRST_SAVES = [
    ("contact:settings", (Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE),
     {"first_review_months": "7", "later_review_months": "14", "source": "Practice standard, May"},
     {"first_review_months": "9", "later_review_months": "20", "source": "Practice standard, June"},
     ("7", "9")),
    ("support:settings", (Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE),
     {"placing_la_years": "4"}, {"placing_la_years": "6"}, ("4", "6")),
]


@pytest.mark.parametrize(("name", "roles", "first", "second", "shown"), FIRST_SAVES, ids=[c[0] for c in FIRST_SAVES])
def test_a_first_save_made_meanwhile_is_not_overwritten(client, region, name, roles, first, second, shown):
    url = reverse(name)
    one, two = (region.user(r, region.raa) for r in roles)
    page_one, page_two = _two_pages(client, url, one, two)
    assert page_one["version"] == concurrency.NEW
    client.force_login(one)
    assert client.post(url, page_one | first).status_code == 302
    client.force_login(two)
    resp = client.post(url, page_two | second)
    _refused_showing_both(resp, *shown)
    page = client.get(url).context["form"]
    assert {k: str(page[k].value()) for k in first if k != "source"} == {k: v for k, v in first.items()
                                                                         if k != "source"}
    assert page["version"].value() not in ("", concurrency.NEW)


def test_a_capacity_profile_saved_meanwhile_is_not_overwritten(client, region):
    from permanence.adopters.models import CapacityProfile
    from permanence.adopters.tests.conftest import make_household

    household = make_household(region.raa, "Hart")
    CapacityProfile.objects.filter(household=household).delete()  # none recorded yet
    url = reverse("adopters:capacity", args=[household.pk])
    one, two = region.user(Role.RAA_ASSESSING_SOCIAL_WORKER), region.user(Role.RAA_TEAM_MANAGER)
    page_one, page_two = _two_pages(client, url, one, two)
    assert page_one["version"] == concurrency.NEW and not CapacityProfile.objects.filter(household=household)
    client.force_login(one)
    resp = client.post(url, page_one | {"max_distance_miles": "25"})
    assert resp.status_code == 302, resp.context["form"].errors
    client.force_login(two)
    resp = client.post(url, page_two | {"max_distance_miles": "40"})
    _refused_showing_both(resp, "25", "40")
    assert CapacityProfile.objects.get(household=household).max_distance_miles == 25


def test_a_page_opened_when_the_record_existed_is_refused_if_it_has_gone(client, region):
    client.force_login(region.user(Role.RAA_TEAM_MANAGER, region.raa))
    url = reverse("support:settings")
    resp = client.post(url, {"placing_la_years": "4", "version": "0123456789abcdef0123"})
    assert resp.status_code == 200 and concurrency.MISSING_MESSAGE in resp.content.decode()
