"""Hand-made data for the outcomes tests: engagements with exact dates, answered
questionnaires with exact answer dates, the demo programme's targets."""

from __future__ import annotations

import datetime

from django.utils import timezone

from samspil.conftest import make_household
from samspil.engagements.tests.factories import make_volunteer, row
from samspil.households.models import MemberRole
from samspil.outcomes import instruments
from samspil.outcomes.models import Instrument, Programme, Questionnaire, Target

ON = datetime.date(2026, 6, 15)


def programme(org, **extra) -> Programme:
    values = {"name": "Familien i Fokus", "funder": "A.P. Møller Fonden",
              "starts_on": datetime.date(2024, 1, 1), "ends_on": datetime.date(2028, 12, 31),
              "engagement_types": ["family_friend", "job_mentor"], "activity_kinds": []}
    values.update(extra)
    p = Programme.objects.create(organisation=org, **values)
    for kpi, value, baseline in [("reach", 4000, None), ("reach_parents", 1600, None),
                                 ("reach_children", 2400, None),
                                 ("family_friend_families", 500, None),
                                 ("mentored_parents", 250, None), ("work_attachment", 60, None),
                                 ("school_better", 50, None), ("networks", 75, 55)]:
        Target.objects.create(programme=p, kpi=kpi, value=value, baseline=baseline)
    return p


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def answered(engagement, person, code: str, point: str, answers: dict,
             day: datetime.date) -> Questionnaire:
    instrument = Instrument.objects.get(code=code, is_current=True)
    return Questionnaire.objects.create(
        engagement=engagement, person=person, instrument=instrument, point=point, due_on=day,
        answered_at=at(day), answered_on=day, answers=answers,
        score=instruments.score(code, answers))


def who5(score: int) -> dict:
    """WHO-5 answers with the given total (0–100, a multiple of 4)."""
    raw = score // 4
    items = [5] * (raw // 5) + ([raw % 5] if raw % 5 else [])
    items += [0] * (5 - len(items))
    return {f"who5_{i + 1}": v for i, v in enumerate(items)}


def parent(household):
    return household.members.get(role=MemberRole.PARENT)


def children(household):
    return list(household.members.filter(role=MemberRole.CHILD).order_by("first_name"))


def world(actor, branch, other_branch):
    """The hand-made programme data of test_kpis (its docstring has the expected figures)."""
    v = make_volunteer(branch, first="Vera")
    d = datetime.date
    h = {}
    h[1] = make_household(actor, branch, last="Et", children=2)
    h[2] = make_household(actor, other_branch.__class__.objects.get(pk=other_branch.pk),
                          last="To", children=1, postcode="8000")
    h[3] = make_household(actor, branch, last="Tre", children=0)
    h[4] = make_household(actor, branch, last="Fire", children=2)
    h[5] = make_household(actor, branch, last="Fem", children=1)
    h[6] = make_household(actor, branch, last="Seks", children=1)
    h[7] = make_household(actor, branch, last="Syv", children=0)
    h[8] = make_household(actor, branch, last="Otte", children=0)
    h[9] = make_household(actor, branch, last="Ni", children=2)
    e = {}
    e["1ff"] = row(h[1], v, started=d(2025, 3, 1))
    e["1jm"] = row(h[1], v, type="job_mentor", started=d(2025, 6, 1))
    e["2jm"] = row(h[2], v, type="job_mentor", started=d(2026, 1, 10))
    e["3ff"] = row(h[3], v, started=d(2023, 6, 1))  # before the programme
    e["4ff"] = row(h[4])  # only referred
    e["5wm"] = row(h[5], v, type="workplace_mentor", started=d(2025, 5, 1))  # not counting
    e["6ff"] = row(h[6], v, started=d(2026, 7, 1))  # after the day asked about
    e["7jm"] = row(h[7], v, type="job_mentor", started=d(2025, 2, 1))
    e["8jm"] = row(h[8], v, type="job_mentor", started=d(2025, 3, 1), ended=d(2025, 9, 1))
    e["9ff"] = row(h[9], v, started=d(2024, 2, 1), ended=d(2025, 1, 15))
    # +12 months work status: H1 unemployed, H8 employed, H7 no answer.
    answered(e["1jm"], parent(h[1]), "work_status", "m12", {"status": "unemployed"},
             d(2026, 6, 3))
    answered(e["8jm"], parent(h[8]), "work_status", "m12", {"status": "employed"},
             d(2026, 3, 5))
    # +24 months school level in H9: one child better, one the same.
    c1, c2 = children(h[9])
    answered(e["9ff"], c1, "school_level", "m24", {"level": 1, "judged_by": "school"},
             d(2026, 2, 10))
    answered(e["9ff"], c2, "school_level", "m24", {"level": 0, "judged_by": "parent"},
             d(2026, 2, 10))
    # Benefit at the end: H9 a great deal, H8 somewhat.
    answered(e["9ff"], parent(h[9]), "benefit", "end", {"benefit": 3}, d(2025, 1, 20))
    answered(e["8jm"], parent(h[8]), "benefit", "end", {"benefit": 2}, d(2025, 9, 3))
    # WHO-5: H8 40 -> 60, H9 52 -> 48; H1 only a start.
    answered(e["8jm"], parent(h[8]), "who5", "start", who5(40), d(2025, 3, 2))
    answered(e["8jm"], parent(h[8]), "who5", "end", who5(60), d(2025, 9, 2))
    answered(e["9ff"], parent(h[9]), "who5", "start", who5(52), d(2024, 2, 2))
    answered(e["9ff"], parent(h[9]), "who5", "end", who5(48), d(2025, 1, 16))
    answered(e["1ff"], parent(h[1]), "who5", "start", who5(20), d(2025, 3, 2))
    return h, e
