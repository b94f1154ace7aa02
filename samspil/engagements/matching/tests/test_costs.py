"""The vectorised hard rules agree with eligibility.exclusion_reasons, and the costs add up."""

from __future__ import annotations

import datetime
import random

import numpy as np
import pytest
from django.test import override_settings

from samspil.engagements.matching import costs, tables
from samspil.engagements.matching.eligibility import exclusion_reasons
from samspil.engagements.matching.tests import factories as f
from samspil.engagements.models import Engagement, EngagementState
from samspil.volunteers.models import Volunteer
from samspil.volunteers.screening import certificate_status, certificate_valid_until


def load(org, today=f.TODAY):
    eng = tables.load_engagements(
        Engagement.objects.filter(organisation=org, state=EngagementState.WAITING), today=today)
    vol = tables.load_volunteers(organisation_id=org.pk, today=today, active_only=False)
    return eng, vol


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_hard_rules_agree_with_eligibility_on_random_instances(
    seed, org, branch, coordinator
):
    rng = random.Random(seed)
    f.random_world(rng, branch, coordinator, volunteers=25, engagements=12)
    eng, vol = load(org)
    allowed = costs.cost_matrix(eng, vol, np.arange(len(eng))).allowed
    engagements = Engagement.objects.in_bulk(eng.ids.tolist())
    volunteers = Volunteer.objects.prefetch_related("certificates").in_bulk(vol.ids.tolist())
    for i, eid in enumerate(eng.ids):
        engagement = engagements[int(eid)]
        for j, vid in enumerate(vol.ids):
            reasons = exclusion_reasons(volunteer=volunteers[int(vid)], engagement=engagement,
                                        today=f.TODAY)
            assert allowed[i, j] == (not reasons), (engagement, volunteers[int(vid)], reasons)
    assert allowed.any() and not allowed.all()  # the instance exercises both outcomes


@pytest.mark.parametrize("limit, roles", [(7, ["family_friend", "job_mentor"]), (18, [])])
def test_the_certificate_settings_are_read_when_scoring(limit, roles, org, branch, coordinator):
    rng = random.Random(9)
    f.random_world(rng, branch, coordinator, volunteers=15, engagements=10)
    with override_settings(CHILD_CERTIFICATE_AGE_LIMIT=limit, CHILD_CERTIFICATE_ROLES=roles):
        eng, vol = load(org)
        allowed = costs.cost_matrix(eng, vol, np.arange(len(eng))).allowed
        volunteers = Volunteer.objects.in_bulk(vol.ids.tolist())
        for i, engagement in enumerate(Engagement.objects.in_bulk(eng.ids.tolist()).values()):
            row = int(np.nonzero(eng.ids == engagement.pk)[0][0])
            for j, vid in enumerate(vol.ids):
                reasons = exclusion_reasons(volunteer=volunteers[int(vid)],
                                            engagement=engagement, today=f.TODAY)
                assert allowed[row, j] == (not reasons), i


def test_certificate_validity_agrees_with_screening(org, branch, coordinator):
    f.random_world(random.Random(4), branch, coordinator, volunteers=40, engagements=0)
    for today in (f.TODAY, f.TODAY + datetime.timedelta(days=30)):
        vol = tables.load_volunteers(organisation_id=org.pk, today=today, active_only=False)
        for v in Volunteer.objects.prefetch_related("certificates"):
            expected = certificate_status(list(v.certificates.all()), today=today).allows_children
            assert vol.certificate_ok[vol.index_of([v.pk])[0]] == expected, v


def test_months_are_added_as_screening_adds_them():
    class Checked:
        valid_until = None

        def __init__(self, received_on):
            self.received_on = received_on

    days = [datetime.date(2024, 1, 1) + datetime.timedelta(days=d) for d in range(0, 800, 7)]
    days += [datetime.date(2024, 1, 31), datetime.date(2023, 2, 28), datetime.date(2024, 2, 29)]
    computed = tables.add_months(np.array(days, dtype="datetime64[D]"), 24)
    for day, value in zip(days, computed, strict=True):
        assert value == np.datetime64(certificate_valid_until(Checked(day)))


