"""The coordinator's pages: the list, the referral, the engagement page and its moves."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from samspil.conftest import client_for, make_household
from samspil.core.models import AuditEvent
from samspil.engagements import services
from samspil.engagements.models import Engagement, EngagementState
from samspil.engagements.tests.factories import (
    MATCHED_ON,
    STARTED_ON,
    TODAY,
    make_volunteer,
    walk_to,
)

State = EngagementState


# --- the list --------------------------------------------------------------------------------

@pytest.fixture
def spread(personas, branch, other_branch, volunteer):
    """An active family friend in Rødovre, a waiting job mentor in Rødovre, one in Aarhus."""
    coordinator, admin = personas["coordinator"], personas["org_admin"]
    return {
        "active": walk_to(State.ACTIVE, actor=coordinator, volunteer=volunteer,
                          household=make_household(coordinator, branch, last="Aktivsen")),
        "waiting": walk_to(State.WAITING, actor=coordinator, type="job_mentor",
                           household=make_household(coordinator, branch, last="Ventesen")),
        "aarhus": walk_to(State.REFERRED, actor=admin,
                          household=make_household(admin, other_branch, last="Aarhusen")),
    }


def names_in(response) -> set[str]:
    return {e.household.members.first().last_name for e, _weeks in response.context["rows"]}


def test_the_list_shows_the_coordinators_branches_only(personas, spread):
    response = client_for(personas["coordinator"]).get(reverse("engagements:list"))
    assert names_in(response) == {"Aktivsen", "Ventesen"}
    body = response.content.decode()
    assert "Frida Frivillig" in body and "Aarhusen" not in body
    # Weeks running: from the start (16 Feb) to today (15 Jun) is 17 whole weeks.
    assert dict(response.context["rows"])[spread["active"]] == 17
    admin = client_for(personas["org_admin"]).get(reverse("engagements:list"))
    assert names_in(admin) == {"Aktivsen", "Ventesen", "Aarhusen"}


@pytest.mark.parametrize("query, expected", [
    ({"state": "active"}, {"Aktivsen"}),
    ({"state": "waiting"}, {"Ventesen"}),
    ({"type": "job_mentor"}, {"Ventesen"}),
    ({"type": "family_friend", "state": "referred"}, {"Aarhusen"}),
    ({"state": "no-such-state"}, {"Aktivsen", "Ventesen", "Aarhusen"}),
])
def test_the_list_filters_by_state_and_type(query, expected, personas, spread):
    response = client_for(personas["org_admin"]).get(reverse("engagements:list"), query)
    assert response.status_code == 200
    assert names_in(response) == expected


def test_the_list_filters_by_branch_and_household(personas, spread, other_branch):
    client = client_for(personas["org_admin"])
    response = client.get(reverse("engagements:list"), {"branch": other_branch.pk})
    assert names_in(response) == {"Aarhusen"}
    household = spread["waiting"].household_id
    response = client.get(reverse("engagements:list"), {"household": household})
    assert names_in(response) == {"Ventesen"}
    # A coordinator cannot widen her view with a branch that is not hers.
    response = client_for(personas["coordinator"]).get(
        reverse("engagements:list"), {"branch": other_branch.pk})
    assert names_in(response) == {"Aktivsen", "Ventesen"}


def test_the_waiting_list_shows_the_longest_waiting_first(personas, spread, branch):
    coordinator = personas["coordinator"]
    newer = walk_to(State.REFERRED, actor=coordinator, type="job_mentor",
                    household=make_household(coordinator, branch, last="Nyesen"))
    Engagement.objects.filter(pk=newer.pk).update(referred_on=datetime.date(2026, 3, 1))
    response = client_for(coordinator).get(reverse("engagements:waiting"))
    rows = response.context["rows"]
    assert [e.household.members.first().last_name for e, _w in rows] == ["Ventesen", "Nyesen"]
    # Weeks waiting: 5 Jan to 15 Jun is 23 whole weeks; 1 Mar to 15 Jun is 15.
    assert [w for _e, w in rows] == [23, 15]


# --- referral --------------------------------------------------------------------------------

def refer_url(household) -> str:
    return reverse("engagements:refer", args=[household.pk])


def test_a_coordinator_refers_a_family_for_a_family_friend(coordinator, household):
    client = client_for(coordinator)
    form = client.get(refer_url(household)).content.decode()
    assert f'value="{TODAY.isoformat()}"' in form
    response = client.post(refer_url(household), {
        "type": "family_friend", "referred_on": TODAY.isoformat(), "note": "Fra skolen",
        "focus": "task", "company": "ignored",
    }, follow=True)
    engagement = household.engagements.get()
    assert response.redirect_chain == [(reverse("engagements:detail", args=[engagement.pk]),
                                        302)]
    assert "The referral has been registered." in response.content.decode()
    assert (engagement.state, engagement.parent, engagement.focus, engagement.company) == (
        State.REFERRED, None, "", "")
    assert engagement.branch_id == household.branch_id


def test_a_workplace_mentor_needs_a_parent_and_a_company(coordinator, household):
    client = client_for(coordinator)
    response = client.post(refer_url(household), {
        "type": "workplace_mentor", "referred_on": TODAY.isoformat()})
    body = response.content.decode()
    assert "Choose the parent the mentor will work with." in body
    assert "Enter the company where the parent starts." in body
    assert not household.engagements.exists()
    parent = household.members.get(role="parent")
    client.post(refer_url(household), {
        "type": "workplace_mentor", "referred_on": TODAY.isoformat(), "parent": parent.pk,
        "company": "Rødovre Centret", "job_centre": "Jobcenter Rødovre", "focus": "life"})
    engagement = household.engagements.get()
    assert (engagement.parent, engagement.company, engagement.job_centre, engagement.focus) == (
        parent, "Rødovre Centret", "Jobcenter Rødovre", "life")


def test_a_parent_of_another_family_cannot_be_chosen(coordinator, household, branch):
    stranger = make_household(coordinator, branch, last="Andersen").members.get(role="parent")
    response = client_for(coordinator).post(refer_url(household), {
        "type": "job_mentor", "referred_on": TODAY.isoformat(), "parent": stranger.pk})
    assert "Select a valid choice" in response.content.decode()
    assert not household.engagements.exists()


def test_a_second_open_referral_of_the_same_kind_is_refused(coordinator, household):
    client = client_for(coordinator)
    data = {"type": "family_friend", "referred_on": TODAY.isoformat()}
    client.post(refer_url(household), data)
    response = client.post(refer_url(household), data)
    assert "There is already an open engagement of this type" in response.content.decode()
    assert household.engagements.count() == 1


def test_a_referral_cannot_be_dated_in_the_future(coordinator, household):
    response = client_for(coordinator).post(refer_url(household), {
        "type": "family_friend", "referred_on": "2026-06-16"})
    assert "The date cannot be in the future." in response.content.decode()
    assert not household.engagements.exists()


def test_the_household_page_links_to_referral(coordinator, household):
    body = client_for(coordinator).get(
        reverse("households:detail", args=[household.pk])).content.decode()
    assert refer_url(household) in body
    assert f"{reverse('engagements:list')}?household={household.pk}" in body


# --- the engagement page and its moves -------------------------------------------------------

def detail(client, engagement):
    return client.get(reverse("engagements:detail", args=[engagement.pk]))


def test_the_page_shows_the_moves_the_state_allows(coordinator, household, branch):
    volunteer = make_volunteer(branch, first="Vibeke")
    make_volunteer(branch, first="Ulla", certificate=False)  # the children are under 15
    client = client_for(coordinator)
    engagement = walk_to(State.REFERRED, actor=coordinator, household=household)
    moves = [m["name"] for m in detail(client, engagement).context["moves"]]
    assert moves == ["wait", "match", "end"]
    match = detail(client, engagement).context["moves"][1]["form"]
    assert [label for _value, label in match.fields["volunteer"].choices][1:] == [
        "Vibeke Frivillig"]
    suggestions = reverse("matching:suggestions", args=[engagement.pk])
    assert f'href="{suggestions}"' in detail(client, engagement).content.decode()
    engagement = walk_to(State.MATCHED, actor=coordinator, volunteer=volunteer,
                         household=make_household(coordinator, branch, last="Matchsen"))
    response = detail(client, engagement)
    assert [m["name"] for m in response.context["moves"]] == ["wait", "start", "end"]
    assert "Put back on the waiting list" in response.content.decode()
    ended = walk_to(State.ENDED, actor=coordinator, volunteer=volunteer,
                    household=make_household(coordinator, branch, last="Slutsen"))
    assert detail(client, ended).context["moves"] == []


def test_the_coordinator_matches_starts_and_ends_from_the_page(coordinator, household, branch):
    volunteer = make_volunteer(branch)
    engagement = walk_to(State.REFERRED, actor=coordinator, household=household)
    client = client_for(coordinator)

    def post(move, data):
        return client.post(reverse(f"engagements:{move}", args=[engagement.pk]),
                           {f"{move}-{k}": v for k, v in data.items()}, follow=True)

    response = post("match", {"volunteer": volunteer.pk, "on": MATCHED_ON.isoformat()})
    assert "The engagement has been matched." in response.content.decode()
    response = post("start", {"on": STARTED_ON.isoformat()})
    assert "The engagement has started." in response.content.decode()
    response = post("end", {"end_reason": "goals_reached", "on": TODAY.isoformat(),
                            "note": "Godt forløb"})
    assert "The engagement has ended." in response.content.decode()
    engagement.refresh_from_db()
    assert (engagement.state, engagement.volunteer, engagement.matched_on, engagement.started_on,
            engagement.ended_on, engagement.end_reason) == (
        State.ENDED, volunteer, MATCHED_ON, STARTED_ON, TODAY, "goals_reached")
    history = response.context["history"]
    assert [c.to_state for c in history] == ["referred", "waiting", "matched", "active",
                                             "ended"]
    assert history[-1].note == "Godt forløb"


def test_a_refused_move_shows_why_and_changes_nothing(coordinator, household, branch):
    uncertified = make_volunteer(branch, first="Ulla", certificate=False)
    engagement = walk_to(State.WAITING, actor=coordinator, household=household)
    client = client_for(coordinator)
    response = client.post(reverse("engagements:match", args=[engagement.pk]),
                           {"match-volunteer": uncertified.pk, "match-on": TODAY.isoformat()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing has been saved." in body and "child-safety certificate" in body
    # A move the state does not allow, sent anyway (an old tab): refused with its reason.
    response = client.post(reverse("engagements:start", args=[engagement.pk]),
                           {"start-on": TODAY.isoformat()})
    assert "An engagement cannot go from Waiting to Active." in response.content.decode()
    response = client.post(reverse("engagements:end", args=[engagement.pk]),
                           {"end-on": TODAY.isoformat()})
    assert "This field is required." in response.content.decode()
    engagement.refresh_from_db()
    assert (engagement.state, engagement.volunteer) == (State.WAITING, None)


def test_opening_an_engagement_is_audited_against_the_household(coordinator, household):
    engagement = walk_to(State.REFERRED, actor=coordinator, household=household)
    detail(client_for(coordinator), engagement)
    event = AuditEvent.objects.get(action="view", object_type="engagements.engagement")
    assert (event.actor, event.object_id, event.household_id) == (
        coordinator, str(engagement.pk), household.pk)
    # It shows in the household's own audit log.
    log = client_for(coordinator).get(reverse("households:audit", args=[household.pk]))
    assert "viewed engagement" in log.content.decode().lower()


def test_another_organisation_gets_404_and_is_logged(personas, household):
    engagement = walk_to(State.REFERRED, actor=personas["coordinator"], household=household)
    outsider = personas["outsider"]
    for name in ("engagements:detail",):
        response = client_for(outsider).get(reverse(name, args=[engagement.pk]))
        assert response.status_code == 404
        assert "Jensen" not in response.content.decode()
    event = AuditEvent.objects.get(actor=outsider, action="denied")
    assert (event.object_id, event.household_id) == (str(engagement.pk), household.pk)


# --- figures pages ---------------------------------------------------------------------------

def test_the_figures_pages_draw_charts_and_tables(coordinator, household, volunteer, personas):
    engagement = walk_to(State.ACTIVE, actor=coordinator, household=household,
                         volunteer=volunteer)
    services.meeting_log(actor=personas["volunteer"], engagement=engagement,
                         date=datetime.date(2026, 3, 3), minutes=90, kind="home_visit")
    services.engagement_transition(actor=coordinator, engagement=engagement,
                                   to_state=State.ENDED, on=TODAY, end_reason="moved")
    client = client_for(coordinator, language="da")
    for name in ("engagements:figures", "engagements:hours"):
        response = client.get(reverse(name), {"first": "2026-01", "last": "2026-06"})
        body = response.content.decode()
        assert response.status_code == 200
        assert body.count('role="img"') >= 1 and "<svg" in body and "<table" in body
        # SVG coordinates are never written with a decimal comma, whatever the language.
        for attribute in re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', body):
            assert "," not in attribute, attribute


def test_a_bad_period_falls_back_to_the_last_twelve_months(coordinator):
    response = client_for(coordinator).get(reverse("engagements:figures"),
                                           {"first": "2026-13", "last": "2026-01"})
    assert response.status_code == 200
    assert "Enter a month as year and month" in response.content.decode()
    period = response.context["period"]
    assert (period.first, period.last) == (datetime.date(2025, 7, 1), datetime.date(2026, 6, 1))
