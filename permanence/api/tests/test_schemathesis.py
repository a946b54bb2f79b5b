"""Schemathesis: cases generated from our own OpenAPI schema, run against the WSGI app. No 5xx, ever.

Runs as a user with data (the `region` fixture) and a token, so the generated requests reach real
records, the services and their refusals. Every operation in the schema is exercised, with data that
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

from permanence.api import services
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY
from permanence.wsgi import application

MAX_EXAMPLES = 25

# Every operation the schema describes (collected without a database: the schema is code).
OPERATIONS = sorted(f"{method.upper()} {path}" for path, item in
                    SchemaGenerator().get_schema(request=None, public=True)["paths"].items() for method in item)


@pytest.fixture
def api_schema(region):
    """The schema as served by the app, and the token of a family finder whose RAA has children."""
    own = region.child(region.la, first_name="Ownchild", events=[*PLACEMENT_ORDER_JOURNEY,
                                                                 ("placement_order", date(2024, 9, 4))])
    region.child(region.la_keeps, first_name="Sisterchild", events=PLACEMENT_ORDER_JOURNEY)
    region.child(region.other_la, first_name="Otherchild", events=PLACEMENT_ORDER_JOURNEY)
    user = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    _token, raw = services.issue_token(actor=None, user=user, name="schemathesis")
    headers = {"Authorization": f"Bearer {raw}"}
    # The WSGI handler would close the test's connection (and so its transaction) around each request,
    # which Django's own test client avoids: do the same here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, headers=headers)
        yield schema, headers, own
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_schema_lists_every_endpoint():
    assert len(OPERATIONS) >= 10
    assert "GET /api/v1/children/" in OPERATIONS and "POST /api/v1/children/{child_pk}/events/" in OPERATIONS


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_errors(api_schema, label, mode):
    schema, headers, own = api_schema
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label

    event = own.events.filter(superseded=False).order_by("-date").first()
    real_path = {"child_pk": own.pk, "id": event.pk if "{child_pk}" in label else own.pk, "code": "901"}

    @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case, real):
        if real:
            # Half the time, aim at real records (a visible child, its latest event, its LA), so the
            # generated bodies and filters get past the 404 and into the services.
            if isinstance(case.path_parameters, dict):
                case.path_parameters.update({k: v for k, v in real_path.items() if k in case.path_parameters})
            if isinstance(case.body, dict) and "la" in case.body:
                case.body["la"] = "901"
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
