from datetime import date

import pytest

from permanence.disruptions import services

TODAY = date(2024, 6, 10)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)
    return TODAY
