"""No input gives a 500: every form page is posted generated values (huge numbers, negative numbers, long strings, NUL
bytes, unicode, blanks, dates like 0/0/99999 and its own choices), signed in as someone allowed to use it, and no
response is a 5xx.

How the form pages are found, generically: the demo data (a small Adoption West) is loaded; each of a handful of
its staff, signed in, crawls the pages from the home page and every page without parameters, following the links
on them; a page whose context holds a Django form is a form page, and the first user to reach it drives it. Every
URL whose view reads request.POST or builds a form must be driven or listed in NOT_DRIVEN with why: a new form
page that is neither fails the test. Only pages unsafe to crawl are listed: the demo (make demo's size) with
_records_in_every_state has a record for every other form page, and the crawl also starts from those records
(state_paths), since which record a list shows first differs between SQLite and PostgreSQL.
Each page gets the SWEEP (every field at once set to each of a few values that broke pages before) and a few
generated posts; a page reached only as a form's action, or a download linked from a form page, is driven with
that page's fields.

The API's write endpoints (every operation in the schema, data that fits it and data that does not, as users with
records) are driven by permanence/api/tests/test_schemathesis.py.
"""

from __future__ import annotations

import html
import inspect
import io
import re
from collections import deque
from urllib.parse import urlencode

import pytest
from django import forms
from django.core.management import call_command
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from permanence.organisations.models import Staff
from permanence.testing import django_default_fragments, examples

TODAY = "2026-06-30"
MAX_EXAMPLES = 3  # generated posts per form page, beside the SWEEP: CI time matters (about 100 pages)

# Who crawls, in order: the first to reach a form page drives it.
CRAWLERS = ["admin.aw", "tm.aw", "tm.assessment.aw", "hos.aw", "ff.amara", "asw.gwen", "support.kit", "panel.aw",
            "adm.aw", "data.aw", "tm.bristol", "sw.bristol", "board.aw"]

