"""Reads about a user's own two-factor devices (only ever the user asking)."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def two_factor_required(user) -> bool:
    """Whether this user's role must log in with a second factor."""
    return bool(user.is_superuser or user.is_staff
                or user.role in settings.TWO_FACTOR_REQUIRED_ROLES)


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists() or (
        StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verification_devices(user) -> list:
    """The confirmed devices a code may come from: the app first, then the backup codes."""
    return [*TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"),
            *StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk")]
