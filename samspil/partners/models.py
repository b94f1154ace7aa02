"""Partners, referrals both ways, and the one shared family plan.

The organisation's records never hold an authority decision (myndighedsafgørelse): the
municipality makes those in its own systems. There is deliberately no field for one; a
referral out records only that it was sent, its status and a short outcome in plain words.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Branch, Municipality, Organisation
from samspil.engagements.models import Engagement
from samspil.households.models import Consent, Household, LifeArea, Person
from samspil.volunteers.models import Volunteer


class PartnerKind(models.TextChoices):
    JOB_CENTRE = "job_centre", _("Job centre")
    FAMILY_DEPARTMENT = "family_department", _("Family department")
    SCHOOL = "school", _("School")
    HOUSING = "housing", _("Housing social initiative")
    COMPANY = "company", _("Company (workplace mentors)")
    EDUCATION = "education", _("Educational institution")
    OTHER = "other", _("Other")


# The municipality's departments: the partners whose caseworkers may log in to Samspil.
MUNICIPAL_KINDS = (PartnerKind.JOB_CENTRE, PartnerKind.FAMILY_DEPARTMENT)


class Partner(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partners",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )
    # A job centre or family department whose municipality runs Samspil as an organisation of
    # its own: its caseworkers log in there, and this link is what lets them see the
    # households of this organisation that agreed to share with the municipality.
    linked_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("the municipality's organisation in Samspil"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="partner_unique_name"),
            models.CheckConstraint(
                condition=Q(linked_organisation__isnull=True)
                | Q(kind__in=list(MUNICIPAL_KINDS), municipality__isnull=False),
                name="partner_link_only_municipal",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipal(self) -> bool:
        return self.kind in MUNICIPAL_KINDS


class ContactPerson(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts",
                                verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A cooperation agreement with a partner, for a period."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements",
                                verbose_name=_("partner"))
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_current(self, today) -> bool:
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class Direction(models.TextChoices):
    IN = "in", _("Referral in (from a partner)")
    OUT = "out", _("Referral out (to a partner)")


class HelpKind(models.TextChoices):
    # Referrals in: what the partner asks the organisation for.
    FAMILY_FRIEND = "family_friend", _("Family friend")
    JOB_MENTOR = "job_mentor", _("Job and education mentor")
    WORKPLACE_MENTOR = "workplace_mentor", _("Workplace mentor")
    NETWORK = "network", _("Family network")
    ACTIVITY = "activity", _("Activity or camp")
    # Referrals out: what the organisation asks the partner for.
    ASSESSMENT = "assessment", _("Assessment by the municipality")
    JOB_SUPPORT = "job_support", _("Support from the job centre")
    SCHOOL_SUPPORT = "school_support", _("Support at school")
    HOUSING_SUPPORT = "housing_support", _("Help with housing")
    OTHER = "other", _("Other help")


HELP_IN = (HelpKind.FAMILY_FRIEND, HelpKind.JOB_MENTOR, HelpKind.WORKPLACE_MENTOR,
           HelpKind.NETWORK, HelpKind.ACTIVITY, HelpKind.OTHER)
HELP_OUT = (HelpKind.ASSESSMENT, HelpKind.JOB_SUPPORT, HelpKind.SCHOOL_SUPPORT,
            HelpKind.HOUSING_SUPPORT, HelpKind.OTHER)
# Accepting a referral in for one of these starts an engagement (engagements.services).
ENGAGEMENT_HELP = (HelpKind.FAMILY_FRIEND, HelpKind.JOB_MENTOR, HelpKind.WORKPLACE_MENTOR)
MENTOR_HELP = (HelpKind.JOB_MENTOR, HelpKind.WORKPLACE_MENTOR)


class SharedField(models.TextChoices):
    """What a referral passes on to the partner: exactly these, recorded with the referral."""

    NAMES = "names", _("Names of the parents and children")
    CONTACT = "contact", _("Address and phone")
    CHILDREN = "children", _("The children's ages and school grades")
    WORK = "work", _("The parents' work or education status")
    NEED_LEVELS = "need_levels", _("Need levels per life area (not the descriptions)")
    ENGAGEMENT = "engagement", _("The engagement's status, start, end and attendance")
    PLAN = "plan", _("The shared family plan")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


# The only moves a referral can make; partners.services.referral_transition enforces it.
# A referral out starts as sent; a referral in, registered when it arrives, as received.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED,
                                    ReferralStatus.DECLINED}),
    ReferralStatus.RECEIVED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
}


class Referral(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="referrals",
                                  verbose_name=_("household"))
    # The parent a mentor would work with; empty for the whole family.
    parent = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("parent"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals",
                                verbose_name=_("partner"))
    contact = models.ForeignKey(ContactPerson, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("contact person"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    help_kind = models.CharField(_("help wanted"), max_length=20, choices=HelpKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices)
    # The family's consent to this exchange, checked when the referral is sent or registered.
    consent_given_by = models.CharField(_("consent given by"), max_length=200)
    consent_given_on = models.DateField(_("consent given on"))
    # For a job centre or family department: the household's registered consent to share with
    # the municipality, which had to be active at the moment of sending.
    municipality_consent = models.ForeignKey(
        Consent, on_delete=models.RESTRICT, null=True, blank=True, related_name="+",
        verbose_name=_("consent to share with the municipality"),
    )
    shared_fields = models.JSONField(_("shared"), default=list)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    sent_on = models.DateField(_("sent on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    engagement = models.ForeignKey(Engagement, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("engagement"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["organisation", "status"], name="referral_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(outcome=""),
                name="referral_completed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(consent_given_on__lte=models.F("sent_on")),
                name="referral_consent_before_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_help_kind_display()} ({self.partner})"


class ReferralChange(models.Model):
    """History of a referral's status: one row per move, dated and by whom."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=10, choices=ReferralStatus.choices,
                                   blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=ReferralStatus.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} ({self.on})"


