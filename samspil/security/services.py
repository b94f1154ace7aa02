"""Writes of two-factor login: setting up an app, backup codes, verifying, resetting."""

from __future__ import annotations

import base64

import django_otp
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samspil.security import selectors

SESSION_OPTIONAL_CHECKED = "samspil_two_factor_optional"  # volunteer without a device: checked


class CodeRefused(Exception):
    """The code was wrong, or too many wrong codes came too fast (throttled)."""

    def __init__(self, throttled: bool = False):
        super().__init__("throttled" if throttled else "wrong code")
        self.throttled = throttled


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed app device being set up (created with a fresh random key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


def base32_key(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it to be typed: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


def _throttled(devices) -> bool:
    """django-otp waits longer after each wrong code (1 s, 2 s, 4 s …): a code sent before the
    wait is over is refused unchecked."""
    return bool(devices) and all(not d.verify_is_allowed()[0] for d in devices)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with fresh ones and return them, to be shown once.
    Each works once. (django-otp stores them unhashed: see docs/security.md, what remains.)"""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup",
                                                   defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm_totp_device(request, code: str) -> list[str]:
    """Finish setting up the app: the code must match the pending key. Marks the session as
    verified and returns the new backup codes."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(
        user=user, confirmed=False).order_by("pk").first()
    throttled = _throttled([device] if device else [])
    if device is None or not device.verify_token(_clean(code)):
        raise CodeRefused(throttled=throttled)
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one app per person
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(user)
    mark_verified(request, device)
    return codes


def verify(request, code: str):
    """A code from the app or a backup code: marks the session verified or raises."""
    devices = selectors.verification_devices(request.user)
    throttled = _throttled(devices)
    token = _clean(code)
    for device in devices:
        if device.verify_token(token):
            mark_verified(request, device)
            return device
    raise CodeRefused(throttled=throttled)


def mark_verified(request, device) -> None:
    request.session.cycle_key()  # a new session id once the second factor is in
    django_otp.login(request, device)
    request.session.pop(SESSION_OPTIONAL_CHECKED, None)


@transaction.atomic
def reset(user) -> int:
    """Remove every two-factor device of a user (lost phone): the next login sets up anew."""
    count = TOTPDevice.objects.filter(user=user).delete()[0]
    return count + StaticDevice.objects.filter(user=user).delete()[0]
