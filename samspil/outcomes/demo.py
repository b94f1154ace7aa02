"""Demo data for outcomes: the Familien i Fokus programme with its real targets, earlier
engagements (so that the +12 and +24 months follow-ups have come round), questionnaires at
every measurement point with plausible answers, and consent to evaluation for most families.

Called once from core/demo.py; it does nothing when the programme already exists, so
`make demo` twice is safe. Synthetic data only, the same every time (seeded random).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from samspil.core.models import Organisation, Role, User
from samspil.engagements.models import Engagement, EngagementState
from samspil.households.models import Consent, Household, MemberRole
from samspil.outcomes import instruments, services
from samspil.outcomes.models import Kpi, Programme, Questionnaire, Target

NAME = "Familien i Fokus"
TARGETS = [(Kpi.REACH, 4000, None), (Kpi.REACH_PARENTS, 1600, None),
           (Kpi.REACH_CHILDREN, 2400, None), (Kpi.FAMILY_FRIEND_FAMILIES, 500, None),
           (Kpi.MENTORED_PARENTS, 250, None), (Kpi.WORK_ATTACHMENT, 60, None),
           (Kpi.SCHOOL_BETTER, 50, None), (Kpi.NETWORKS, 75, 55)]


def seed(org: Organisation, today: datetime.date, seed_value: int = 2031) -> Programme | None:
    if Programme.objects.filter(organisation=org, name=NAME).exists():
        return None
    rng = random.Random(seed_value)
    programme = Programme.objects.create(
        organisation=org, name=NAME, funder="A.P. Møller Fonden",
        starts_on=datetime.date(today.year - 3, 1, 1),
        ends_on=datetime.date(today.year + 1, 12, 31),
        engagement_types=["family_friend", "job_mentor", "workplace_mentor"],
        activity_kinds=["family_camp", "network_meeting", "cafe_meeting", "homework_cafe",
                        "job_cafe", "family_workshop"])
    for kpi, value, baseline in TARGETS:
        Target.objects.create(programme=programme, kpi=kpi, value=value, baseline=baseline)
    _earlier_engagements(rng, org, today)
    services.questionnaires_schedule(organisation_id=org.pk, today=today)
    _answers(rng, org, today)
    _consents(rng, org)
    return programme


def _earlier_engagements(rng: random.Random, org: Organisation, today: datetime.date):
    """Ended engagements that started 13–34 months ago, for households without one."""
    free = list(Household.objects.filter(organisation=org, engagements__isnull=True)
                .order_by("id").prefetch_related("members"))
    rng.shuffle(free)
    for i, household in enumerate(free[:60]):
        mentor = i % 5 in (1, 3)
        months = rng.randint(13, 30) if mentor else rng.randint(25, 34)
        started = today - datetime.timedelta(days=30 * months + rng.randint(0, 20))
        ended = started + datetime.timedelta(weeks=rng.choice([12, 18, 22, 26, 30, 34, 40, 48]))
        parent = next((m for m in household.members.all() if m.role == MemberRole.PARENT), None)
        Engagement.objects.create(
            organisation=org, branch_id=household.branch_id, household=household,
            type="job_mentor" if mentor else "family_friend",
            parent=parent if mentor else None, state=EngagementState.ENDED,
            referred_on=started - datetime.timedelta(days=rng.randint(20, 60)),
            matched_on=started - datetime.timedelta(days=rng.randint(1, 10)), started_on=started,
            ended_on=ended, end_reason=rng.choice(["goals_reached", "goals_reached", "other"]))


def _value(rng: random.Random, code: str, point: str, engagement_type: str) -> dict:
    if code == instruments.WHO5:
        mean = 40 if point == "start" else 54
        raw = max(0, min(25, round(rng.gauss(mean, 14) / 4)))
        items = [raw // 5 + (1 if i < raw % 5 else 0) for i in range(5)]
        return {f"who5_{i + 1}": v for i, v in enumerate(items)}
    if code == instruments.BENEFIT:
        great = 0.71 if engagement_type == "family_friend" else 0.8
        r = rng.random()
        return {"benefit": 3 if r < great else 2 if r < great + 0.17 else 1 if r < 0.98 else 0}
    if code == instruments.WORK:
        attached = {"start": 0.2, "end": 0.45}.get(point, 0.62)
        if rng.random() < attached:
            return {"status": rng.choice(["employed", "part_time", "education"])}
        return {"status": rng.choice(["unemployed", "activation", "sick_leave"])}
    if code == instruments.SCHOOL:
        r = rng.random()
        return {"level": 1 if r < 0.52 else 0 if r < 0.88 else -1,
                "judged_by": rng.choice(["parent", "school"])}
    if code == instruments.NETWORK:
        return {"people": max(0, int(rng.gauss(3 if point == "start" else 5, 2)))}
    return {"belief": rng.randint(1, 3) if point == "start" else rng.randint(2, 5)}


def _answers(rng: random.Random, org: Organisation, today: datetime.date):
    """About three in four questionnaires due more than a week ago are answered, a few days
    after they were due; the rest are left open (due and overdue lists)."""
    volunteers = {u.pk for u in User.objects.filter(organisation=org, role=Role.VOLUNTEER)}
    rows = list(Questionnaire.objects.filter(
        engagement__organisation=org, due_on__lte=today - datetime.timedelta(days=7))
        .select_related("instrument", "engagement"))
    for q in rows:
        if rng.random() > 0.78:
            continue
        answers = _value(rng, q.instrument.code, q.point, q.engagement.type)
        day = min(today, q.due_on + datetime.timedelta(days=rng.randint(0, 20)))
        q.answers = answers
        q.score = instruments.score(q.instrument.code, answers)
        q.answered_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18)))
        q.answered_on = day
        q.by_family = rng.random() < 0.3
        q.answered_by_id = None if q.by_family or not volunteers else rng.choice(sorted(volunteers))
    Questionnaire.objects.bulk_update(rows, ["answers", "score", "answered_at", "answered_on",
                                             "by_family",
                                             "answered_by"], batch_size=500)


def _consents(rng: random.Random, org: Organisation):
    recorder = User.objects.filter(organisation=org, role=Role.COORDINATOR).first()
    if recorder is None:
        return
    new = []
    for household in Household.objects.filter(organisation=org, engagements__isnull=False
                                               ).distinct().order_by("id"):
        if rng.random() < 0.85:
            new.append(Consent(household=household, purpose="evaluation",
                               given_by=household.display_name or "-",
                               given_on=household.created_at.date(), recorded_by=recorder))
    Consent.objects.bulk_create(new)
