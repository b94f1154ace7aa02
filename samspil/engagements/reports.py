"""The engagements area's figures: how long engagements last, and the volunteers' hours.

Both are computed from the engagements the user may see (selectors.engagement_list_for), so a
coordinator gets her branches and an organisation administrator the whole organisation. The
rules of counting are written here once and in docs/engagements.md for the people who read the
figures.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Branch, User
from samspil.engagements.models import EngagementType, Meeting
from samspil.engagements.selectors import engagement_list_for

# --- months ----------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return datetime.date(year, index + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Whole calendar months, from the month of `first` to the month of `last`."""

    first: datetime.date
    last: datetime.date

    def __post_init__(self):
        object.__setattr__(self, "first", month_start(self.first))
        object.__setattr__(self, "last", month_start(self.last))
        if self.last < self.first:
            raise ValueError("A period ends after it begins.")

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        return month_end(self.last)

    @property
    def months(self) -> list[datetime.date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return [add_months(self.first, i) for i in range(count + 1)]

    @classmethod
    def last_twelve_months(cls, today: datetime.date) -> Period:
        return cls(add_months(month_start(today), -11), today)


# --- how long engagements last ---------------------------------------------------------------

# Lengths in whole weeks from the start to the end, as the evaluators count them: under 20,
# 20 to 35 (both included), over 35.
UNDER_20, FROM_20_TO_35, OVER_35 = "under_20", "20_35", "over_35"
LENGTH_BANDS = [
    (UNDER_20, _("Under 20 weeks")),
    (FROM_20_TO_35, _("20–35 weeks")),
    (OVER_35, _("Over 35 weeks")),
]


def length_band(started_on: datetime.date, ended_on: datetime.date) -> str:
    whole_weeks = (ended_on - started_on).days // 7
    if whole_weeks < 20:
        return UNDER_20
    if whole_weeks <= 35:
        return FROM_20_TO_35
    return OVER_35


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date
    active: int
    started: int
    ended: int


@dataclass
class LengthFigures:
    """The lengths of the engagements that ended in the period (after having started)."""

    counts: dict[str, int]
    mean_weeks: float | None
    median_weeks: float | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def bands(self) -> list[dict]:
        """One row per band: label, count and share of the total in whole percent."""
        return [
            {"key": key, "label": label, "count": self.counts[key],
             "percent": round(100 * self.counts[key] / self.total) if self.total else None}
            for key, label in LENGTH_BANDS
        ]

    @classmethod
    def of(cls, spans: list[tuple[datetime.date, datetime.date]]) -> LengthFigures:
        counts = {key: 0 for key, _label in LENGTH_BANDS}
        for started_on, ended_on in spans:
            counts[length_band(started_on, ended_on)] += 1
        lengths = [(ended_on - started_on).days / 7 for started_on, ended_on in spans]
        return cls(
            counts=counts,
            mean_weeks=round(statistics.mean(lengths), 1) if lengths else None,
            median_weeks=round(statistics.median(lengths), 1) if lengths else None,
        )


@dataclass
class DurationGroup:
    """The figures of one engagement type in one branch (branch None: all branches shown)."""

    type: str
    branch: Branch | None
    months: list[MonthFigures]
    lengths: LengthFigures
    # Referrals that ended before any start (withdrawn from the waiting list): not lengths.
    ended_before_start: int = 0

    @property
    def type_label(self) -> str:
        return EngagementType(self.type).label

    @property
    def key(self) -> str:
        return f"{self.type}-{self.branch.pk if self.branch else 'all'}"


@dataclass(frozen=True)
class _Row:
    branch_id: int
    type: str
    started_on: datetime.date | None
    ended_on: datetime.date | None


def _group(type: str, branch: Branch | None, rows: list[_Row], period: Period) -> DurationGroup:
    started = [r for r in rows if r.started_on]
    months = []
    for month in period.months:
        last_day = month_end(month)
        months.append(MonthFigures(
            month=month,
            active=sum(1 for r in started if r.started_on <= last_day
                       and (r.ended_on is None or r.ended_on >= month)),
            started=sum(1 for r in started if month <= r.started_on <= last_day),
            ended=sum(1 for r in started if r.ended_on and month <= r.ended_on <= last_day),
        ))
    spans = [(r.started_on, r.ended_on) for r in started
             if r.ended_on and period.first <= r.ended_on <= period.end]
    before_start = sum(1 for r in rows if not r.started_on and r.ended_on)
    return DurationGroup(type=type, branch=branch, months=months,
                         lengths=LengthFigures.of(spans), ended_before_start=before_start)


def duration_figures(
    *, user: User, period: Period, type: str = "", branch: Branch | None = None,
) -> list[DurationGroup]:
    """Per engagement type and branch, for each month of the period: engagements active at
    some time in the month, started in it and ended in it; and the lengths of those that ended
    in the period. With more than one branch, each type also gets a group of all of them.

    One query; the counting is done here, on a few columns per engagement.
    """
    engagements = engagement_list_for(user=user, type=type, branch=branch).filter(
        Q(started_on__isnull=False, started_on__lte=period.end)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=period.first))
        | Q(started_on__isnull=True, ended_on__range=(period.first, period.end))
    )
    rows = [_Row(*values) for values in engagements.order_by().values_list(
        "branch_id", "type", "started_on", "ended_on")]
    branches = Branch.objects.in_bulk({r.branch_id for r in rows})
    by_group: dict[tuple[str, int], list[_Row]] = defaultdict(list)
    for row in rows:
        by_group[(row.type, row.branch_id)].append(row)
    groups = []
    for type_value in EngagementType.values:
        in_type = sorted(
            (branches[b] for t, b in by_group if t == type_value), key=lambda b: b.name
        )
        for each in in_type:
            groups.append(_group(type_value, each, by_group[(type_value, each.pk)], period))
        if len(in_type) > 1:
            groups.append(_group(type_value, None,
                                 [r for r in rows if r.type == type_value], period))
    return groups


# --- volunteer hours -------------------------------------------------------------------------

@dataclass(frozen=True)
class HoursMonth:
    month: datetime.date
    minutes: int = 0
    meetings: int = 0
    volunteers: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class BranchHours:
    branch: Branch
    months: list[HoursMonth] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.months)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def meetings(self) -> int:
        return sum(m.meetings for m in self.months)


def volunteer_hours(
    *, user: User, period: Period, branch: Branch | None = None,
) -> list[BranchHours]:
    """Hours volunteers spent in meetings (the sum of logged minutes / 60), per branch of the
    engagement and calendar month of the meeting; with the number of meetings and of
    volunteers who logged them. Branches without meetings in the period are left out."""
    engagements = engagement_list_for(user=user, branch=branch)
    totals = (
        Meeting.objects.filter(engagement__in=engagements.values("pk"),
                               date__range=(period.first, period.end))
        .annotate(month=TruncMonth("date"))
        .values("engagement__branch_id", "month")
        .annotate(minutes=Sum("minutes"), meetings=Count("id"),
                  volunteers=Count("logged_by", distinct=True))
        .order_by()
    )
    found: dict[int, dict[datetime.date, HoursMonth]] = defaultdict(dict)
    for row in totals:
        month = row["month"]
        if isinstance(month, datetime.datetime):  # some backends truncate to a datetime
            month = month.date()
        found[row["engagement__branch_id"]][month] = HoursMonth(
            month, row["minutes"], row["meetings"], row["volunteers"])
    branches = sorted(Branch.objects.in_bulk(list(found)).values(), key=lambda b: b.name)
    return [
        BranchHours(b, [found[b.pk].get(m, HoursMonth(m)) for m in period.months])
        for b in branches
    ]