# --- the shared family plan ------------------------------------------------------------------

class FamilyPlan(models.Model):
    """One plan per household, which the family, caseworkers, volunteer and coordinator share."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="plan",
                                     verbose_name=_("household"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shared family plan")
        verbose_name_plural = _("shared family plans")

    def __str__(self) -> str:
        return str(self.household)


class PlanGoal(models.Model):
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    text = models.CharField(_("goal"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")

    def __str__(self) -> str:
        return self.text


class OwnerKind(models.TextChoices):
    MEMBER = "member", _("The family")
    CASEWORKER = "caseworker", _("Caseworker")
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Coordinator")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanAction(models.Model):
    """An action towards a goal, owned by one person in the plan, with a due date."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="actions",
                             verbose_name=_("goal"))
    text = models.CharField(_("action"), max_length=300)
    owner_kind = models.CharField(_("owner"), max_length=12, choices=OwnerKind.choices)
    # A member removed from the household takes the actions they owned along.
    owner_member = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+")
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    owner_volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="+")
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            # Exactly one owner, of the kind named.
            models.CheckConstraint(
                condition=Q(owner_kind="member", owner_member__isnull=False,
                            owner_user__isnull=True, owner_volunteer__isnull=True)
                | Q(owner_kind__in=["caseworker", "coordinator"], owner_member__isnull=True,
                    owner_user__isnull=False, owner_volunteer__isnull=True)
                | Q(owner_kind="volunteer", owner_member__isnull=True, owner_user__isnull=True,
                    owner_volunteer__isnull=False),
                name="plan_action_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def owner_name(self) -> str:
        if self.owner_member_id:
            return self.owner_member.full_name
        if self.owner_volunteer_id:
            return f"{self.owner_volunteer.first_name} {self.owner_volunteer.last_name}"
        return self.owner_user.get_full_name() or self.owner_user.username


class PlanReview(models.Model):
    """A review meeting of the plan, with a short record."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("participants"), max_length=300)
    record = models.CharField(_("short record"), max_length=1000)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True)
                | Q(next_review_on__gt=models.F("held_on")),
                name="plan_review_next_after_held",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.held_on}"


class PlanChange(models.Model):
    """The plan's history: who changed what, when (the texts are in the plan itself)."""

    class Kind(models.TextChoices):
        GOAL_ADDED = "goal_added", _("Goal added")
        ACTION_ADDED = "action_added", _("Action added")
        ACTION_STATUS = "action_status", _("Action status changed")
        REVIEW = "review", _("Review recorded")

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("what"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")

    def __str__(self) -> str:
        return self.summary


class CaseworkerProfile(models.Model):
    """Which department of the municipality a caseworker works in (shown beside the name)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="caseworker_profile", verbose_name=_("user"))
    department = models.CharField(
        _("department"), max_length=20,
        choices=[(k.value, k.label) for k in MUNICIPAL_KINDS],
    )

    class Meta:
        verbose_name = _("caseworker's department")
        verbose_name_plural = _("caseworkers' departments")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_department_display()})"
