"""Writes for networks, activities, sign-ups and attendance. Each function is one transaction
with its audit rows; e-mails go out on commit.

Capacity: every write that takes or frees places (sign-up, cancellation, promotion) first locks
the activity row (``_lock``): ``SELECT … FOR UPDATE`` on PostgreSQL, a write to the row on
SQLite (which takes SQLite's single write lock for the rest of the transaction). The places are
counted only after the lock, so two coordinators or two hundred public sign-ups at the same
moment queue up and never exceed the capacity.

The waiting list is first come, first served: a new sign-up joins the waiting list while anyone
is waiting, and a freed place goes to the head of the list; if the head's family needs more
places than are free (capacity in persons), nobody behind it jumps ahead.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samspil.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    CapacityUnit,
    Network,
    NetworkMembership,
    Participant,
    Session,
    SignUp,
    SignUpStatus,
)
from samspil.core.models import AuditEvent, User
from samspil.core.services import audit_record
from samspil.households.models import Household, MemberRole, Person

Action = AuditEvent.Action
Status = SignUpStatus


def _audit(actor: User | None, action: str, obj, *, household_id: int | None = None,
           fields=(), label: str = "", summary: str = "") -> None:
    audit_record(
        actor=actor, action=action, object_type=obj._meta.label_lower, object_id=obj.pk,
        household_id=household_id, object_label=label or str(obj), fields=list(fields),
        summary=summary,
    )


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# --- networks ----------------------------------------------------------------------------------

NETWORK_FIELDS = ("branch", "name", "municipality", "description", "started_on", "ended_on")


@transaction.atomic
def network_save(*, actor: User, values: dict, contact_volunteers=(),
                 network: Network | None = None) -> Network:
    """Create (network None) or change a network."""
    creating = network is None
    if creating:
        network = Network(organisation_id=actor.organisation_id)
    changed = [f for f in NETWORK_FIELDS if getattr(network, f, None) != values.get(f)]
    for name in NETWORK_FIELDS:
        setattr(network, name, values.get(name))
    network.full_clean()
    network.save()
    network.contact_volunteers.set(contact_volunteers)
    _audit(actor, Action.CREATE if creating else Action.CHANGE, network, fields=changed)
    return network


@transaction.atomic
def network_member_add(*, actor: User, network: Network, household: Household,
                       joined_on: datetime.date) -> NetworkMembership:
    if household.organisation_id != network.organisation_id:
        raise ValidationError(_("The household does not belong to this organisation."))
    if network.memberships.filter(household=household, left_on__isnull=True).exists():
        raise ValidationError({"household": _("The household is already a member.")})
    if joined_on < network.started_on or (network.ended_on and joined_on > network.ended_on):
        raise ValidationError({"joined_on": _(
            "The household can only join while the network runs.")})
    membership = NetworkMembership(network=network, household=household, joined_on=joined_on)
    membership.full_clean()
    membership.save()
    _audit(actor, Action.CREATE, membership, household_id=household.pk, label=network.name)
    return membership


@transaction.atomic
def network_member_leave(*, actor: User, membership: NetworkMembership,
                         left_on: datetime.date) -> NetworkMembership:
    if membership.left_on is not None:
        raise ValidationError(_("The household has already left the network."))
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A household cannot leave before it joined.")})
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    _audit(actor, Action.CHANGE, membership, household_id=membership.household_id,
           fields=["left_on"], label=membership.network.name)
    return membership


# --- activities --------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "branch", "network", "kind", "title", "description", "place", "capacity", "capacity_unit",
    "waiting_list", "min_age", "max_age", "price", "signup_deadline", "public_signup",
)


@dataclass(frozen=True)
class SessionData:
    date: datetime.date
    start: datetime.time
    end: datetime.time


def _check_session(data: SessionData) -> None:
    if data.end <= data.start:
        raise ValidationError({"end": _("A session must end after it starts.")})


@transaction.atomic
def activity_save(*, actor: User, values: dict, volunteers=(), sessions=(),
                  activity: Activity | None = None) -> Activity:
    """Create (activity None, with its first sessions) or change an activity."""
    creating = activity is None
    if creating:
        activity = Activity(organisation_id=actor.organisation_id)
    else:
        _lock(activity)  # the places are counted below, and may be given to waiting families
    kind = values.get("kind")
    if kind is not None and kind.organisation_id not in (None, actor.organisation_id):
        raise ValidationError({"kind": _("Choose a kind of activity from the list.")})
    network = values.get("network")
    if network is not None and network.branch_id != values["branch"].pk:
        raise ValidationError({"network": _("The network belongs to another branch.")})
    changed = [f for f in ACTIVITY_FIELDS if getattr(activity, f + "_id", getattr(
        activity, f, None)) != getattr(values.get(f), "pk", values.get(f))]
    for name in ACTIVITY_FIELDS:
        setattr(activity, name, values.get(name))
    if not creating:
        taken = _places_taken(activity)
        if activity.capacity < taken:
            raise ValidationError({"capacity": _(
                "%(taken)s places are already taken; the capacity cannot be lower."
            ) % {"taken": taken}})
    activity.full_clean()
    activity.save()
    activity.volunteers.set(volunteers)
    for data in sessions:
        _check_session(data)
        Session.objects.create(activity=activity, date=data.date, start=data.start,
                               end=data.end)
    _audit(actor, Action.CREATE if creating else Action.CHANGE, activity, fields=changed)
    if not creating:
        _promote(activity, actor)  # more places: the waiting list moves up
    return activity


@transaction.atomic
def session_add(*, actor: User, activity: Activity, data: SessionData) -> Session:
    _check_session(data)
    session = Session(activity=activity, date=data.date, start=data.start, end=data.end)
    session.full_clean()
    session.save()
    _audit(actor, Action.CREATE, session, label=activity.title)
    return session


@transaction.atomic
def session_delete(*, actor: User, session: Session) -> None:
    if session.attendance.exists():
        raise ValidationError(_("Attendance has been recorded for this session; it cannot be "
                                "deleted."))
    _audit(actor, Action.DELETE, session, label=session.activity.title)
    session.delete()


@transaction.atomic
def kind_add(*, actor: User, code: str, name: str) -> ActivityKind:
    kind = ActivityKind(organisation_id=actor.organisation_id, code=code, name=name)
    if ActivityKind.objects.filter(code=code, organisation_id__in=[None, actor.organisation_id]
                                   ).exists():
        raise ValidationError({"code": _("A kind of activity with this code exists already.")})
    kind.full_clean(validate_constraints=False)
    kind.save()
    _audit(actor, Action.CREATE, kind)
    return kind


# --- sign-up, waiting list, promotion ----------------------------------------------------------

def _lock(activity: Activity) -> Activity:
    """The activity row, locked until the end of the transaction (see the module docstring)."""
    if connection.features.has_select_for_update:
        return Activity.objects.select_for_update().get(pk=activity.pk)
    Activity.objects.filter(pk=activity.pk).update(updated_at=F("updated_at"))
    return Activity.objects.get(pk=activity.pk)


def _places_taken(activity: Activity) -> int:
    return activity.signups.filter(status=Status.CONFIRMED).aggregate(n=Sum("places"))["n"] or 0


def places_free(activity: Activity) -> int:
    return max(activity.capacity - _places_taken(activity), 0)


def signup_closes_on(activity: Activity) -> datetime.date | None:
    """The last day to sign up: the deadline, else the day of the first session."""
    if activity.signup_deadline:
        return activity.signup_deadline
    return activity.sessions.order_by("date").values_list("date", flat=True).first()


def _check_open(activity: Activity, today: datetime.date) -> None:
    closes = signup_closes_on(activity)
    if closes is not None and today > closes:
        raise ValidationError(_("The sign-up closed on %(date)s.") % {
            "date": date_format(closes, "SHORT_DATE_FORMAT")})


def _check_ages(activity: Activity, ages: list[tuple[str, int]]) -> None:
    """Children's ages (on the day of the first session) within the activity's limits."""
    if activity.min_age is None and activity.max_age is None:
        return
    for name, age in ages:
        if (activity.min_age is not None and age < activity.min_age) or (
                activity.max_age is not None and age > activity.max_age):
            raise ValidationError({"persons": _(
                "%(name)s is %(age)s; this activity is for children aged %(min)s to %(max)s."
            ) % {"name": name, "age": age, "min": activity.min_age or 0,
                 "max": activity.max_age if activity.max_age is not None else "–"}})


def _first_day(activity: Activity, today: datetime.date) -> datetime.date:
    return activity.sessions.order_by("date").values_list("date", flat=True).first() or today


def _place(activity: Activity, places: int) -> str:
    """Where a new sign-up of `places` goes, on the locked activity: a place, or the queue."""
    if activity.capacity_unit == CapacityUnit.PERSONS and places > activity.capacity:
        raise ValidationError({"persons": _(
            "The activity has %(capacity)s places in all; a sign-up cannot be for more persons."
        ) % {"capacity": activity.capacity}})
    someone_waiting = activity.signups.filter(status=Status.WAITING).exists()
    if not someone_waiting and _places_taken(activity) + places <= activity.capacity:
        return Status.CONFIRMED
    if activity.waiting_list:
        return Status.WAITING
    raise ValidationError(_("The activity is full and has no waiting list."))


def _places_for(activity: Activity, persons: int) -> int:
    return persons if activity.capacity_unit == CapacityUnit.PERSONS else 1


@transaction.atomic
def signup_create(*, actor: User, activity: Activity, household: Household,
                  persons: list[Person], note: str = "") -> SignUp:
    """A coordinator signs a registry household up with the chosen members."""
    today = timezone.localdate()
    if household.organisation_id != activity.organisation_id:
        raise ValidationError(_("The household does not belong to this organisation."))
    if not persons:
        raise ValidationError({"persons": _("Choose who in the household comes.")})
    if any(p.household_id != household.pk for p in persons):
        raise ValidationError({"persons": _("Only members of the household can be signed up.")})
    _check_open(activity, today)
    first_day = _first_day(activity, today)
    _check_ages(activity, [(p.first_name, age_on(p.birth_date, first_day))
                           for p in persons if p.role == MemberRole.CHILD])
    activity = _lock(activity)
    if activity.signups.filter(household=household).exclude(status=Status.CANCELLED).exists():
        raise ValidationError({"household": _("The household is already signed up.")})
    places = _places_for(activity, len(persons))
    status = _place(activity, places)
    now = timezone.now()
    signup = SignUp.objects.create(
        activity=activity, household=household, status=status, places=places, note=note,
        signed_up_at=now, confirmed_at=now if status == Status.CONFIRMED else None,
        created_by=actor,
    )
    Participant.objects.bulk_create([
        Participant(signup=signup, person=p, first_name=p.first_name,
                    is_child=p.role == MemberRole.CHILD) for p in persons
    ])
    _audit(actor, Action.CREATE, signup, household_id=household.pk, label=activity.title,
           summary=status)
    if status == Status.CONFIRMED:
        _notify_on_commit(signup)
    return signup


@dataclass(frozen=True)
class PublicSignUpData:
    """What a family types into the public sign-up form."""

    contact_name: str
    phone: str
    email: str
    adults: int
    children_ages: tuple[int, ...]
    language: str = ""
    note: str = ""


def signup_public(*, activity: Activity, data: PublicSignUpData,
                  token: uuid.UUID) -> SignUp:
    """A family signs up through the activity's public link (no login).

    The sign-up stays a sign-up record with contact details (no registry household is made: a
    family that only comes to a café should not end up in the registry); a coordinator can link
    it to a registry household later (signup_link_household). It takes places and queues exactly
    like a coordinator's sign-up.
    """
    today = timezone.localdate()
    with transaction.atomic():
        if not activity.public_signup:
            raise ValidationError(_("This activity is not open for sign-up through the link."))
        _check_open(activity, today)
        if data.adults < 1:
            raise ValidationError({"adults": _("At least one adult comes with the children.")})
        _check_ages(activity, [(_("A child"), age) for age in data.children_ages])
        activity = _lock(activity)
        persons = data.adults + len(data.children_ages)
        places = _places_for(activity, persons)
        status = _place(activity, places)
        now = timezone.now()
        signup = SignUp.objects.create(
            activity=activity, status=status, places=places, contact_name=data.contact_name,
            phone=data.phone, email=data.email, language=data.language, note=data.note,
            submission_token=token, signed_up_at=now,
            confirmed_at=now if status == Status.CONFIRMED else None,
        )
        first = data.contact_name.split()[0] if data.contact_name.split() else data.contact_name
        people = [Participant(signup=signup, first_name=first[:100])]
        people += [Participant(signup=signup, first_name=_("Adult %(n)s") % {"n": i + 2})
                   for i in range(data.adults - 1)]
        people += [Participant(signup=signup, first_name=_("Child %(n)s") % {"n": i + 1},
                               is_child=True, age=age)
                   for i, age in enumerate(data.children_ages)]
        Participant.objects.bulk_create(people)
        _audit(None, Action.CREATE, signup, label=activity.title, summary="public " + status)
        if status == Status.CONFIRMED:
            _notify_on_commit(signup)
    return signup


def _promote(activity: Activity, actor: User | None) -> list[SignUp]:
    """Give freed places to the head of the waiting list (activity locked by the caller)."""
    free = activity.capacity - _places_taken(activity)
    promoted = []
    for signup in activity.signups.filter(status=Status.WAITING).order_by("signed_up_at", "id"):
        if signup.places > free:
            break
        signup.status = Status.CONFIRMED
        signup.confirmed_at = timezone.now()
        signup.save(update_fields=["status", "confirmed_at"])
        free -= signup.places
        promoted.append(signup)
        _audit(actor, Action.CHANGE, signup, household_id=signup.household_id,
               fields=["status"], label=activity.title, summary="promoted")
        _notify_on_commit(signup)
    return promoted


@transaction.atomic
def signup_cancel(*, actor: User, signup: SignUp) -> list[SignUp]:
    """Cancel a sign-up; returns the sign-ups that moved up from the waiting list."""
    activity = _lock(signup.activity)
    signup.refresh_from_db()
    if signup.status == Status.CANCELLED:
        raise ValidationError(_("The sign-up has already been cancelled."))
    if signup.attendance_recorded():
        raise ValidationError(_("Attendance has been recorded for this sign-up; it cannot be "
                                "cancelled."))
    signup.status = Status.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    _audit(actor, Action.CHANGE, signup, household_id=signup.household_id, fields=["status"],
           label=activity.title, summary="cancelled")
    return _promote(activity, actor)


@transaction.atomic
def signup_link_household(*, actor: User, signup: SignUp, household: Household) -> SignUp:
    """Link a public sign-up to a registry household; participants whose first name matches a
    member become that member (so their attendance counts for the person)."""
    if signup.household_id is not None:
        raise ValidationError(_("The sign-up is already linked to a household."))
    if household.organisation_id != signup.activity.organisation_id:
        raise ValidationError(_("The household does not belong to this organisation."))
    if signup.activity.signups.filter(household=household).exclude(
            status=Status.CANCELLED).exists() and signup.status != Status.CANCELLED:
        raise ValidationError({"household": _("The household is already signed up.")})
    members = {m.first_name.casefold(): m for m in household.members.all()}
    for participant in signup.participants.all():
        person = members.pop(participant.first_name.casefold(), None)
        if person is not None:
            participant.person = person
            participant.first_name = person.first_name
            participant.save(update_fields=["person", "first_name"])
    signup.household = household
    signup.save(update_fields=["household"])
    _audit(actor, Action.CHANGE, signup, household_id=household.pk, fields=["household"],
           label=signup.activity.title)
    return signup


# --- notification --------------------------------------------------------------------------

def _recipient(signup: SignUp) -> tuple[str, str]:
    if signup.household_id is not None:
        return signup.household.email, signup.household.preferred_language
    return signup.email, signup.language


def _notify_on_commit(signup: SignUp) -> None:
    transaction.on_commit(lambda: signup_notify_place(signup_id=signup.pk))


def signup_notify_place(*, signup_id: int) -> bool:
    """E-mail the family that it has a place, in its preferred language when Samspil speaks
    it (Danish otherwise). False when there is no address."""
    signup = SignUp.objects.select_related("activity", "household").get(pk=signup_id)
    address, language = _recipient(signup)
    if not address:
        return False
    codes = {code for code, _name in settings.LANGUAGES}
    language = language if language in codes else settings.LANGUAGE_CODE
    sessions = list(signup.activity.sessions.all())
    with translation.override(language):
        subject = _("You have a place: %(title)s") % {"title": signup.activity.title}
        body = render_to_string("activities/email_place.txt", {
            "signup": signup, "activity": signup.activity, "sessions": sessions,
        })
    send_mail(subject, body, None, [address])
    return True


# --- attendance ----------------------------------------------------------------------------

@transaction.atomic
def attendance_record(*, actor: User, session: Session, present: set[int]) -> int:
    """Tick who came to a session: every participant with a place gets a row, present or not.

    ``present`` holds participant ids. Returns the number present.
    """
    today = timezone.localdate()
    if session.date > today:
        raise ValidationError(_("Attendance can only be recorded on the day of the session or "
                                "later."))
    participants = list(Participant.objects.filter(signup__activity_id=session.activity_id,
                                                   signup__status=Status.CONFIRMED))
    known = {p.pk for p in participants}
    if not present <= known:
        raise ValidationError(_("Only people with a place can be marked present."))
    existing = {a.participant_id: a for a in session.attendance.all()}
    for participant in participants:
        mark = participant.pk in present
        row = existing.get(participant.pk)
        if row is None:
            Attendance.objects.create(session=session, participant=participant, present=mark,
                                      recorded_by=actor)
        elif row.present != mark:
            row.present = mark
            row.recorded_by = actor
            row.save(update_fields=["present", "recorded_by", "recorded_at"])
    _audit(actor, Action.CHANGE, session, label=session.activity.title, fields=["attendance"],
           summary=f"{len(present)}/{len(participants)}")
    return len(present)
