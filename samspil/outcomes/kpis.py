"""The programme's KPIs, each defined exactly once here (and in words in docs/outcomes.md).

Every KPI is computed in two steps: one or two aggregating SQL queries fetch one small row per
counted unit (household, parent, child) or per group of units, then plain Python evaluates the
rows at any date (today, each month end of the trend) and groups them by branch or
municipality. No figure is read from a cache, so a figure is never stale; the benchmark shows
this stays under a second at 100,000 persons (bench/outcomes.py).

Raw figures come out of here; outcomes/figures.py puts them through the small-number rules.
Common rules:
- an engagement *counts* for a programme when its type is one of the programme's engagement
  types and it started (started_on set) within the programme's period and on or before the
  date asked about; referred or waiting engagements do not count;
- where a unit is placed: the branch and municipality of its household (as registered now);
- a unit counts from the first day it qualified; it never counts twice.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Min, Q
from django.utils import timezone

from samspil.engagements.models import Engagement
from samspil.engagements.reports import LengthFigures, add_months, month_end, month_start
from samspil.households.models import MemberRole, Person
from samspil.outcomes import instruments
from samspil.outcomes.models import Kpi, Point, Programme, Questionnaire
from samspil.outcomes.schedule import point_date

FAMILY_FRIEND, JOB_MENTOR = "family_friend", "job_mentor"
GREAT_BENEFIT = 3


@dataclass(frozen=True)
class Place:
    branch_id: int
    municipality_id: str


# --- counts ----------------------------------------------------------------------------------

@dataclass
class CountRows:
    """Units that count from a date on: (since, place, group, weight)."""

    rows: list[tuple[datetime.date, Place, str, int]] = field(default_factory=list)
    # Units that stop counting from a date on (networks that ended): (until, place, weight).
    ends: list[tuple[datetime.date, Place, int]] = field(default_factory=list)

    def _running(self, group: str | None):
        """Sorted dates and running totals, built once per group: value() is a bisection."""
        cache = self.__dict__.setdefault("_cache", {})
        if group not in cache:
            events = [(since, w) for since, _p, g, w in self.rows if group is None or g == group]
            # An end on day D stops counting from D + 1.
            events += [(until + datetime.timedelta(days=1), -w) for until, _p, w in self.ends]
            events.sort(key=lambda e: e[0])
            dates, totals, running = [], [], 0
            for day, w in events:
                running += w
                dates.append(day)
                totals.append(running)
            cache[group] = (dates, totals)
        return cache[group]

    def value(self, on: datetime.date, *, group: str | None = None) -> int:
        dates, totals = self._running(group)
        i = bisect.bisect_right(dates, on)
        return totals[i - 1] if i else 0

    def by(self, key: str, on: datetime.date, *, group: str | None = None) -> dict[object, int]:
        cache = self.__dict__.setdefault("_by_cache", {})
        if (key, on, group) not in cache:
            cache[(key, on, group)] = self._by(key, on, group)
        return cache[(key, on, group)]

    def _by(self, key: str, on: datetime.date, group: str | None) -> dict[object, int]:
        out: dict[object, int] = defaultdict(int)
        for since, place, g, w in self.rows:
            if since <= on and (group is None or g == group):
                out[getattr(place, key)] += w
        for until, place, w in self.ends:
            if until < on:
                out[getattr(place, key)] -= w
        return dict(out)


def _counting_engagements(programme: Programme, on: datetime.date, types: Iterable[str]):
    last = min(programme.ends_on, on)
    return Engagement.objects.filter(
        organisation_id=programme.organisation_id, type__in=list(types),
        started_on__gte=programme.starts_on, started_on__lte=last,
    )


def household_rows(programme: Programme, on: datetime.date, types: Iterable[str]):
    """{household_id: (first start, Place)} of households with a counting engagement."""
    rows = (_counting_engagements(programme, on, types).order_by()
            .values("household_id", "household__branch_id", "household__municipality_id")
            .annotate(first=Min("started_on"))
            .values_list("household_id", "first", "household__branch_id",
                         "household__municipality_id"))
    places: dict[tuple, Place] = {}
    result = {}
    for household_id, first, branch_id, municipality_id in rows:
        key = (branch_id, municipality_id)
        place = places.get(key) or places.setdefault(key, Place(branch_id, municipality_id))
        result[household_id] = (first, place)
    return result


def reach(programme: Programme, on: datetime.date) -> CountRows:
    """Participants reached: persons (parents and children, as registered in the household
    now) of households with a counting engagement, from the household's first counting start
    (or, when the programme counts Christmas aid, granted Christmas aid in the period, from the
    decision's day if that is earlier); and persons present at a session of a counting
    activity kind within the period, from that session's date. A person counts once, from
    the earlier of the two."""
    households = household_rows(programme, on, programme.engagement_types)
    counted = Q(household_id__in=_counting_engagements(
        programme, on, programme.engagement_types).values("household_id"))
    granted = christmas_aid_households(programme, on)
    if granted is not None:
        for household_id, day, branch_id, municipality_id in granted.values_list(
                "household_id", "first", "household__branch_id", "household__municipality_id"):
            day = timezone.localtime(day).date()
            if household_id not in households or day < households[household_id][0]:
                households[household_id] = (day, Place(branch_id, municipality_id))
        counted |= Q(household_id__in=granted.values("household_id"))
    members = (Person.objects.filter(counted)
               .order_by().values("household_id", "role").annotate(n=Count("id"))
               .values_list("household_id", "role", "n"))
    result = CountRows()
    append = result.rows.append
    for household_id, role, n in members:
        first, place = households[household_id]
        append((first, place, role, n))
    attended = activity_first_attendance(programme, on)
    people = (Person.objects.filter(pk__in=list(attended)).order_by()
              .values_list("id", "role", "household_id", "household__branch_id",
                           "household__municipality_id"))
    for person_id, role, household_id, branch_id, municipality_id in people:
        day = attended[person_id]
        counted = households.get(household_id)
        if counted is None:
            result.rows.append((day, Place(branch_id, municipality_id), role, 1))
        elif day < counted[0]:
            # Counted from the earlier activity instead of the household's engagement start.
            result.rows.append((day, counted[1], role, 1))
            result.rows.append((counted[0], counted[1], role, -1))
    return result


def christmas_aid_households(programme: Programme, on: datetime.date):
    """When the programme counts Christmas aid (Programme.counts_christmas_aid; christmas app):
    households granted Christmas aid by a decision within the period and on or before the day,
    one row each with its first such decision (`first`, a time). None when it does not count."""
    if not programme.counts_christmas_aid or not apps.is_installed("samspil.christmas"):
        return None
    from samspil.christmas.models import Application, Status

    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(programme.starts_on, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(min(programme.ends_on, on) + datetime.timedelta(days=1),
                                    datetime.time.min, tzinfo=zone)
    return (Application.objects.filter(
        round__organisation_id=programme.organisation_id, status=Status.GRANTED,
        household__isnull=False, decided_at__gte=start, decided_at__lt=end)
        .order_by().values("household_id").annotate(first=Min("decided_at")))


def activity_first_attendance(programme: Programme, on: datetime.date) -> dict[int, datetime.date]:
    """person id -> first session date with the person present, at a counting activity kind
    within the period (activities app; empty without it or without counting kinds)."""
    if not apps.is_installed("samspil.activities") or not programme.activity_kinds:
        return {}
    from samspil.activities import reports as activity_reports

    last = min(programme.ends_on, on)
    ids = activity_reports.activity_participant_ids(
        organisation_id=programme.organisation_id, start=programme.starts_on, end=last,
        kind_codes=programme.activity_kinds)
    wanted = set(ids)
    first: dict[int, datetime.date] = {}
    for row in activity_reports.attendance_rows(organisation_id=programme.organisation_id):
        if (row["person_id"] in wanted and row["present"]
                and row["activity_kind_code"] in programme.activity_kinds
                and programme.starts_on <= row["session_date"] <= last):
            day = row["session_date"]
            if row["person_id"] not in first or day < first[row["person_id"]]:
                first[row["person_id"]] = day
    return first


def family_friend_families(programme: Programme, on: datetime.date) -> CountRows:
    """Households with a counting family-friend engagement, from its first start."""
    if FAMILY_FRIEND not in programme.engagement_types:
        return CountRows()
    return CountRows([(first, place, "", 1) for first, place in
                      household_rows(programme, on, [FAMILY_FRIEND]).values()])


def _mentored_parents(programme: Programme, on: datetime.date):
    """{parent_id: (engagement id, first start, Place)}: each parent's first counting job
    mentor engagement."""
    rows = (_counting_engagements(programme, on, [JOB_MENTOR])
            .order_by("parent_id", "started_on", "id")
            .values_list("parent_id", "id", "started_on", "household__branch_id",
                         "household__municipality_id"))
    first = {}
    for parent_id, engagement_id, started_on, branch_id, municipality_id in rows:
        first.setdefault(parent_id, (engagement_id, started_on, Place(branch_id,
                                                                      municipality_id)))
    return first


def mentored_parents(programme: Programme, on: datetime.date) -> CountRows:
    """Parents with a counting job/education mentor engagement, from its start."""
    if JOB_MENTOR not in programme.engagement_types:
        return CountRows()
    return CountRows([(started, place, "", 1) for _e, started, place in
                      _mentored_parents(programme, on).values()])


def networks(programme: Programme, on: datetime.date) -> CountRows:
    """Family networks active on the day: started on or before it and not ended before it
    (activities app: network_periods). Not limited to the programme's period, since the
    baseline counts the networks that already ran when the programme began."""
    if not apps.is_installed("samspil.activities"):
        return CountRows()
    from samspil.activities import reports as activity_reports

    result = CountRows()
    for period in activity_reports.network_periods(organisation_id=programme.organisation_id):
        place = Place(period.branch_id, period.municipality_id)
        if period.started <= on:
            result.rows.append((period.started, place, "", 1))
            if period.ended is not None:
                result.ends.append((period.ended, place, 1))
    return result


# --- rates -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RateUnit:
    """One unit in a rate's denominator: eligible from `eligible_on`; `answered_on` and `hit`
    when the follow-up was answered (hit: counted in the numerator)."""

    eligible_on: datetime.date
    place: Place
    answered_on: datetime.date | None = None
    hit: bool = False


@dataclass
class RateRows:
    units: list[RateUnit] = field(default_factory=list)

    def at(self, on: datetime.date, where=None) -> tuple[int, int, int]:
        """(eligible, responded, hits) on the day."""
        eligible = responded = hits = 0
        for u in self.units:
            if u.eligible_on <= on and (where is None or where(u.place)):
                eligible += 1
                if u.answered_on is not None and u.answered_on <= on:
                    responded += 1
                    hits += u.hit
        return eligible, responded, hits

    def by(self, key: str, on: datetime.date) -> dict[object, tuple[int, int, int]]:
        out: dict[object, list[int]] = {}
        for u in self.units:
            cell = out.setdefault(getattr(u.place, key), [0, 0, 0])
            if u.eligible_on <= on:
                cell[0] += 1
                if u.answered_on is not None and u.answered_on <= on:
                    cell[1] += 1
                    cell[2] += u.hit
        return {k: tuple(v) for k, v in out.items()}


def _answers(instrument_code: str, point: str, engagement_ids) -> dict[tuple[int, int], tuple]:
    """(engagement id, person id) -> (answered date, score) of answered questionnaires of the
    engagements (a subquery)."""
    rows = (Questionnaire.objects.filter(instrument__code=instrument_code, point=point,
                                         answered_at__isnull=False,
                                         engagement_id__in=engagement_ids)
            .order_by().values_list("engagement_id", "person_id", "answered_on", "score"))
    return {(e, p): (day, score) for e, p, day, score in rows}


def work_attachment(programme: Programme, on: datetime.date) -> RateRows:
    """Share of mentored parents attached to work or education one year after their (first
    counting) job mentor engagement started. Denominator: those parents whose start is at least
    12 months before the day and who answered the +12 months work/education questionnaire of
    that engagement (non-respondents are left out of the share and shown as the response
    rate). Numerator: those who answered in work (also part-time/flex) or in education."""
    if JOB_MENTOR not in programme.engagement_types:
        return RateRows()
    parents = _mentored_parents(programme, on)
    answers = _answers(instruments.WORK, Point.MONTHS_12,
                       _counting_engagements(programme, on, [JOB_MENTOR]).values("pk"))
    units = []
    for parent_id, (engagement_id, started, place) in parents.items():
        answer = answers.get((engagement_id, parent_id))
        units.append(RateUnit(
            eligible_on=point_date(Point.MONTHS_12, started_on=started, ended_on=None),
            place=place, answered_on=answer[0] if answer else None,
            hit=bool(answer and answer[1] == 1)))
    return RateRows(units)


def school_better(programme: Programme, on: datetime.date) -> RateRows:
    """Share of children in family-friend families with a better school level two years after
    the household's first counting family-friend engagement started. Denominator: children of
    those households (as registered now) whose +24 months school-level questionnaire of that
    engagement was answered, once 24 months have passed; numerator: answered "better"."""
    if FAMILY_FRIEND not in programme.engagement_types:
        return RateRows()
    first = {}
    for hh, engagement_id, started, branch_id, municipality_id in (
            _counting_engagements(programme, on, [FAMILY_FRIEND])
            .order_by("household_id", "started_on", "id")
            .values_list("household_id", "id", "started_on", "household__branch_id",
                         "household__municipality_id")):
        first.setdefault(hh, (engagement_id, started, Place(branch_id, municipality_id)))
    friends = _counting_engagements(programme, on, [FAMILY_FRIEND])
    children = (Person.objects.filter(household_id__in=friends.values("household_id"),
                                      role=MemberRole.CHILD)
                .order_by().values_list("id", "household_id"))
    answers = _answers(instruments.SCHOOL, Point.MONTHS_24, friends.values("pk"))
    units = []
    for child_id, household_id in children:
        engagement_id, started, place = first[household_id]
        answer = answers.get((engagement_id, child_id))
        units.append(RateUnit(
            eligible_on=point_date(Point.MONTHS_24, started_on=started, ended_on=None),
            place=place, answered_on=answer[0] if answer else None,
            hit=bool(answer and answer[1] == 1)))
    return RateRows(units)


# --- the evaluator's tables ------------------------------------------------------------------

@dataclass(frozen=True)
class BenefitRow:
    type: str
    ended: int  # engagements that ended (the people asked)
    responded: int
    great: int


def benefit_by_type(programme: Programme, on: datetime.date) -> list[BenefitRow]:
    """Per engagement type: counting engagements that ended on or before the day; of their
    end-point benefit questionnaires those answered, and those answered "a great deal". One
    answer per engagement (the first parent's, when a family-friend household has two)."""
    engagements = _counting_engagements(programme, on, programme.engagement_types).filter(
        ended_on__isnull=False, ended_on__lte=on)
    ended: dict[str, int] = defaultdict(int)
    types = dict(engagements.order_by().values_list("id", "type"))
    for type_ in types.values():
        ended[type_] += 1
    first: dict[int, tuple] = {}
    for engagement_id, day, pk, score in (Questionnaire.objects.filter(
            engagement__in=engagements.values("pk"), instrument__code=instruments.BENEFIT,
            point=Point.END, answered_on__isnull=False, answered_on__lte=on).order_by()
            .values_list("engagement_id", "answered_on", "id", "score")):
        if engagement_id not in first or (day, pk) < first[engagement_id][:2]:
            first[engagement_id] = (day, pk, score)
    responded: dict[str, int] = defaultdict(int)
    great: dict[str, int] = defaultdict(int)
    for engagement_id, (_day, _pk, score) in first.items():
        responded[types[engagement_id]] += 1
        great[types[engagement_id]] += score == GREAT_BENEFIT
    return [BenefitRow(t, ended[t], responded[t], great[t])
            for t in programme.engagement_types if ended.get(t)]


def lengths_by_type(programme: Programme, on: datetime.date) -> dict[str, LengthFigures]:
    """Per engagement type: how long the counting engagements that ended on or before the day
    lasted (engagements.reports.LengthFigures: whole weeks, under 20 / 20–35 / over 35)."""
    spans: dict[str, list] = defaultdict(list)
    for type_, started, ended in (
            _counting_engagements(programme, on, programme.engagement_types)
            .filter(ended_on__isnull=False, ended_on__lte=on)
            .order_by().values_list("type", "started_on", "ended_on")):
        spans[type_].append((started, ended))
    return {t: LengthFigures.of(spans[t]) for t in programme.engagement_types if spans.get(t)}


@dataclass(frozen=True)
class Who5Change:
    pairs: int
    mean_start: float | None
    mean_end: float | None
    mean_change: float | None
    improved: int  # pairs whose score rose by at least 10 points (a significant change)
    worsened: int  # fell by at least 10 points


def who5_change(programme: Programme, on: datetime.date) -> Who5Change:
    """WHO-5 at the start and at the end of the same counting engagement for the same person,
    both answered on or before the day; people with only one of the two are not counted."""
    engagements = _counting_engagements(programme, on, programme.engagement_types)
    rows = (Questionnaire.objects.filter(
        engagement__in=engagements.values("pk"), instrument__code=instruments.WHO5,
        point__in=[Point.START, Point.END], answered_on__isnull=False,
        answered_on__lte=on).order_by()
        .values_list("engagement_id", "person_id", "point", "score"))
    scores: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for e, p, point, score in rows:
        scores[(e, p)][point] = score
    pairs = [(s[Point.START], s[Point.END]) for s in scores.values()
             if Point.START in s and Point.END in s]
    if not pairs:
        return Who5Change(0, None, None, None, 0, 0)
    n = len(pairs)
    start = sum(a for a, _b in pairs) / n
    end = sum(b for _a, b in pairs) / n
    return Who5Change(n, round(start, 1), round(end, 1), round(end - start, 1),
                      sum(1 for a, b in pairs if b - a >= 10),
                      sum(1 for a, b in pairs if a - b >= 10))


# --- which function computes which KPI -------------------------------------------------------

COUNT_KPIS = {
    Kpi.REACH: (reach, None),
    Kpi.REACH_PARENTS: (reach, MemberRole.PARENT),
    Kpi.REACH_CHILDREN: (reach, MemberRole.CHILD),
    Kpi.FAMILY_FRIEND_FAMILIES: (family_friend_families, None),
    Kpi.MENTORED_PARENTS: (mentored_parents, None),
    Kpi.NETWORKS: (networks, None),
}
RATE_KPI_FUNCTIONS = {
    Kpi.WORK_ATTACHMENT: work_attachment,
    Kpi.SCHOOL_BETTER: school_better,
}


def trend_months(programme: Programme, on: datetime.date, count: int = 12) -> list[datetime.date]:
    """The month ends of the last `count` months up to the day (the day itself for its own
    month), not before the programme's first month."""
    first = max(month_start(programme.starts_on), add_months(month_start(on), -(count - 1)))
    months = []
    month = first
    while month <= month_start(on):
        months.append(min(month_end(month), on))
        month = add_months(month, 1)
    return months
