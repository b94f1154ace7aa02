"""Organisations, branches, places, users and the audit log."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """One of the 98 Danish municipalities (reference data, loaded by a migration)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region_code = models.CharField(_("region code"), max_length=4)
    region_name = models.CharField(_("region"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A Danish postcode with its post town, main municipality and approximate centre."""

    code = models.CharField(_("postcode"), max_length=4, primary_key=True)
    town = models.CharField(_("town"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="postcodes",
        verbose_name=_("main municipality"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=7, decimal_places=4)
    longitude = models.DecimalField(_("longitude"), max_digits=7, decimal_places=4)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")

    def __str__(self) -> str:
        return f"{self.code} {self.town}"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CHARITY = "charity", _("Charity")
        MUNICIPALITY = "municipality", _("Municipality")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A municipality organisation is the municipality itself.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("municipality"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Branch(models.Model):
    """A local branch (lokalafdeling) of an organisation, in one municipality."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="branches",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="branch_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    COORDINATOR = "coordinator", _("Branch coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    CASEWORKER = "caseworker", _("Municipal caseworker")
    EVALUATOR = "evaluator", _("Evaluator")


class User(AbstractUser):
    """A person who logs in. Belongs to one organisation, optionally to some of its branches."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    branches = models.ManyToManyField(Branch, blank=True, verbose_name=_("branches"))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(organisation__isnull=False),
                name="user_role_needs_organisation",
            )
        ]

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.organisation_id is not None and self.role in roles


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One line of the append-only access log.

    Rows are only ever inserted: the model refuses updates and deletes, and a database trigger
    (migration 0003) refuses UPDATE statements from anywhere else. Summaries name fields, never
    values, so no CPR number or case note ends up here.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        VIEW = "view", _("viewed")
        SEARCH = "search", _("searched")
        EXPORT = "export", _("exported")
        DELETE = "delete", _("deleted")
        DENIED = "denied", _("was denied access to")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=30)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    # Not a foreign key: the log outlives the household (erasure) and also records attempts on
    # ids that do not exist or belong to someone else.
    household_id = models.BigIntegerField(_("household"), null=True, db_index=True)
    # What the event concerns, shown to people: a name, never a CPR number or a note.
    object_label = models.CharField(_("concerning"), max_length=200, blank=True)
    # Names of the model fields that changed (comma-separated), shown with their translated labels.
    fields = models.CharField(_("fields"), max_length=500, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    purpose = models.CharField(_("purpose"), max_length=100, blank=True)
    # The chain (core/audit_chain.py): the previous entry's hash and this entry's keyed hash
    # (HMAC-SHA256 over the previous hash and this entry's content).
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")

    def _model(self):
        try:
            return apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return None

    @property
    def object_type_label(self) -> str:
        model = self._model()
        return str(model._meta.verbose_name) if model else self.object_type

    @property
    def field_labels(self) -> list[str]:
        model = self._model()
        labels = []
        for name in filter(None, self.fields.split(",")):
            try:
                labels.append(str(model._meta.get_field(name).verbose_name))
            except Exception:  # a field that no longer exists keeps its stored name
                labels.append(name)
        return labels


class PublicFormHit(models.Model):
    """How often one client posted one public form in one time window (core/public_forms.py).

    ``key`` is a keyed hash of the form and the client's address, never the address itself.
    """

    key = models.CharField(max_length=64)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="public_form_hit_once"),
        ]
        indexes = [models.Index(fields=["window"], name="public_form_hit_window")]

    def __str__(self) -> str:
        return f"{self.window}: {self.count}"


class AuditCheckpoint(models.Model):
    """Where the chain starts after the retention command deleted older entries.

    ``last_id`` and ``last_hash`` are those of the newest deleted entry; ``signature`` is a keyed
    hash over both (and the counts), so a checkpoint cannot be forged without the audit key.
    Checkpoints, like entries, are only ever inserted.
    """

    created_at = models.DateTimeField(default=timezone.now)
    last_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    deleted = models.PositiveIntegerField(default=0)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-last_id"]

    def __str__(self) -> str:
        return f"checkpoint after {self.last_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit checkpoints cannot be changed.")
        super().save(*args, **kwargs)
