"""Stored figures (models.FigureSnapshot): they equal the live computation, the dashboard
reads them, and a change of the data marks them stale and refreshes them in the background."""

from __future__ import annotations

import datetime
import json
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samspil.conftest import client_for
from samspil.engagements.tests.factories import make_volunteer, row
from samspil.outcomes import figures, services
from samspil.outcomes.models import FigureSnapshot
from samspil.outcomes.tests import factories
from samspil.outcomes.tests.factories import ON

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def data(personas, branch, other_branch, org):
    households, engagements = factories.world(personas["coordinator"], branch, other_branch)
    return factories.programme(org), households, engagements


def shown(board: figures.Dashboard) -> dict:
    """Everything a dashboard prints (display values), not the chart objects."""
    def rows(breakdown):
        return [(r.label, *(c.display if c is not None else None for c in
                            (r.value, r.eligible, r.responded, r.share, r.response_rate)))
                for r in breakdown]

    def displays(value):
        if isinstance(value, dict):
            return {k: displays(v) for k, v in value.items()}
        if isinstance(value, list):
            return [displays(v) for v in value]
        return getattr(value, "display", value)

    return {
        "on": board.on, "months": board.months,
        "kpis": [(f.kpi, f.shown, f.progress, f.trend, rows(f.by_branch),
                  rows(f.by_municipality)) for f in board.kpis],
        "benefit": displays(board.benefit), "lengths": displays(board.lengths),
        "who5": displays(board.who5),
    }


@pytest.mark.parametrize("policy", [figures.Policy.exact_figures(), figures.Policy.suppressed()])
def test_the_stored_figures_equal_the_live_computation(data, policy):
    programme, _h, _e = data
    snapshot = services.figures_refresh(programme=programme, on=ON)
    snapshot.refresh_from_db()
    # Stored as JSON and read back: exactly the live raw figures.
    assert snapshot.data == json.loads(json.dumps(figures.raw_figures(programme, ON)))
    assert snapshot.on == ON and not snapshot.stale
    live = figures.dashboard(programme=programme, on=ON, policy=policy)
    stored = figures.current_dashboard(programme=programme, on=ON, policy=policy)
    assert shown(stored) == shown(live)
    assert stored.computed_at == snapshot.computed_at and not stored.stale
    # The hand-computed figures of test_kpis come out of the stored ones too.
    reach = next(f for f in stored.kpis if f.kpi == "reach")
    assert reach.value.value == 10


def test_the_first_view_computes_them_and_later_views_only_read_them(data):
    programme, _h, _e = data
    assert not FigureSnapshot.objects.exists()
    figures.current_dashboard(programme=programme, on=ON, policy=figures.Policy.exact_figures())
    snapshot = FigureSnapshot.objects.get(programme=programme)
    with mock.patch("samspil.outcomes.figures.raw_figures") as computed:
        figures.current_dashboard(programme=programme, on=ON,
                                  policy=figures.Policy.exact_figures())
    computed.assert_not_called()
    assert FigureSnapshot.objects.get().computed_at == snapshot.computed_at


def test_a_change_of_the_programme_period_is_not_shown_with_old_figures(data):
    programme, _h, _e = data
    services.figures_refresh(programme=programme, on=ON)
    programme.starts_on = datetime.date(2025, 4, 1)  # 1ff, 7jm and 8jm no longer count
    programme.save()
    board = figures.current_dashboard(programme=programme, on=ON,
                                      policy=figures.Policy.exact_figures())
    assert shown(board) == shown(figures.dashboard(programme=programme, on=ON,
                                                   policy=figures.Policy.exact_figures()))


def test_a_change_marks_them_stale_and_queues_one_refresh(data, branch,
                                                          django_capture_on_commit_callbacks):
    programme, households, _e = data
    services.figures_refresh(programme=programme, on=ON)
    volunteer = make_volunteer(branch, first="Nina")
    with django_capture_on_commit_callbacks(execute=True):
        row(households[4], volunteer, started=datetime.date(2026, 5, 1))
        row(households[7], volunteer, started=datetime.date(2026, 5, 2))
    snapshot = FigureSnapshot.objects.get()
    assert snapshot.stale and snapshot.refresh_queued
    queued = DBTaskResult.objects.filter(task_path="samspil.outcomes.tasks.refresh_figures")
    assert queued.count() == 1  # two changes, one refresh
    board = figures.current_dashboard(programme=programme, on=ON,
                                      policy=figures.Policy.exact_figures())
    assert board.stale  # shown as they are, with the note, until the refresh has run
    assert queued.count() == 1


@override_settings(TASKS=IMMEDIATE)
def test_the_background_refresh_brings_them_up_to_date(data, branch,
                                                       django_capture_on_commit_callbacks):
    programme, households, _e = data
    today = timezone.localdate()
    services.figures_refresh(programme=programme)
    before = FigureSnapshot.objects.get().data["counts"]["family_friend_families"]["value"]
    volunteer = make_volunteer(branch, first="Nina")
    with django_capture_on_commit_callbacks(execute=True):
        row(households[4], volunteer, started=today - datetime.timedelta(days=3))
    snapshot = FigureSnapshot.objects.get()
    assert not snapshot.stale and not snapshot.refresh_queued
    assert snapshot.data["counts"]["family_friend_families"]["value"] == before + 1
    assert snapshot.data == json.loads(json.dumps(figures.raw_figures(programme, today)))


def test_the_dashboard_says_when_and_the_refresh_button_queues_a_refresh(personas, data):
    programme, _h, _e = data
    client = client_for(personas["org_admin"])
    with mock.patch("samspil.outcomes.views.timezone.localdate", return_value=ON):
        body = client.get(reverse("outcomes:dashboard")).content.decode()
    assert "Figures as of" in body and "Refresh the figures" in body
    response = client.post(reverse("outcomes:figures_refresh", args=[programme.pk]))
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(
        task_path="samspil.outcomes.tasks.refresh_figures").count() == 1
    assert FigureSnapshot.objects.get().refresh_queued
