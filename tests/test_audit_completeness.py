"""Audit completeness (issue 15): every page and API endpoint that shows personal data writes to the view log
(RecordView: a record opened, or a list or search shown) or the export log (ExportLog) when it is read.

The test walks every URL pattern of the apps that hold people's records (children, adopters and panels, family
finding, adoption support and the fund, adopted adults, contact, the 903 returns of a child, the API), fills its
arguments with real records of the demo region, asks it (GET) as the first of a few Adoption West users that may
open it, and fails when a page answered 200 and wrote no log row. A new URL in these apps must either log, be
listed in EXEMPT with why, or the test fails (a new argument name it cannot fill fails too).
"""

from __future__ import annotations

import os
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from permanence.adopted_adults.models import AdultRequest
from permanence.adopters.models import Enquiry, Household, Panel, PanelItem
from permanence.children.models import Child
from permanence.contact.models import BirthRelativeOffer, ContactPlan, LetterboxExchange
from permanence.core.models import ExportLog, RecordView
from permanence.family_finding.models import Link, Shortlist
from permanence.organisations.models import Staff
from permanence.support.models import SupportCase
from permanence.support_fund.models import FundApplication, SupportPlan
from permanence.testing import stagger_ids

PERSONAL_NAMESPACES = {"children", "adopters", "family_finding", "support", "support_fund", "adopted_adults",
                       "contact", "api"}
PERSONAL_NAMES = {"caseload", "interchange:child-returns"}

EMPTY_FORM = "an empty form for a new record: nobody's data is shown (the save is in the change log)"
SETTINGS = "the service's settings: no person's data"
AGGREGATE = "counts only, never a person"
EXEMPT = {
    "children:create": EMPTY_FORM, "children:sibling-group-create": EMPTY_FORM,
    "adopters:enquiry-create": EMPTY_FORM, "adopters:household-register": EMPTY_FORM,
    "adopters:panel-create": EMPTY_FORM, "support:new-referral": EMPTY_FORM, "adopted_adults:create": EMPTY_FORM,
    "support_fund:provider-add": EMPTY_FORM,
    "support:settings": SETTINGS, "contact:settings": SETTINGS, "family_finding:weights": SETTINGS,
    "family_finding:set-weights": SETTINGS, "family_finding:fees": SETTINGS, "support_fund:limits": SETTINGS,
    "family_finding:sufficiency": AGGREGATE,
    "api:me": "the caller's own account", "api:schema": "the API's description", "api:docs": "the API's description",
    "api:organisation-list": "organisations, not people", "api:organisation-detail": "organisations, not people",
    "api:family-finding-sufficiency": AGGREGATE, "api:family-finding-inter-agency": AGGREGATE,
    "api:measures-adopters": AGGREGATE, "api:measures-members": AGGREGATE, "api:measures-prospective": AGGREGATE,
    "api:measures-quarterly": AGGREGATE, "api:measures-scorecard": AGGREGATE,
    "support_fund:providers": "commissioned organisations, not people",
    "support_fund:provider": "a commissioned organisation, not a person",
    "support_fund:provider-edit": "a commissioned organisation, not a person",
    "support_fund:commission-add": "a commissioned organisation, not a person",
    "support_fund:commission-edit": "a commissioned organisation, not a person",
}

# Who asks: Adoption West's people, broadest first; the first that gets a 200 is the one checked.
USERNAMES = ["tm.aw", "hos.aw", "panel.aw", "adm.aw", "support.kit", "ff.amara", "asw.gwen", "data.aw"]


def _patterns(resolver, ns=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}", p


def personal_urls() -> list[tuple[str, URLPattern]]:
    out = []
    for name, pattern in _patterns(get_resolver()):
        ns = name.split(":")[0] if ":" in name else ""
        if (ns in PERSONAL_NAMESPACES or name in PERSONAL_NAMES) and name not in EXEMPT:
            out.append((name, pattern))
    return out


def _first(qs, n=10):
    return list(qs.order_by("pk")[:n])


