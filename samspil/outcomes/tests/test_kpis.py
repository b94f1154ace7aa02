"""Every KPI on hand-made data with answers worked out by hand (factories.world):

| household | members | engagements (start – end) | counts for the programme 2024–2028? |
|---|---|---|---|
| H1 | 1 parent, 2 children | family friend 2025-03-01; job mentor 2025-06-01 | yes (both) |
| H2 | 1 + 1 (Aarhus) | job mentor 2026-01-10 | yes |
| H3 | 1 + 0 | family friend 2023-06-01 | no: before the period |
| H4 | 1 + 2 | family friend, only referred | no: not started |
| H5 | 1 + 1 | workplace mentor 2025-05-01 | no: not a counting type |
| H6 | 1 + 1 | family friend 2026-07-01 | no: after 2026-06-15 |
| H7 | 1 + 0 | job mentor 2025-02-01 | yes |
| H8 | 1 + 0 | job mentor 2025-03-01 – 2025-09-01 | yes |
| H9 | 1 + 2 | family friend 2024-02-01 – 2025-01-15 | yes |

On 2026-06-15: reach 5 parents + 5 children = 10 (H1 3, H2 2, H7 1, H8 1, H9 3);
family-friend families 2 (H1, H9); mentored parents 4 (H1, H2, H7, H8).
Work attachment: eligible (start + 12 months passed) H1 (2026-06-01), H7 (2026-02-01),
H8 (2026-03-01) = 3; answered H1 (unemployed), H8 (employed) = 2; attached 1 → 50 %, response
rate 2/3 = 66.7 %. School better: H9's children eligible from 2026-02-01, both answered, one
better → 50 %; H1's children not yet eligible (2027-03-01).
"""

from __future__ import annotations

import datetime

import pytest

from samspil.outcomes import kpis
from samspil.outcomes.tests import factories
from samspil.outcomes.tests.factories import ON

d = datetime.date


@pytest.fixture
def data(personas, branch, other_branch, org):
    h, e = factories.world(personas["coordinator"], branch, other_branch)
    return factories.programme(org), h, e, branch, other_branch


def test_reach_counts_each_person_of_a_counting_household_once(data):
    programme, *_ = data
    reach = kpis.reach(programme, ON)
    assert reach.value(ON) == 10
    assert reach.value(ON, group="parent") == 5
    assert reach.value(ON, group="child") == 5


def test_reach_grows_from_each_households_first_start(data):
    programme, *_ = data
    reach = kpis.reach(programme, ON)
    assert reach.value(d(2024, 1, 31)) == 0
    assert reach.value(d(2024, 2, 1)) == 3  # H9
    assert reach.value(d(2025, 2, 28)) == 4  # + H7
    assert reach.value(d(2025, 3, 1)) == 8  # + H1 (3), H8 (1); H1's job mentor adds no one
    assert reach.value(d(2026, 1, 10)) == 10  # + H2


def test_reach_by_branch_and_municipality(data):
    programme, h, e, branch, other_branch = data
    reach = kpis.reach(programme, ON)
    assert reach.by("branch_id", ON) == {branch.pk: 8, other_branch.pk: 2}
    assert reach.by("municipality_id", ON) == {"0175": 8, "0751": 2}


def test_families_with_a_family_friend(data):
    programme, *_ = data
    families = kpis.family_friend_families(programme, ON)
    assert families.value(ON) == 2
    assert families.value(d(2025, 2, 1)) == 1


def test_mentored_parents_count_each_parent_once(data):
    programme, *_ = data
    assert kpis.mentored_parents(programme, ON).value(ON) == 4
    assert kpis.mentored_parents(programme, d(2025, 12, 31)).value(d(2025, 12, 31)) == 3


def test_work_attachment_after_one_year_with_its_response_rate(data):
    programme, *_ = data
    assert kpis.work_attachment(programme, ON).at(ON) == (3, 2, 1)
    # Before H1's year had passed (and before its answer): H7 and H8 eligible, H8 answered.
    assert kpis.work_attachment(programme, ON).at(d(2026, 5, 31)) == (2, 1, 1)


def test_school_better_after_two_years(data):
    programme, *_ = data
    assert kpis.school_better(programme, ON).at(ON) == (2, 2, 1)
    assert kpis.school_better(programme, ON).at(d(2026, 1, 31)) == (0, 0, 0)


def test_a_programme_without_the_engagement_type_has_no_such_figures(data, org):
    _programme, *_ = data
    only_friends = factories.programme(org, name="Kun familievenner",
                                       engagement_types=["family_friend"])
    assert kpis.mentored_parents(only_friends, ON).value(ON) == 0
    assert kpis.work_attachment(only_friends, ON).at(ON) == (0, 0, 0)
    assert kpis.reach(only_friends, ON).value(ON) == 6  # H1 and H9


def test_great_benefit_per_engagement_type(data):
    programme, *_ = data
    rows = {r.type: r for r in kpis.benefit_by_type(programme, ON)}
    assert (rows["family_friend"].ended, rows["family_friend"].responded,
            rows["family_friend"].great) == (1, 1, 1)
    assert (rows["job_mentor"].ended, rows["job_mentor"].responded,
            rows["job_mentor"].great) == (1, 1, 0)


def test_lengths_of_ended_engagements(data):
    programme, *_ = data
    lengths = kpis.lengths_by_type(programme, ON)
    # H9: 2024-02-01 to 2025-01-15 = 349 days = 49 whole weeks; H8: 184 days = 26 weeks.
    assert lengths["family_friend"].counts == {"under_20": 0, "20_35": 0, "over_35": 1}
    assert lengths["job_mentor"].counts == {"under_20": 0, "20_35": 1, "over_35": 0}
    assert lengths["job_mentor"].mean_weeks == round(184 / 7, 1)


def test_who5_change_between_start_and_end(data):
    programme, *_ = data
    change = kpis.who5_change(programme, ON)
    assert (change.pairs, change.mean_start, change.mean_end, change.mean_change) == (
        2, 46.0, 54.0, 8.0)
    assert (change.improved, change.worsened) == (1, 0)


def test_the_trend_months_end_on_the_day(data):
    programme, *_ = data
    months = kpis.trend_months(programme, ON)
    assert len(months) == 12 and months[0] == d(2025, 7, 31) and months[-1] == ON