# Form views the crawl must not or cannot drive generically, with why. Each is tested elsewhere.
UNSAFE_TO_CRAWL = {
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
NOT_DRIVEN = UNSAFE_TO_CRAWL  # every other form page is reached: the demo, with _records_in_every_state, has a record for each

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
    """The Django forms in a response's template context (response.context: a ContextList, or None)."""
    found: list[forms.BaseForm] = []
    for key in (context.keys() if context is not None else ()):
        value = context[key]
        for v in (value if isinstance(value, list | tuple) else [value]):
            if isinstance(v, forms.BaseForm) and not any(v is f for f in found):
                found.append(v)
    return found


HREF = re.compile(r'(?:href|action)="(/[^"#?]*)')
POST_ACTION = re.compile(r'<form[^>]*method="post"[^>]*action="(/[^"#?]*)"|<form[^>]*action="(/[^"#?]*)"[^>]*method="post"',
                         re.IGNORECASE)


def _name_of(path: str) -> str | None:
    try:
        m = resolve(path)
    except Resolver404:
        return None
    return f"{m.namespace}:{m.url_name}" if m.namespace else m.url_name


def state_paths() -> list[str]:
    """Concrete paths of form pages that need a record in a given state – a plan still open, a panel item waiting
    for its papers or its decision, a sibling group. The crawl opens only a few records of each kind through the
    lists, so it would miss them: it starts from these too (up to two records per page, from the demo's data)."""
    from django.db.models import Q

    from permanence.adopters.models import PanelItem
    from permanence.blueprint.models import BlueprintReview
    from permanence.children.models import Child, SiblingGroup
    from permanence.contact.models import BirthRelativeOffer, ContactPlan
    from permanence.family_finding.models import LinkEvent
    from permanence.interchange.models import ImportConflict
    from permanence.support_fund.models import FundApplication, PlanService, SupportPlan

    def first(rows, name, args):
        return [reverse(name, args=args(row)) for row in rows.order_by("pk")[:2]]

    awaiting = PanelItem.objects.filter(withdrawn=False, kind="approval")
    open_plans = SupportPlan.objects.filter(end_date__isnull=True)
    paths = [
        *first(SiblingGroup.objects.all(), "children:sibling-group", lambda g: [g.pk]),
        *first(Child.objects.filter(events__kind="adoption_order", contact_plan__isnull=True).distinct(),
               "contact:create-plan", lambda c: [c.pk]),
        *first(awaiting.filter(papers_received_on__isnull=True), "adopters:item-papers", lambda i: [i.panel_id, i.pk]),
        *first(awaiting.filter(recommendation=""), "adopters:item-member-view", lambda i: [i.panel_id, i.pk]),
        *first(awaiting.filter(recommendation=""), "adopters:item-recommendation",
               lambda i: [i.panel_id, i.pk]),
        *first(awaiting.filter(~Q(recommendation=""), decision=""), "adopters:item-decision",
               lambda i: [i.panel_id, i.pk]),
        *first(PanelItem.objects.filter(kind="match", withdrawn=False, decision=""), "adopters:match-decision",
               lambda i: [i.pk]),
        *first(ImportConflict.objects.filter(status="open"), "interchange:conflict", lambda c: [c.pk]),
        *first(ContactPlan.objects.all(), "contact:add-arrangement", lambda p: [p.child_id]),
        *first(ContactPlan.objects.all(), "contact:record-review", lambda p: [p.child_id]),
        *first(BirthRelativeOffer.objects.filter(response="accepted"), "contact:offer-session", lambda o: [o.pk]),
        *first(BirthRelativeOffer.objects.all(), "contact:offer-response", lambda o: [o.pk]),
        *first(LinkEvent.objects.filter(superseded=False), "family_finding:correct-event",
               lambda e: [e.link_id, e.pk]),
        *first(BlueprintReview.objects.filter(status="draft"), "blueprint:review-edit", lambda r: [r.pk]),
        *first(open_plans, "support_fund:plan-edit", lambda p: [p.case_id, p.pk]),
        *first(open_plans, "support_fund:plan-close", lambda p: [p.case_id, p.pk]),
        *first(open_plans, "support_fund:service-add", lambda p: [p.case_id, p.pk]),
        *first(PlanService.objects.filter(plan__end_date__isnull=True), "support_fund:service-edit",
               lambda s: [s.plan.case_id, s.plan_id, s.pk]),
        *first(FundApplication.objects.filter(submitted_on__isnull=True, withdrawn_on__isnull=True),
               "support_fund:application-edit", lambda a: [a.pk]),
    ]
    return paths


def crawl(client, users, start=()) -> dict[str, tuple[Staff, str, list[forms.BaseForm], bool]]:
    """{URL name: (user, path, its forms, posts?)} for every form page a user reaches. Each user visits each URL
    name at most once, and only the names nobody has yet reached (a page of links counts as reached). `start`:
    more paths to begin from (state_paths)."""
    found: dict[str, tuple] = {}
    reached: set[str] = set()  # names a user got a 200 on
    path_of: dict[str, str] = {}  # name -> the first concrete path seen for it
    for name, _ in _names():
        if not name.startswith("api:"):
            try:
                path_of[name] = reverse(name)
            except NoReverseMatch:  # a URL with parameters: reached through links
                continue
    for user in users:
        client.force_login(user)
        tried: dict[str, int] = {}  # name -> paths of it tried (up to 3 until one is a 200)
        queue = deque(["/", *start, *(p for n, p in path_of.items() if n not in reached)])
        seen: set[str] = set()
        while queue:
            path = queue.popleft()
            name = _name_of(path)
            if (name is None or tried.get(name, 0) >= 3 or name in reached or name in UNSAFE_TO_CRAWL
                    or name.startswith("api:") or path.endswith(SKIP_SUFFIXES) or path in seen):
                continue
            tried[name] = tried.get(name, 0) + 1
            seen.add(path)
            response = client.get(path)
            assert response.status_code < 500, (user.username, path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            reached.add(name)
            html = response.content.decode()
            page_forms = _forms_in(response.context)
            if page_forms:
                found[name] = (user, path, page_forms, 'method="post"' in html.lower())
                # A form posting to another page (an action with no page of its own: allocate, close, run the
                # shortlist), and a download of this page's filter: driven with this page's forms.
                targets = [a or b for a, b in POST_ACTION.findall(html)]
                targets += [h for h in HREF.findall(html) if h.endswith(SKIP_SUFFIXES)]
                for target_path in targets:
                    target = _name_of(target_path)
                    if target and target not in found and target != name and target not in UNSAFE_TO_CRAWL:
                        found[target] = (user, target_path, page_forms, not target_path.endswith(SKIP_SUFFIXES))
            for href in HREF.findall(html):
                target = _name_of(href)
                if target is not None and target not in reached:
                    path_of.setdefault(target, href)
                    queue.append(href)
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


# Posted to every page as well as the generated values: every field at once gets each of these (a date's year box a
# real year beside a huge day and month, so the date itself is built).
SWEEP = ["99999999999999999999", "-1", "1e999", "a\x00b", "x" * 10_001]


def _keys(page_forms) -> list[str]:
    return [key for form in page_forms for name, field in form.fields.items()
            for key in _field_names(form, name, field)]


def _send(client, path, data, posts):
    return client.post(path, data) if posts else client.get(f"{path}?{urlencode(data)}")


DJANGO_DEFAULTS = django_default_fragments()


def sweep(client, name, path, page_forms, posts) -> None:
    """The SWEEP, and every field left empty: no 5xx, and no message of Django's own ("This field is required.",
    "Enter a valid date.", "Ensure this value has at most…") on the page (issue 14: each says what to do)."""
    keys = _keys(page_forms)
    for value in ["", *SWEEP]:
        data = {k: ("2025" if k.endswith("_year") and value.isdecimal() else value) for k in keys}
        response = _send(client, path, data, posts)
        assert response.status_code < 500, (name, path, value[:30])
        body = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
        default = next((d for d in DJANGO_DEFAULTS if d in html.unescape(body)), None)
        assert default is None, (name, path, value[:30], default)


def _driver(client, name, path, page_forms, posts):
    @given(data=post_strategy(page_forms))
    @hypothesis_settings(max_examples=examples(MAX_EXAMPLES), deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    def drive(data):
        response = _send(client, path, data, posts)
        assert response.status_code < 500, (name, path, data)

    return drive


@pytest.fixture
def demo_world(db):
    call_command("demo", children=400, households=60, today=TODAY, stdout=io.StringIO())
    _records_in_every_state()
    return [Staff.objects.get(username=u) for u in CRAWLERS]


def _records_in_every_state():
    """What the demo has none of: a draft fund application (on an open plan's case), a draft Blueprint review (the
    demo's reviews are final), a match booked on a panel, an adopted child without a contact plan and a 903 import
    conflict. Each is made through the services where they allow it, as people would."""
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from permanence.adopters import services as adopters
    from permanence.adopters.models import Household
    from permanence.blueprint.models import BlueprintReview
    from permanence.children import services as children
    from permanence.children.models import Child
    from permanence.interchange.models import ImportBatch, ImportConflict
    from permanence.organisations.models import Organisation
    from permanence.support_fund import services as fund
    from permanence.support_fund.models import SupportPlan

    raa = Organisation.objects.get(code="AW")
    panel = adopters.create_panel(actor=None, raa=raa, date=children.today() + timedelta(days=30))
    households = Household.objects.filter(raa=raa, stage="approved").order_by("pk")[:5]
    candidates = Child.objects.filter(la__raa=raa, stage__in=["placement_order", "linked"]).order_by("pk")[:5]
    booked = False
    for household in households:
        for child in candidates:
            try:
                adopters.book_match_item(actor=None, panel=panel, household=household, children=[child])
            except ValidationError:
                continue
            booked = True
            break
        if booked:
            break
    placed = Child.objects.filter(la__raa=raa, stage="placed").order_by("pk").first()
    children.record_event(child=placed, kind="adoption_order", date=children.today(), actor=None,
                          check_role=False)
    child = Child.objects.filter(la__raa=raa).order_by("pk").first()
    batch = ImportBatch.objects.create(la=child.la, created_at=timezone.now(), status=ImportBatch.Status.APPLIED)
    ImportConflict.objects.create(  # as the importer writes one (interchange.services)
        batch=batch, child=child, key="field:ethnicity", label="Ethnicity", ours={"value": child.ethnicity},
        theirs={"value": "WIRI" if child.ethnicity != "WIRI" else "WBRI"}, source="Header table",
        message="The return's Header table differs from the child's record.")

    plan = SupportPlan.objects.filter(end_date__isnull=True).order_by("pk").first()
    if plan is not None:
        fund.create_application(actor=None, case=plan.case, kind="therapy", amount_requested="1500",
                                description="Therapeutic parenting sessions", check_role=False)
    BlueprintReview.objects.filter(pk__in=BlueprintReview.objects.order_by("-pk").values("pk")[:1]).update(
        status="draft", finalised_at=None)


def test_form_pages_give_no_server_errors(client, demo_world):
    client.raise_request_exception = True  # a view's exception fails the test with its traceback
    found = crawl(client, demo_world, state_paths())
    missing = form_view_names() - set(found) - set(NOT_DRIVEN)
    assert not missing, f"Form views neither driven nor listed in NOT_DRIVEN: {sorted(missing)}"
    failures = []
    for name, (user, path, page_forms, posts) in sorted(found.items()):
        client.force_login(user)
        try:
            sweep(client, name, path, page_forms, posts)
            _driver(client, name, path, page_forms, posts)()
        except Exception as exc:  # noqa: BLE001 (every page is driven; the failures are listed together)
            failures.append(f"{name} {path}: {type(exc).__name__}: {str(exc)[:300]}")
    assert not failures, "\n".join(failures)


def test_the_form_view_list_is_not_empty_and_names_real_urls():
    names = {n for n, _ in _names()}
    assert set(NOT_DRIVEN) <= names, set(NOT_DRIVEN) - names
    assert len(form_view_names()) > 50
