"""Reads for Christmas aid, always scoped to the user asking.

Organisation administrators see every round and application of their organisation, including
applications whose address no branch covers; a branch coordinator sees the rounds of the
organisation and only the applications assigned to their own branches.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, When

from samspil.activities.models import Attendance, NetworkMembership
from samspil.activities.models import SignUpStatus as ActivitySignUpStatus
from samspil.christmas.models import (
    Application,
    ApplicationLink,
    FollowUpOffer,
    LinkStatus,
    Overlap,
    Round,
)
from samspil.core import rows
from samspil.core.models import Role, User
from samspil.engagements.models import Engagement

CHRISTMAS_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)
ROUND_ADMIN_ROLES = (Role.ORG_ADMIN,)


def public_round(*, slug: str, for_post: bool) -> Round | None:
    """The round of a public form's address (no login, so no scoping: the slug is the key).
    The post, a round's hot path, reads it without the ORM's query compilation and without
    the organisation (a good post only redirects); a page that is shown gets both."""
    if for_post:
        return rows.get_by(Round, "slug", slug)
    return Round.objects.select_related("organisation").filter(slug=slug).first()


def round_list_for(*, user: User) -> QuerySet[Round]:
    if not user.is_authenticated or not user.has_role(*CHRISTMAS_ROLES):
        return Round.objects.none()
    return Round.objects.filter(organisation_id=user.organisation_id)


def round_get_for(*, user: User, pk: int) -> Round | None:
    return round_list_for(user=user).filter(pk=pk).first()


def application_list_for(*, user: User, round: Round | None = None) -> QuerySet[Application]:
    if not user.is_authenticated or not user.has_role(*CHRISTMAS_ROLES):
        return Application.objects.none()
    qs = Application.objects.filter(round__organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(branch__in=user.branches.all())
    if round is not None:
        qs = qs.filter(round=round)
    return qs


def application_get_for(*, user: User, pk: int) -> Application | None:
    return (application_list_for(user=user)
            .select_related("round", "postcode", "branch", "household", "decided_by")
            .filter(pk=pk).first())


def application_queue(*, user: User, round: Round, status: str = "", eligible: str = "",
                      branch_id: int | None = None, duplicates: bool = False,
                      query: str = "") -> QuerySet[Application]:
    qs = application_list_for(user=user, round=round)
    if status:
        qs = qs.filter(status=status)
    if eligible == "yes":
        qs = qs.filter(eligible=True)
    elif eligible == "no":
        qs = qs.filter(eligible=False)
    if branch_id:
        qs = qs.filter(branch_id=branch_id)
    if duplicates:
        linked = ApplicationLink.objects.filter(first__round=round).exclude(
            status=LinkStatus.REJECTED)
        qs = qs.filter(Q(pk__in=linked.values("first_id")) | Q(pk__in=linked.values("second_id")))
    for term in query.split()[:5]:
        qs = qs.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term)
                       | Q(receipt__iexact=term) | Q(address__icontains=term))
    return qs.select_related("branch", "postcode").order_by("-priority", "submitted_at", "id")


def link_ids_by_application(*, applications: list[Application]) -> dict[int, int]:
    """How many non-rejected duplicate links each application of the page has (one query)."""
    ids = [a.pk for a in applications]
    counts: dict[int, int] = {}
    for a, b in ApplicationLink.objects.filter(
        Q(first_id__in=ids) | Q(second_id__in=ids)
    ).exclude(status=LinkStatus.REJECTED).values_list("first_id", "second_id"):
        counts[a] = counts.get(a, 0) + 1
        counts[b] = counts.get(b, 0) + 1
    return counts


def links_for(*, user: User, round: Round) -> list[ApplicationLink]:
    """The round's duplicate links whose both applications the user may see."""
    visible = application_list_for(user=user, round=round)
    return list(
        ApplicationLink.objects.filter(first__in=visible, second__in=visible)
        .select_related("first", "second", "first__postcode", "second__postcode")
        .order_by("status", "-probability", "id")
    )


def link_get_for(*, user: User, pk: int) -> ApplicationLink | None:
    visible = application_list_for(user=user)
    return (ApplicationLink.objects.filter(first__in=visible, second__in=visible)
            .select_related("first__round").filter(pk=pk).first())


def link_groups(links: list[ApplicationLink]) -> list[list[ApplicationLink]]:
    """Links that are not rejected, grouped by the households they connect (components)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    active = [link for link in links if link.status != LinkStatus.REJECTED]
    for link in active:
        parent[find(link.first_id)] = find(link.second_id)
    groups: dict[int, list[ApplicationLink]] = {}
    for link in active:
        groups.setdefault(find(link.first_id), []).append(link)
    return sorted(groups.values(), key=lambda g: -max(link.probability for link in g))


def application_links(*, application: Application) -> list[ApplicationLink]:
    return list(ApplicationLink.objects.filter(
        Q(first=application) | Q(second=application)
    ).select_related("first", "second"))


def application_overlaps(*, application: Application) -> list[Overlap]:
    return list(application.overlaps.select_related("source"))


def participation() -> Case:
    """Whether the family took part in an offer (for FollowUpOffer rows), from the real thing
    where the offer points to one, else the coordinator's own answer (True, False or None):

    - an activity: someone of the household's sign-up (not cancelled) was marked present at
      one of its sessions;
    - a network: the household was a member at some time on or after the day of the offer;
    - an engagement: it has started (a volunteer met the family), whatever its state now.
    A linked offer without that evidence is False (not taken part yet), never unknown.
    """
    household = OuterRef("application__household_id")
    attended = Exists(Attendance.objects.filter(
        present=True, participant__signup__activity_id=OuterRef("activity_id"),
        participant__signup__household_id=household,
    ).exclude(participant__signup__status=ActivitySignUpStatus.CANCELLED))
    member = Exists(NetworkMembership.objects.filter(
        network_id=OuterRef("network_id"), household_id=household,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=OuterRef("offered_on"))))
    started = Exists(Engagement.objects.filter(pk=OuterRef("engagement_id"),
                                               started_on__isnull=False))
    return Case(
        When(activity__isnull=False, then=attended),
        When(network__isnull=False, then=member),
        When(engagement__isnull=False, then=started),
        default=F("took_part"), output_field=BooleanField(null=True),
    )


def offer_list(*, application: Application) -> list[FollowUpOffer]:
    """The application's offers, each with ``participated`` (participation())."""
    return list(application.offers.select_related("engagement", "activity", "network")
                .annotate(participated=participation()))
