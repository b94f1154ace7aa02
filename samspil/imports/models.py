"""Imports of households, volunteers and engagements from spreadsheets, and the column
mapping each organisation saves per kind of file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Branch, Organisation


class Kind(models.TextChoices):
    HOUSEHOLDS = "households", _("Households with members")
    VOLUNTEERS = "volunteers", _("Volunteers")
    ENGAGEMENTS = "engagements", _("Engagements with dates")


COUNT_LABELS = {"households": _("Households"), "persons": _("Persons"),
                "duplicates": _("Duplicates"), "volunteers": _("Volunteers"),
                "engagements": _("Engagements")}


class ColumnMapping(models.Model):
    """Which column of the organisation's files holds which field: {field: column header}."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"],
                                               name="columnmapping_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.kind}"


class ImportJob(models.Model):
    """One uploaded file: checked in a dry run, then (when valid) written in one transaction.
    The file itself is kept only until the import is done or dropped."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Columns to be mapped")
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Problems found")
        VALID = "valid", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(editable=False)
    headers = models.JSONField(default=list)
    columns = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    rows = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    # [{"row": 3, "column": "Fødselsdato", "value": "31-02-2020", "message": "..."}]
    problems = models.JSONField(default=list)
    # [{"row": 7, "household": "H12", "existing_id": 41, "existing": "Anna Jensen", "why": ...}]
    duplicates = models.JSONField(default=list)
    created = models.JSONField(default=dict)
    seconds = models.FloatField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    @property
    def counts(self) -> list[tuple[str, int]]:
        """The created (or to be created) rows, with their translated names."""
        return [(str(COUNT_LABELS.get(k, k)), v) for k, v in self.created.items()]

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)
