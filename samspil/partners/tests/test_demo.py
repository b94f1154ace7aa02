"""The demo has partners, referrals both ways, shared plans and the municipality's own team,
and the demo caseworkers really see their families (and only those)."""

from __future__ import annotations

from django.core.management import call_command

from samspil.core.models import User
from samspil.partners.models import FamilyPlan, Partner, Referral
from samspil.partners.selectors import caseworker_household_list_for


def test_the_demo_has_partners_referrals_plans_and_the_team(db):
    call_command("seed_demo", households=40)
    call_command("seed_demo", households=40)  # safe to run twice
    assert Partner.objects.filter(organisation__name="Familiehjælpen (demo)").count() == 7
    assert set(Referral.objects.values_list("direction", flat=True)) == {"in", "out"}
    assert set(Referral.objects.values_list("status", flat=True)) == {
        "received", "accepted", "declined", "completed", "sent"}
    assert Referral.objects.filter(engagement__isnull=False).count() == 1
    assert FamilyPlan.objects.count() == 2
    team_plan = FamilyPlan.objects.get(organisation__name="Rødovre Kommune (demo)")
    kinds = set(team_plan.actions.values_list("owner_kind", flat=True))
    assert kinds == {"member", "caseworker", "coordinator"}
    owners = set(team_plan.actions.filter(owner_kind="caseworker").values_list(
        "owner_user__caseworker_profile__department", flat=True))
    assert owners == {"job_centre", "family_department"}
    for username in ("sagsbehandler", "sagsbehandler.familie"):
        seen = caseworker_household_list_for(user=User.objects.get(username=username))
        orgs = set(seen.values_list("organisation__name", flat=True))
        assert orgs == {"Familiehjælpen (demo)", "Rødovre Kommune (demo)"}, username
        assert not seen.exclude(municipality_id="0175").exists()
        assert seen.count() == 6  # four of the charity's Rødovre families, two of the team's
