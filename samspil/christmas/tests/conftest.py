"""Fixtures for the Christmas-aid tests: a fixed now inside the round's window, English."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from samspil.christmas.tests.factories import NOW, make_round


@pytest.fixture(autouse=True)
def now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return original(value, timezone) if value is not None else NOW.date()

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return NOW


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def round(org, branch, other_branch):
    return make_round(org)
