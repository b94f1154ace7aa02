"""Plan all: make, review, change, confirm (all or nothing) and discard; stale plans refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.test import override_settings
from django.urls import reverse

from samspil.conftest import client_for
from samspil.engagements.matching import services, tasks, views
from samspil.engagements.matching.tests import factories as f
from samspil.engagements.models import (
    Engagement,
    EngagementState,
    MatchPlan,
    MatchProposal,
)
from samspil.volunteers.models import ChildCertificate, Volunteer

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def waiting(branch, coordinator):
    """Three families in Rødovre, referred in this order; one teenager-only family far off."""
    families = []
    for i, (postcode, referred) in enumerate([("2610", 40), ("2650", 30), ("2610", 20)]):
        h = f.household(branch, name=f"Familie{i}", postcode=postcode,
                        children_born=[datetime.date(2015, 1, 1)],
                        needs={"school": 2}, assessor=coordinator)
        families.append(f.engagement(h, referred_on=datetime.date(2026, 1, 1)
                                     - datetime.timedelta(days=referred)))
    return families


@pytest.fixture
def helpers(branch):
    return [f.volunteer(branch, first="Hanne", postcode="2610", skills=["homework"]),
            f.volunteer(branch, first="Ib", postcode="2650", capacity=2)]


def make(coordinator, branch) -> MatchPlan:
    response = client_for(coordinator).post(reverse("matching:plan_create"),
                                            {"scope": branch.pk})
    plan = MatchPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("matching:plan",
                                                                           args=[plan.pk])
    return plan


def test_a_coordinator_plans_her_branch_and_sees_the_proposal(coordinator, branch, waiting,
                                                              helpers):
    plan = make(coordinator, branch)
    assert plan.status == "proposed" and plan.branch == branch
    proposals = {p.engagement_id: p for p in plan.proposals.all()}
    assert set(proposals) == {e.pk for e in waiting}
    assert all(p.volunteer_id for p in proposals.values())  # 3 places for 3 families
    assert plan.total_cost == pytest.approx(sum(p.cost for p in proposals.values()))
    assert plan.greedy_matched == 3 and plan.greedy_cost >= plan.total_cost
    assert set(plan.volunteer_versions) == {str(v.pk) for v in helpers}
    body = client_for(coordinator).get(reverse("matching:plan", args=[plan.pk])).content.decode()
    assert "Plan for Rødovre" in body and "first come, first served" in body
    assert "Anna Familie0" in body and "Hanne Frivillig" in body
    assert "Confirm 3 matches" in body


def test_unmatched_families_are_shown_with_the_reason(coordinator, branch, waiting):
    f.volunteer(branch, first="Hanne")  # one place for three families
    f.volunteer(branch, first="Uden", certificate=None)
    plan = make(coordinator, branch)
    unmatched = list(plan.proposals.filter(volunteer__isnull=True))
    assert len(unmatched) == 2
    assert {p.reason for p in unmatched} == {"taken"}
    body = client_for(coordinator).get(reverse("matching:plan", args=[plan.pk]),
                                       {"show": "unmatched"}).content.decode()
    assert "The only volunteer the rules allow is taken by another match in this plan." in body


def test_with_no_allowed_volunteer_the_reason_names_the_rule(coordinator, branch, waiting):
    f.volunteer(branch, first="Uden", certificate=None)
    plan = make(coordinator, branch)
    assert set(plan.proposals.values_list("reason", flat=True)) == {"no_certificate"}
    body = client_for(coordinator).get(reverse("matching:plan", args=[plan.pk]),
                                       {"show": "unmatched"}).content.decode()
    assert "no volunteer with a free place in this role has a valid child-safety" in body


def test_a_coordinator_cannot_plan_another_branch_nor_the_organisation(
    coordinator, other_branch, waiting, helpers
):
    response = client_for(coordinator).post(reverse("matching:plan_create"),
                                            {"scope": other_branch.pk}, follow=True)
    assert "Choose what to plan for." in response.content.decode()
    response = client_for(coordinator).post(reverse("matching:plan_create"), {"scope": "all"})
    assert not MatchPlan.objects.exists()
    with pytest.raises(PermissionDenied):
        services.match_plan_create(actor=coordinator, branch=None)
    with pytest.raises(PermissionDenied):
        services.match_plan_create(actor=coordinator, branch=other_branch)


def test_an_administrator_plans_the_whole_organisation(personas, branch, other_branch,
                                                       waiting, helpers):
    far = f.engagement(f.household(other_branch, name="Aarhus", postcode="8000"))
    f.volunteer(branch, first="Ekstra", postcode="2610")  # four places for four families
    response = client_for(personas["org_admin"]).post(reverse("matching:plan_create"),
                                                      {"scope": "all"})
    plan = MatchPlan.objects.get()
    assert response.status_code == 302 and plan.branch is None
    assert plan.proposals.count() == 4
    # Volunteers come from the whole organisation: Aarhus gets one of Rødovre's, 150 km off,
    # because a match costs less than leaving a family unmatched.
    assert plan.proposals.get(engagement=far).factors["km"] > 100


def test_a_branch_plan_uses_the_branchs_own_volunteers(coordinator, branch, other_branch,
                                                       waiting):
    f.volunteer(other_branch, first="Aarhusianer", postcode="8000", capacity=3)
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    assert not plan.proposals.filter(volunteer__isnull=False).exists()
    assert set(plan.proposals.values_list("reason", flat=True)) == {"no_active"}


def test_a_new_plan_replaces_the_open_one(coordinator, branch, waiting, helpers):
    first = services.match_plan_create(actor=coordinator, branch=branch)
    second = services.match_plan_create(actor=coordinator, branch=branch)
    first.refresh_from_db()
    assert first.status == "discarded" and second.status == "proposed"


# --- changing the proposal ------------------------------------------------------------------

def test_changing_a_proposal_checks_the_rules_with_the_plans_places(coordinator, branch,
                                                                    waiting, helpers):
    hanne, ib = helpers
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    on_hanne = plan.proposals.get(volunteer=hanne)
    client = client_for(coordinator)
    url = reverse("matching:proposal", args=[plan.pk, on_hanne.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Ib has 2 places, both used by the plan: he is not offered, and cannot be chosen.
    assert [r.volunteer for r in page.context["found"].rows] == [hanne]
    response = client.post(url, {"volunteer": ib.pk}, follow=True)
    assert "The volunteer has no free capacity." in response.content.decode()
    on_hanne.refresh_from_db()
    assert on_hanne.volunteer == hanne
    # A new volunteer with a place can be chosen; the plan's cost and versions follow.
    new = f.volunteer(branch, first="Ny", postcode="8000")
    response = client.post(url, {"volunteer": new.pk})
    assert response.status_code == 302
    on_hanne.refresh_from_db()
    plan.refresh_from_db()
    assert on_hanne.volunteer == new and on_hanne.factors["km"] > 100
    assert on_hanne.cost == on_hanne.factors["total"]
    assert plan.total_cost == pytest.approx(sum(
        plan.proposals.exclude(cost=None).values_list("cost", flat=True)))
    assert plan.volunteer_versions[str(new.pk)] == new.version


def test_a_proposal_cannot_get_a_volunteer_the_rules_exclude(coordinator, branch, waiting,
                                                             helpers):
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    proposal = plan.proposals.first()
    uncertified = f.volunteer(branch, first="Uden", certificate=None)
    with pytest.raises(ValidationError) as error:
        services.match_proposal_change(actor=coordinator, proposal=proposal,
                                       volunteer=uncertified)
    assert "child-safety certificate" in " ".join(error.value.messages)


def test_removing_a_proposal_leaves_the_family_unmatched(coordinator, branch, waiting,
                                                         helpers):
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    proposal = plan.proposals.first()
    response = client_for(coordinator).post(
        reverse("matching:proposal_remove", args=[plan.pk, proposal.pk]), follow=True)
    proposal.refresh_from_db()
    plan.refresh_from_db()
    assert proposal.volunteer is None and proposal.reason == "removed"
    assert "has been taken out of the plan" in response.content.decode()
    assert plan.total_cost == pytest.approx(sum(
        plan.proposals.exclude(cost=None).values_list("cost", flat=True)))


# --- confirming -----------------------------------------------------------------------------

def confirm(coordinator, plan):
    return client_for(coordinator).post(reverse("matching:plan_confirm", args=[plan.pk]),
                                        follow=True)


def test_confirming_makes_every_match_at_once(coordinator, branch, waiting, helpers):
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    response = confirm(coordinator, plan)
    assert "The plan has been confirmed: 3 matches made." in response.content.decode()
    for proposal in plan.proposals.select_related("engagement"):
        assert proposal.engagement.state == EngagementState.MATCHED
        assert proposal.engagement.volunteer_id == proposal.volunteer_id
    plan.refresh_from_db()
    assert plan.status == "confirmed"
    again = confirm(coordinator, plan)
    assert "already been confirmed or discarded" in again.content.decode()


def nothing_saved(plan):
    plan.refresh_from_db()
    assert plan.status == "proposed"
    assert not Engagement.objects.filter(state=EngagementState.MATCHED).exists()


def test_a_changed_capacity_makes_the_plan_stale(coordinator, branch, waiting, helpers):
    hanne, ib = helpers
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    # Someone else lowers Ib's capacity (volunteers.services bumps the version).
    Volunteer.objects.filter(pk=ib.pk).update(capacity=1, version=F("version") + 1)
    body = confirm(coordinator, plan).content.decode()
    assert ("Since the plan was made, the capacity or status of 1 volunteer has changed: "
            "Ib Frivillig.") in body
    assert "Nothing has been saved. Make a new plan." in body
    nothing_saved(plan)


def test_a_volunteer_matched_meanwhile_would_be_over_assigned(coordinator, branch, waiting,
                                                              helpers):
    hanne, _ib = helpers
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    other = f.engagement(f.household(branch, name="Anden"), state=EngagementState.ACTIVE,
                         volunteer=hanne)
    body = confirm(coordinator, plan).content.decode()
    assert "1 volunteer would get more families or parents than her capacity allows" in body
    assert "Hanne Frivillig" in body
    nothing_saved(plan)
    assert other.state == EngagementState.ACTIVE


def test_a_family_matched_by_hand_meanwhile_makes_the_plan_stale(coordinator, branch,
                                                                  waiting, helpers):
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    Engagement.objects.filter(pk=waiting[0].pk).update(state=EngagementState.ENDED,
                                                       ended_on=datetime.date(2026, 1, 2),
                                                       end_reason="moved")
    body = confirm(coordinator, plan).content.decode()
    assert "1 family or parent in it has been matched or has left the waiting list" in body
    plan.refresh_from_db()
    assert plan.status == "proposed"
    assert not Engagement.objects.filter(state=EngagementState.MATCHED).exists()


def test_a_hard_rule_broken_late_undoes_the_whole_confirmation(coordinator, branch, waiting,
                                                               helpers):
    """The last match fails engagement_match's own check: the earlier ones are undone too."""
    hanne, ib = helpers
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    last = plan.proposals.order_by("-engagement_id").first()
    # The certificate turns out to have remarks (not a versioned change).
    ChildCertificate.objects.filter(volunteer_id=last.volunteer_id).update(result="remarks",
                                                                            valid_until=None)
    body = confirm(coordinator, plan).content.decode()
    assert "can no longer be matched with" in body and "child-safety certificate" in body
    nothing_saved(plan)


