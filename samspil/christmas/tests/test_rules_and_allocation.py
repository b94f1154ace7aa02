"""Eligibility and priority as data, grants within the budget, delivery and follow-up."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from samspil.christmas import services
from samspil.christmas.models import Status
from samspil.christmas.tests.factories import make_application, make_round
from samspil.households.models import ConsentPurpose, Household, MemberRole


def test_an_eligible_application_gets_its_branch_and_priority(round, branch):
    application = make_application(round, children=(2015, 2019, 2021))
    assert application.eligible and application.ineligible_reasons == []
    assert application.branch == branch  # Rødovre, by the address's municipality
    # single provider 3 + 3 children x 1 + no aid last year 2
    assert application.priority == 8


def test_every_broken_rule_is_a_reason(round):
    application = make_application(round, income="other", postcode="8000")
    assert not application.eligible
    assert application.ineligible_reasons == ["income"]  # Aarhus has a branch too
    far = make_application(round, postcode="9000", income="other")  # Aalborg: no branch
    assert far.ineligible_reasons == ["income", "municipality"] and far.branch is None


def test_the_weights_are_the_organisations(org, branch):
    round = make_round(org, weight_single_provider=10, weight_per_child=0,
                       weight_no_aid_last_year=0)
    couple = make_application(round, other=("Bo", "Hansen", datetime.date(1986, 1, 2)))
    single = make_application(round, first="Lis")
    assert (couple.priority, single.priority) == (0, 10)


def test_aid_last_year_costs_the_points(org, branch, coordinator):
    last = make_round(org, year=2025, name="2025")
    earlier = make_application(last)
    services.application_grant(actor=coordinator, application=earlier)
    this = make_round(org, name="2026 b")
    assert make_application(this).priority == 3 + 2  # no bonus for "no aid last year"


def test_a_grant_makes_a_household_through_the_registry(round, coordinator):
    application = make_application(round, cpr_number="0304881234",
                                   other=("Bo", "Hansen", datetime.date(1986, 1, 2)))
    services.application_grant(actor=coordinator, application=application, reason="ok")
    application.refresh_from_db()
    assert application.status == Status.GRANTED and application.amount == 1000 + 2 * 250
    household = application.household
    roles = sorted(m.role for m in household.members.all())
    assert roles == [MemberRole.CHILD, MemberRole.CHILD, MemberRole.PARENT, MemberRole.PARENT]
    parent = household.members.get(first_name="Mette")
    assert parent.cpr_masked == "030488-xxxx"
    purposes = set(household.consents.values_list("purpose", flat=True))
    assert purposes == {ConsentPurpose.CPR, ConsentPurpose.REGISTRATION}
    assert household.display_name.startswith("Mette Hansen")


def test_a_grant_past_the_budget_is_refused_and_changes_nothing(org, branch, coordinator):
    round = make_round(org, budget=2000)
    first = make_application(round)  # 1500
    second = make_application(round, first="Lis")  # 1500 more would pass 2000
    services.application_grant(actor=coordinator, application=first)
    with pytest.raises(ValidationError, match="budget would be exceeded"):
        services.application_grant(actor=coordinator, application=second)
    second.refresh_from_db()
    assert second.status == Status.NEW and second.household is None
    assert Household.objects.count() == 1


def test_allocation_follows_priority_and_stops_at_the_budget(org, branch, coordinator):
    round = make_round(org, budget=4000)
    low = make_application(round, first="Lav", other=("Bo", "L", datetime.date(1980, 1, 1)))
    high = make_application(round, first="Høj", children=(2015, 2016, 2017))  # 1750, 8 points
    middle = make_application(round, first="Mellem")  # 1500, 7 points
    # Lav: 1500, 4 points (two adults): 1750 + 1500 + 1500 would pass 4000.
    ineligible = make_application(round, first="Ikke", income="other")
    result = services.round_allocate(actor=coordinator, round=round,
                                     applications=round.applications.all())
    statuses = {a.first_name: a.status for a in round.applications.all()}
    assert statuses == {"Høj": "granted", "Mellem": "granted", "Lav": "new", "Ikke": "new"}
    assert result == {"granted": 2, "stopped_by_budget": True, "held": 0}
    assert services.granted_total(round) == 3250 <= round.budget
    assert (low, middle, ineligible) and high


def test_reject_needs_a_reason_and_a_decision_is_final(round, coordinator):
    application = make_application(round)
    with pytest.raises(ValidationError):
        services.application_reject(actor=coordinator, application=application, reason=" ")
    services.application_reject(actor=coordinator, application=application, reason="Moved")
    with pytest.raises(ValidationError, match="already been decided"):
        services.application_grant(actor=coordinator, application=application)


def test_delivery_and_follow_up(round, coordinator):
    application = make_application(round)
    with pytest.raises(ValidationError):
        services.delivery_register(actor=coordinator, application=application,
                                   delivery="handed_out")
    services.application_grant(actor=coordinator, application=application)
    services.delivery_register(actor=coordinator, application=application, delivery="sent")
    offer = services.followup_offer(actor=coordinator, application=application, kind="camp",
                                    offered_on=datetime.date(2026, 12, 20))
    with pytest.raises(ValidationError):
        services.followup_offer(actor=coordinator, application=application, kind="camp",
                                offered_on=datetime.date(2026, 12, 20))
    with pytest.raises(ValidationError):
        services.followup_update(actor=coordinator, offer=offer, response="declined",
                                 took_part=True)
    services.followup_update(actor=coordinator, offer=offer, response="accepted", took_part=True)
    offer.refresh_from_db()
    assert (offer.response, offer.took_part) == ("accepted", True)


def test_an_offer_not_in_the_round_is_refused(org, branch, coordinator):
    round = make_round(org, followup_kinds=["camp"])
    application = make_application(round)
    services.application_grant(actor=coordinator, application=application)
    with pytest.raises(ValidationError):
        services.followup_offer(actor=coordinator, application=application, kind="mentor",
                                offered_on=datetime.date(2026, 12, 20))
