"""The shared plan: goals, actions with owners in the plan only, reviews, the history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from samspil.conftest import make_user
from samspil.core.models import AuditEvent, Role
from samspil.engagements.models import EngagementState
from samspil.engagements.tests.factories import make_volunteer, walk_to
from samspil.partners import services
from samspil.partners.models import FamilyPlan, PlanAction, PlanChange
from samspil.partners.selectors import plan_people


def keys(household):
    return {o.key: o.kind for o in plan_people(household=household)}


def test_the_people_in_the_plan(coordinator, personas, shared_household, caseworker,
                                other_caseworker, job_centre, branch):
    volunteer = make_volunteer(branch, first="Vera")
    walk_to(EngagementState.ACTIVE, actor=coordinator, household=shared_household,
            volunteer=volunteer)
    found = keys(shared_household)
    members = {f"member:{m.pk}" for m in shared_household.members.all()}
    assert members <= set(found)
    assert found[f"volunteer:{volunteer.pk}"] == "volunteer"
    assert found[f"user:{coordinator.pk}"] == "coordinator"
    assert found[f"user:{caseworker.pk}"] == "caseworker"
    for outside in (other_caseworker, personas["other_branch_coordinator"],
                    personas["outsider"], personas["caseworker"]):
        assert f"user:{outside.pk}" not in found


def test_a_caseworker_is_in_the_plan_only_while_the_family_consents(
        coordinator, shared_household, caseworker, job_centre, today):
    from samspil.households import services as household_services
    assert f"user:{caseworker.pk}" in keys(shared_household)
    consent = shared_household.consents.get(purpose="municipality")
    household_services.consent_withdraw(actor=coordinator, consent=consent, withdrawn_on=today)
    assert f"user:{caseworker.pk}" not in keys(shared_household)


def test_goals_actions_and_a_review_make_one_plan_with_history(
        coordinator, shared_household, today):
    goal = services.plan_goal_add(actor=coordinator, household=shared_household, area="work",
                                  text="Anna i praktik")
    parent = shared_household.members.filter(role="parent").first()
    action = services.plan_action_add(
        actor=coordinator, household=shared_household, goal=goal, text="Skrive CV",
        owner=f"member:{parent.pk}", due_on=today + datetime.timedelta(days=14))
    assert (action.owner_kind, action.owner_member, action.owner_name) == (
        "member", parent, "Anna Delesen")
    services.plan_action_update(actor=coordinator, action=action, status="done")
    services.plan_review_record(actor=coordinator, household=shared_household, held_on=today,
                                participants="Anna, Karen", record="Godt i gang",
                                next_review_on=today + datetime.timedelta(days=60))
    plan = FamilyPlan.objects.get()
    assert plan.household == shared_household
    assert plan.next_review_on == today + datetime.timedelta(days=60)
    assert sorted(plan.changes.values_list("kind", flat=True)) == sorted([
        "goal_added", "action_added", "action_status", "review"])
    assert AuditEvent.objects.filter(household_id=shared_household.pk,
                                     object_type="partners.planaction").count() == 2


def test_an_owner_outside_the_plan_is_refused_and_nothing_saved(
        coordinator, shared_household, personas, other_caseworker, today, branch):
    goal = services.plan_goal_add(actor=coordinator, household=shared_household, area="work",
                                  text="Mål")
    from samspil.conftest import make_household
    stranger = make_household(coordinator, branch, last="Fremmed").members.first()
    for owner in (f"user:{other_caseworker.pk}", f"user:{personas['outsider'].pk}",
                  f"member:{stranger.pk}", "volunteer:999", "user:abc", "nonsense"):
        with pytest.raises(ValidationError) as error:
            services.plan_action_add(actor=coordinator, household=shared_household, goal=goal,
                                     text="X", owner=owner, due_on=today)
        assert error.value.error_dict["owner"][0].code == "owner_outside_plan", owner
    assert not PlanAction.objects.exists()
    assert PlanChange.objects.count() == 1  # the goal only


def test_one_plan_per_household(coordinator, shared_household):
    for text in ("Et", "To"):
        services.plan_goal_add(actor=coordinator, household=shared_household, area="work",
                               text=text)
    assert FamilyPlan.objects.count() == 1 and FamilyPlan.objects.get().goals.count() == 2


def test_a_review_cannot_be_in_the_future_or_its_next_before_it(
        coordinator, shared_household, today):
    with pytest.raises(ValidationError):
        services.plan_review_record(actor=coordinator, household=shared_household,
                                    held_on=today + datetime.timedelta(days=1),
                                    participants="A", record="B")
    with pytest.raises(ValidationError):
        services.plan_review_record(actor=coordinator, household=shared_household,
                                    held_on=today, participants="A", record="B",
                                    next_review_on=today)
    assert not FamilyPlan.objects.exists()


def test_a_team_coordinator_of_a_municipality_is_in_its_own_plans(rodovre, caseworker):
    from samspil.conftest import make_household
    from samspil.core.models import Branch
    from samspil.partners.tests.conftest import give_consent
    team = Branch.objects.create(organisation=rodovre, name="Sammen om Familien",
                                 municipality_id="0175")
    tina = make_user("tina", rodovre, Role.COORDINATOR, [team])
    household = make_household(tina, team, last="Egensen")
    give_consent(tina, household)
    found = keys(household)
    assert found[f"user:{tina.pk}"] == "coordinator"
    assert found[f"user:{caseworker.pk}"] == "caseworker"
