"""The reports contract (outcomes builds on it), on hand-made data with known answers."""

from __future__ import annotations

import datetime

import pytest

from samspil.activities import reports
from samspil.activities.models import Participant, SignUp
from samspil.activities.tests.factories import join, make_activity, make_network, mark, signed_up
from samspil.conftest import make_household
from samspil.core.models import Branch

D = datetime.date


@pytest.fixture
def world(personas, branch, other_branch, other_org):
    coordinator, admin = personas["coordinator"], personas["org_admin"]
    jensen = make_household(coordinator, branch, children=2)  # Anna, Barn0, Barn1
    hansen = make_household(coordinator, branch, last="Hansen", children=1)
    aarhus = make_household(admin, other_branch, last="Aarhusen", children=0)
    rodovre_net = make_network(branch, started=D(2025, 1, 15))
    ended_net = make_network(branch, name="Gammelt netværk", started=D(2024, 2, 1),
                             ended=D(2025, 6, 30))
    aarhus_net = make_network(other_branch, name="Aarhus netværk", started=D(2026, 2, 1))
    aarhus_net.municipality = None
    aarhus_net.save(update_fields=["municipality"])
    join(rodovre_net, jensen, D(2025, 2, 1))
    join(ended_net, hansen, D(2024, 3, 1), D(2025, 6, 30))
    join(aarhus_net, aarhus, D(2026, 2, 10))

    cafe = make_activity(branch, sessions=(D(2026, 3, 3), D(2026, 4, 7)))
    camp = make_activity(other_branch, title="Sommerlejr", code="family_camp",
                         sessions=(D(2026, 7, 6),))
    s_march, s_april = cafe.sessions.all()
    jensen_signup = signed_up(cafe, jensen)
    anna, barn0, barn1 = jensen_signup.participants.order_by("id")
    mark(s_march, anna)
    mark(s_march, barn0, present=False)
    mark(s_april, barn0)
    mark(s_april, barn1, present=False)
    hansen_signup = signed_up(cafe, hansen)
    for p in hansen_signup.participants.all():
        mark(s_april, p, present=False)
    aarhus_signup = signed_up(camp, aarhus)
    mark(camp.sessions.get(), aarhus_signup.participants.get())
    # A public sign-up without a registry household: present, but no person to count.
    public = SignUp.objects.create(activity=cafe, status="confirmed", places=1,
                                   contact_name="Mona", signed_up_at=jensen_signup.signed_up_at)
    mark(s_march, Participant.objects.create(signup=public, first_name="Mona"))

    # Another organisation's rows never appear.
    outsider_branch = Branch.objects.get(organisation=other_org)
    stranger = make_household(personas["outsider"], outsider_branch, last="Fremmed")
    stranger_net = make_network(outsider_branch, name="Fremmed")
    join(stranger_net, stranger, D(2025, 1, 1))
    other_cafe = make_activity(outsider_branch, sessions=(D(2026, 3, 3),))
    stranger_signup = signed_up(other_cafe, stranger)
    for p in stranger_signup.participants.all():
        mark(other_cafe.sessions.get(), p)
    return {
        "org": branch.organisation, "branch": branch, "other_branch": other_branch,
        "jensen": jensen, "hansen": hansen, "aarhus": aarhus, "nets": (rodovre_net, ended_net,
                                                                      aarhus_net),
        "cafe": cafe, "camp": camp, "anna": anna, "barn0": barn0,
        "aarhus_parent": aarhus_signup.participants.get(),
    }


def test_network_periods_lists_every_network_of_the_organisation(world):
    rodovre_net, ended_net, aarhus_net = world["nets"]
    periods = reports.network_periods(organisation_id=world["org"].pk)
    assert periods == [
        reports.NetworkPeriod(ended_net.pk, world["branch"].pk, "0175", D(2024, 2, 1),
                              D(2025, 6, 30)),
        reports.NetworkPeriod(rodovre_net.pk, world["branch"].pk, "0175", D(2025, 1, 15), None),
        reports.NetworkPeriod(aarhus_net.pk, world["other_branch"].pk, None, D(2026, 2, 1),
                              None),
    ]
    with pytest.raises(AttributeError):
        periods[0].ended = None  # frozen


