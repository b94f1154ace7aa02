"""Volunteers and engagements as numpy columns, read straight from the database.

The suggestions read up to 10,000 volunteers for every page and plan-all reads 10,000
engagements as well, so the columns are fetched with a plain cursor from querysets built with
the ORM (the SQL is the ORM's, portable to SQLite and PostgreSQL) and decoded column by column,
without a model instance or a JSON decode per row. JSON lists of choice values become bit masks;
each distinct list text is decoded once.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least

from samspil.core.models import Postcode
from samspil.engagements.matching import costs
from samspil.engagements.matching.eligibility import LOAD_STATES
from samspil.engagements.models import Engagement
from samspil.households.models import (
    Gender,
    Language,
    MemberRole,
    NeedRating,
    NeedsAssessment,
    Person,
)
from samspil.volunteers.models import (
    AvailabilitySlot,
    ChildCertificate,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)

LANGUAGES: list[str] = list(Language.values)
ROLES: list[str] = list(VolunteerRole.values)
GENDERS: dict[str, int] = {g: i + 1 for i, g in enumerate(Gender.values)}  # 0: not given
SKILLS = costs.SKILLS
AGE_GROUPS = costs.AGE_GROUPS


def _fetch(qs: QuerySet) -> list[tuple]:
    """The rows of a values_list queryset as the database driver returns them.

    Dates, times and decimals are selected as text or float (as_text, as_float): Django's
    SQLite driver would otherwise parse each one in Python, which costs more than the query.
    """
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_text(field: str):
    return Cast(F(field), CharField())


def as_float(field: str):
    return Cast(F(field), FloatField())


def _columns(rows: list[tuple], count: int) -> list[tuple]:
    return list(zip(*rows, strict=True)) if rows else [()] * count


_mask_cache: dict[str, dict[str | None, int]] = {}


def _masks(texts: tuple, values: list[str]) -> np.ndarray:
    """Bit masks (bit i = values[i]) for JSON list texts; each distinct text decoded once."""
    cache = _mask_cache.setdefault("|".join(values), {})
    get = cache.get
    masks = [get(text) for text in texts]
    if None in masks:
        for i, text in enumerate(texts):
            if masks[i] is None:
                items = json.loads(text) if text else []
                mask = 0
                for item in items or []:
                    if item in values:
                        mask |= 1 << values.index(item)
                if len(cache) < 10_000:
                    cache[text] = mask
                masks[i] = mask
    return np.array(masks, dtype=np.int64)


def _dates(values: tuple) -> np.ndarray:
    """Dates ('YYYY-MM-DD' texts, see as_text, or None) as datetime64."""
    return np.array(values, dtype="datetime64[D]") if values else np.zeros(0, "datetime64[D]")


def unit_vectors(latitude, longitude) -> np.ndarray:
    lat = np.radians(np.asarray(latitude, dtype=np.float64))
    lon = np.radians(np.asarray(longitude, dtype=np.float64))
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def add_months(dates: np.ndarray, months: int) -> np.ndarray:
    """screening.certificate_valid_until for arrays: the same month arithmetic, day at most 28."""
    month_start = dates.astype("datetime64[M]")
    day = (dates - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    target = (month_start + np.timedelta64(months, "M")).astype("datetime64[D]")
    return target + (np.minimum(day, 28) - 1).astype("timedelta64[D]")


def ages(births: np.ndarray, today: datetime.date) -> np.ndarray:
    """Age in whole years as eligibility computes it: (today - birth).days // 365."""
    return (np.datetime64(today, "D") - births).astype(np.int64) // 365


# --- volunteers ------------------------------------------------------------------------------

@dataclass
class VolunteerTable:
    ids: np.ndarray  # sorted ascending
    organisation: np.ndarray
    branch: np.ndarray
    version: np.ndarray
    xyz: np.ndarray  # (n, 3) unit vectors of the postcode centres
    languages: np.ndarray  # bit mask over LANGUAGES
    skills: np.ndarray  # bit mask over SKILLS
    roles: np.ndarray  # bit mask over ROLES
    capacity: np.ndarray
    load: np.ndarray  # matched and active engagements now
    active: np.ndarray
    certificate_ok: np.ndarray  # a valid child-safety certificate (screening.allows_children)
    pref_gender: np.ndarray  # GENDERS code, 0 for none
    pref_gender_required: np.ndarray
    pref_age_bit: np.ndarray  # 1 << AGE_GROUPS index, 0 for none
    pref_age_required: np.ndarray
    hours: np.ndarray  # hours a week in family time
    availability_cost: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, ids) -> np.ndarray:
        """Positions of the given volunteer ids (-1 for ids not in the table)."""
        ids = np.asarray(ids, dtype=np.int64)
        pos = np.searchsorted(self.ids, ids)
        pos = np.minimum(pos, max(len(self.ids) - 1, 0))
        found = (len(self.ids) > 0) & (self.ids[pos] == ids) if len(self.ids) else np.zeros(
            len(ids), dtype=bool)
        return np.where(found, pos, -1)

    def free(self) -> np.ndarray:
        return np.maximum(self.capacity - self.load, 0)

    def add_load(self, counts: dict[int, int]) -> None:
        """Count extra places as taken (the other proposals of a plan being edited)."""
        if not counts:
            return
        pos = self.index_of(list(counts))
        keep = pos >= 0
        np.add.at(self.load, pos[keep], np.array(list(counts.values()))[keep])


