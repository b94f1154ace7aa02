"""When questionnaires are due: the measurement points of each engagement type.

For each engagement type that counts for a programme, each point lists the instruments asked.
A point's date: the start on the day the engagement started; the end on the day it ended;
+12 and +24 months counted from the start. Parent instruments are asked of the mentored
parent (mentors) or of every parent in the household (family friend); the school level is
asked about every child of the household.

A questionnaire is created (made due) as soon as its date is known: start, +12 and +24 months
once the engagement has started, the end once it has ended. It is *due* from that date and
*overdue* OVERDUE_DAYS after it (docs/outcomes.md).
"""

from __future__ import annotations

import datetime

from samspil.engagements.reports import add_months
from samspil.outcomes.instruments import BELIEF, BENEFIT, NETWORK, SCHOOL, WHO5, WORK
from samspil.outcomes.models import Point

OVERDUE_DAYS = 30
# Shown in the due list this many days before the date.
DUE_AHEAD_DAYS = 14

SCHEDULE: dict[str, dict[str, list[str]]] = {
    "family_friend": {
        Point.START: [WHO5, NETWORK],
        Point.END: [WHO5, NETWORK, BENEFIT],
        Point.MONTHS_12: [SCHOOL],
        Point.MONTHS_24: [SCHOOL],
    },
    "job_mentor": {
        Point.START: [WHO5, WORK, BELIEF],
        Point.END: [WHO5, WORK, BELIEF, BENEFIT],
        Point.MONTHS_12: [WORK],
        Point.MONTHS_24: [WORK],
    },
    "workplace_mentor": {
        Point.START: [WHO5, WORK],
        Point.END: [WHO5, WORK, BENEFIT],
        Point.MONTHS_12: [WORK],
    },
}


def point_date(point: str, *, started_on: datetime.date | None,
               ended_on: datetime.date | None) -> datetime.date | None:
    if started_on is None:
        return None
    if point == Point.START:
        return started_on
    if point == Point.END:
        return ended_on
    months = 12 if point == Point.MONTHS_12 else 24
    first = add_months(started_on.replace(day=1), months)
    # The same day of the month, or the month's last day (29 February + 12 months).
    last_day = (add_months(first, 1) - datetime.timedelta(days=1)).day
    return first.replace(day=min(started_on.day, last_day))
