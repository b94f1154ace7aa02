"""The figures, on hand-made engagements and meetings whose answers are worked out by hand."""

from __future__ import annotations

import datetime

import pytest

from samspil.conftest import make_household
from samspil.core.models import Branch
from samspil.engagements import reports
from samspil.engagements.charts import bar_chart, nice_top
from samspil.engagements.models import Engagement, Meeting
from samspil.engagements.reports import Period
from samspil.engagements.tests.factories import make_volunteer, row

D = datetime.date
DAYS = datetime.timedelta
FIRST_HALF_2026 = Period(D(2026, 1, 1), D(2026, 6, 30))


@pytest.fixture
def world(personas, branch, other_branch, other_org):
    coordinator, admin = personas["coordinator"], personas["org_admin"]
    rodovre = make_household(coordinator, branch)
    aarhus = make_household(admin, other_branch, last="Aarhusen")
    vera = make_volunteer(branch)
    anna = make_volunteer(other_branch, first="Anna")
    made = {
        # Family friends in Rødovre. Lengths in days: 139 (19 whole weeks), 140 (20), 251 (35),
        # 252 (36) and 9; the first four end in January and February 2026.
        "E1": row(rodovre, vera, started=D(2025, 9, 1), ended=D(2025, 9, 1) + DAYS(139)),
        "E2": row(rodovre, vera, started=D(2025, 10, 1), ended=D(2025, 10, 1) + DAYS(140)),
        "E3": row(rodovre, vera, started=D(2025, 6, 1), ended=D(2025, 6, 1) + DAYS(251)),
        "E4": row(rodovre, vera, started=D(2025, 5, 1), ended=D(2025, 5, 1) + DAYS(252)),
        "E5": row(rodovre, vera, started=D(2026, 3, 2)),
        "E6": row(rodovre, vera, started=D(2026, 6, 1), ended=D(2026, 6, 10)),
        # Withdrawn from the waiting list: no length.
        "E7": Engagement.objects.create(
            organisation_id=rodovre.organisation_id, branch_id=branch.pk, type="family_friend",
            household=rodovre, state="ended", referred_on=D(2026, 1, 20),
            ended_on=D(2026, 2, 10), end_reason="family_withdrew"),
        # Ended before the period: outside every figure.
        "E8": row(rodovre, vera, started=D(2025, 1, 6), ended=D(2025, 12, 15)),
        # Still waiting: no figure.
        "E9": row(rodovre, vera),
        # A job mentor in Rødovre, running since February.
        "M1": row(rodovre, vera, type="job_mentor", started=D(2026, 2, 2)),
        # A family friend in Aarhus: 16 weeks.
        "A1": row(aarhus, anna, started=D(2026, 1, 5), ended=D(2026, 4, 27)),
    }
    # Another organisation's engagement never counts.
    outsider_branch = Branch.objects.get(organisation=other_org)
    stranger = make_household(personas["outsider"], outsider_branch, last="Fremmed")
    row(stranger, make_volunteer(outsider_branch), started=D(2026, 1, 5), ended=D(2026, 2, 2))
    return made


def group(groups, type, branch_name):
    found = [g for g in groups if g.type == type
             and (g.branch.name if g.branch else None) == branch_name]
    assert len(found) == 1, [(g.type, g.branch) for g in groups]
    return found[0]


def by_month(g) -> list[tuple[int, int, int]]:
    return [(m.active, m.started, m.ended) for m in g.months]


