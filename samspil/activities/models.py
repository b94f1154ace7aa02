"""Family networks, activities (camps, cafés, workshops…), sign-ups, waiting lists, attendance."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Branch, Municipality, Organisation
from samspil.households.models import Household, Language, Person
from samspil.volunteers.models import Volunteer

# The built-in kinds (organisation NULL, loaded by migration 0002) and their labels. The code is
# stable: outcomes and exports refer to it; the label is translated.
BUILTIN_KINDS: dict[str, str] = {
    "family_camp": _("Family camp"),
    "cafe_meeting": _("Café meeting"),
    "workshop": _("Workshop"),
    "excursion": _("Excursion"),
    "network_meeting": _("Network meeting"),
    "homework_cafe": _("Homework café"),
    "job_cafe": _("Job café"),
    "shared_meal": _("Shared meal"),
    "youth_club": _("Youth club"),
    "childrens_cafe": _("Children's café"),
    "family_workshop": _("Family workshop"),
    "counselling": _("Counselling session"),
}


class ActivityKind(models.Model):
    """A kind of activity. Built-in kinds have no organisation; an organisation adds its own."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kind of activity")
        verbose_name_plural = _("kinds of activity")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True),
                name="activity_kind_builtin_code_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"], condition=Q(organisation__isnull=False),
                name="activity_kind_org_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        if self.organisation_id is None and self.code in BUILTIN_KINDS:
            return BUILTIN_KINDS[self.code]
        return self.name


class Network(models.Model):
    """A local family network (familienetværk) run by a branch."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="networks", verbose_name=_("branch")
    )
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    contact_volunteers = models.ManyToManyField(
        Volunteer, blank=True, related_name="contact_for_networks",
        verbose_name=_("contact volunteers"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("family network")
        verbose_name_plural = _("family networks")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="network_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="network_memberships",
        verbose_name=_("household"),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "id"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["network", "household"], condition=Q(left_on__isnull=True),
                name="membership_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network_id}: {self.household_id}"


class CapacityUnit(models.TextChoices):
    HOUSEHOLDS = "households", _("Households")
    PERSONS = "persons", _("Persons")


class Activity(models.Model):
    """A camp, a café evening, a workshop series…: one or many sessions, a capacity."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="activities", verbose_name=_("branch")
    )
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities",
        verbose_name=_("network"),
    )
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.PROTECT, related_name="activities",
        verbose_name=_("kind"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    capacity_unit = models.CharField(
        _("places counted in"), max_length=10, choices=CapacityUnit.choices,
        default=CapacityUnit.HOUSEHOLDS,
    )
    waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    min_age = models.PositiveSmallIntegerField(_("children from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("children up to age"), null=True, blank=True)
    price = models.DecimalField(_("price (DKK)"), max_digits=8, decimal_places=2, default=0)
    # The last day to sign up (inclusive, Danish time); empty: until the first session starts.
    signup_deadline = models.DateField(_("sign-up deadline"), null=True, blank=True)
    public_signup = models.BooleanField(_("open for sign-up through a public link"),
                                        default=False)
    # The public link's key: unguessable, so the link reveals nothing about other activities.
    public_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    volunteers = models.ManyToManyField(
        Volunteer, blank=True, related_name="activities", verbose_name=_("volunteers in charge"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_min"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="activity_age_range",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="activity_price_min"),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))

    class Meta:
        ordering = ["date", "start", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")),
                                   name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M}–{self.end:%H:%M}"


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Has a place")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignUp(models.Model):
    """A household's sign-up for an activity, with a place or on the waiting list.

    Made by a coordinator for a registry household (``household`` set), or by a family through
    the public link (``household`` empty, the contact details below; a coordinator may link it to
    a registry household later). Both take places and queue the same way: ``places`` is 1 when
    the activity counts households, the number of persons when it counts persons.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("activity")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, null=True, blank=True, related_name="signups",
        verbose_name=_("household"),
    )
    status = models.CharField(_("status"), max_length=10, choices=SignUpStatus.choices)
    places = models.PositiveSmallIntegerField(_("places"))
    # Contact details of a public sign-up (a registry household has its own).
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices,
                                blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    signed_up_at = models.DateTimeField(_("signed up at"))
    confirmed_at = models.DateTimeField(_("got a place at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("signed up by"),
    )

    class Meta:
        ordering = ["signed_up_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        indexes = [models.Index(fields=["activity", "status", "signed_up_at"],
                                name="signup_activity_status")]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="signup_places_min"),
            # A registry household is signed up at most once (cancelled sign-ups aside).
            models.UniqueConstraint(
                fields=["activity", "household"],
                condition=Q(household__isnull=False) & ~Q(status="cancelled"),
                name="signup_household_once",
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=False) | ~Q(contact_name=""),
                name="signup_household_or_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.household_id is not None:
            return str(self.household)
        return self.contact_name


class Participant(models.Model):
    """One person coming with a sign-up: a registry member, or (public sign-up) a first name and
    an age."""

    signup = models.ForeignKey(
        SignUp, on_delete=models.CASCADE, related_name="participants", verbose_name=_("sign-up")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("member"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    is_child = models.BooleanField(_("child"), default=False)
    # Only for public sign-ups (a registry member has a birth date).
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)

    class Meta:
        ordering = ["is_child", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["signup", "person"],
                                    condition=Q(person__isnull=False),
                                    name="participant_person_once"),
        ]

    def __str__(self) -> str:
        return self.first_name


class Attendance(models.Model):
    """Whether one participant came to one session, ticked by the volunteer in charge."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance",
        verbose_name=_("participant"),
    )
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"],
                                    name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.participant_id}: {self.present}"
