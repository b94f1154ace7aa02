"""Reads for partners, referrals and the shared plan, always scoped to the user asking.

caseworker_household_list_for is the only place that decides which households a municipal
caseworker may see. Every caseworker page and the plan's PDF go through it (via
partners.views.plan_household_or_404 / caseworker_household_or_404), and it reads the consent on
every request, so a withdrawn consent closes the door at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from samspil.core.models import Organisation, Role, User
from samspil.engagements.models import Engagement, EngagementState
from samspil.households.models import Consent, ConsentPurpose, Household
from samspil.households.selectors import REGISTRY_ROLES, household_list_for
from samspil.partners.models import (
    MUNICIPAL_KINDS,
    FamilyPlan,
    OwnerKind,
    Partner,
    PlanAction,
    Referral,
    ReferralStatus,
)

PARTNER_ROLES = REGISTRY_ROLES  # organisation administrators and coordinators
# Who works in a plan: the organisation's people and the municipality's caseworkers.
PLAN_ROLES = (*REGISTRY_ROLES, Role.CASEWORKER)


# --- partners --------------------------------------------------------------------------------

def partner_list_for(*, user: User, kind: str = "", active_only: bool = False
                     ) -> QuerySet[Partner]:
    if not user.is_authenticated or not user.has_role(*PARTNER_ROLES):
        return Partner.objects.none()
    qs = Partner.objects.filter(organisation_id=user.organisation_id)
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(active=True)
    return qs.select_related("municipality", "linked_organisation")


def partner_get_for(*, user: User, pk: int) -> Partner | None:
    return partner_list_for(user=user).filter(pk=pk).first()


# --- caseworker access: the gatekeeper -------------------------------------------------------

def active_municipality_consent(household_id) -> QuerySet[Consent]:
    """The household-wide consent to share with the municipality, given and not withdrawn."""
    return Consent.objects.filter(
        household_id=household_id, purpose=ConsentPurpose.MUNICIPALITY, person__isnull=True,
        withdrawn_on__isnull=True, given_on__lte=timezone.localdate(),
    )


def _caseworker_municipality_org(user: User) -> Organisation | None:
    if not user.is_authenticated or not user.has_role(Role.CASEWORKER):
        return None
    org = user.organisation
    if org.kind != Organisation.Kind.MUNICIPALITY or not org.municipality_id:
        return None
    return org


def caseworker_household_list_for(*, user: User) -> QuerySet[Household]:
    """The households a municipal caseworker may see. All of these must hold:

    1. the user is an active caseworker of an organisation of kind municipality;
    2. the household lives in that municipality (Household.municipality);
    3. the household belongs to that same organisation (a municipality running its own team),
       or to an organisation that has an active job-centre or family-department Partner
       linked to the caseworker's organisation (Partner.linked_organisation);
    4. the household has an active, household-wide consent "Sharing with the municipality".
    """
    org = _caseworker_municipality_org(user)
    if org is None:
        return Household.objects.none()
    return households_shared_with(org)


def households_shared_with(org: Organisation) -> QuerySet[Household]:
    """Rules 2-4 above for a municipality's organisation (its caseworkers all see the same)."""
    partner_orgs = Partner.objects.filter(
        linked_organisation_id=org.pk, kind__in=list(MUNICIPAL_KINDS), active=True,
        municipality_id=org.municipality_id,
    ).values("organisation_id")
    consented = active_municipality_consent(OuterRef("pk"))
    return (
        Household.objects.filter(municipality_id=org.municipality_id)
        .filter(Q(organisation_id=org.pk) | Q(organisation_id__in=partner_orgs))
        .filter(Exists(consented))
        .select_related("organisation", "branch")
    )


def caseworker_household_get_for(*, user: User, pk: int) -> Household | None:
    return caseworker_household_list_for(user=user).filter(pk=pk).first()


def plan_household_get_for(*, user: User, pk: int) -> Household | None:
    """The household whose plan the user may open: the registry's rule for the organisation's
    own people, the caseworker rule above for caseworkers."""
    if user.has_role(*REGISTRY_ROLES):
        return household_list_for(user=user).filter(pk=pk).first()
    if user.has_role(Role.CASEWORKER):
        return caseworker_household_get_for(user=user, pk=pk)
    return None


# --- referrals -------------------------------------------------------------------------------

def referral_list_for(*, user: User, direction: str = "", status: str = "",
                      household: int | None = None) -> QuerySet[Referral]:
    if not user.is_authenticated or not user.has_role(*PARTNER_ROLES):
        return Referral.objects.none()
    qs = Referral.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(branch__in=user.branches.all())
    if direction:
        qs = qs.filter(direction=direction)
    if status:
        qs = qs.filter(status=status)
    if household is not None:
        qs = qs.filter(household_id=household)
    return qs.select_related("household", "partner", "parent")


