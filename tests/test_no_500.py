"""No input gives a 500: every form page is posted generated values (huge numbers, negative numbers, long strings, NUL
bytes, unicode, blanks, dates like 0/0/99999 and its own choices), signed in as someone allowed to use it, and no
response is a 5xx.

How the form pages are found, generically: the demo data (a small Adoption West) is loaded; each of a handful of
its staff, signed in, crawls the pages from the home page and every page without parameters, following the links
on them; a page whose context holds a Django form is a form page, and the first user to reach it drives it. Every
URL whose view reads request.POST or builds a form must be driven or listed in NOT_DRIVEN with why: a new form
page that is neither fails test_every_form_view_is_driven_or_listed.

The API's write endpoints are driven the same way by permanence/api/tests/test_schemathesis.py (every operation in
the schema, data that fits it and data that does not); test_every_api_write_is_driven checks it lists them all.
"""

from __future__ import annotations

import inspect
import io
import re
from collections import deque
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from permanence.organisations.models import Staff

TODAY = "2026-06-30"
MAX_EXAMPLES = 4  # per form page: CI time matters (about 100 pages)
MAX_PAGES_PER_USER = 400

# Who crawls, in order: the first to reach a form page drives it.
CRAWLERS = ["admin.aw", "tm.aw", "tm.assessment.aw", "hos.aw", "ff.amara", "asw.gwen", "support.kit", "panel.aw",
            "adm.aw", "data.aw", "tm.bristol", "sw.bristol", "board.aw"]

# Form views the crawl cannot reach generically, with why. Each is tested elsewhere.
NOT_DRIVEN = {
    "sign-in": "public page before sign-in: the sign-in tests post bad credentials (axes locks out repeat tries)",
    "sign-out": "a POST that signs the crawler out",
    "password-change": "changes the crawler's own password; tested in core/tests (account pages)",
    "password-reset": "public page; tested in core/tests (account pages)",
    "password-reset-confirm": "needs an emailed token; tested in core/tests (account pages)",
    "two-factor-setup": "changes the crawler's own sign-in; tested in core/tests (two-factor)",
    "two-factor-verify": "only during sign-in with a second factor; tested in core/tests (two-factor)",
    "two-factor-recovery-codes": "only just after setting up a second factor; tested in core/tests (two-factor)",
    "organisations:reset-two-factor": "a POST button on the structure page (no form fields)",
    "interchange:upload": "a file upload: the importers' own property tests post bad files",
}

# Pages the crawl does not follow: downloads and pages that change something on a GET.
SKIP_SUFFIXES = (".csv", ".xlsx", ".pdf", ".zip", "/download/", "/progress/")

UNICODE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
NASTY = st.sampled_from(["", " ", "0", "-1", "-99999999999999999999", "99999999999999999999", "1e999", "NaN",
                         "\x00", "a\x00b", "%00", "0/0/99999", "99999-01-01", "31/12/9999", "01/01/0001",
                         "'; DROP TABLE x;--", "<script>", "£1,000,000,000,000.00", "1" * 300, "x" * 10_001])