def record_for(name: str, kwarg: str):
    """Candidate records for one URL argument (a few, so one the asker may open is among them)."""
    app, _, page = name.partition(":")
    if kwarg in ("kind", "step"):
        return None
    if app == "api":
        base = page.rsplit("-", 1)[0]
        models = {"child": Child, "child-event": Child, "child-family-finding": Child, "household": Household,
                  "household-event": Household, "household-family-finding": Household, "panel": Panel,
                  "link": Link, "link-event": Link, "shortlist": Shortlist, "support-case": SupportCase,
                  "support-case-event": SupportCase, "support-fund-application": FundApplication,
                  "adopted-adult-request": AdultRequest, "adopted-adult-request-event": AdultRequest,
                  "letterbox-exchange": LetterboxExchange, "contact-plan": ContactPlan}
        for prefix in sorted(models, key=len, reverse=True):
            if base.startswith(prefix):
                return _first(models[prefix].objects)
        return None
    by_page = {
        "adopters:enquiry": Enquiry, "adopters:panel": Panel, "adopters:item": Panel, "adopters:match-decision": Panel,
        "adopters:": Household, "family_finding:link": Link, "family_finding:record-event": Link,
        "family_finding:correct-event": Link, "family_finding:shortlist": Shortlist,
        "family_finding:open-link": Shortlist, "family_finding:household": Household, "family_finding:": Child,
        "support_fund:application": FundApplication, "support_fund:application-add": SupportCase,
        "support_fund:": SupportCase, "support:": SupportCase,
        "adopted_adults:": AdultRequest, "contact:exchange": LetterboxExchange, "contact:offer": BirthRelativeOffer,
        "contact:": Child, "children:sibling-group": None, "children:": Child, "interchange:": Child,
    }
    if name in ("adopters:enquiry-outcome", "adopters:enquiry-register"):
        return _first(Enquiry.objects.filter(household__isnull=True))
    if name in ("contact:add-arrangement", "contact:record-review"):
        return _first(Child.objects.filter(pk__in=ContactPlan.objects.values("child_id")))
    for prefix in sorted(by_page, key=len, reverse=True):
        if name.startswith(prefix):
            model = by_page[prefix]
            return _first(model.objects) if model else None
    return None


def kwargs_for(name: str, pattern: URLPattern) -> list[dict] | None:
    """Argument sets to try for the URL, from real records; None when an argument cannot be filled."""
    names = list(pattern.pattern.regex.groupindex)
    if not names:
        return [{}]
    if name.startswith("api:") and "pk" in names and len(names) == 2:  # /<record>s/{x_pk}/events/{pk}/
        parent = next(k for k in names if k != "pk")
        records = record_for(name, parent) or []
        out = [{parent: r.pk, "pk": e.pk} for r in records if (e := r.events.order_by("pk").first()) is not None]
        return out or None
    main = [k for k in names if k not in ("event_pk", "item_pk", "plan_pk", "entry_pk", "service_pk",
                                          "commission_pk", "kind", "step", "rec_pk")]
    if len(main) != 1:
        return None
    candidates = record_for(name, main[0])
    if not candidates:
        return None
    out = []
    for record in candidates:
        kw = {main[0]: record.pk}
        if "event_pk" in names or (name.startswith("api:") and name.endswith("event-detail")):
            event = record.events.order_by("pk").first()
            if event is None:
                continue
            kw["event_pk" if "event_pk" in names else "pk"] = event.pk
        if "item_pk" in names:
            item = PanelItem.objects.filter(panel=record).order_by("pk").first()
            if item is None:
                continue
            kw["item_pk"] = item.pk
        if "plan_pk" in names:
            plan = SupportPlan.objects.filter(case=record).order_by("pk").first()
            if plan is None:
                continue
            kw["plan_pk"] = plan.pk
        if "entry_pk" in names:
            entry = record.entries.order_by("pk").first()
            if entry is None:
                continue
            kw["entry_pk"] = entry.pk
        if "kind" in names:
            kw["kind"] = "visit" if name.startswith("children:") else record_kind(record)
        if "step" in names:
            kw["step"] = "received"
        if "service_pk" in names or "commission_pk" in names or "rec_pk" in names:
            return None
        out.append(kw)
    return out or None


