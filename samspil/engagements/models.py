"""Engagements (forløb): a volunteer with a household or a parent, from referral to end."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Branch, Organisation
from samspil.households.models import Household, LifeArea, Person
from samspil.volunteers.models import Volunteer, VolunteerRole

# An engagement's type is the role the volunteer takes in it: one list, so a volunteer's roles
# and the engagements she may take can never drift apart.
EngagementType = VolunteerRole


class EngagementState(models.TextChoices):
    REFERRED = "referred", _("Referred")
    WAITING = "waiting", _("Waiting")
    MATCHED = "matched", _("Matched")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


# The only moves an engagement can make; engagements.services.engagement_transition enforces it.
TRANSITIONS: dict[str, frozenset[str]] = {
    EngagementState.REFERRED: frozenset({EngagementState.WAITING, EngagementState.ENDED}),
    EngagementState.WAITING: frozenset({EngagementState.MATCHED, EngagementState.ENDED}),
    EngagementState.MATCHED: frozenset(
        {EngagementState.ACTIVE, EngagementState.WAITING, EngagementState.ENDED}
    ),
    EngagementState.ACTIVE: frozenset({EngagementState.ENDED}),
    EngagementState.ENDED: frozenset(),
}


class EndReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Goals reached")
    FAMILY_WITHDREW = "family_withdrew", _("The family withdrew")
    VOLUNTEER_STOPPED = "volunteer_stopped", _("The volunteer stopped")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")


class Focus(models.TextChoices):
    TASK = "task", _("Task-focused")
    LIFE = "life", _("Life-focused")


class Engagement(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="engagements",
        verbose_name=_("organisation"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("branch")
    )
    type = models.CharField(_("type"), max_length=20, choices=EngagementType.choices)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="engagements",
        verbose_name=_("household"),
    )
    # The parent a mentor works with; empty for a family friend (who has the whole household).
    parent = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="engagements",
        verbose_name=_("parent"),
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements",
        verbose_name=_("volunteer"),
    )
    company = models.CharField(_("company"), max_length=200, blank=True)
    job_centre = models.CharField(_("job centre"), max_length=200, blank=True)
    focus = models.CharField(_("focus"), max_length=10, choices=Focus.choices, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=EngagementState.choices,
                             default=EngagementState.REFERRED)
    referred_on = models.DateField(_("referred on"))
    matched_on = models.DateField(_("matched on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices,
                                  blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [
            models.Index(fields=["branch", "state"], name="engagement_branch_state"),
            models.Index(fields=["volunteer", "state"], name="engagement_volunteer_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(type="family_friend", parent__isnull=True)
                | (~Q(type="family_friend") & Q(parent__isnull=False)),
                name="engagement_parent_matches_type",
            ),
            # Matched and active engagements have their volunteer; an engagement may end
            # without one (the family withdrew from the waiting list).
            models.CheckConstraint(
                condition=~Q(state__in=["matched", "active"]) | Q(volunteer__isnull=False),
                name="engagement_matched_has_volunteer",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(state="ended"),
                name="engagement_ended_on_only_when_ended",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="engagement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        who = self.parent.full_name if self.parent_id else self.household.display_name
        return f"{self.get_type_display()}: {who}"


class StateChange(models.Model):
    """History of an engagement's states: one row per move, dated and by whom."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(_("from"), max_length=10, choices=EngagementState.choices,
                                  blank=True)
    to_state = models.CharField(_("to"), max_length=10, choices=EngagementState.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state} ({self.on})"


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    text = models.CharField(_("small step"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="reached", reached_on__isnull=False)
                | (~Q(status="reached") & Q(reached_on__isnull=True)),
                name="goal_reached_on_iff_reached",
            )
        ]

    def __str__(self) -> str:
        return self.text


class Meeting(models.Model):
    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        REMOTE = "remote", _("Phone or video")
        COMPANION = "companion", _("Companion at a meeting with an authority")
        ACTIVITY = "activity", _("Joint activity")
        OTHER = "other", _("Other")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE,
                                   related_name="meetings")
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    areas = models.JSONField(_("life areas touched"), default=list, blank=True)
    note = models.CharField(_("short note"), max_length=1000, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("logged by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=24 * 60),
                                   name="meeting_minutes_in_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date} ({self.minutes} min)"


class MatchPlan(models.Model):
    """A proposal from 'plan all': stored, reviewed and edited, then confirmed or discarded."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Empty: the whole organisation.
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("branch"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    total_cost = models.FloatField(_("total cost"), default=0)
    greedy_cost = models.FloatField(_("cost of first-come-first-served"), null=True, blank=True)
    greedy_matched = models.PositiveIntegerField(null=True, blank=True)
    # volunteer id -> version when planned; a changed version at confirmation means re-plan.
    volunteer_versions = models.JSONField(default=dict)
    seconds = models.FloatField(_("seconds to plan"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching plan")
        verbose_name_plural = _("matching plans")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class MatchProposal(models.Model):
    plan = models.ForeignKey(MatchPlan, on_delete=models.CASCADE, related_name="proposals")
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="+")
    # Empty: the engagement stays unmatched in this plan (reason says why).
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+")
    cost = models.FloatField(null=True, blank=True)
    factors = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "engagement"], name="proposal_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.engagement_id} → {self.volunteer_id}"