class Minutes(Func):
    """Minutes after midnight of a time column, in SQL (no time parsing in Python)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])  # stored as 'HH:MM:SS'
        return (f"(CAST(substr({sql}, 1, 2) AS INTEGER) * 60 "
                f"+ CAST(substr({sql}, 4, 2) AS INTEGER))", [*params, *params])

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"(CAST(EXTRACT(HOUR FROM {sql}) AS INTEGER) * 60 "
                f"+ CAST(EXTRACT(MINUTE FROM {sql}) AS INTEGER))", [*params, *params])


def family_minutes() -> Subquery:
    """Per volunteer (OuterRef "pk"): minutes a week of her slots inside costs.FAMILY_TIME.
    Slots do not overlap (volunteers.services refuses that), so the overlaps add up."""
    def bound(which: int) -> Case:
        return Case(*[When(weekday=day, then=Value(window[which]))
                      for day, window in costs.FAMILY_TIME.items()],
                    default=Value(0), output_field=IntegerField())

    overlap = Greatest(
        Value(0), Least(Minutes("end"), bound(1)) - Greatest(Minutes("start"), bound(0)),
        output_field=IntegerField())
    minutes = (AvailabilitySlot.objects.filter(volunteer=OuterRef("pk")).order_by()
               .values("volunteer").annotate(m=Sum(overlap)).values("m"))
    return Coalesce(Subquery(minutes), Value(0), output_field=IntegerField())


_postcodes: dict[str, np.ndarray] = {}


def postcode_points(codes: Iterable[str]) -> np.ndarray:
    """Unit vectors of postcode centres. Postcodes are reference data (loaded by a migration),
    so they are read once per process, and again only for a postcode not seen before."""
    codes = list(codes)
    if not _postcodes or any(code not in _postcodes for code in set(codes)):
        rows = _fetch(Postcode.objects.annotate(lat=as_float("latitude"),
                                                lon=as_float("longitude"))
                      .values_list("code", "lat", "lon"))
        code, lat, lon = _columns(rows, 3)
        _postcodes.update(zip(code, unit_vectors(lat, lon), strict=True))
    return np.array([_postcodes[code] for code in codes]).reshape(-1, 3)


def postcodes_within(point: np.ndarray, km: float) -> list[str]:
    """The postcodes whose centre lies within km of a point (a unit vector)."""
    postcode_points([])  # loaded
    codes = list(_postcodes)
    points = np.array([_postcodes[c] for c in codes])
    near = costs.distance_km(point[None, :], points) <= km
    return [c for c, ok in zip(codes, near, strict=True) if ok]


def load_volunteers(
    *, organisation_id: int, today: datetime.date, active_only: bool = True,
    weights: costs.Weights = costs.WEIGHTS, ids: Iterable[int] | None = None,
    role: str | None = None, certificates: bool = True, postcodes: list[str] | None = None,
    branch_id: int | None = None,
) -> VolunteerTable:
    """The organisation's volunteers (only active ones unless asked) as a VolunteerTable.

    Three queries: the volunteers (with their minutes in family time), their decided
    child-safety certificates and their current load. `branch_id` keeps one branch's
    volunteers. When the caller knows who cannot matter, `role` leaves out volunteers who do
    not take it, `postcodes` those living elsewhere, and certificates=False skips the
    certificates (all counted as not valid).
    """
    # The same conditions for the volunteers and, through a join, for their certificates and
    # engagements.
    conditions: dict = {"organisation_id": organisation_id}
    if active_only:
        conditions["status"] = VolunteerStatus.ACTIVE
    if ids is not None:
        conditions["pk__in"] = list(ids)
    if role is not None:
        # JSON `contains` is not available on SQLite; the quoted value in the text is exact.
        conditions["roles__icontains"] = f'"{role}"'
    if postcodes is not None:
        conditions["postcode_id__in"] = postcodes
    if branch_id is not None:
        conditions["branch_id"] = branch_id
    of_volunteers = {f"volunteer__{key}": value for key, value in conditions.items()}
    rows = _fetch(
        Volunteer.objects.filter(**conditions).annotate(
            languages_text=Cast("languages", TextField()),
            skills_text=Cast("skills", TextField()),
            roles_text=Cast("roles", TextField()),
            gender_must=Cast("preferred_gender_required", IntegerField()),
            age_must=Cast("preferred_child_age_required", IntegerField()),
            family=family_minutes(),
        )
        .order_by("pk")
        .values_list(
            "pk", "organisation_id", "branch_id", "version", "postcode_id", "languages_text",
            "skills_text", "roles_text", "capacity", "status", "preferred_gender", "gender_must",
            "preferred_child_age", "age_must", "family",
        )
    )
    (pk, org, branch, version, postcode, languages, skills, roles, capacity, status, pgender,
     pgender_req, page, page_req, family) = _columns(rows, 15)
    n = len(pk)
    hours = np.array(family, dtype=np.float64) / 60
    table = VolunteerTable(
        ids=np.array(pk, dtype=np.int64),
        organisation=np.array(org, dtype=np.int64),
        branch=np.array(branch, dtype=np.int64),
        version=np.array(version, dtype=np.int64),
        xyz=postcode_points(postcode),
        languages=_masks(languages, LANGUAGES),
        skills=_masks(skills, SKILLS),
        roles=_masks(roles, ROLES),
        capacity=np.array(capacity, dtype=np.int64),
        load=np.zeros(n, dtype=np.int64),
        active=np.array([s == VolunteerStatus.ACTIVE for s in status], dtype=bool),
        certificate_ok=np.zeros(n, dtype=bool),
        pref_gender=np.array([GENDERS.get(g, 0) for g in pgender], dtype=np.int64),
        pref_gender_required=np.array(pgender_req, dtype=bool),
        pref_age_bit=np.array([costs.AGE_GROUP_BITS.get(a, 0) for a in page], dtype=np.int64),
        pref_age_required=np.array(page_req, dtype=bool),
        hours=hours,
        availability_cost=costs.availability_cost(hours, weights),
    )
    if not n:
        return table

    if certificates:
        _certificates(table, of_volunteers, today)
    loads = _fetch(
        Engagement.objects.filter(**of_volunteers, state__in=LOAD_STATES).order_by()
        .values_list("volunteer_id").annotate(n=Count("pk")).values_list("volunteer_id", "n")
    )
    if loads:
        lvid, count = _columns(loads, 2)
        table.load[table.index_of(lvid)] = np.array(count, dtype=np.int64)
    return table


def _certificates(table: VolunteerTable, of_volunteers: dict, today: datetime.date) -> None:
    """certificate_ok: screening.certificate_status(...).allows_children, for arrays."""
    certificates = _fetch(
        ChildCertificate.objects.filter(**of_volunteers)
        .exclude(result=ChildCertificate.Result.PENDING)
        .order_by("volunteer_id", "received_on", "pk")
        .annotate(received_text=as_text("received_on"), until_text=as_text("valid_until"))
        .values_list("volunteer_id", "result", "received_text", "until_text")
    )
    if certificates:
        cvid, result, received, until = _columns(certificates, 4)
        cvid = np.array(cvid, dtype=np.int64)
        last = np.r_[cvid[1:] != cvid[:-1], True]  # the latest decision of each volunteer
        received = _dates(received)[last]
        until = _dates(until)[last]
        months = settings.CHILD_CERTIFICATE_VALID_MONTHS
        computed = np.where(np.isnat(received), received, add_months(received, months))
        until = np.where(np.isnat(until), computed, until)
        clear = np.array(result, dtype=object)[last] == ChildCertificate.Result.CLEAR
        ok = clear & (np.isnat(until) | (until >= np.datetime64(today, "D")))
        table.certificate_ok[table.index_of(cvid[last])] = ok


# --- engagements -----------------------------------------------------------------------------

@dataclass
class EngagementTable:
    ids: np.ndarray  # in referral order (referred_on, id): first come, first served
    organisation: np.ndarray
    branch: np.ndarray
    household: np.ndarray
    referred_on: np.ndarray
    role_bit: np.ndarray
    xyz: np.ndarray
    language: list[str]  # the household's preferred language (choice value)
    language_bit: np.ndarray  # 0 for Danish and "other": nothing to share
    parent_gender: np.ndarray  # GENDERS code of the mentored parent, 0 if none or not given
    age_groups: np.ndarray  # bit i: a child in AGE_GROUPS[i]
    needs_certificate: np.ndarray  # the role needs a certificate and a child is under the limit
    needs: np.ndarray  # (m, len(SKILLS)) need level per skill
    needed_skills: np.ndarray  # bit mask of the skills with a need
    skill_costs: np.ndarray  # (m, 2 ** len(SKILLS)): costs.skill_cost_table

    def __len__(self) -> int:
        return len(self.ids)

    def language_code(self, e: int) -> str:
        return self.language[e] if self.language_bit[e] else ""


def load_engagements(
    qs: QuerySet[Engagement], *, today: datetime.date, weights: costs.Weights = costs.WEIGHTS,
) -> EngagementTable:
    """The engagements of qs (already scoped by the caller) as an EngagementTable.

    Three queries: the engagements with household and parent, the children of their households,
    and the ratings of each household's latest needs assessment.
    """
    rows = _fetch(
        qs.order_by("referred_on", "pk").annotate(referred_text=as_text("referred_on"))
        .values_list(
            "pk", "organisation_id", "branch_id", "household_id", "type", "referred_text",
            "household__preferred_language", "household__postcode_id", "parent__gender",
        )
    )
    (pk, org, branch, household, type_, referred, language, postcode,
     parent_gender) = _columns(rows, 9)
    m = len(pk)
    households = np.array(household, dtype=np.int64)
    language_bit = np.array(
        [0 if lang in (Language.DANISH, Language.OTHER) or lang not in LANGUAGES
         else 1 << LANGUAGES.index(lang) for lang in language], dtype=np.int64)
    table = EngagementTable(
        ids=np.array(pk, dtype=np.int64),
        organisation=np.array(org, dtype=np.int64),
        branch=np.array(branch, dtype=np.int64),
        household=households,
        referred_on=_dates(referred),
        role_bit=np.array([1 << ROLES.index(t) if t in ROLES else 0 for t in type_],
                          dtype=np.int64),
        xyz=postcode_points(postcode),
        language=list(language),
        language_bit=language_bit,
        parent_gender=np.array([GENDERS.get(g or "", 0) for g in parent_gender], dtype=np.int64),
        age_groups=np.zeros(m, dtype=np.int64),
        needs_certificate=np.zeros(m, dtype=bool),
        needs=np.zeros((m, len(SKILLS)), dtype=np.int64),
        needed_skills=np.zeros(m, dtype=np.int64),
        skill_costs=np.zeros((m, 1 << len(SKILLS))),
    )
    if not m:
        return table
    unique_households, position = np.unique(households, return_inverse=True)
    in_households = qs.order_by().values("household_id")

    children = _fetch(Person.objects.filter(household__in=in_households, role=MemberRole.CHILD)
                      .order_by().annotate(birth_text=as_text("birth_date"))
                      .values_list("household_id", "birth_text"))
    youngest = np.full(len(unique_households), np.iinfo(np.int64).max)
    groups = np.zeros(len(unique_households), dtype=np.int64)
    if children:
        chh, births = _columns(children, 2)
        where = np.searchsorted(unique_households, np.array(chh, dtype=np.int64))
        age = ages(_dates(births), today)
        np.minimum.at(youngest, where, age)
        for bit, (low, high) in enumerate(AGE_GROUPS.values()):
            inside = (age >= low) & (age <= high)
            np.bitwise_or.at(groups, where[inside], 1 << bit)
    table.age_groups = groups[position]
    certificate_roles = [1 << ROLES.index(r) for r in settings.CHILD_CERTIFICATE_ROLES
                         if r in ROLES]
    role_needs = np.isin(table.role_bit, certificate_roles)
    table.needs_certificate = role_needs & (youngest[position]
                                            < settings.CHILD_CERTIFICATE_AGE_LIMIT)

    latest = (NeedsAssessment.objects.filter(household_id=OuterRef("assessment__household_id"))
              .order_by("-assessed_on", "-pk").values("pk")[:1])
    ratings = _fetch(
        NeedRating.objects.filter(assessment__household__in=in_households,
                                  assessment_id=Subquery(latest), level__gt=0)
        .order_by().values_list("assessment__household_id", "area", "level")
    )
    needs = np.zeros((len(unique_households), len(SKILLS)), dtype=np.int64)
    if ratings:
        rhh, area, level = _columns(ratings, 3)
        skill = np.array([SKILLS.index(costs.NEED_SKILLS[a]) if a in costs.NEED_SKILLS else -1
                          for a in area], dtype=np.int64)
        keep = skill >= 0
        where = np.searchsorted(unique_households, np.array(rhh, dtype=np.int64))
        np.maximum.at(needs, (where[keep], skill[keep]), np.array(level, dtype=np.int64)[keep])
    needs = needs[position]
    danish = SKILLS.index(costs.DANISH_SKILL)
    foreign = np.array([lang != Language.DANISH for lang in language], dtype=bool)
    needs[foreign, danish] = np.maximum(needs[foreign, danish], weights.danish_need_level)
    table.needs = needs
    table.needed_skills = ((needs > 0) * (1 << np.arange(len(SKILLS)))).sum(axis=1)
    table.skill_costs = costs.skill_cost_table(needs, weights)
    return table
