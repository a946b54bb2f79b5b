import pytest
from rest_framework.test import APIClient

from permanence.api import services


def token_client(user) -> APIClient:
    _token, raw = services.issue_token(actor=None, user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def api_as():
    return token_client