def test_family_friends_in_rodovre(personas, world):
    groups = reports.duration_figures(user=personas["coordinator"], period=FIRST_HALF_2026)
    g = group(groups, "family_friend", "Rødovre")
    assert [m.month for m in g.months] == [D(2026, m, 1) for m in range(1, 7)]
    #                 (active, started, ended)  Jan       Feb       Mar       Apr       May
    assert by_month(g) == [(4, 0, 2), (2, 0, 2), (1, 1, 0), (1, 0, 0), (1, 0, 0),
                           (2, 1, 1)]  # June: E5 and E6, which started and ended in June
    assert g.lengths.counts == {"under_20": 2, "20_35": 2, "over_35": 1}
    assert g.lengths.total == 5
    # (139 + 140 + 251 + 252 + 9) / 7 / 5 = 22.6 weeks; the middle one is 140 days, 20 weeks.
    assert (g.lengths.mean_weeks, g.lengths.median_weeks) == (22.6, 20.0)
    assert [b["percent"] for b in g.lengths.bands] == [40, 40, 20]
    assert g.ended_before_start == 1


def test_each_type_and_branch_is_its_own_group(personas, world):
    coordinator = reports.duration_figures(user=personas["coordinator"],
                                           period=FIRST_HALF_2026)
    assert [(g.type, g.branch.name) for g in coordinator] == [
        ("family_friend", "Rødovre"), ("job_mentor", "Rødovre")]
    mentor = group(coordinator, "job_mentor", "Rødovre")
    assert by_month(mentor) == [(0, 0, 0), (1, 1, 0), (1, 0, 0), (1, 0, 0), (1, 0, 0),
                                (1, 0, 0)]
    assert (mentor.lengths.total, mentor.lengths.mean_weeks, mentor.lengths.median_weeks) == (
        0, None, None)
    assert [b["percent"] for b in mentor.lengths.bands] == [None, None, None]


def test_the_organisation_gets_every_branch_and_their_sum(personas, world):
    groups = reports.duration_figures(user=personas["org_admin"], period=FIRST_HALF_2026)
    assert [(g.type, g.branch.name if g.branch else "all") for g in groups] == [
        ("family_friend", "Aarhus"), ("family_friend", "Rødovre"), ("family_friend", "all"),
        ("job_mentor", "Rødovre")]
    aarhus = group(groups, "family_friend", "Aarhus")
    assert aarhus.lengths.counts == {"under_20": 1, "20_35": 0, "over_35": 0}
    assert aarhus.lengths.mean_weeks == 16.0
    both = group(groups, "family_friend", None)
    assert both.lengths.counts == {"under_20": 3, "20_35": 2, "over_35": 1}
    assert by_month(both)[0] == (5, 1, 2)  # January: Rødovre's 4 and Aarhus' start
    assert by_month(both)[3] == (2, 0, 1)  # April: E5 and A1, which ends on the 27th


def test_filters_narrow_the_figures(personas, world, other_branch):
    only_mentors = reports.duration_figures(user=personas["org_admin"],
                                            period=FIRST_HALF_2026, type="job_mentor")
    assert [(g.type, g.branch.name) for g in only_mentors] == [("job_mentor", "Rødovre")]
    only_aarhus = reports.duration_figures(user=personas["org_admin"], period=FIRST_HALF_2026,
                                           branch=other_branch)
    assert [(g.type, g.branch.name) for g in only_aarhus] == [("family_friend", "Aarhus")]


@pytest.mark.parametrize("role", ["outsider", "other_branch_coordinator", "caseworker",
                                  "evaluator"])
def test_nobody_else_sees_rodovres_figures(role, personas, world):
    groups = reports.duration_figures(user=personas[role], period=FIRST_HALF_2026)
    assert all(g.branch is None or g.branch.name != "Rødovre" for g in groups)


@pytest.mark.parametrize("days, band", [
    (0, "under_20"), (139, "under_20"), (140, "20_35"), (251, "20_35"), (252, "over_35"),
    (700, "over_35"),
])
def test_length_bands_count_whole_weeks(days, band):
    start = D(2026, 1, 1)
    assert reports.length_band(start, start + DAYS(days)) == band


# --- volunteer hours -------------------------------------------------------------------------

def meeting(engagement, date, minutes, by):
    return Meeting.objects.create(engagement=engagement, date=date, minutes=minutes,
                                  kind="home_visit", logged_by=by)


