"""Fixtures for the engagements tests: a fixed today, English messages, volunteers."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from samspil.engagements.tests.factories import TODAY, make_volunteer


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
    """Messages compared in English (pages get their language from the request)."""
    with translation.override("en"):
        yield


@pytest.fixture
def volunteer(personas, branch):
    """Frida's volunteer profile: the volunteer persona's own families."""
    return make_volunteer(branch, user=personas["volunteer"], first="Frida")


@pytest.fixture
def other_volunteer(branch):
    return make_volunteer(branch, first="Otto")
