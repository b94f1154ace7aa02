"""This area's figures, for the outcomes app (KPIs, the evaluator export) and the figures page.

The four functions below are a contract with ``samspil.outcomes``: their names, keyword-only
arguments and the keys of the rows they return do not change. They are scoped to one
organisation by its id; the caller decides who may see them.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import F, QuerySet

from samspil.activities.models import Attendance, Network, NetworkMembership


@dataclass(frozen=True)
class NetworkPeriod:
    """When one network ran.

    ``municipality_id`` is the primary key of ``core.Municipality``, which in this codebase is
    its 4-digit code as a **string** (``"0175"``), not an int; ``None`` when the network has no
    municipality. ``ended`` is ``None`` while the network runs.
    """

    network_id: int
    branch_id: int
    municipality_id: str | None
    started: datetime.date
    ended: datetime.date | None


def network_periods(*, organisation_id: int) -> list[NetworkPeriod]:
    """Every network of the organisation with its start and (optional) end date."""
    rows = (
        Network.objects.filter(organisation_id=organisation_id)
        .order_by("started_on", "id")
        .values_list("id", "branch_id", "municipality_id", "started_on", "ended_on")
    )
    return [NetworkPeriod(*row) for row in rows]


def activity_participant_ids(
    *,
    organisation_id: int,
    start: datetime.date,
    end: datetime.date,
    kind_codes: Collection[str] | None = None,
) -> QuerySet:
    """Distinct ``households.Person`` pks marked present at at least one session dated in
    [start, end] of an activity of the given kind codes (None: every kind).

    Participants of a public sign-up not (yet) linked to a registry member have no person and
    are not counted.
    """
    qs = Attendance.objects.filter(
        present=True,
        session__activity__organisation_id=organisation_id,
        session__date__gte=start,
        session__date__lte=end,
        participant__person__isnull=False,
    )
    if kind_codes is not None:
        qs = qs.filter(session__activity__kind__code__in=list(kind_codes))
    return qs.values_list("participant__person_id", flat=True).distinct().order_by(
        "participant__person_id"
    )


def attendance_rows(*, organisation_id: int) -> QuerySet:
    """One row per recorded attendance (present or absent) in the organisation's activities.

    Keys: ``person_id`` (None for a public sign-up's unlinked participant), ``household_id``
    (None for an unlinked public sign-up), ``activity_id``, ``activity_kind_code``,
    ``session_date``, ``present``.
    """
    return (
        Attendance.objects.filter(session__activity__organisation_id=organisation_id)
        .annotate(
            person_id=F("participant__person_id"),
            household_id=F("participant__signup__household_id"),
            activity_id=F("session__activity_id"),
            activity_kind_code=F("session__activity__kind__code"),
            session_date=F("session__date"),
        )
        .order_by("session__date", "id")
        .values("person_id", "household_id", "activity_id", "activity_kind_code",
                "session_date", "present")
    )


def network_membership_rows(*, organisation_id: int) -> QuerySet:
    """One row per membership of a household in one of the organisation's networks.

    Keys: ``household_id``, ``network_id``, ``joined_on``, ``left_on`` (None while a member).
    """
    return (
        NetworkMembership.objects.filter(network__organisation_id=organisation_id)
        .order_by("joined_on", "id")
        .values("household_id", "network_id", "joined_on", "left_on")
    )
