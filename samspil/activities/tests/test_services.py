"""Sign-up, waiting list, promotion, notification and attendance rules, and bad input that
saves nothing."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from samspil.activities import services
from samspil.activities.models import Attendance, SignUp
from samspil.activities.services import PublicSignUpData, SessionData
from samspil.activities.tests.factories import TODAY, make_activity
from samspil.conftest import make_household
from samspil.core.models import AuditEvent

D = datetime.date
T = datetime.time
NEXT_WEEK = TODAY + datetime.timedelta(days=7)


@pytest.fixture
def activity(branch):
    return make_activity(branch, capacity=2, sessions=(NEXT_WEEK,))


def family(coordinator, branch, last, **extra):
    household = make_household(coordinator, branch, last=last, **extra)
    household.email = f"{last.lower()}@example.org"
    household.preferred_language = "en"
    household.save(update_fields=["email", "preferred_language"])
    return household


def sign(coordinator, activity, household, persons=None):
    return services.signup_create(actor=coordinator, activity=activity, household=household,
                                  persons=persons or list(household.members.all()))


def public(activity, name="Mona Nielsen", adults=1, ages=(), email="mona@example.org"):
    return services.signup_public(
        activity=activity, token=uuid.uuid4(),
        data=PublicSignUpData(contact_name=name, phone="", email=email, adults=adults,
                              children_ages=tuple(ages)))


def test_it_gives_places_until_full_then_queues(coordinator, branch, activity,
                                                 django_capture_on_commit_callbacks):
    a, b, c = (family(coordinator, branch, n) for n in ("Alfa", "Beta", "Gamma"))
    with django_capture_on_commit_callbacks(execute=True):
        first = sign(coordinator, activity, a)
        second = sign(coordinator, activity, b)
        third = sign(coordinator, activity, c)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    assert sorted(m.to[0] for m in mail.outbox) == ["alfa@example.org", "beta@example.org"]
    assert AuditEvent.objects.filter(object_type="activities.signup", action="create").count() == 3


def test_cancelling_promotes_the_head_of_the_waiting_list_and_tells_it(
        coordinator, branch, activity, django_capture_on_commit_callbacks):
    a, b, c, d = (family(coordinator, branch, n) for n in ("Alfa", "Beta", "Gamma", "Delta"))
    first, _second = sign(coordinator, activity, a), sign(coordinator, activity, b)
    third, fourth = sign(coordinator, activity, c), sign(coordinator, activity, d)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.signup_cancel(actor=coordinator, signup=first)
    assert promoted == [third]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("confirmed", "waiting")
    assert [m.to for m in mail.outbox] == [["gamma@example.org"]]
    assert "You have a place" in mail.outbox[0].subject


def test_the_notification_is_in_the_households_language(coordinator, branch, activity,
                                                         django_capture_on_commit_callbacks):
    household = family(coordinator, branch, "Dansk")
    household.preferred_language = "da"
    household.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        sign(coordinator, activity, household)
    assert mail.outbox[0].subject.startswith("Du har fået en plads")
    assert "I har fået en plads" in mail.outbox[0].body


def test_a_language_samspil_does_not_speak_gets_danish(coordinator, branch, activity,
                                                       django_capture_on_commit_callbacks):
    household = family(coordinator, branch, "Arabisk")
    household.preferred_language = "ar"
    household.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        sign(coordinator, activity, household)
    assert mail.outbox[0].subject.startswith("Du har fået en plads")


def test_no_address_no_mail(coordinator, branch, activity, household,
                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign(coordinator, activity, household)  # make_household has no e-mail
    assert mail.outbox == []


def test_a_new_signup_does_not_jump_the_waiting_list(coordinator, branch):
    activity = make_activity(branch, capacity=3, capacity_unit="persons", sessions=(NEXT_WEEK,),
                             public_signup=True)
    big = family(coordinator, branch, "Stor", children=2)  # 3 persons
    services.signup_create(actor=coordinator, activity=activity, household=big,
                           persons=list(big.members.all())[:2])  # 2 of 3 places
    waiting = sign(coordinator, activity, family(coordinator, branch, "Vent", children=1))
    assert waiting.status == "waiting"  # needs 2, 1 free
    single = public(activity)  # needs 1 and 1 is free, but someone is waiting
    assert single.status == "waiting"


def test_capacity_in_persons_counts_everyone_who_comes(coordinator, branch):
    activity = make_activity(branch, capacity=4, capacity_unit="persons", sessions=(NEXT_WEEK,),
                             public_signup=True)
    signup = sign(coordinator, activity, family(coordinator, branch, "Fire", children=3))
    assert (signup.places, signup.status) == (4, "confirmed")
    assert services.places_free(activity) == 0
    with pytest.raises(ValidationError, match="4 places in all"):
        public(activity, adults=2, ages=(3, 5, 7))


def test_full_without_waiting_list_refuses_and_saves_nothing(coordinator, branch):
    activity = make_activity(branch, capacity=1, waiting_list=False, sessions=(NEXT_WEEK,))
    sign(coordinator, activity, family(coordinator, branch, "Alfa"))
    with pytest.raises(ValidationError, match="full and has no waiting list"):
        sign(coordinator, activity, family(coordinator, branch, "Beta"))
    assert SignUp.objects.count() == 1


def test_it_refuses_after_the_deadline(coordinator, branch, household):
    activity = make_activity(branch, sessions=(NEXT_WEEK,),
                             signup_deadline=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="sign-up closed"):
        sign(coordinator, activity, household)
    # Without a deadline, the sign-up closes after the day of the first session.
    past = make_activity(branch, sessions=(TODAY - datetime.timedelta(days=1),),
                         public_signup=True)
    with pytest.raises(ValidationError, match="sign-up closed"):
        public(past)
    assert SignUp.objects.count() == 0


def test_it_refuses_persons_outside_the_household(coordinator, branch, household):
    stranger = make_household(coordinator, branch, last="Fremmed")
    activity = make_activity(branch, sessions=(NEXT_WEEK,))
    with pytest.raises(ValidationError, match="Only members of the household"):
        services.signup_create(actor=coordinator, activity=activity, household=household,
                               persons=[stranger.members.first()])
    assert SignUp.objects.count() == 0


def test_it_refuses_a_child_outside_the_age_limits(coordinator, branch, household):
    # make_household: children born 2012-06-01 and 2013-06-01, so 14 and 13 next week.
    activity = make_activity(branch, sessions=(NEXT_WEEK,), min_age=6, max_age=12)
    with pytest.raises(ValidationError, match="Barn0 is 14"):
        sign(coordinator, activity, household)
    parent = household.members.get(role="parent")
    assert sign(coordinator, activity, household, persons=[parent]).status == "confirmed"
    activity.public_signup = True
    with pytest.raises(ValidationError, match="A child is 3"):
        public(activity, ages=(7, 3))


def test_a_household_is_signed_up_once(coordinator, branch, household, activity):
    sign(coordinator, activity, household)
    with pytest.raises(ValidationError, match="already signed up"):
        sign(coordinator, activity, household)


def test_public_signup_needs_the_link_open_and_an_adult(branch):
    activity = make_activity(branch, sessions=(NEXT_WEEK,))
    with pytest.raises(ValidationError, match="not open for sign-up"):
        public(activity)
    activity.public_signup = True
    with pytest.raises(ValidationError, match="At least one adult"):
        public(activity, adults=0, ages=(4,))
    signup = public(activity, adults=2, ages=(4, 9))
    names = [(p.first_name, p.is_child, p.age) for p in signup.participants.all()]
    assert names == [("Mona", False, None), ("Adult 2", False, None), ("Child 1", True, 4),
                     ("Child 2", True, 9)]


def test_linking_a_public_signup_maps_members_by_first_name(coordinator, branch, household):
    activity = make_activity(branch, sessions=(NEXT_WEEK,), public_signup=True)
    signup = public(activity, name="Anna Jensen", ages=(12,))
    services.signup_link_household(actor=coordinator, signup=signup, household=household)
    anna = signup.participants.get(first_name="Anna")
    assert anna.person == household.members.get(first_name="Anna")
    assert signup.participants.get(is_child=True).person is None


def test_a_session_ending_before_it_starts_is_refused(coordinator, branch):
    with pytest.raises(ValidationError, match="end after it starts"):
        services.activity_save(
            actor=coordinator, sessions=[SessionData(NEXT_WEEK, T(18), T(17))],
            values={"branch": branch, "network": None, "kind": make_activity(branch).kind,
                    "title": "Café", "description": "", "place": "", "capacity": 5,
                    "capacity_unit": "households", "waiting_list": True, "min_age": None,
                    "max_age": None, "price": 0, "signup_deadline": None,
                    "public_signup": False})
    assert not SignUp.objects.exists()


def test_attendance_for_a_future_session_is_refused(coordinator, branch, household, activity):
    sign(coordinator, activity, household)
    session = activity.sessions.get()
    with pytest.raises(ValidationError, match="on the day of the session"):
        services.attendance_record(actor=coordinator, session=session, present=set())
    assert not Attendance.objects.exists()


def test_attendance_marks_everyone_with_a_place(coordinator, branch, household):
    activity = make_activity(branch, capacity=1, sessions=(TODAY,))
    signup = sign(coordinator, activity, household)
    waiting = sign(coordinator, activity, family(coordinator, branch, "Vent"))
    anna, *children = signup.participants.order_by("id")
    session = activity.sessions.get()
    assert services.attendance_record(actor=coordinator, session=session,
                                      present={anna.pk}) == 1
    rows = dict(session.attendance.values_list("participant_id", "present"))
    assert rows == {anna.pk: True, children[0].pk: False, children[1].pk: False}
    with pytest.raises(ValidationError, match="Only people with a place"):
        services.attendance_record(actor=coordinator, session=session,
                                   present={waiting.participants.first().pk})
    # Ticking again changes the rows, it does not add any.
    services.attendance_record(actor=coordinator, session=session, present={children[0].pk})
    assert session.attendance.filter(present=True).get().participant == children[0]
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.signup_cancel(actor=coordinator, signup=signup)


def test_more_places_move_the_waiting_list_up(coordinator, branch, activity,
                                              django_capture_on_commit_callbacks):
    a, b, c = (family(coordinator, branch, n) for n in ("Alfa", "Beta", "Gamma"))
    sign(coordinator, activity, a), sign(coordinator, activity, b)
    waiting = sign(coordinator, activity, c)
    values = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
    with pytest.raises(ValidationError, match="2 places are already taken"):
        services.activity_save(actor=coordinator, activity=activity,
                               values=values | {"capacity": 1})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_save(actor=coordinator, activity=activity,
                               values=values | {"capacity": 3})
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["gamma@example.org"]]