def record_kind(record) -> str:
    event = record.events.order_by("-pk").first()
    return event.kind if event is not None else "note"


def match_decision_kwargs() -> list[dict]:
    items = PanelItem.objects.filter(kind="match").order_by("decision", "-pk")[:10]
    return [{"item_pk": i.pk} for i in items]


@pytest.mark.django_db
def test_every_page_and_endpoint_that_shows_personal_data_writes_a_log_row(client):
    stagger_ids()  # each table's ids start elsewhere: a URL given another model's record is then not found
    call_command("demo", "--children", "40", "--households", "12", stdout=open(os.devnull, "w"))  # noqa: SIM115
    staff = {s.username: s for s in Staff.objects.filter(username__in=USERNAMES)}
    users = [staff[u] for u in USERNAMES if u in staff]
    silent, unreachable, unfillable = [], [], []
    statuses: dict[str, list[str]] = {}  # what each unreachable URL answered, for the failure message
    checked = 0
    for name, pattern in personal_urls():
        sets = match_decision_kwargs() if name == "adopters:match-decision" else kwargs_for(name, pattern)
        if sets is None:
            unfillable.append(name)
            continue
        answered = False
        for kwargs in sets:
            url = reverse(name, kwargs=kwargs)
            for user in users:
                client.force_login(user)
                views, exports = RecordView.objects.count(), ExportLog.objects.count()
                response = client.get(url)
                statuses.setdefault(name, []).append(f"{url} as {user.username}: {response.status_code}"
                                                     f"{' to ' + response['Location'] if response.has_header('Location') else ''}")
                if response.status_code == 405:  # a POST-only action: a write, in the change log
                    answered = True
                    break
                if response.status_code != 200:
                    continue
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                answered = True
                checked += 1
                if RecordView.objects.count() == views and ExportLog.objects.count() == exports:
                    silent.append(f"{name} {url} as {user.username}")
                break
            if answered:
                break
        if not answered:
            unreachable.append(name)
    assert checked >= 60
    assert not silent, "Pages that show personal data without logging it:\n" + "\n".join(silent)
    new_unreachable = sorted(set(unreachable) - set(KNOWN_UNREACHABLE))
    answers = "\n".join(f"{n}: {'; '.join(statuses.get(n, [])[:12])}" for n in new_unreachable)
    assert (new_unreachable, sorted(set(unfillable) - set(KNOWN_UNFILLABLE))) == ([], []), (
        f"URLs not checked (give them records or list them below with why): {unreachable} {unfillable}\n{answers}")


# URLs the demo region cannot reach with a 200 for any of USERNAMES (the record the page needs is not in the demo),
# and URLs whose arguments this test cannot fill yet: each needs a fixture before it is checked here.
KNOWN_UNREACHABLE = {
    "adopters:match-decision": "the demo books no match its ADM may decide yet; the view logs (audit.viewed) as "
                               "adopters:item-detail does",
    "support_fund:application-pay": "the demo has no approved application to pay; the step is the same view as "
                                    "application-submit and -decide (_application_step), which are checked",
}
# Not yet checked: the small demo loaded here (40 children, 12 households) has none of these records among the
# ones the test picks. Each needs a fixture (issue 15 follow-up); until then the list may only shrink.
NO_DEMO_RECORD = "no such record in the small demo yet: needs a fixture"
KNOWN_UNFILLABLE = {
    "support_fund:service-edit": "a plan's service: the same view as support_fund:service-add, which is checked",
    **dict.fromkeys(["children:sibling-group", "adopters:item-detail", "adopters:item-papers",
                     "adopters:item-member-view", "adopters:item-recommendation", "adopters:item-decision",
                     "family_finding:shortlist", "family_finding:open-link", "api:shortlist-detail",
                     "api:letterbox-exchange-detail", "api:contact-plan-detail", "contact:add-arrangement",
                     "contact:record-review", "contact:exchange", "contact:exchange-step"], NO_DEMO_RECORD),
}


def test_the_exempt_list_names_real_urls_with_reasons():
    names = {name for name, _p in _patterns(get_resolver())}
    assert set(EXEMPT) <= names
    assert all(re.search(r"\w", why) for why in EXEMPT.values())
