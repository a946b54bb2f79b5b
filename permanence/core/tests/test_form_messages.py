"""Every form's messages say what to do (issue 14, item 7): no Django default message ("This field is required.",
"Enter a valid date.", "Select a valid choice…", "Ensure this value has at most…") can reach a page, a field
labelled "(optional)" is not required, and each required field's message names the field.

The forms are found by walking the project: every module of the `permanence` package is imported and every
Django form class defined in it is checked. The crawl in tests/test_no_500.py checks the pages as well.
"""

from __future__ import annotations

import copy
import html
import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.forms.utils import pretty_name

import permanence
from permanence.core.forms import DateField, GovukErrors
from permanence.organisations.models import Staff
from permanence.testing import django_default_fragments

SKIP_MODULES = (".migrations", ".tests", "permanence.testing", "permanence.settings", "permanence.wsgi",
                "permanence.__main__")


def _modules():
    for info in pkgutil.walk_packages(permanence.__path__, "permanence."):
        if any(part in info.name for part in SKIP_MODULES):
            continue
        yield importlib.import_module(info.name)


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module in _modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


DEFAULTS = django_default_fragments()  # permanence.testing
FORM_CLASSES = project_form_classes()


def test_the_walk_finds_the_forms_and_the_django_defaults():
    names = {c.__name__ for c in FORM_CLASSES}
    assert {"ChildForm", "EventForm", "SignInForm", "BookingForm", "UploadForm"} <= names
    assert len(FORM_CLASSES) > 80
    assert "This field is required." in DEFAULTS and "Select a valid choice. That choice is not one of the available " \
        "choices." in DEFAULTS and any(d.startswith("Ensure this value has at most") for d in DEFAULTS)


