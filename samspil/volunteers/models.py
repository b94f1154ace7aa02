"""Volunteers: profile, skills, availability, capacity and screening."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Branch, Organisation, Postcode
from samspil.households.models import Gender


class Skill(models.TextChoices):
    HOMEWORK = "homework", _("Homework help")
    DANISH = "danish", _("Danish language")
    DIGITAL = "digital", _("Digital self-service")
    ECONOMY = "economy", _("Household economy and budget")
    JOB_SEARCH = "job_search", _("CV and job search")
    PARENTING = "parenting", _("Parenting")
    LEISURE = "leisure", _("Leisure activities")


class VolunteerRole(models.TextChoices):
    FAMILY_FRIEND = "family_friend", _("Family friend")
    JOB_MENTOR = "job_mentor", _("Job and education mentor")
    WORKPLACE_MENTOR = "workplace_mentor", _("Workplace mentor")


class VolunteerStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class ChildAgeGroup(models.TextChoices):
    SMALL = "0-5", _("Children 0–5 years")
    SCHOOL = "6-12", _("Children 6–12 years")
    TEEN = "13-17", _("Children 13–17 years")


class Volunteer(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="volunteers",
        verbose_name=_("organisation"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("branch")
    )
    # The login, once the volunteer has one; applicants are often registered before that.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="volunteer", verbose_name=_("user"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    postcode = models.ForeignKey(
        Postcode, on_delete=models.PROTECT, related_name="+", verbose_name=_("postcode")
    )
    # Lists of choice values (households.Language, Skill, VolunteerRole); JSON works the same
    # on SQLite and PostgreSQL.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    tags = models.JSONField(_("other skills (tags)"), default=list, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("families or parents at most"), default=1,
    )
    preferred_gender = models.CharField(
        _("prefers to support"), max_length=10, choices=Gender.choices, blank=True,
        help_text=_("The gender of the parent the volunteer prefers to support."),
    )
    preferred_gender_required = models.BooleanField(_("gender preference is a must"),
                                                     default=False)
    preferred_child_age = models.CharField(
        _("prefers children aged"), max_length=5, choices=ChildAgeGroup.choices, blank=True
    )
    preferred_child_age_required = models.BooleanField(_("age preference is a must"),
                                                       default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=VolunteerStatus.choices,
        default=VolunteerStatus.APPLICANT,
    )
    # Screening besides the child-safety certificate.
    confidentiality_signed_on = models.DateField(
        _("confidentiality declaration signed"), null=True, blank=True
    )
    training_completed_on = models.DateField(_("introduction training completed"), null=True,
                                             blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Kept by the services (volunteers.services): one lower-case text of names, contact,
    # postcode, town and tags, so that search is one scan without joins, as for households,
    # and case-insensitive for æ, ø and å on SQLite too.
    search_text = models.TextField(blank=True, editable=False)
    # Bumped by every change of capacity or status, so a matching plan made before the change
    # can tell that it is stale.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["first_name", "last_name", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        indexes = [models.Index(fields=["branch", "status"], name="volunteer_branch_status")]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__lte=20), name="volunteer_capacity_max")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class AvailabilitySlot(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE,
                                  related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")),
                                   name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class ChildCertificate(models.Model):
    """A børneattest check. The certificate itself is deleted after assessment; only these
    facts are kept (lov om indhentelse af børneattest), and never the volunteer's CPR."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        CLEAR = "clear", _("No remarks")
        REMARKS = "remarks", _("Remarks: not approved")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE,
                                  related_name="certificates")
    requested_on = models.DateField(_("requested on"))
    consent_deadline = models.DateField(_("consent deadline"), null=True, blank=True)
    received_on = models.DateField(_("received and checked on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices,
                              default=Result.PENDING)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("assessed by"),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("child-safety certificate")
        verbose_name_plural = _("child-safety certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True)
                | Q(received_on__gte=models.F("requested_on")),
                name="certificate_received_after_requested",
            ),
            models.CheckConstraint(
                condition=Q(result="pending") | Q(received_on__isnull=False),
                name="certificate_result_needs_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.get_result_display()}"
