"""Outcomes: programmes and their targets, questionnaires (instruments as data), the personal
answer links, and the evaluator's exports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Organisation
from samspil.engagements.models import Engagement
from samspil.households.models import Person


class Kpi(models.TextChoices):
    """The figures a target can be set for; each is defined once in outcomes/kpis.py and in
    docs/outcomes.md."""

    REACH = "reach", _("Participants reached")
    REACH_PARENTS = "reach_parents", _("Parents reached")
    REACH_CHILDREN = "reach_children", _("Children reached")
    FAMILY_FRIEND_FAMILIES = "family_friend_families", _("Families with a family friend")
    MENTORED_PARENTS = "mentored_parents", _("Parents with a job or education mentor")
    WORK_ATTACHMENT = "work_attachment", _(
        "Mentored parents in work or education one year after the start")
    SCHOOL_BETTER = "school_better", _(
        "Children in family-friend families with a better school level two years after the start")
    NETWORKS = "networks", _("Active family networks")


# KPIs that are shares (targets in percent); the others are counts.
RATE_KPIS = frozenset({Kpi.WORK_ATTACHMENT, Kpi.SCHOOL_BETTER})


class Programme(models.Model):
    """A funded programme: a period, the engagement types and activity kinds that count for it,
    and targets."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="programmes", verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Engagement type values (engagements.EngagementType) that count for the programme.
    engagement_types = models.JSONField(_("engagement types"), default=list, blank=True)
    # Activity kind codes (activities app, e.g. "family_camp"); codes, not keys, so that the
    # programme does not depend on the activities tables.
    activity_kinds = models.JSONField(_("activity kinds"), default=list, blank=True)
    # Whether Christmas aid (christmas app) counts: the members of a household granted Christmas
    # aid within the period are reached from the day of the decision (docs/outcomes.md).
    counts_christmas_aid = models.BooleanField(
        _("Christmas aid counts for reach"), default=False,
        help_text=_("Members of households granted Christmas aid in the period are reached "
                    "from the day of the decision."))

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="programme_unique_name"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")),
                                   name="programme_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The programme must end after it starts.")})


class Target(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name=_("programme"))
    kpi = models.CharField(_("figure"), max_length=30, choices=Kpi.choices)
    # A count, or a percentage (0–100) for the rate figures.
    value = models.DecimalField(_("target"), max_digits=9, decimal_places=1)
    # Where the figure started (e.g. 55 networks); empty: from zero.
    baseline = models.DecimalField(_("baseline"), max_digits=9, decimal_places=1, null=True,
                                   blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kpi"], name="target_once_per_kpi"),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_positive"),
            models.CheckConstraint(
                condition=~Q(kpi__in=sorted(RATE_KPIS)) | Q(value__lte=100),
                name="target_share_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()}: {self.value}"

    @property
    def is_rate(self) -> bool:
        return self.kpi in RATE_KPIS

    def clean(self):
        errors = {}
        if self.value is not None and self.value <= 0:
            errors["value"] = _("A target must be more than zero.")
        if self.is_rate and self.value is not None and self.value > 100:
            errors["value"] = _("A share cannot be more than 100%.")
        if self.is_rate and self.baseline is not None and not 0 <= self.baseline <= 100:
            errors["baseline"] = _("A share must be between 0 and 100%.")
        if (self.baseline is not None and self.value is not None and self.baseline >= self.value):
            errors["baseline"] = _("The baseline must be below the target.")
        if errors:
            raise ValidationError(errors)


class Instrument(models.Model):
    """A questionnaire definition, versioned: a new wording is a new version, old answers keep
    theirs. Items are in `items` (outcomes/instruments.py describes the format)."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    # [{"code": "who5_1", "text": "...", "min": 0, "max": 5, "choices": [[0, "..."], ...]}]
    items = models.JSONField(_("items"), default=list)
    # Who answers about whom: "parent" or "child" (a parent answers about the child).
    subject = models.CharField(_("about"), max_length=10, default="parent")
    is_current = models.BooleanField(_("current version"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Point(models.TextChoices):
    """The measurement points, counted from the engagement's start (or its end)."""

    START = "start", _("Start")
    END = "end", _("End")
    MONTHS_12 = "m12", _("12 months after the start")
    MONTHS_24 = "m24", _("24 months after the start")


class Questionnaire(models.Model):
    """One questionnaire due for one person at one measurement point of an engagement; answered
    once."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE,
                                   related_name="questionnaires", verbose_name=_("engagement"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="questionnaires",
                               verbose_name=_("about"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("questionnaire"))
    point = models.CharField(_("measurement point"), max_length=5, choices=Point.choices)
    due_on = models.DateField(_("due on"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The local (Copenhagen) day of answered_at, kept by the service: what the KPIs compare
    # with their dates, without converting time zones row by row.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    # Answered by the family itself through a personal link.
    by_family = models.BooleanField(_("answered by the family"), default=False)
    # item code -> the chosen value
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # The instrument's score (WHO-5: 0–100) or the one item's value; what the KPIs aggregate.
    score = models.SmallIntegerField(_("score"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["engagement", "person", "instrument", "point"],
                                    name="questionnaire_once_per_point"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(score__isnull=False),
                name="questionnaire_answered_has_score"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_on__isnull=True)
                | Q(answered_at__isnull=False, answered_on__isnull=False),
                name="questionnaire_answered_on_with_at"),
        ]
        indexes = [
            models.Index(fields=["instrument", "point"], name="questionnaire_instr_point"),
            models.Index(fields=["due_on"], name="questionnaire_due",
                         condition=Q(answered_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.get_point_display()} ({self.due_on})"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class AnswerLink(models.Model):
    """A personal link for a family to answer one questionnaire without an account: only the
    hash of the token is stored; it works once and until it expires."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} (until {self.expires_at:%Y-%m-%d})"


class Export(models.Model):
    """One pseudonymised dataset made for one evaluator."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="exports",
                                  verbose_name=_("programme"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    # 0–100, shown while it is being made.
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=40, blank=True)
    # table name -> number of rows
    row_counts = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("evaluator export")
        verbose_name_plural = _("evaluator exports")

    def __str__(self) -> str:
        return f"{self.programme} {self.requested_at:%Y-%m-%d %H:%M}"


class FigureSnapshot(models.Model):
    """The programme's raw figures (before the small-number rules), computed by
    outcomes.figures.raw_figures and stored so the dashboard only reads them. Refreshed in the
    background (outcomes.tasks.refresh_figures) when an engagement, household, member,
    questionnaire or attendance changes, when the day changes, and on request."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE,
                                     related_name="snapshot", verbose_name=_("programme"))
    # The day the figures are for, and when they were computed.
    on = models.DateField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    # What the figures depend on in the programme itself (period, types, kinds): a snapshot
    # made under other settings is not shown.
    settings_key = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    # Data changed since the figures were computed; a refresh is queued.
    stale = models.BooleanField(default=False)
    refresh_queued = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("stored figures")
        verbose_name_plural = _("stored figures")

    def __str__(self) -> str:
        return f"{self.programme_id} {self.computed_at:%Y-%m-%d %H:%M}"