@pytest.mark.parametrize("cls", FORM_CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_form_writes_its_own_messages(cls):
    assert issubclass(cls, GovukErrors), f"{cls.__name__} does not use permanence.core.forms.Form / GovukErrors"


def _lone_form(name: str, field: forms.Field) -> forms.BaseForm:
    """A form of the one field, as the project's forms clean it."""
    form_class = type("Lone", (GovukErrors, forms.Form), {name: field})
    return form_class


def _instances(cls):
    """The form as it is built (fields added in __init__ too) when it can be built from data alone, else only its
    declared fields."""
    try:
        return cls(data={}).fields
    except Exception:  # noqa: BLE001 (a form that needs more than data: its declared fields are checked)
        return cls.base_fields


def _fields():
    for cls in FORM_CLASSES:
        for name, field in _instances(cls).items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            yield cls, name, field


FIELDS = list(_fields())


def test_the_walk_finds_the_fields():
    assert len(FIELDS) > 300


def _param_id(value) -> str:
    """A test id that is the same in every xdist worker: a form's dotted name, a field's name, its class's name
    (never an object's repr, which holds its address)."""
    if isinstance(value, type):
        return f"{value.__module__}.{value.__name__}"
    return value if isinstance(value, str) else type(value).__name__


@pytest.mark.parametrize(("cls", "name", "field"), FIELDS, ids=_param_id)
def test_a_field_labelled_optional_is_not_required(cls, name, field):
    label = str(field.label or "")
    if "optional" in label.lower():
        assert not field.required, f"{cls.__name__}.{name} is labelled {label!r} but required"


def _specific(message: str, label: str, field: forms.Field) -> bool:
    """The message names the field (a word of its label), or is the one its form wrote for it."""
    words = set(re.findall(r"[a-z0-9]{3,}", label.lower())) - {"the", "and", "for", "optional"}
    return bool(words & set(re.findall(r"[a-z0-9]{3,}", message.lower()))) or "‘" in message \
        or message in {str(m) for m in field.error_messages.values() if isinstance(m, str)}


@pytest.mark.django_db
@pytest.mark.parametrize(("cls", "name", "field"), FIELDS, ids=_param_id)
def test_a_field_left_empty_or_too_long_says_what_to_do(cls, name, field):
    field = copy.deepcopy(field)
    if isinstance(field, forms.ModelChoiceField) and field.queryset is None:  # set by the form's __init__
        field.queryset = Staff.objects.none()
    form_class = _lone_form(name, field)
    keys = ([f"{name}_{s}" for s in field.widget.widgets_names] if isinstance(field.widget, forms.MultiWidget)
            else [name])
    label = str(field.label or pretty_name(name))
    for value in ("", "x" * 10_001, "99999999999999999999", "-1", "a\x00b"):
        form = form_class(data=dict.fromkeys(keys, value))
        form.is_valid()
        for message in form.errors.get(name, []):
            assert not any(d in message for d in DEFAULTS), (cls.__name__, name, value[:20], message)
            if value == "" and field.required:
                assert _specific(message, label, field), (cls.__name__, name, label, message)


@pytest.mark.parametrize(("label", "field", "data", "expected"), [
    ("First name", forms.CharField(), {}, "Enter first name"),
    ("LA child ID", forms.CharField(max_length=40), {"f": "x" * 41}, "LA child ID must be 40 characters or fewer"),
    ("Sex", forms.ChoiceField(choices=[("M", "Male")], widget=forms.RadioSelect), {}, "Select sex"),
    ("Sex", forms.ChoiceField(choices=[("M", "Male")]), {"f": "Q"}, "Select one of the options shown for sex"),
    ("Number of children", forms.IntegerField(max_value=9), {"f": "x"}, "Number of children must be a whole number"),
    ("Number of children", forms.IntegerField(max_value=9), {"f": "10"}, "Number of children must be 9 or less"),
    ("SSDA903 files", forms.FileField(), {}, "Choose SSDA903 files"),
    ("Date of birth", DateField(kind="birth"), {}, "Enter date of birth"),
    ("Due by", DateField(error_messages={"required": "Enter the date the action is due by"}), {},
     "Enter the date the action is due by"),
    ("Date of birth", DateField(kind="birth"), {"f_day": "1", "f_year": "2020"}, "Date of birth must include a month"),
    ("Date of birth", DateField(kind="birth"), {"f_day": "1", "f_month": "1", "f_year": "2999"},
     "Date of birth must be today or in the past"),
    ("Date of birth", DateField(kind="birth"), {"f_day": "31", "f_month": "2", "f_year": "2020"},
     "Date of birth must be a real date"),
    ("Why did it end?", forms.ChoiceField(choices=[("a", "A")]), {}, "Select an answer to ‘Why did it end?’"),
    ("Confirm", forms.CharField(error_messages={"required": "Enter the child's first name"}), {},
     "Enter the child's first name"),  # a field's own message is kept
])
def test_the_messages(label, field, data, expected):
    field.label = label
    form = _lone_form("f", field)(data=data)
    assert not form.is_valid()
    assert form.errors["f"] == [expected]


# ---------------------------------------------------------------------------------------------
# The pages the new user reported


def _summary(body: str) -> list[str]:
    part = body.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", item).strip()) for item in re.findall(r"<li>(.*?)</li>", part, re.S)]


def test_sign_in_says_what_to_enter_and_that_the_details_are_wrong(client, region):
    from django.urls import reverse

    body = client.post(reverse("sign-in"), {"username": "", "password": ""}).content.decode()
    assert _summary(body) == ["Enter your username", "Enter your password"]
    body = client.post(reverse("sign-in"), {"username": "nobody", "password": "wrong-password"}).content.decode()
    summary = _summary(body)
    assert len(summary) == 1 and summary[0].startswith("Enter a correct username and password"), summary
    assert not any(d in body for d in DEFAULTS)


def test_add_a_child_left_empty_lists_each_problem_once_by_name(client, region):
    from django.urls import reverse

    from permanence.organisations.models import Role

    client.force_login(region.user(Role.LA_SOCIAL_WORKER))
    body = client.post(reverse("children:create"), {"la": region.la.pk}).content.decode()
    summary = _summary(body)
    assert "Enter the child's first name" in summary and "Enter the child's last name" in summary
    assert "Enter the child's ID in the LA's case system" in summary
    assert len(summary) == len(set(summary)), summary  # no line twice
    assert not any(d in body for d in DEFAULTS)
    body = client.post(reverse("children:create"), {
        "la": region.la.pk, "first_name": "Ada", "last_name": "Test", "la_child_id": "x" * 41, "sex": "F",
        "date_of_birth_day": "3", "date_of_birth_year": "2022"}).content.decode()
    summary = _summary(body)
    assert "The LA child ID must be 40 characters or fewer" in summary
    assert "Date of birth must include a month" in summary


def test_an_event_page_says_its_rule_once_and_names_the_date(client, region):
    from django.urls import reverse

    from permanence.children import rules
    from permanence.organisations.models import Role

    child = region.child()
    client.force_login(region.user(Role.LA_SOCIAL_WORKER))
    url = reverse("children:record-event", args=[child.pk, "entered_care"])
    rule = rules.JOURNEY.transitions[rules.JOURNEY.kinds("entered_care")].hint
    body = client.get(url).content.decode()
    assert body.count(rule) == 1
    hints = re.findall(r'class="govuk-hint">(.*?)</div>', body, re.S)
    assert rule not in hints
    body = client.post(url, {"date_day": "", "date_month": "", "date_year": ""}).content.decode()
    assert _summary(body) == ["Enter the date of ‘Entered care’"]
    assert body.count(rule) == 1
