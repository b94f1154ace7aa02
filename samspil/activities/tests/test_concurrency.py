"""Capacity under concurrency, on PostgreSQL: real threads, each with its own connection,
signing up at the same moment. Exactly the capacity is taken; the rest wait."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection

from samspil.activities import services
from samspil.activities.models import SignUp
from samspil.activities.services import PublicSignUpData
from samspil.activities.tests.factories import TODAY, make_activity
from samspil.conftest import make_household

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                       reason="needs PostgreSQL (SQLite serialises writes)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEXT_WEEK = TODAY.replace(day=22)


def run_at_once(jobs) -> list[BaseException]:
    """Start every job in its own thread behind one barrier; return the exceptions raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except BaseException as error:  # noqa: BLE001 - collected and asserted on
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_two_coordinators_never_exceed_the_capacity(coordinator, branch):
    activity = make_activity(branch, capacity=5, sessions=(NEXT_WEEK,))
    households = [make_household(coordinator, branch, last=f"Familie{i}") for i in range(16)]

    def sign(household):
        return lambda: services.signup_create(actor=coordinator, activity=activity,
                                              household=household,
                                              persons=list(household.members.all()))

    assert run_at_once([sign(h) for h in households]) == []
    statuses = list(SignUp.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count("confirmed") == 5
    assert statuses.count("waiting") == 11


def test_public_signups_in_persons_never_exceed_the_capacity(branch):
    activity = make_activity(branch, capacity=10, capacity_unit="persons",
                             sessions=(NEXT_WEEK,), public_signup=True)

    def sign(i):
        return lambda: services.signup_public(
            activity=activity, token=uuid.uuid4(),
            data=PublicSignUpData(contact_name=f"Forælder {i}", phone="", email="",
                                  adults=1, children_ages=(5, 8)))  # 3 persons each

    assert run_at_once([sign(i) for i in range(12)]) == []
    confirmed = SignUp.objects.filter(activity=activity, status="confirmed")
    assert sum(confirmed.values_list("places", flat=True)) == 9  # 3 families of 3
    assert SignUp.objects.filter(activity=activity, status="waiting").count() == 9


def test_cancellations_racing_promote_each_waiting_family_once(coordinator, branch):
    activity = make_activity(branch, capacity=4, sessions=(NEXT_WEEK,))
    households = [make_household(coordinator, branch, last=f"Familie{i}") for i in range(10)]
    signups = [services.signup_create(actor=coordinator, activity=activity, household=h,
                                      persons=list(h.members.all())) for h in households]
    confirmed = [s for s in signups if s.status == "confirmed"]
    assert run_at_once([
        (lambda s=s: services.signup_cancel(actor=coordinator, signup=s)) for s in confirmed
    ]) == []
    statuses = list(SignUp.objects.filter(activity=activity).order_by("signed_up_at", "id")
                    .values_list("status", flat=True))
    assert statuses == ["cancelled"] * 4 + ["confirmed"] * 4 + ["waiting"] * 2
