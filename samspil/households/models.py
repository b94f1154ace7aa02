"""The household registry: households, their members, consent and needs assessments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Branch, Municipality, Organisation, Postcode
from samspil.households import cpr


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    TURKISH = "tr", _("Turkish")
    UKRAINIAN = "uk", _("Ukrainian")
    PERSIAN = "fa", _("Persian")
    URDU = "ur", _("Urdu")
    POLISH = "pl", _("Polish")
    TIGRINYA = "ti", _("Tigrinya")
    OTHER = "other", _("Other")


class Household(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="households",
        verbose_name=_("organisation"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="households", verbose_name=_("branch")
    )
    address = models.CharField(_("address"), max_length=200)
    postcode = models.ForeignKey(
        Postcode, on_delete=models.PROTECT, related_name="+", verbose_name=_("postcode")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.DANISH
    )
    notes = models.TextField(_("notes"), blank=True)
    # Kept by the services: the parents' names for lists, and one lower-case text of names,
    # phone and address so that search is a single indexed-table scan without joins.
    display_name = models.CharField(_("household"), max_length=300, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["branch", "-id"], name="household_branch_id")]

    def __str__(self) -> str:
        return self.display_name or _("Household %(id)s") % {"id": self.pk}


class MemberRole(models.TextChoices):
    PARENT = "parent", _("Parent or caregiver")
    CHILD = "child", _("Child")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class SchoolGrade(models.TextChoices):
    NOT_IN_SCHOOL = "none", _("Not yet in school (daycare or home)")
    GRADE_0 = "0", _("Kindergarten class (0th grade)")
    GRADE_1 = "1", _("1st grade")
    GRADE_2 = "2", _("2nd grade")
    GRADE_3 = "3", _("3rd grade")
    GRADE_4 = "4", _("4th grade")
    GRADE_5 = "5", _("5th grade")
    GRADE_6 = "6", _("6th grade")
    GRADE_7 = "7", _("7th grade")
    GRADE_8 = "8", _("8th grade")
    GRADE_9 = "9", _("9th grade")
    GRADE_10 = "10", _("10th grade")
    YOUTH_EDUCATION = "youth", _("Youth education")
    OTHER = "other", _("Other")


class WorkStatus(models.TextChoices):
    EMPLOYED = "employed", _("In work")
    PART_TIME = "part_time", _("In part-time or flex job")
    EDUCATION = "education", _("In education")
    UNEMPLOYED = "unemployed", _("Unemployed, job-ready")
    ACTIVATION = "activation", _("On cash benefit, not job-ready")
    SICK_LEAVE = "sick_leave", _("On sick leave")
    PARENTAL_LEAVE = "parental_leave", _("On parental leave")
    PENSION = "pension", _("On early retirement pension")
    OTHER = "other", _("Other")


class Person(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    role = models.CharField(_("role in household"), max_length=10, choices=MemberRole.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    # Fernet token; see households/cpr.py. Never displayed except masked.
    cpr_encrypted = models.TextField(blank=True, editable=False)
    school_grade = models.CharField(
        _("school grade"), max_length=10, choices=SchoolGrade.choices, blank=True
    )
    work_status = models.CharField(
        _("work or education"), max_length=20, choices=WorkStatus.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["role", "birth_date", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="child", work_status="") | Q(role="parent", school_grade=""),
                name="person_status_matches_role",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_cpr(self) -> bool:
        return bool(self.cpr_encrypted)

    @property
    def cpr_masked(self) -> str:
        if not self.cpr_encrypted:
            return ""
        number = cpr.decrypt(self.cpr_encrypted)
        return cpr.mask(number) if number else "??????-xxxx"


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration in Samspil")
    CPR = "cpr", _("Storing the CPR number")
    MUNICIPALITY = "municipality", _("Sharing with the municipality")
    EVALUATION = "evaluation", _("Evaluation and research")
    PHOTOS = "photos", _("Photos")


class Consent(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="consents", verbose_name=_("household")
    )
    # Whom the consent concerns; empty means the whole household.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="consents",
        verbose_name=_("concerns"),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_by = models.CharField(_("given by"), max_length=200)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class LifeArea(models.TextChoices):
    ECONOMY = "economy", _("Economy and debt")
    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")
    SCHOOL = "school", _("The children's school")
    WELLBEING = "wellbeing", _("Wellbeing and health")
    NETWORK = "network", _("Social network")
    HOUSING = "housing", _("Housing")
    LEGAL = "legal", _("Legal matters")
    PARENTING = "parenting", _("Parenting")


class NeedLevel(models.IntegerChoices):
    NONE = 0, _("No need")
    SOME = 1, _("Some need")
    CONSIDERABLE = 2, _("Considerable need")
    MAJOR = 3, _("Major need")


class NeedsAssessment(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="assessments",
        verbose_name=_("household"),
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("assessed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return f"{self.household_id}: {self.assessed_on}"


class NeedRating(models.Model):
    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=NeedLevel.choices)
    text = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="need_once_per_area"),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=3), name="need_level_0_3"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.level}"