def referral_get_for(*, user: User, pk: int) -> Referral | None:
    return referral_list_for(user=user).filter(pk=pk).first()


def caseworker_referrals(*, user: User, household: Household) -> list[Referral]:
    """A caseworker's view of a household's referrals: those with the caseworker's own
    municipality (its linked job centre or family department, or the whole team's own)."""
    qs = Referral.objects.filter(household=household).select_related("partner", "parent")
    if household.organisation_id != user.organisation_id:
        qs = qs.filter(partner__linked_organisation_id=user.organisation_id)
    return list(qs)


def open_referral_count(*, user: User) -> int:
    return referral_list_for(user=user).filter(
        status__in=[ReferralStatus.SENT, ReferralStatus.RECEIVED]).count()


# --- what a caseworker sees of engagements ---------------------------------------------------

@dataclass(frozen=True)
class EngagementSummary:
    """Only status, start, end and attendance: never notes, goals or meeting notes."""

    type_label: str
    state_label: str
    referred_on: object
    started_on: object
    ended_on: object
    meetings: int
    hours: float
    last_meeting: object


def engagement_summaries(*, household: Household) -> list[EngagementSummary]:
    rows = (
        Engagement.objects.filter(household=household)
        .annotate(n=Count("meetings"), minutes=Sum("meetings__minutes"),
                  last=Max("meetings__date"))
        .order_by("-referred_on", "-id")
    )
    return [
        EngagementSummary(
            type_label=str(e.get_type_display()), state_label=str(e.get_state_display()),
            referred_on=e.referred_on, started_on=e.started_on, ended_on=e.ended_on,
            meetings=e.n, hours=round((e.minutes or 0) / 60, 1), last_meeting=e.last,
        )
        for e in rows
    ]


# --- the plan --------------------------------------------------------------------------------

def plan_for(*, household: Household) -> FamilyPlan | None:
    return FamilyPlan.objects.filter(household=household).first()


def plan_contents(*, plan: FamilyPlan) -> dict:
    goals = list(plan.goals.all())
    actions = list(
        plan.actions.select_related("owner_member", "owner_user", "owner_volunteer")
    )
    by_goal: dict[int, list[PlanAction]] = {}
    for action in actions:
        by_goal.setdefault(action.goal_id, []).append(action)
    for goal in goals:
        goal.plan_actions = by_goal.get(goal.pk, [])
    return {
        "goals": goals,
        "reviews": list(plan.reviews.select_related("recorded_by")),
        "changes": list(plan.changes.select_related("by")[:30]),
    }


@dataclass(frozen=True)
class Owner:
    """Someone who may own an action in the plan. key is what the form sends."""

    key: str
    kind: str
    label: str


def plan_people(*, household: Household) -> list[Owner]:
    """Everyone "in the plan": the household's members, the caseworkers who may see it, the
    volunteers of its running engagements and the coordinators of its branch."""
    from samspil.core.models import User as UserModel

    people = [
        Owner(f"member:{m.pk}", OwnerKind.MEMBER,
              f"{m.full_name} ({m.get_role_display()})")
        for m in household.members.all()
    ]
    volunteers = {
        e.volunteer for e in Engagement.objects.filter(
            household=household, state__in=[EngagementState.MATCHED, EngagementState.ACTIVE],
        ).select_related("volunteer")
    }
    people += [Owner(f"volunteer:{v.pk}", OwnerKind.VOLUNTEER,
                     f"{v.first_name} {v.last_name} ({OwnerKind.VOLUNTEER.label})")
               for v in sorted(volunteers, key=lambda v: v.pk)]
    coordinators = UserModel.objects.filter(
        role=Role.COORDINATOR, is_active=True, organisation_id=household.organisation_id,
        branches=household.branch_id,
    ).order_by("first_name", "id")
    people += [Owner(f"user:{u.pk}", OwnerKind.COORDINATOR,
                     f"{u.get_full_name() or u.username} ({OwnerKind.COORDINATOR.label})")
               for u in coordinators]
    # The same rule as caseworker_household_list_for, asked once per municipality organisation
    # (there is usually one), not once per caseworker.
    orgs = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY,
                                       municipality_id=household.municipality_id)
    sharing = [o.pk for o in orgs if households_shared_with(o).filter(pk=household.pk).exists()]
    caseworkers = UserModel.objects.filter(
        role=Role.CASEWORKER, is_active=True, organisation_id__in=sharing,
    ).select_related("caseworker_profile").order_by("first_name", "id")
    for u in caseworkers:
        profile = getattr(u, "caseworker_profile", None)
        where = profile.get_department_display() if profile else OwnerKind.CASEWORKER.label
        people.append(Owner(f"user:{u.pk}", OwnerKind.CASEWORKER,
                            f"{u.get_full_name() or u.username} ({where})"))
    return people
