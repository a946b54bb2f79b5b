"""Schemathesis: cases generated from our own OpenAPI schema, run against the WSGI app. No 5xx, ever.

Runs as a user with data (the `region` fixture) and a token, so the generated requests reach real
records, the services and their refusals: a family finder for the children's operations, an RAA team
manager (who may register households, book panel items and see the measures) for the adopters' and the
measures' operations. Every operation in the schema is exercised, with data that
fits the schema and data that does not; bounded (max_examples per operation and mode, no deadline).

Schemathesis' own pytest plugin (`schema.parametrize()`) does not work with pytest 9, so each
operation's Hypothesis strategy is driven directly (operation.as_strategy); the checks are the same.
"""

from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from permanence.adopters import services as adopter_services
from permanence.api import services
from permanence.api.tests.conftest import TO_PANEL, TO_STAGE_2, make_household
from permanence.family_finding import services as ff_services
from permanence.family_finding.tests.conftest import approved_household
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY, examples
from permanence.wsgi import application

MAX_EXAMPLES = 25

# Every operation the schema describes (collected without a database: the schema is code).
OPERATIONS = sorted(f"{method.upper()} {path}" for path, item in
                    SchemaGenerator().get_schema(request=None, public=True)["paths"].items() for method in item)


# Operations run as the RAA team manager (adopters' records and aggregate figures); the rest as the family finder.
# The adoption support endpoints too: a team manager is one of the RAA's support team, so its requests reach the
# support services instead of stopping at the 404 a family finder gets.
ADOPTER_PREFIXES = ("/api/v1/households/", "/api/v1/panels/", "/api/v1/measures/", "/api/v1/support-",
                    "/api/v1/adopted-adult-requests/", "/api/v1/letterbox-exchanges/", "/api/v1/contact-plans/")


def _token(user) -> dict:
    _token, raw = services.issue_token(actor=None, user=user, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


_LOADED: dict = {}  # the schema as served, loaded by the first test that asks (as schemathesis' own module-level use)


@pytest.fixture
def api_schema(region):
    """The schema as served by the app, tokens for a family finder and a team manager of an RAA with children,
    households and panels, and the real ids to aim generated requests at."""
    own = region.child(region.la, first_name="Ownchild", events=[*PLACEMENT_ORDER_JOURNEY,
                                                                 ("placement_order", date(2024, 9, 4))])
    region.child(region.la_keeps, first_name="Sisterchild", events=PLACEMENT_ORDER_JOURNEY)
    region.child(region.other_la, first_name="Otherchild", events=PLACEMENT_ORDER_JOURNEY)
    household = make_household(region.raa, "Zephyr", events=TO_PANEL)
    stage_2 = make_household(region.raa, "Yarrow", events=TO_STAGE_2)
    make_household(region.other_raa, "Southern", events=TO_PANEL)
    panel = adopter_services.create_panel(actor=None, raa=region.raa, date=date(2025, 10, 1), capacity=2)
    adopter_services.create_panel(actor=None, raa=region.raa, date=date(2025, 11, 5))
    adopter_services.book_item(actor=None, panel=panel, household=household)
    manager = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    # Family finding: an approved household, a link with the child and a shortlist for it.
    approved = approved_household(region.raa, "Quayle")
    link = ff_services.open_link(actor=None, child=own, household=approved, on=date(2025, 7, 1), check_role=False)
    shortlist = ff_services.shortlist(child=own, actor=None, on=date(2025, 7, 1), spread=False, check_role=False)
    headers = {"children": _token(region.staff[("NR", Role.RAA_FAMILY_FINDER)]), "adopters": _token(manager)}
    real = {"child": own, "household": household, "stage_2": stage_2, "panel": panel,
            "worker": region.staff[("NR", Role.RAA_ASSESSING_SOCIAL_WORKER)], "link": link, "shortlist": shortlist}
    # The WSGI handler would close the test's connection (and so its transaction) around each request,
    # which Django's own test client avoids: do the same here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        if "schema" not in _LOADED:  # fetched once per process: the schema is the same for every test
            _LOADED["schema"] = schemathesis.openapi.from_wsgi("/api/v1/schema/", application,
                                                               headers=headers["children"])
        yield _LOADED["schema"], headers, real
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def real_path_for(label: str, real: dict) -> dict:
    """Real ids for the operation's path parameters: a visible child and its latest event, a household and its
    latest event, a panel, an LA, a link and its latest step, a shortlist."""
    child, household = real["child"], real["household"]
    if "{link_pk}" in label:
        event = real["link"].events.filter(superseded=False).order_by("-date", "-id").first()
        return {"link_pk": real["link"].pk, "id": event.pk}
    if "/links/" in label:
        return {"id": real["link"].pk}
    if "/shortlists/" in label:
        return {"id": real["shortlist"].pk}
    if "{household_pk}/family-finding" in label:
        return {"household_pk": household.pk}
    if "{household_pk}" in label:
        event = household.events.filter(superseded=False).order_by("-date", "-id").first()
        return {"household_pk": household.pk, "id": event.pk}
    if "/households/" in label:
        return {"id": household.pk}
    if "/panels/" in label:
        return {"id": real["panel"].pk}
    event = child.events.filter(superseded=False).order_by("-date").first()
    return {"child_pk": child.pk, "id": event.pk if "{child_pk}" in label else child.pk, "code": "901"}


def aim_body(body: dict, real: dict) -> None:
    """Point ids and codes in a generated body at real records the user may use."""
    hints = {"la": "901", "residence_la": "901", "assessing_social_worker": real["worker"].pk,
             "household": real["stage_2"].pk, "child": real["child"].pk}
    for key, value in hints.items():
        if key in body:
            body[key] = value
    body.pop("enquiry", None)


def aim_query(query: dict) -> None:
    """Point scope codes and periods in generated query strings at ones the team manager may ask for."""
    hints = {"la": "901", "raa": "NR", "quarter": "2025Q1", "year_ending": 2025, "start": "2025-01-01",
             "end": "2025-06-30"}
    query.update({k: v for k, v in hints.items() if k in query})


def test_the_schema_lists_every_endpoint():
    assert len(OPERATIONS) >= 10
    assert "GET /api/v1/children/" in OPERATIONS and "POST /api/v1/children/{child_pk}/events/" in OPERATIONS
    for label in ("POST /api/v1/households/", "POST /api/v1/households/{household_pk}/events/{id}/correct/",
                  "PUT /api/v1/households/{id}/target-panel-date/", "POST /api/v1/panels/{id}/book/",
                  "GET /api/v1/measures/scorecard/", "GET /api/v1/measures/adopters/"):
        assert label in OPERATIONS, label


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_errors(api_schema, label, mode):
    schema, tokens, records = api_schema
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    headers = tokens["adopters"] if label.split(" ", 1)[1].startswith(ADOPTER_PREFIXES) else tokens["children"]
    real_path = real_path_for(label, records)

    @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
    @settings(max_examples=examples(MAX_EXAMPLES), deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case, real):
        if real:
            # Half the time, aim at real records (a visible child or household, its latest event, a panel, an
            # LA), so the generated bodies and filters get past the 404 and into the services.
            if isinstance(case.path_parameters, dict):
                case.path_parameters.update({k: v for k, v in real_path.items() if k in case.path_parameters})
            if isinstance(case.body, dict):
                aim_body(case.body, records)
            if isinstance(case.query, dict):
                aim_query(case.query)
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
