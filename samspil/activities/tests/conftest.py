"""Fixtures for the activities tests: a fixed today, English messages."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from samspil.activities.tests.factories import TODAY


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Freeze the date that services, forms and views call "today" (timezone.localdate)."""
    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return original(value, timezone) if value is not None else TODAY

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