def _names(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _names(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p.callback


def form_view_names() -> set[str]:
    """URL names (outside the API) whose view reads a POST or builds a form: the ones that must be driven."""
    names = set()
    for name, callback in _names():
        if name.startswith("api:") or getattr(callback, "cls", None) is not None:
            continue
        view = inspect.unwrap(callback)
        view = getattr(view, "view_class", view)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "request.POST" in source or re.search(r"Form\(|\bform\b", source):
            names.add(name)
    return names


def _forms_in(context) -> list[forms.BaseForm]:
    found = []
    if context is None:
        return found
    for layer in context:
        for value in (layer.values() if isinstance(layer, dict) else []):
            if isinstance(value, forms.BaseForm) and value not in found:
                found.append(value)
            elif isinstance(value, list | tuple) and value and isinstance(value[0], forms.BaseForm):
                found.extend(v for v in value if isinstance(v, forms.BaseForm) and v not in found)
    return found


HREF = re.compile(r'(?:href|action)="(/[^"#]*)"')


def crawl(client, users) -> dict[str, tuple[Staff, str, list[forms.BaseForm], bool]]:
    """{URL name: (user, path, its forms, posts?)} for every form page a user reaches."""
    found: dict[str, tuple] = {}
    starts = []
    for name, _ in _names():
        if not name.startswith("api:"):
            try:
                from django.urls import reverse

                starts.append(reverse(name))
            except Exception:  # noqa: BLE001, S112 (a URL with parameters: reached through links)
                continue
    for user in users:
        client.force_login(user)
        seen: set[str] = set()
        queue = deque(["/", *starts])
        pages = 0
        while queue and pages < MAX_PAGES_PER_USER:
            path = queue.popleft()
            if path in seen or path.endswith(SKIP_SUFFIXES) or path.startswith(("/api/", "/static/", "/sign-out")):
                continue
            seen.add(path)
            try:
                match = resolve(urlsplit(path).path)
            except Resolver404:
                continue
            name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
            response = client.get(path)
            pages += 1
            assert response.status_code < 500, (user.username, path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page_forms = _forms_in(response.context)
            if page_forms and name not in found and name not in NOT_DRIVEN:
                html = response.content.decode()
                found[name] = (user, urlsplit(path).path, page_forms, 'method="post"' in html.lower())
            for href in HREF.findall(response.content.decode()):
                href = href.replace("&amp;", "&")
                target = urlsplit(href).path
                try:
                    m = resolve(target)
                except Resolver404:
                    continue
                n = f"{m.namespace}:{m.url_name}" if m.namespace else m.url_name
                # One page of each name is enough once it has been seen by someone with a form on it.
                if n in found or target in seen:
                    continue
                queue.append(target)
    return found


def _values_for(field: forms.Field) -> st.SearchStrategy:
    real = []
    for choice in getattr(field, "choices", None) or []:
        value = choice[0]
        if isinstance(value, str | int) and value != "":
            real.append(str(value))
        if len(real) > 20:
            break
    options = [NASTY, UNICODE, st.integers().map(str)]
    if real:
        options.append(st.sampled_from(real))
    return st.one_of(*options)


def _field_names(form: forms.BaseForm, name: str, field: forms.Field) -> list[str]:
    key = form.add_prefix(name)
    widget = field.widget
    if isinstance(widget, forms.MultiWidget):
        return [f"{key}{suffix}" for suffix in widget.widgets_names]
    return [key]


def post_strategy(page_forms: list[forms.BaseForm]) -> st.SearchStrategy:
    fields = {}
    for form in page_forms:
        for name, field in form.fields.items():
            for key in _field_names(form, name, field):
                fields[key] = _values_for(field)
    return st.fixed_dictionaries({}, optional=fields)


@pytest.fixture
def demo_world(db):
    call_command("demo", children=40, households=10, today=TODAY, stdout=io.StringIO())
    return [Staff.objects.get(username=u) for u in CRAWLERS]


def test_form_pages_give_no_server_errors(client, demo_world):
    client.raise_request_exception = True  # a view's exception fails the test with its traceback
    found = crawl(client, demo_world)
    driven = set(found)
    missing = form_view_names() - driven - set(NOT_DRIVEN)
    assert not missing, f"Form views neither driven nor listed in NOT_DRIVEN: {sorted(missing)}"
    for name, (user, path, page_forms, posts) in sorted(found.items()):
        client.force_login(user)

        @given(data=post_strategy(page_forms))
        @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def drive(data, name=name, path=path, posts=posts):
            if posts:
                response = client.post(path, data)
            else:
                response = client.get(f"{path}?{urlencode(data)}")
            assert response.status_code < 500, (name, path, data)

        drive()


def test_the_form_view_list_is_not_empty_and_names_real_urls():
    names = {n for n, _ in _names()}
    assert set(NOT_DRIVEN) <= names, set(NOT_DRIVEN) - names
    assert len(form_view_names()) > 50