@pytest.fixture
def meetings(personas, world, other_org):
    frida, karen = personas["volunteer"], personas["coordinator"]
    e5, m1, a1 = world["E5"], world["M1"], world["A1"]
    meeting(e5, D(2026, 3, 3), 90, frida)
    meeting(m1, D(2026, 3, 20), 30, frida)
    meeting(m1, D(2026, 4, 1), 45, frida)
    meeting(e5, D(2026, 4, 28), 50, karen)
    meeting(e5, D(2025, 12, 30), 600, frida)  # before the period
    meeting(a1, D(2026, 3, 9), 60, personas["org_admin"])
    outsider = Engagement.objects.get(organisation=other_org)
    meeting(outsider, D(2026, 3, 9), 300, personas["outsider"])


def test_hours_per_month_and_branch(personas, meetings):
    [rodovre] = reports.volunteer_hours(user=personas["coordinator"], period=FIRST_HALF_2026)
    assert rodovre.branch.name == "Rødovre"
    assert [(m.month.month, m.minutes, m.hours, m.meetings, m.volunteers)
            for m in rodovre.months] == [
        (1, 0, 0.0, 0, 0), (2, 0, 0.0, 0, 0),
        (3, 120, 2.0, 2, 1),  # 90 + 30 minutes by Frida
        (4, 95, 1.6, 2, 2),  # 45 by Frida, 50 by Karen: 1.58 hours
        (5, 0, 0.0, 0, 0), (6, 0, 0.0, 0, 0)]
    assert (rodovre.minutes, rodovre.hours, rodovre.meetings) == (215, 3.6, 4)


def test_the_organisation_sees_every_branchs_hours(personas, meetings, other_branch):
    branches = reports.volunteer_hours(user=personas["org_admin"], period=FIRST_HALF_2026)
    assert [(b.branch.name, b.minutes) for b in branches] == [("Aarhus", 60), ("Rødovre", 215)]
    only = reports.volunteer_hours(user=personas["org_admin"], period=FIRST_HALF_2026,
                                   branch=other_branch)
    assert [(b.branch.name, b.hours) for b in only] == [("Aarhus", 1.0)]
    december = reports.volunteer_hours(user=personas["org_admin"],
                                       period=Period(D(2025, 12, 1), D(2025, 12, 1)))
    assert [(b.branch.name, b.hours) for b in december] == [("Rødovre", 10.0)]
    assert reports.volunteer_hours(user=personas["other_branch_coordinator"],
                                   period=FIRST_HALF_2026)[0].branch.name == "Aarhus"


# --- periods and charts ----------------------------------------------------------------------

def test_periods_are_whole_months():
    period = Period(D(2025, 11, 17), D(2026, 2, 3))
    assert period.months == [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]
    assert period.end == D(2026, 2, 28)
    assert Period.last_twelve_months(D(2026, 6, 15)).first == D(2025, 7, 1)
    with pytest.raises(ValueError):
        Period(D(2026, 2, 1), D(2026, 1, 1))


@pytest.mark.parametrize("largest, top, step", [
    (0, 4, 1), (3, 4, 1), (5, 8, 2), (9, 10, 2.5), (30, 40, 10), (100, 100, 25),
    (2.5, 4, 1),
])
def test_the_axis_ends_on_a_round_number(largest, top, step):
    assert nice_top(largest) == (top, step)


def test_bars_are_as_tall_as_their_values():
    chart = bar_chart(chart_id="c", title="T", description="D",
                      categories=[("Jan",), ("Feb",)],
                      series=[("Started", [2, 8]), ("Ended", [0, 4])])
    heights = [bar.height for bar in chart.bars]
    plot = chart.baseline - 30
    assert heights == [plot * 2 / 8, 0, plot, plot * 4 / 8]
    assert [t.label for t in chart.ticks] == ["0", "2", "4", "6", "8"]
    assert [item.label for item in chart.legend] == ["Started", "Ended"]
    assert chart.bars[1].title == "Ended, Jan: 0"