def test_the_cost_adds_distance_language_skills_availability_and_wishes(org, branch,
                                                                         coordinator):
    h = f.household(branch, postcode="2610", language="ar", parent_gender="female",
                    children_born=[datetime.date(2018, 1, 1)],
                    needs={"school": 3, "economy": 1, "wellbeing": 3})
    e = f.engagement(h, type="job_mentor")
    near = f.volunteer(branch, first="Near", postcode="2610", roles=["job_mentor"],
                       languages=["da", "ar"], skills=["homework"],
                       slots=[(0, datetime.time(14), datetime.time(17)),  # 2 h in family time
                              (5, datetime.time(9), datetime.time(11))],  # 1 h
                       preferred_gender="male", preferred_child_age="13-17")
    eng, vol = load(org)
    [factors] = costs.factors(eng, vol, np.array([0]), vol.index_of([near.pk]))
    # Same postcode: 0 km. Speaks Arabic: 0. Needs: homework 3, economy 1, danish 2 (Arabic
    # household); homework covered, so 3 of 6 levels unmet: 15 points. Family time 3 h of 4:
    # 2.5 points. Both wishes missed (mother, child aged 8): 10 points.
    assert factors["km"] == 0
    assert factors["language"] == 0 and factors["spoken"]
    assert factors["skills"] == 15.0
    assert factors["hours"] == 3.0 and factors["availability"] == 2.5
    assert factors["preferences"] == 10.0
    assert factors["total"] == 27.5
    assert e.pk == eng.ids[0]


def test_distance_is_the_great_circle_distance_between_postcodes(org, branch):
    h = f.household(branch, postcode="2610")
    f.engagement(h)
    far = f.volunteer(branch, postcode="8000")  # Rødovre to Aarhus: about 156 km
    eng, vol = load(org)
    [factors] = costs.factors(eng, vol, np.array([0]), vol.index_of([far.pk]))
    assert 140 < factors["km"] < 170
    assert factors["distance"] == pytest.approx(factors["km"], abs=0.06)


def reference_family_hours(slots) -> float:
    """Hours a week inside costs.FAMILY_TIME, slot by slot, in plain Python."""
    minutes = 0
    for weekday, start, end in slots:
        low, high = costs.FAMILY_TIME[weekday]
        a = start.hour * 60 + start.minute
        b = end.hour * 60 + end.minute
        minutes += max(0, min(b, high) - max(a, low))
    return minutes / 60


def test_family_time_is_summed_in_the_database_as_in_python(org, branch):
    rng = random.Random(12)
    expected = {}
    for i in range(30):
        slots = []
        for day in rng.sample(range(7), rng.randint(0, 4)):
            start = datetime.time(rng.randint(6, 20), rng.choice([0, 15, 30, 45]))
            end_minutes = min(23 * 60 + 59, start.hour * 60 + start.minute
                              + rng.randint(15, 300))
            slots.append((day, start, datetime.time(end_minutes // 60, end_minutes % 60)))
        v = f.volunteer(branch, first=f"S{i}", slots=slots)
        expected[v.pk] = reference_family_hours(slots)
    vol = tables.load_volunteers(organisation_id=org.pk, today=f.TODAY)
    for vid, hours in expected.items():
        assert vol.hours[vol.index_of([vid])[0]] == pytest.approx(hours), vid


def test_postcodes_near_a_point_are_found_on_a_cold_cache(db):
    from samspil.engagements.matching import tables

    tables._postcodes.clear()
    rodovre = tables.postcode_points(["2610"])[0]
    tables._postcodes.clear()
    near = tables.postcodes_within(rodovre, 5)
    assert "2610" in near and "8000" not in near