def test_discarding_closes_the_plan(coordinator, branch, waiting, helpers):
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    response = client_for(coordinator).post(reverse("matching:plan_discard", args=[plan.pk]),
                                            follow=True)
    plan.refresh_from_db()
    assert plan.status == "discarded" and "The plan has been discarded." in (
        response.content.decode())
    body = confirm(coordinator, plan).content.decode()
    assert "already been confirmed or discarded" in body
    assert not Engagement.objects.filter(state=EngagementState.MATCHED).exists()


# --- large plans in the background -----------------------------------------------------------

def test_a_large_plan_is_made_by_the_background_worker(coordinator, branch, waiting, helpers,
                                                       monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(views, "PLAN_NOW_LIMIT", 1)
    # The worker drops connections left in a transaction, as the test's is.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client = client_for(coordinator)
    response = client.post(reverse("matching:plan_create"), {"scope": branch.pk})
    assert "/matching/plans/queued/" in response["Location"]
    pending = client.get(response["Location"])
    assert "The plan is being made." in pending.content.decode()
    assert not MatchPlan.objects.exists()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    plan = MatchPlan.objects.get()
    assert plan.proposals.count() == 3
    done = client.get(response["Location"])
    assert done.status_code == 302 and done["Location"] == reverse("matching:plan",
                                                                   args=[plan.pk])
    polled = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == reverse("matching:plan", args=[plan.pk])


@override_settings(TASKS=IMMEDIATE)
def test_a_backend_that_runs_tasks_at_once_goes_straight_to_the_plan(
    coordinator, branch, waiting, helpers, monkeypatch
):
    monkeypatch.setattr(views, "PLAN_NOW_LIMIT", 1)
    response = client_for(coordinator).post(reverse("matching:plan_create"),
                                            {"scope": branch.pk})
    plan = MatchPlan.objects.get()
    assert response["Location"] == reverse("matching:plan", args=[plan.pk])
    assert MatchProposal.objects.filter(plan=plan).count() == 3


def test_a_large_confirmation_is_made_by_the_background_worker(coordinator, branch, waiting,
                                                               helpers, monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(views, "CONFIRM_NOW_LIMIT", 1)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    client = client_for(coordinator)
    response = client.post(reverse("matching:plan_confirm", args=[plan.pk]))
    assert "/matching/plans/queued/" in response["Location"]
    pending = client.get(response["Location"]).content.decode()
    assert "The matches are being made." in pending
    assert not Engagement.objects.filter(state=EngagementState.MATCHED).exists()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    done = client.get(response["Location"], follow=True)
    assert "The plan has been confirmed: 3 matches made." in done.content.decode()
    assert Engagement.objects.filter(state=EngagementState.MATCHED).count() == 3


def test_a_stale_plan_confirmed_in_the_background_says_so(coordinator, branch, waiting,
                                                          helpers, monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(views, "CONFIRM_NOW_LIMIT", 1)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    Volunteer.objects.filter(pk=helpers[1].pk).update(capacity=1, version=F("version") + 1)
    client = client_for(coordinator, language="da")
    response = client.post(reverse("matching:plan_confirm", args=[plan.pk]))
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    done = client.get(response["Location"], follow=True)
    assert "Ib Frivillig" in done.content.decode()
    nothing_saved(plan)


def test_someone_elses_background_work_is_not_found(personas, coordinator, branch, waiting,
                                                    helpers):
    queued = tasks.plan_all.enqueue(actor_id=coordinator.pk, branch_id=branch.pk)
    url = reverse("matching:plan_pending", args=[queued.id])
    assert client_for(personas["org_admin"]).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200
