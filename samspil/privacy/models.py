"""Restriction of processing, erasures done and break-the-glass access (docs/privacy.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspil.households.models import Household


class Restriction(models.Model):
    """A household frozen from processing (GDPR art. 18): its data are kept, never changed."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE,
                                     related_name="restriction", verbose_name=_("household"))
    reason = models.CharField(_("reason"), max_length=500)
    since = models.DateTimeField(_("since"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")

    def __str__(self) -> str:
        return f"{self.household_id}: {self.since:%Y-%m-%d}"


class Erasure(models.Model):
    """That a household's personal data were erased (kept without any personal data)."""

    household_id = models.BigIntegerField(_("household"), unique=True)
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    at = models.DateTimeField(_("erased at"), default=timezone.now)
    # "request" (the data subject asked) or "retention" (the retention period ran out).
    ground = models.CharField(_("ground"), max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.at:%Y-%m-%d}"


class BreakGlass(models.Model):
    """Time-limited access of a coordinator to a household outside her branches."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("user"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("household"))
    reason = models.CharField(_("reason"), max_length=500)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "household", "expires_at"],
                                name="breakglass_lookup")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.household_id}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
