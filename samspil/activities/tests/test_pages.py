"""The pages through HTTP: plan an activity, sign families up, cancel and promote, the public
link fed good and bad input, attendance on the phone, networks, participation, figures."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from samspil.activities import services
from samspil.activities.models import Activity, Attendance, Network, SignUp
from samspil.activities.tests.factories import (
    TODAY,
    join,
    kind,
    make_activity,
    make_network,
    signed_up,
)
from samspil.conftest import client_for, make_household
from samspil.engagements.tests.factories import make_volunteer, row

NEXT_WEEK = TODAY + datetime.timedelta(days=7)


def activity_post(branch, **extra) -> dict:
    data = {
        "title": "Familiecafé", "kind": kind().pk, "branch": branch.pk, "network": "",
        "description": "", "place": "Medborgerhuset", "capacity": "2",
        "capacity_unit": "households", "waiting_list": "on", "min_age": "", "max_age": "",
        "price": "0", "signup_deadline": "", "public_signup": "on",
        "sessions-TOTAL_FORMS": "3", "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "20",
        "sessions-0-date": NEXT_WEEK.isoformat(), "sessions-0-start": "17:00",
        "sessions-0-end": "19:00",
        "sessions-1-date": (NEXT_WEEK + datetime.timedelta(days=7)).isoformat(),
        "sessions-1-start": "17:00", "sessions-1-end": "19:00",
    }
    data.update(extra)
    return data


def test_a_coordinator_plans_an_activity_with_sessions(coordinator, branch):
    response = client_for(coordinator).post(reverse("activities:create"), activity_post(branch))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.sessions.count() == 2 and activity.public_signup


@pytest.mark.parametrize("changes, message", [
    ({"sessions-0-end": "16:00"}, "A session must end after it starts."),
    ({"sessions-0-date": "", "sessions-0-start": "", "sessions-0-end": "", "sessions-1-date": "",
      "sessions-1-start": "", "sessions-1-end": ""}, "Add at least one session."),
    ({"min_age": "10", "max_age": "5"}, "The upper age limit cannot be below the lower one."),
    ({"capacity": "0"}, "Ensure this value is greater than or equal to 1."),
])
def test_bad_activity_input_saves_nothing(coordinator, branch, changes, message):
    response = client_for(coordinator).post(reverse("activities:create"),
                                            activity_post(branch, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_signing_up_filling_up_and_cancelling_through_the_page(coordinator, branch,
                                                                django_capture_on_commit_callbacks):
    activity = make_activity(branch, capacity=1, sessions=(NEXT_WEEK,))
    a = make_household(coordinator, branch, last="Alfa")
    b = make_household(coordinator, branch, last="Beta")
    b.email = "beta@example.org"
    b.save(update_fields=["email"])
    client = client_for(coordinator)
    url = reverse("activities:signup", args=[activity.pk])
    client.post(url, {"household": a.pk})
    response = client.post(url, {"household": b.pk}, follow=True)
    assert "Anna Beta is on the waiting list." in response.content.decode()
    first = SignUp.objects.get(household=a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:cancel", args=[activity.pk, first.pk]),
                               follow=True)
    body = response.content.decode()
    assert "Anna Beta moved up from the waiting list and has been told." in body
    assert SignUp.objects.get(household=b).status == "confirmed"
    assert [m.to for m in mail.outbox] == [["beta@example.org"]]


def test_signing_up_a_member_of_another_household_is_refused(coordinator, branch, household):
    activity = make_activity(branch, sessions=(NEXT_WEEK,))
    other = make_household(coordinator, branch, last="Anden")
    response = client_for(coordinator).post(
        reverse("activities:signup", args=[activity.pk]),
        {"household": household.pk, "persons": [other.members.first().pk]})
    assert "Only members of the household can be signed up." in response.content.decode()
    assert not SignUp.objects.exists()


# --- the public link ---------------------------------------------------------------------------

@pytest.fixture
def open_activity(branch):
    return make_activity(branch, capacity=1, sessions=(NEXT_WEEK,), public_signup=True,
                         min_age=3, max_age=12)


def public_form(client, activity) -> dict:
    body = client.get(reverse("activities:public_signup", args=[activity.public_key])
                      ).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', body).group(1)
    return {"contact_name": "Mona Nielsen", "phone": "20 12 34 56", "email": "",
            "adults": "1", "children_ages": "4, 9", "language": "", "note": "",
            "website": "", "submission_token": token}


def test_a_family_signs_up_through_the_link_and_a_replay_shows_the_same_receipt(open_activity):
    client = client_for(None, language="da")
    data = public_form(client, open_activity)
    url = reverse("activities:public_signup", args=[open_activity.public_key])
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 200
    assert SignUp.objects.count() == 1
    signup = SignUp.objects.get()
    assert (signup.status, signup.phone, signup.places) == ("confirmed", "+4520123456", 1)
    assert "Mona Nielsen" in again.content.decode()


def test_the_next_family_on_the_link_is_told_it_waits(open_activity):
    client = client_for(None)
    url = reverse("activities:public_signup", args=[open_activity.public_key])
    client.post(url, public_form(client, open_activity))
    response = client.post(url, public_form(client, open_activity))
    assert "your family is on the waiting list" in response.content.decode()


@pytest.mark.parametrize("changes, message", [
    ({"website": "http://spam.example"}, "Your submission could not be accepted."),
    ({"contact_name": "x" * 5000}, "Ensure this value has at most 200 characters"),
    ({"children_ages": "four"}, "Write the ages as numbers separated by commas"),
    ({"children_ages": "2"}, "A child is 2; this activity is for children aged 3 to 12."),
    ({"adults": "-3"}, "Ensure this value is greater than or equal to 1."),
    ({"adults": "\x00\x01"}, "Enter a whole number."),
    ({"phone": ""}, "Give a phone number or an e-mail address"),
    ({"phone": "12"}, "Enter a valid phone number"),
    ({"submission_token": "garbage"}, "This form has expired."),
    ({"email": "@" * 300}, "Enter a valid email address."),
])
def test_bad_public_input_is_a_form_error_and_saves_nothing(open_activity, changes, message):
    client = client_for(None)
    data = public_form(client, open_activity) | changes
    response = client.post(reverse("activities:public_signup", args=[open_activity.public_key]),
                           data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SignUp.objects.exists()


def test_a_post_with_no_fields_at_all_is_a_form_error(open_activity):
    response = client_for(None).post(
        reverse("activities:public_signup", args=[open_activity.public_key]), {})
    assert response.status_code == 400
    assert not SignUp.objects.exists()


@override_settings(PUBLIC_FORM_MAX_SUBMISSIONS=2)
def test_the_link_is_rate_limited_per_client(open_activity):
    client = client_for(None)
    url = reverse("activities:public_signup", args=[open_activity.public_key])
    for _ in range(2):
        client.post(url, public_form(client, open_activity))
    response = client.post(url, public_form(client, open_activity))
    assert response.status_code == 429
    assert "Too many submissions" in response.content.decode()
    assert SignUp.objects.count() == 2


def test_after_the_deadline_the_link_says_it_is_closed(branch):
    activity = make_activity(branch, sessions=(NEXT_WEEK,), public_signup=True,
                             signup_deadline=TODAY - datetime.timedelta(days=1))
    client = client_for(None)
    body = client.get(reverse("activities:public_signup", args=[activity.public_key])
                      ).content.decode()
    assert "The sign-up for this activity has closed." in body
    assert 'name="submission_token"' not in body


# --- attendance --------------------------------------------------------------------------------

def test_the_volunteer_ticks_attendance_on_her_phone(personas, branch, household):
    frida = make_volunteer(branch, user=personas["volunteer"], first="Frida")
    activity = make_activity(branch, sessions=(TODAY, NEXT_WEEK))
    activity.volunteers.set([frida])
    signup = signed_up(activity, household)
    anna = signup.participants.get(first_name="Anna")
    today_session, later = activity.sessions.all()
    client = client_for(personas["volunteer"])
    mine = client.get(reverse("activities:mine")).content.decode()
    assert reverse("activities:attendance", args=[activity.pk, today_session.pk]) in mine
    url = reverse("activities:attendance", args=[activity.pk, today_session.pk])
    response = client.post(url, {"present": [anna.pk]}, follow=True)
    assert "Attendance saved: 1 present." in response.content.decode()
    assert dict(Attendance.objects.values_list("participant_id", "present"))[anna.pk] is True
    # A session next week: refused, nothing saved.
    response = client.post(reverse("activities:attendance", args=[activity.pk, later.pk]),
                           {"present": [anna.pk]})
    assert response.status_code == 400
    assert "on the day of the session or later" in response.content.decode()
    assert not later.attendance.exists()
    # Somebody who has no place.
    response = client.post(url, {"present": ["999999"]})
    assert response.status_code == 400 and Attendance.objects.filter(present=True).count() == 1


def test_the_attendance_rate_is_on_the_activity_page(coordinator, branch, household):
    activity = make_activity(branch, sessions=(TODAY,))
    signup = signed_up(activity, household)
    anna = signup.participants.get(first_name="Anna")
    services.attendance_record(actor=coordinator, session=activity.sessions.get(),
                               present={anna.pk})
    body = client_for(coordinator).get(reverse("activities:detail", args=[activity.pk])
                                       ).content.decode()
    assert "33 %" in body  # 1 of 3 present


# --- networks, participation, figures ----------------------------------------------------------

def test_a_coordinator_starts_a_network_and_adds_and_removes_a_household(coordinator, branch,
                                                                          household):
    client = client_for(coordinator)
    response = client.post(reverse("activities:network_create"), {
        "branch": branch.pk, "name": "Netværk Nord", "municipality": "0175",
        "description": "", "started_on": "2026-01-10", "ended_on": ""})
    network = Network.objects.get()
    assert response.status_code == 302
    client.post(reverse("activities:member_add", args=[network.pk]),
                {"household": household.pk, "joined_on": "2026-02-01"})
    again = client.post(reverse("activities:member_add", args=[network.pk]),
                        {"household": household.pk, "joined_on": "2026-02-02"})
    assert "The household is already a member." in again.content.decode()
    membership = network.memberships.get()
    client.post(reverse("activities:member_leave", args=[network.pk, membership.pk]),
                {"left_on": "2026-01-01"})
    membership.refresh_from_db()
    assert membership.left_on is None  # before joining: refused
    client.post(reverse("activities:member_leave", args=[network.pk, membership.pk]),
                {"left_on": "2026-05-01"})
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2026, 5, 1)


def test_a_network_ending_before_it_starts_is_refused(coordinator, branch):
    response = client_for(coordinator).post(reverse("activities:network_create"), {
        "branch": branch.pk, "name": "Netværk", "started_on": "2026-03-01",
        "ended_on": "2026-02-01"})
    assert "A network cannot end before it starts." in response.content.decode()
    assert not Network.objects.exists()


def test_the_participation_tab_lists_networks_activities_and_sessions(coordinator, branch,
                                                                      household):
    network = make_network(branch, name="Netværk Syd")
    join(network, household, datetime.date(2026, 1, 5))
    activity = make_activity(branch, title="Sommerlejr", code="family_camp",
                             sessions=(TODAY - datetime.timedelta(days=1), TODAY))
    signup = signed_up(activity, household)
    anna = signup.participants.get(first_name="Anna")
    for session in activity.sessions.all():
        services.attendance_record(actor=coordinator, session=session, present={anna.pk})
    response = client_for(coordinator).get(reverse("activities:participation",
                                                   args=[household.pk]))
    body = response.content.decode()
    assert "Netværk Syd" in body and "Sommerlejr" in body
    assert re.search(r"<td>Has a place</td><td>2</td>", body)
    household_page = client_for(coordinator).get(reverse("households:detail",
                                                         args=[household.pk]))
    assert reverse("activities:participation", args=[household.pk]) in \
        household_page.content.decode()


def test_the_figures_count_networks_reach_and_several_offers(personas, branch, other_branch):
    admin, coordinator = personas["org_admin"], personas["coordinator"]
    a = make_household(coordinator, branch, last="Alfa")
    b = make_household(coordinator, branch, last="Beta")
    net = make_network(branch, started=datetime.date(2026, 3, 1))
    make_network(other_branch, name="Aarhus", started=datetime.date(2025, 1, 1),
                 ended=datetime.date(2026, 4, 15))
    join(net, a, datetime.date(2026, 3, 1))
    activity = make_activity(branch, sessions=(datetime.date(2026, 5, 5),), network=net)
    signed_up(activity, a)
    signed_up(activity, b)
    row(b, make_volunteer(branch), started=datetime.date(2026, 2, 2))
    response = client_for(admin).get(reverse("activities:figures"), {"year": "2026"})
    body = response.content.decode()
    months = re.findall(r'<th scope="row">[^<]+</th><td>(\d+)</td></tr>', body)[:6]
    # Jan, Feb: Aarhus only; Mar: both; Apr: Aarhus ended on the 15th; May, Jun: one.
    assert months == ["1", "1", "2", "1", "1", "1"]
    # The network reached A (member, and in its activity) and B (in its activity).
    assert re.search(r"Familienetværk Rødovre</th><td>Rødovre</td><td>1</td><td>2</td>"
                     r"<td>2</td>", body)
    # A: network + activity; B: activity + engagement: both in more than one offer.
    assert re.search(r'<th scope="row">Rødovre</th><td>2</td><td>2</td>', body)
    assert "<svg" in body


def test_the_overview_counts_places_once_and_lists_a_running_series_as_running(coordinator,
                                                                               branch):
    """Issue 19: a weekly café with sessions before and after today was listed as held, its places
    read "60 of 10" (each place counted once per session) and its waiting list three times."""
    week = datetime.timedelta(days=7)
    cafe = make_activity(branch, title="Ugentlig café", capacity=10,
                         sessions=(TODAY - 2 * week, TODAY - week, TODAY, TODAY + week))
    held = make_activity(branch, title="Afholdt lejr", capacity=8,
                         sessions=(TODAY - 3 * week, TODAY - 2 * week))
    for n in range(3):
        signed_up(cafe, make_household(coordinator, branch, last=f"Café{n}"))
    signed_up(cafe, make_household(coordinator, branch, last="Venter"), status="waiting")
    signed_up(held, make_household(coordinator, branch, last="Lejr"))
    body = client_for(coordinator).get(reverse("activities:list")).content.decode()
    upcoming, past = body.split("Ugentlig café")[1], body.split("Afholdt lejr")[1]
    past_heading = body.index(">Past</h2>")
    assert body.index("Ugentlig café") < past_heading < body.index("Afholdt lejr")
    assert re.search(r"<td>3 / 10</td>\s*<td>1</td>", upcoming)
    assert re.search(r"<td>1 / 8</td>\s*<td>0</td>", past)