def test_participant_ids_are_people_present_at_least_once_in_the_period(world):
    org = world["org"].pk
    ids = set(reports.activity_participant_ids(organisation_id=org, start=D(2026, 1, 1),
                                               end=D(2026, 12, 31)))
    assert ids == {world["anna"].person_id, world["barn0"].person_id,
                   world["aarhus_parent"].person_id}
    # Only March: Anna (Barn0 was absent then).
    march = reports.activity_participant_ids(organisation_id=org, start=D(2026, 3, 1),
                                             end=D(2026, 3, 31))
    assert list(march) == [world["anna"].person_id]
    # The period is inclusive at both ends.
    assert list(reports.activity_participant_ids(organisation_id=org, start=D(2026, 4, 7),
                                                 end=D(2026, 4, 7))) == [world["barn0"].person_id]


def test_participant_ids_filter_by_kind_code(world):
    org = world["org"].pk
    camp = reports.activity_participant_ids(organisation_id=org, start=D(2026, 1, 1),
                                            end=D(2026, 12, 31), kind_codes=["family_camp"])
    assert list(camp) == [world["aarhus_parent"].person_id]
    assert list(reports.activity_participant_ids(organisation_id=org, start=D(2026, 1, 1),
                                                 end=D(2026, 12, 31), kind_codes=[])) == []


def test_attendance_rows_have_the_agreed_keys_and_every_recorded_tick(world):
    rows = list(reports.attendance_rows(organisation_id=world["org"].pk))
    assert set(rows[0]) == {"person_id", "household_id", "activity_id", "activity_kind_code",
                            "session_date", "present"}
    # Jensen: 4 ticks, Hansen: 2 (absent), Mona: 1, Aarhus camp: 1.
    assert len(rows) == 8
    assert sum(r["present"] for r in rows) == 4
    camp_rows = [r for r in rows if r["activity_kind_code"] == "family_camp"]
    assert camp_rows == [{
        "person_id": world["aarhus_parent"].person_id, "household_id": world["aarhus"].pk,
        "activity_id": world["camp"].pk, "activity_kind_code": "family_camp",
        "session_date": D(2026, 7, 6), "present": True,
    }]
    mona = [r for r in rows if r["household_id"] is None]
    assert len(mona) == 1 and mona[0]["person_id"] is None


def test_network_membership_rows(world):
    rodovre_net, ended_net, aarhus_net = world["nets"]
    rows = list(reports.network_membership_rows(organisation_id=world["org"].pk))
    assert rows == [
        {"household_id": world["hansen"].pk, "network_id": ended_net.pk,
         "joined_on": D(2024, 3, 1), "left_on": D(2025, 6, 30)},
        {"household_id": world["jensen"].pk, "network_id": rodovre_net.pk,
         "joined_on": D(2025, 2, 1), "left_on": None},
        {"household_id": world["aarhus"].pk, "network_id": aarhus_net.pk,
         "joined_on": D(2026, 2, 10), "left_on": None},
    ]


def test_builtin_kinds_are_loaded_and_an_organisation_adds_its_own(org, other_org):
    from django.db import IntegrityError, transaction

    from samspil.activities.models import BUILTIN_KINDS, ActivityKind

    builtin = set(ActivityKind.objects.filter(organisation=None).values_list("code", flat=True))
    assert builtin == set(BUILTIN_KINDS) and len(builtin) == 12
    ActivityKind.objects.create(organisation=org, code="sewing_cafe", name="Syklub")
    ActivityKind.objects.create(organisation=other_org, code="sewing_cafe", name="Syklub")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityKind.objects.create(organisation=org, code="sewing_cafe", name="Igen")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityKind.objects.create(organisation=None, code="workshop", name="Igen")
