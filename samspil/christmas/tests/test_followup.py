"""Follow-up offers that point to a real activity, network or engagement, and the funnel."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samspil.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    Network,
    NetworkMembership,
    Participant,
    Session,
    SignUp,
)
from samspil.christmas import reports, selectors, services
from samspil.christmas.tests.factories import NOW, make_application
from samspil.conftest import client_for
from samspil.engagements.models import Engagement
from samspil.volunteers.models import VolunteerRole

OFFERED = datetime.date(2026, 12, 20)


def _activity(org, branch, title="Familielejr"):
    activity = Activity.objects.create(
        organisation=org, branch=branch, title=title, capacity=20,
        kind=ActivityKind.objects.get(code="family_camp", organisation__isnull=True))
    session = Session.objects.create(activity=activity, date=datetime.date(2027, 2, 6),
                                     start=datetime.time(10), end=datetime.time(16))
    return activity, session


def _attend(activity, session, household, *, present):
    signup = SignUp.objects.create(activity=activity, household=household, status="confirmed",
                                   places=1, signed_up_at=NOW)
    participant = Participant.objects.create(signup=signup, first_name="Mette")
    Attendance.objects.create(session=session, participant=participant, present=present)


def _network(org, branch):
    return Network.objects.create(organisation=org, branch=branch, name="Netværket Rødovre",
                                  municipality_id="0175", started_on=datetime.date(2026, 1, 1))


def _engagement(org, branch, household, **extra):
    return Engagement.objects.create(
        organisation=org, branch=branch, type=VolunteerRole.JOB_MENTOR, household=household,
        parent=household.members.filter(role="parent").first(), referred_on=OFFERED, **extra)


def _grant(actor, application, delivery=""):
    services.application_grant(actor=actor, application=application)
    if delivery:
        services.delivery_register(actor=actor, application=application, delivery=delivery)
    application.refresh_from_db()
    return application


@pytest.fixture
def funnel_round(personas, org, branch, other_branch, round):
    """Five applications in Rødovre, three in Aarhus; worked out by hand in the test."""
    admin = personas["org_admin"]
    camp, camp_day = _activity(org, branch)
    network = _network(org, branch)
    r1, r2, r3, _r4, _r5 = (
        make_application(round, first=n, income="other" if n == "R5" else "cash_benefit")
        for n in ("R1", "R2", "R3", "R4", "R5"))
    a1, a2, a3 = (make_application(round, first=n, postcode="8000",
                                   income="other" if n == "A3" else "cash_benefit")
                  for n in ("A1", "A2", "A3"))
    # Rødovre. R1: camp, present at its session, answer never recorded -> took part.
    r1 = _grant(admin, r1, "handed_out")
    services.followup_offer(actor=admin, application=r1, kind="camp", offered_on=OFFERED,
                            activity=camp)
    _attend(camp, camp_day, r1.household, present=True)
    # R2: network, joined after the offer -> took part.
    r2 = _grant(admin, r2, "sent")
    offer = services.followup_offer(actor=admin, application=r2, kind="network",
                                    offered_on=OFFERED, network=network)
    services.followup_update(actor=admin, offer=offer, response="accepted", took_part=None)
    NetworkMembership.objects.create(network=network, household=r2.household,
                                     joined_on=datetime.date(2027, 1, 8))
    # R3: mentor engagement still waiting; "took part" typed in is ignored -> not taken part.
    r3 = _grant(admin, r3, "not_collected")
    mentor = _engagement(org, branch, r3.household, state="waiting")
    offer = services.followup_offer(actor=admin, application=r3, kind="mentor",
                                    offered_on=OFFERED, engagement=mentor)
    services.followup_update(actor=admin, offer=offer, response="accepted", took_part=True)
    # R4 eligible and undecided, R5 not eligible.
    # Aarhus. A1: counselling without a link, took part by the coordinator's answer.
    a1 = _grant(admin, a1, "sent")
    offer = services.followup_offer(actor=admin, application=a1, kind="counselling",
                                    offered_on=OFFERED)
    services.followup_update(actor=admin, offer=offer, response="accepted", took_part=True)
    # A2: the same camp, signed up but marked absent -> accepted, not taken part.
    a2 = _grant(admin, a2, "handed_out")
    offer = services.followup_offer(actor=admin, application=a2, kind="camp",
                                    offered_on=OFFERED, activity=camp)
    services.followup_update(actor=admin, offer=offer, response="accepted", took_part=None)
    _attend(camp, camp_day, a2.household, present=False)
    services.application_reject(actor=admin, application=a3, reason="Indkomst")
    return round


def test_the_funnel_reads_taking_part_from_the_real_thing(personas, funnel_round):
    rows = reports.funnel(selectors.application_list_for(user=personas["org_admin"],
                                                         round=funnel_round))
    by_label = {row.label: row.counts for row in rows}
    assert by_label["Aarhus"] == {"applications": 3, "eligible": 2, "granted": 2,
                                  "delivered": 2, "offered": 2, "accepted": 2, "took_part": 1}
    assert by_label["Rødovre"] == {"applications": 5, "eligible": 4, "granted": 3,
                                   "delivered": 2, "offered": 3, "accepted": 3, "took_part": 2}
    assert by_label["All branches"] == {"applications": 8, "eligible": 6, "granted": 5,
                                        "delivered": 4, "offered": 5, "accepted": 5,
                                        "took_part": 3}
    total = {s["key"]: s for s in rows[-1].stages}
    assert total["took_part"]["of_applications"] == 37.5  # 3 / 8
    assert total["granted"]["of_previous"] == 83.3  # 5 / 6
    assert total["delivered"]["of_previous"] == 80.0  # 4 / 5
    assert total["took_part"]["of_previous"] == 60.0  # 3 / 5
    rodovre = {s["key"]: s for s in rows[1].stages}
    assert rows[1].label == "Rødovre"
    assert rodovre["took_part"]["of_applications"] == 40.0  # 2 / 5
    assert rodovre["took_part"]["of_previous"] == 66.7  # 2 / 3


def test_the_coordinator_sees_only_their_branch_in_the_report(personas, funnel_round):
    rows = reports.funnel(selectors.application_list_for(user=personas["coordinator"],
                                                         round=funnel_round))
    assert [r.label for r in rows] == ["Rødovre", "All branches"]
    assert rows[-1].counts["took_part"] == 2


def test_a_started_engagement_is_taking_part_even_when_it_has_ended(personas, org, branch,
                                                                   round):
    admin = personas["org_admin"]
    application = _grant(admin, make_application(round))
    engagement = _engagement(org, branch, application.household, state="ended",
                             started_on=datetime.date(2027, 1, 5),
                             ended_on=datetime.date(2027, 3, 1))
    services.followup_offer(actor=admin, application=application, kind="mentor",
                            offered_on=OFFERED, engagement=engagement)
    [offer] = selectors.offer_list(application=application)
    assert offer.linked and offer.participated is True


def test_a_network_left_before_the_offer_is_not_taking_part(personas, org, branch, round):
    admin = personas["org_admin"]
    application = _grant(admin, make_application(round))
    network = _network(org, branch)
    NetworkMembership.objects.create(network=network, household=application.household,
                                     joined_on=datetime.date(2026, 3, 1),
                                     left_on=datetime.date(2026, 6, 1))
    services.followup_offer(actor=admin, application=application, kind="network",
                            offered_on=OFFERED, network=network)
    [offer] = selectors.offer_list(application=application)
    assert offer.participated is False


def test_an_unlinked_offer_keeps_the_coordinators_answer(personas, round):
    admin = personas["org_admin"]
    application = _grant(admin, make_application(round))
    offer = services.followup_offer(actor=admin, application=application, kind="debt_advice",
                                    offered_on=OFFERED)
    assert selectors.offer_list(application=application)[0].participated is None
    services.followup_update(actor=admin, offer=offer, response="accepted", took_part=False)
    assert selectors.offer_list(application=application)[0].participated is False


@pytest.mark.parametrize("kind, link, message", [
    ("camp", "engagement", "Only a mentor or a family friend is an engagement."),
    ("mentor", "activity", "A mentor or a family friend is an engagement, not an activity."),
    ("camp", "network", "Only a family network offer is a network."),
])
def test_a_link_that_does_not_fit_the_kind_is_refused(personas, org, branch, round, kind,
                                                      link, message):
    admin = personas["org_admin"]
    application = _grant(admin, make_application(round))
    things = {"engagement": lambda: _engagement(org, branch, application.household),
              "activity": lambda: _activity(org, branch)[0],
              "network": lambda: _network(org, branch)}
    with pytest.raises(ValidationError) as error:
        services.followup_offer(actor=admin, application=application, kind=kind,
                                offered_on=OFFERED, **{link: things[link]()})
    assert message in str(error.value)
    assert not application.offers.exists()


def test_another_organisations_activity_is_refused(personas, other_org, round):
    from samspil.core.models import Branch

    admin = personas["org_admin"]
    application = _grant(admin, make_application(round))
    theirs, _ = _activity(other_org, Branch.objects.filter(organisation=other_org).first())
    with pytest.raises(ValidationError, match="Choose an activity of your organisation"):
        services.followup_offer(actor=admin, application=application, kind="camp",
                                offered_on=OFFERED, activity=theirs)


def test_two_links_at_once_are_refused(personas, org, branch, round):
    admin = personas["org_admin"]
    application = _grant(admin, make_application(round))
    with pytest.raises(ValidationError, match="not several"):
        services.followup_offer(actor=admin, application=application, kind="network",
                                offered_on=OFFERED, network=_network(org, branch),
                                activity=_activity(org, branch)[0])


def test_the_page_offers_an_activity_and_shows_the_attendance(personas, org, branch, round):
    coordinator = personas["coordinator"]
    application = _grant(coordinator, make_application(round))
    camp, day = _activity(org, branch, title="Vinterlejr")
    client = client_for(coordinator)
    url = reverse("christmas:application", args=[application.pk])
    assert "Vinterlejr" in client.get(url).content.decode()  # offered in the list
    response = client.post(reverse("christmas:offer_add", args=[application.pk]),
                           {"kind": "camp", "offered_on": "2026-12-20", "activity": camp.pk})
    assert response.status_code == 302
    offer = application.offers.get()
    assert offer.activity == camp
    page = client.get(url).content.decode()
    assert "Has not taken part yet" in page and f'o{offer.pk}-took_part' not in page
    _attend(camp, day, application.household, present=True)
    assert "Took part (from the attendance" in client.get(url).content.decode()


def test_the_page_refuses_an_activity_the_coordinator_cannot_see(personas, org, other_branch,
                                                                round):
    coordinator = personas["coordinator"]  # Rødovre only
    application = _grant(coordinator, make_application(round))
    elsewhere, _ = _activity(org, other_branch, title="Aarhus-lejr")
    response = client_for(coordinator).post(
        reverse("christmas:offer_add", args=[application.pk]),
        {"kind": "camp", "offered_on": "2026-12-20", "activity": elsewhere.pk})
    assert response.status_code == 400
    assert not application.offers.exists()


def test_the_household_page_shows_the_christmas_aid(personas, org, branch, round):
    coordinator = personas["coordinator"]
    application = _grant(coordinator, make_application(round), "handed_out")
    camp, day = _activity(org, branch, title="Vinterlejr")
    services.followup_offer(actor=coordinator, application=application, kind="camp",
                            offered_on=OFFERED, activity=camp)
    _attend(camp, day, application.household, present=True)
    url = reverse("households:detail", args=[application.household_id])
    page = client_for(coordinator).get(url).content.decode()
    assert 'id="h-christmas-aid"' in page and "Julehjælp 2026" in page
    assert "Family camp (Vinterlejr)" in page and "Took part" in page
    assert reverse("christmas:application", args=[application.pk]) in page


def test_a_household_without_christmas_aid_has_no_section(personas, branch):
    from samspil.conftest import make_household

    household = make_household(personas["coordinator"], branch)
    page = client_for(personas["coordinator"]).get(
        reverse("households:detail", args=[household.pk])).content.decode()
    assert 'id="h-christmas-aid"' not in page
